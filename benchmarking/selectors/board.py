"""Reads for the EUCLES board: the recommendations waiting, and the decisions taken."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from benchmarking.models import Label, LabelRecommendation
from benchmarking.rules.eligibility import Criterion, eligibility_of_many
from benchmarking.rules.label_periods import LabelError, LabelTerms
from benchmarking.rules.label_terms import first_label_reason, label_terms

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
class BoardTerms:
    """What approving a pending recommendation would award today, by the label rules: the period,
    the label it renews or why it renews none, or why it cannot be awarded at all."""

    terms: LabelTerms | None
    first_label_reason: str = ""
    refusal: str = ""

    @property
    def over_today(self) -> bool:
        """The label would be over on the decision day (approved, it is published as expired)."""
        return self.terms is not None and self.terms.valid_until < timezone.localdate()


@dataclass(frozen=True)
class BoardRow:
    recommendation: LabelRecommendation
    criteria: list[Criterion]
    terms: BoardTerms | None = None  # pending recommendations only

    @property
    def eligible(self) -> bool:
        return all(c.met for c in self.criteria)


def _terms(recommendation: LabelRecommendation, labels: list[Label]) -> BoardTerms | None:
    if not recommendation.is_pending:
        return None
    level, day = recommendation.level, recommendation.benchmarked_on
    try:
        terms = label_terms(cluster=recommendation.cluster, level=level, benchmarked_on=day, labels=labels)
    except LabelError as exc:
        return BoardTerms(None, refusal=str(exc))
    reason = "" if terms.renews else first_label_reason(labels, level=level, benchmarked_on=day)
    return BoardTerms(terms, first_label_reason=reason)


def with_eligibility(recommendations) -> list[BoardRow]:
    """Each recommendation with the eligibility criteria and, if pending, the terms approval would
    give, in a constant number of queries (the clusters' labels are read once)."""
    recommendations = list(recommendations)
    criteria = eligibility_of_many(recommendations)
    labels = defaultdict(list)
    for label in Label.objects.filter(cluster__in={r.cluster_id for r in recommendations}):
        labels[label.cluster_id].append(label)
    return [BoardRow(r, criteria[r.pk], _terms(r, labels[r.cluster_id])) for r in recommendations]
