"""Reads for the EUCLES board: the recommendations waiting, and the decisions taken."""

from dataclasses import dataclass

from django.db.models import QuerySet

from benchmarking.models import LabelRecommendation
from benchmarking.selectors.eligibility import Criterion, eligibility_of_many

RECENT_DECISIONS = 50


def _recommendations() -> QuerySet[LabelRecommendation]:
    return LabelRecommendation.objects.select_related(
        "cluster",
        "interview__expert__user",
        "interview__catalogue",
        "silver_audit__auditor__user",
        "gold_assessment__first_assessor__user",
        "gold_assessment__second_assessor__user",
        "recommended_by",
        "decided_by",
        "label",
    )


def pending_recommendations() -> QuerySet[LabelRecommendation]:
    """The recommendations waiting for the board, the longest waiting first."""
    return _recommendations().filter(status=LabelRecommendation.Status.PENDING).order_by("recommended_at", "pk")


def recent_decisions() -> QuerySet[LabelRecommendation]:
    """The board's latest decisions, newest first."""
    return (
        _recommendations()
        .filter(status__in=[LabelRecommendation.Status.APPROVED, LabelRecommendation.Status.DECLINED])
        .order_by("-decided_on", "-decided_at", "-pk")[:RECENT_DECISIONS]
    )


def declined_recommendations(cluster) -> QuerySet[LabelRecommendation]:
    """The board's declines of the cluster's recommendations, newest first: they have no label to
    show them, and a Silver or Gold one no interview page either (where the undo is offered)."""
    return (
        cluster.label_recommendations.filter(status=LabelRecommendation.Status.DECLINED)
        .select_related("interview")
        .order_by("-decided_on", "-decided_at", "-pk")
    )


def recommendation_for_board(pk) -> LabelRecommendation:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(_recommendations(), pk=pk)


@dataclass(frozen=True)
class BoardRow:
    recommendation: LabelRecommendation
    criteria: list[Criterion]

    @property
    def eligible(self) -> bool:
        return all(c.met for c in self.criteria)


def with_eligibility(recommendations) -> list[BoardRow]:
    """Each recommendation with the eligibility criteria, judged in a constant number of queries."""
    recommendations = list(recommendations)
    criteria = eligibility_of_many(recommendations)
    return [BoardRow(r, criteria[r.pk]) for r in recommendations]
