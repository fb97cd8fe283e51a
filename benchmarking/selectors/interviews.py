"""Reads for interview capture: access, progress and the summary (the change history is
selectors/interview_history.py).

Every function here costs a fixed number of queries, whatever the number of indicators.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.http import Http404

from benchmarking.kinds import kind_of
from benchmarking.models import Answer, Category, Indicator, Interview
from benchmarking.permissions import is_own_interview, is_secretariat

# An answer row counts as answered when it holds a value or a missing-value reason
# (Answer.is_answered, in SQL). A cleared answer keeps its row, for the history.
ANSWERED = (
    ~Q(missing_reason="")
    | Q(number__isnull=False)
    | Q(boolean__isnull=False)
    | ~Q(choice="")
    | Q(selected__isnull=False)
    | Q(parts__isnull=False)
)


def get_interview_for_user(user, pk) -> Interview:
    """The interview `pk` if `user` may read it: its expert, or the secretariat. Else 404.

    A 404 rather than a 403 for someone else's interview: whether it exists is not theirs
    to know.
    """
    interviews = Interview.objects.select_related("cluster", "expert__user", "catalogue")
    if not is_secretariat(user):
        expert = getattr(user, "expert", None)
        if expert is None:
            raise Http404("No such interview.")
        interviews = interviews.filter(expert=expert)
    try:
        return interviews.get(pk=pk)
    except (Interview.DoesNotExist, ValueError):
        raise Http404("No such interview.") from None


def can_edit(user, interview: Interview) -> bool:
    """Only the interview's own expert edits it, and only while it is a draft or returned."""
    return interview.is_editable and is_own_interview(user, interview)


# --- Progress ----------------------------------------------------------------------------


@dataclass
class CategoryProgress:
    code: str
    title: str
    answered: int
    total: int

    @property
    def is_complete(self) -> bool:
        return self.answered >= self.total


@dataclass
class Progress:
    categories: list[CategoryProgress] = field(default_factory=list)

    @property
    def answered(self) -> int:
        return sum(c.answered for c in self.categories)

    @property
    def total(self) -> int:
        return sum(c.total for c in self.categories)

    @property
    def is_complete(self) -> bool:
        return self.answered >= self.total


def _progress(categories, answered_by_category: dict, totals: dict) -> Progress:
    return Progress(
        [CategoryProgress(c.code, c.title, answered_by_category.get(c.pk, 0), totals.get(c.pk, 0)) for c in categories]
    )


# Interviews the expert still has to work on come first: returned ones, then drafts.
EDITABLE_FIRST = Case(
    When(status=Interview.Status.RETURNED, then=Value(0)),
    When(status=Interview.Status.DRAFT, then=Value(1)),
    default=Value(2),
)
EXPERT_PAGE_SIZE = 25


def expert_interview_page(expert, number) -> Page:
    """One page of the expert's interviews (returned and drafts first), each with `.progress`.

    Five queries whatever the number of interviews: count, the page, categories, indicator
    totals, answered counts of the page's interviews.
    """
    page = Paginator(_expert_interviews(expert), EXPERT_PAGE_SIZE).get_page(number)
    page.object_list = with_progress(list(page.object_list))
    return page


def _expert_interviews(expert) -> QuerySet[Interview]:
    return (
        expert.interviews.select_related("cluster", "catalogue")
        .alias(editable_first=EDITABLE_FIRST)
        .order_by("editable_first", "-date", "-id")
    )


def with_progress(interviews: list[Interview]) -> list[Interview]:
    """Set `.progress` on each interview (three queries for any number of interviews)."""
    catalogue_ids = {i.catalogue_id for i in interviews}
    categories = defaultdict(list)
    for category in Category.objects.filter(catalogue__in=catalogue_ids):
        categories[category.catalogue_id].append(category)
    totals = dict(
        Indicator.objects.filter(catalogue__in=catalogue_ids)
        .order_by()  # the translated model's default ordering would split the groups
        .values_list("category")
        .annotate(n=Count("id"))
        .values_list("category", "n")
    )
    answered = defaultdict(dict)
    rows = (
        Answer.objects.filter(ANSWERED, interview__in=[i.pk for i in interviews])
        .values_list("interview", "indicator__category")
        .annotate(n=Count("id"))
    )
    for interview_id, category_id, n in rows:
        answered[interview_id][category_id] = n
    for interview in interviews:
        interview.progress = _progress(categories[interview.catalogue_id], answered[interview.pk], totals)
    return interviews


@dataclass
class InterviewSheet:
    """Everything the step, summary and submit pages need, loaded in three queries."""

    interview: Interview
    categories: list[Category]
    indicators: list[Indicator]
    answers: dict[int, Answer]  # by indicator id

    def indicators_of(self, category: Category) -> list[Indicator]:
        return [i for i in self.indicators if i.category_id == category.pk]

    def category(self, code: str) -> Category:
        for category in self.categories:
            if category.code == code:
                return category
        raise Http404("No such category.")

    def next_category(self, category: Category) -> Category | None:
        index = self.categories.index(category)
        return self.categories[index + 1] if index + 1 < len(self.categories) else None

    @property
    def progress(self) -> Progress:
        answered, totals = defaultdict(int), defaultdict(int)
        for indicator in self.indicators:
            totals[indicator.category_id] += 1
            answer = self.answers.get(indicator.pk)
            if answer is not None and answer.is_answered:
                answered[indicator.category_id] += 1
        return _progress(self.categories, answered, totals)


def interview_sheet(interview: Interview) -> InterviewSheet:
    """Queries: the catalogue's categories, its indicators, the interview's answers."""
    categories = list(Category.objects.filter(catalogue=interview.catalogue_id))
    indicators = list(
        Indicator.objects.filter(catalogue=interview.catalogue_id)
        .select_related("cross_check_with")
        .order_by("category__order", "order")
    )
    answers = {a.indicator_id: a for a in Answer.objects.filter(interview=interview)}
    return InterviewSheet(interview, categories, indicators, answers)


def unanswered_codes(interview: Interview) -> list[str]:
    """Codes of the indicators with neither a value nor a reason (two queries)."""
    answered = set(Answer.objects.filter(ANSWERED, interview=interview).values_list("indicator_id", flat=True))
    return [
        code
        for pk, code in Indicator.objects.filter(catalogue=interview.catalogue_id)
        .order_by("category__order", "order")
        .values_list("pk", "code")
        if pk not in answered
    ]


# --- Showing answers ---------------------------------------------------------------------


def format_answer(indicator: Indicator, answer) -> str:
    """An answer (or historical answer) as words, e.g. "120 participants", "Yes", "not disclosed"."""
    if answer is None:
        return ""
    if answer.missing_reason:
        return f"({str(Answer.MissingReason(answer.missing_reason).label).lower()})"
    return kind_of(indicator).format(indicator, answer)


@dataclass
class SummaryRow:
    indicator: Indicator
    answer: Answer | None
    display: str
    proposal: object = None  # the manager's proposal, where shown (selectors.questionnaire.with_proposals)

    @property
    def is_answered(self) -> bool:
        return self.answer is not None and self.answer.is_answered


def interview_summary(sheet: InterviewSheet) -> list[tuple[Category, list[SummaryRow]]]:
    return [
        (
            category,
            [
                SummaryRow(i, sheet.answers.get(i.pk), format_answer(i, sheet.answers.get(i.pk)))
                for i in sheet.indicators_of(category)
            ],
        )
        for category in sheet.categories
    ]
