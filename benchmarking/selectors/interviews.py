"""Reads for interview capture: access, progress, the summary and the change history.

Every function here costs a fixed number of queries, whatever the number of indicators.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from benchmarking.kinds import kind_of
from benchmarking.models import Answer, Category, Indicator, Interview, ManagerInvitation, ReviewComment
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


# --- History -----------------------------------------------------------------------------


@dataclass
class Change:
    when: object
    who: str
    indicator: str
    field: str
    old: str
    new: str
    source: str = ""  # of a new value: the manager's proposal confirmed or changed, or the expert's (issue 16)


ANSWER_DIFF_FIELDS = {
    "missing_reason": gettext_lazy("reason"),
    "comment": gettext_lazy("comment"),
    "accepted_warnings": gettext_lazy("accepted warnings"),
}
INTERVIEW_DIFF_FIELDS = {
    "status": gettext_lazy("status"),
    "review_comment": gettext_lazy("reviewer's comment"),
    "date": gettext_lazy("interview date"),
    "interviewee_name": gettext_lazy("interviewee"),
    "interviewee_role": gettext_lazy("interviewee's role"),
    "mode": gettext_lazy("mode"),
}


def _who(record) -> str:
    user = record.history_user
    if user is None:
        return _("system")
    return user.get_full_name() or user.get_username()


def _answer_field_text(record, name: str) -> str:
    if record is None:
        return ""
    value = getattr(record, name)
    if name == "missing_reason":
        return Answer.MissingReason(value).label if value else ""
    if name == "accepted_warnings":
        return " / ".join(value or [])
    return value or ""


def _answer_changes(records) -> list[Change]:
    changes, previous = [], {}
    for record in records:
        before = previous.get(record.id)
        indicator = record.indicator
        # A reason is shown as its own field, so "value" compares values only.
        pairs = [
            (
                gettext_lazy("value"),
                "" if before is None or before.missing_reason else format_answer(indicator, before),
                "" if record.missing_reason else format_answer(indicator, record),
            )
        ] + [
            (label, _answer_field_text(before, name), _answer_field_text(record, name))
            for name, label in ANSWER_DIFF_FIELDS.items()
        ]
        who = _who(record)
        source = Answer.Source(record.source).label if record.source else ""
        for label, old, new in pairs:
            if old != new:
                changes.append(Change(record.history_date, who, indicator.code, label, old, new, source))
        if not any(old != new for _label, old, new in pairs) and before is not None and before.source != record.source:
            old_source = Answer.Source(before.source).label if before.source else ""
            changes.append(Change(record.history_date, who, indicator.code, gettext_lazy("source"), old_source, source))
        previous[record.id] = record
    return changes


def _display(record, name: str) -> str:
    if record is None:
        return ""
    method = getattr(record, f"get_{name}_display", None)
    return str(method() if method else getattr(record, name))


def _interview_changes(records) -> list[Change]:
    changes, before = [], None
    for record in records:
        for name, label in INTERVIEW_DIFF_FIELDS.items():
            old, new = _display(before, name), _display(record, name)
            if old != new:
                changes.append(Change(record.history_date, _who(record), _("Interview"), label, old, new))
        before = record
    return changes


def _comment_changes(comments) -> list[Change]:
    """The reviewer's comments on answers, each a change of the comment, not of the answer."""
    changes, before = [], {}
    for comment in comments:
        code = comment.indicator.code
        who = comment.author.get_full_name() or comment.author.get_username()
        label = INTERVIEW_DIFF_FIELDS["review_comment"]
        changes.append(Change(comment.written_at, who, code, label, before.get(code, ""), comment.text))
        before[code] = comment.text
    return changes


# The events of the manager's invitation (issue 16): a date column set or changed.
INVITATION_EVENTS = {
    "sent_at": gettext_lazy("invitation sent"),
    "accepted_at": gettext_lazy("invitation accepted"),
    "revoked_at": gettext_lazy("invitation revoked"),
    "ready_at": gettext_lazy("ready for the interview"),
}


def _invitation_changes(records) -> list[Change]:
    """The manager's invitation: sent (again), accepted, revoked, marked ready; never its token."""
    changes, previous = [], {}
    for record in records:
        before = previous.get(record.id)
        for name, label in INVITATION_EVENTS.items():
            if getattr(record, name) is not None and (before is None or getattr(before, name) != getattr(record, name)):
                who = record.manager if name in ("accepted_at", "ready_at") and record.manager else None
                new = record.email if who is None else (who.get_full_name() or who.get_username())
                changes.append(Change(record.history_date, _who(record), _("Manager's questionnaire"), label, "", new))
        previous[record.id] = record
    return changes


def interview_history(interview: Interview) -> list[Change]:
    """Every change to the interview, its answers, the reviewer's comments and the manager's
    invitation, newest first (four queries)."""
    answer_records = (
        Answer.history.filter(interview_id=interview.pk)
        .select_related("indicator", "history_user")
        .order_by("history_date", "history_id")
    )
    interview_records = (
        Interview.history.filter(id=interview.pk).select_related("history_user").order_by("history_date", "history_id")
    )
    comments = ReviewComment.objects.filter(interview=interview).select_related("indicator", "author")
    invitation_records = (
        ManagerInvitation.history.filter(interview_id=interview.pk)
        .select_related("history_user", "manager")
        .order_by("history_date", "history_id")
    )
    changes = (
        _answer_changes(answer_records)
        + _interview_changes(interview_records)
        + _comment_changes(comments)
        + _invitation_changes(invitation_records)
    )
    changes.sort(key=lambda c: c.when, reverse=True)
    return changes
