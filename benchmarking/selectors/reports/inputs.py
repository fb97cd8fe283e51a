"""What a report is made of, apart from its peers: the interview, its answers, the catalogue's
indicators and active rules, the expert's recommendations and the previous benchmarking.
The rules and the snapshot both read it; it reads neither.

One loader for one report and for many (load_reports_inputs): seed_demo loads 500 reports'
inputs in a few queries, a single issue is a batch of one.
"""

from collections import namedtuple
from dataclasses import dataclass, field

from django.db.models import OuterRef, Q, Subquery

from benchmarking.models import (
    Answer,
    Catalogue,
    ExpertRecommendation,
    Indicator,
    Interview,
    RecommendationRule,
)
from benchmarking.selectors.progress import progress_between
from benchmarking.selectors.reports.peers import ANSWER_FIELDS


@dataclass
class ReportInputs:
    """What a snapshot is made of, apart from the peers: loaded in a fixed number of queries."""

    interview: Interview
    indicators: list[Indicator]
    own_rows: dict[int, dict]  # indicator_id -> answer row
    rules: list[RecommendationRule]
    expert_recommendations: dict[int, str]  # category_id -> text
    previous: Interview | None = None
    changes: list = field(default_factory=list)  # progress.IndicatorChange
    dropped: list = field(default_factory=list)  # (earlier Indicator, its AnswerRow or None)


def catalogue_indicators(catalogue: Catalogue | int) -> list[Indicator]:
    return list(
        Indicator.objects.filter(catalogue=catalogue).select_related("category").order_by("category__order", "order")
    )


def active_rules(catalogue: Catalogue) -> list[RecommendationRule]:
    return list(RecommendationRule.objects.filter(indicator__catalogue=catalogue, is_active=True).order_by("id"))


def earlier_approved_interviews(cluster_id, date, pk):
    """The cluster's approved benchmarkings before the one of `date` and `pk` (values, or
    OuterRefs for many interviews at once), on any catalogue version, the latest first."""
    earlier = Q(date__lt=date) | Q(date=date, pk__lt=pk)
    return Interview.objects.filter(earlier, cluster_id=cluster_id, status=Interview.Status.APPROVED).order_by(
        "-date", "-pk"
    )


# An answer's value columns, read as a row: what formatting and the progress read of an Answer.
AnswerRow = namedtuple("AnswerRow", ANSWER_FIELDS)


def _answer_rows(rows: dict[int, dict]) -> dict[int, AnswerRow]:
    return {pk: AnswerRow(*(row[name] for name in ANSWER_FIELDS)) for pk, row in rows.items()}


def load_report_inputs(interview: Interview, *, indicators: list[Indicator] | None = None, rules=None) -> ReportInputs:
    """Everything but the peers (6 queries, 8 with a previous benchmarking on another version)."""
    return load_reports_inputs([interview.pk], indicators=indicators, rules=rules)[0]


def load_reports_inputs(
    interview_ids: list[int], *, indicators: list[Indicator] | None = None, rules=None, catalogues: dict | None = None
) -> list[ReportInputs]:
    """The inputs of the reports of several interviews on one catalogue version, in the order of
    `interview_ids`, in a fixed number of queries however many: one report, or a batch of
    seed_demo's. `catalogues` keeps each version's indicators from one batch to the next."""
    catalogues = {} if catalogues is None else catalogues
    previous_id = earlier_approved_interviews(OuterRef("cluster_id"), OuterRef("date"), OuterRef("pk")).values("pk")
    interviews = {
        i.pk: i
        for i in Interview.objects.select_related("cluster__portfolio", "expert__user", "catalogue")
        .annotate(previous_id=Subquery(previous_id[:1]))
        .filter(pk__in=interview_ids)
    }
    first = interviews[interview_ids[0]]
    if indicators is None:
        indicators = catalogues.get(first.catalogue_id) or catalogue_indicators(first.catalogue_id)
    catalogues[first.catalogue_id] = indicators
    previous = Interview.objects.in_bulk([i.previous_id for i in interviews.values() if i.previous_id])
    rows = _answers_of(interviews.keys() | previous.keys())
    recommended: dict[int, dict[int, str]] = {pk: {} for pk in interviews}
    for interview_id, category_id, text in ExpertRecommendation.objects.filter(interview_id__in=interviews).values_list(
        "interview_id", "category_id", "text"
    ):
        recommended[interview_id][category_id] = text
    rules = rules if rules is not None else active_rules(first.catalogue)
    inputs = []
    for pk in interview_ids:
        interview = interviews[pk]
        inputs.append(
            ReportInputs(
                interview=interview,
                indicators=indicators,
                own_rows=rows[pk],
                rules=rules,
                expert_recommendations=recommended[pk],
                previous=previous.get(interview.previous_id),
            )
        )
        if inputs[-1].previous is not None:
            _compare_with_previous(inputs[-1], rows, catalogues)
    return inputs


def _compare_with_previous(inputs: ReportInputs, rows: dict[int, dict[int, dict]], catalogues: dict) -> None:
    """The progress since the previous benchmarking, from the loaded answer rows."""
    before = inputs.previous
    if before.catalogue_id not in catalogues:
        catalogues[before.catalogue_id] = catalogue_indicators(before.catalogue_id)
    progress = progress_between(
        catalogues[before.catalogue_id],
        inputs.indicators,
        _answer_rows(rows[before.pk]),
        _answer_rows(rows[inputs.interview.pk]),
    )
    inputs.changes, inputs.dropped = progress.changes, progress.dropped


def _answers_of(interview_ids) -> dict[int, dict[int, dict]]:
    """Each interview's answer rows by indicator id (1 query)."""
    rows: dict[int, dict[int, dict]] = {pk: {} for pk in interview_ids}
    for row in Answer.objects.filter(interview_id__in=list(interview_ids)).values(
        "interview_id", "indicator_id", *ANSWER_FIELDS
    ):
        rows[row["interview_id"]][row["indicator_id"]] = row
    return rows
