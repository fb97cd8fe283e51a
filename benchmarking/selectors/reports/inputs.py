"""What a report is made of, apart from its peers: the interview, its answers, the catalogue's
indicators and active rules, the expert's recommendations and the previous benchmarking.
The rules and the snapshot both read it; it reads neither."""

from dataclasses import dataclass, field

from django.db.models import Q

from benchmarking.models import (
    Answer,
    Catalogue,
    ExpertRecommendation,
    Indicator,
    Interview,
    RecommendationRule,
)
from benchmarking.selectors.progress import interview_progress
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
    dropped: list = field(default_factory=list)  # (earlier Indicator, its Answer or None)


def catalogue_indicators(catalogue: Catalogue) -> list[Indicator]:
    return list(
        Indicator.objects.filter(catalogue=catalogue).select_related("category").order_by("category__order", "order")
    )


def active_rules(catalogue: Catalogue) -> list[RecommendationRule]:
    return list(RecommendationRule.objects.filter(indicator__catalogue=catalogue, is_active=True).order_by("id"))


def previous_approved_interview(interview: Interview) -> Interview | None:
    """The cluster's approved benchmarking before this one, on any catalogue version."""
    earlier = Q(date__lt=interview.date) | Q(date=interview.date, pk__lt=interview.pk)
    return (
        Interview.objects.filter(earlier, cluster_id=interview.cluster_id, status=Interview.Status.APPROVED)
        .order_by("-date", "-pk")
        .first()
    )


def load_report_inputs(interview: Interview, *, indicators: list[Indicator] | None = None, rules=None) -> ReportInputs:
    """Everything but the peers (7 queries, 10 with a previous benchmarking)."""
    interview = Interview.objects.select_related("cluster__portfolio", "expert__user", "catalogue").get(pk=interview.pk)
    indicators = indicators if indicators is not None else catalogue_indicators(interview.catalogue)
    own_rows = {
        row["indicator_id"]: row
        for row in Answer.objects.filter(interview=interview).values("interview_id", "indicator_id", *ANSWER_FIELDS)
    }
    previous = previous_approved_interview(interview)
    progress = interview_progress(previous, interview) if previous else None
    return ReportInputs(
        interview=interview,
        indicators=indicators,
        own_rows=own_rows,
        rules=rules if rules is not None else active_rules(interview.catalogue),
        expert_recommendations=dict(
            ExpertRecommendation.objects.filter(interview=interview).values_list("category_id", "text")
        ),
        previous=previous,
        changes=progress.changes if progress else [],
        dropped=progress.dropped if progress else [],
    )
