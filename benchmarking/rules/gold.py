"""The Gold rules (domain.md, "Labels" and "Gold thresholds"): each lives here once.

An assessment by two accredited experts scoring each indicator of a versioned Gold indicator set
(thresholds and weights are data); every indicator at or above its threshold ("passed") and an
overall score (the weighted mean) of at least ECEI_GOLD_MIN_SCORE percent, both computed; valid
2 years from the assessment. Recorded by services/silver_gold.gold_assessment_record.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from benchmarking.models import Expert, GoldIndicator
from benchmarking.rules.people import gold_assessor_refusal
from clusters.models import Cluster


@dataclass(frozen=True)
class GoldResult:
    """What the scores per indicator give: the overall score and whether every threshold is met.

    The overall score is the weighted mean of the scores, kept as its two exact sums: every
    comparison is made on them, unrounded (domain.md, "Gold thresholds": 79.995 % is below 80 %).
    Only `shown_score` is rounded, for the record and the screens.
    """

    weighted_sum: Decimal
    total_weight: Decimal
    below_threshold: list[GoldIndicator]

    @property
    def passed(self) -> bool:
        return not self.below_threshold

    @property
    def overall_score(self) -> Decimal:
        """The weighted mean, to Decimal's 28 significant digits (for reading, not for comparing)."""
        return self.weighted_sum / self.total_weight

    def reaches(self, minimum) -> bool:
        """Whether the overall score is at least `minimum` percent, compared without dividing or rounding."""
        return self.weighted_sum >= Decimal(minimum) * self.total_weight

    def shown_score(self, minimum) -> Decimal:
        """The overall score as recorded and shown: two places, rounded half up, except that a
        score below `minimum` is never shown as reaching it (79.995 shows as 79.99, not 80.00)."""
        shown = self.overall_score.quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)
        if shown >= Decimal(minimum) and not self.reaches(minimum):
            return self.overall_score.quantize(SCORE_PLACES, rounding=ROUND_DOWN)
        return shown


SCORE_PLACES = Decimal("0.01")


def gold_result(scores: Mapping[GoldIndicator, Decimal]) -> GoldResult:
    """The overall score (the weighted mean of the scores) and the indicators below their
    threshold (at the threshold reaches it): computed from the scores and the set's data, never typed."""
    total_weight = sum((Decimal(indicator.weight) for indicator in scores), Decimal(0))
    weighted = sum((Decimal(score) * indicator.weight for indicator, score in scores.items()), Decimal(0))
    below = [indicator for indicator, score in scores.items() if Decimal(score) < indicator.threshold]
    return GoldResult(weighted, total_weight, sorted(below, key=lambda i: (i.order, i.code)))


def gold_refusals(result: GoldResult) -> list[str]:
    reasons = []
    minimum = settings.ECEI_GOLD_MIN_SCORE
    if not result.reaches(minimum):
        reasons.append(
            _("The overall score %(score)s%% is below %(minimum)s%%.")
            % {"score": result.shown_score(minimum), "minimum": minimum}
        )
    if result.below_threshold:
        codes = ", ".join(f"{i.code} ({i.threshold.normalize():f}%)" for i in result.below_threshold)
        reasons.append(_("Below their threshold: %(codes)s.") % {"codes": codes})
    return reasons


def active_gold_indicators() -> list[GoldIndicator]:
    """The indicators of the active Gold set, in order ([] when no set is active)."""
    return list(GoldIndicator.objects.filter(indicator_set__is_active=True).order_by("order", "code"))


def gold_scores_refusal(scores: Mapping[GoldIndicator, Decimal]) -> str | None:
    if not scores:
        return _("Score the indicators of the active Gold indicator set.")
    sets = {indicator.indicator_set_id for indicator in scores}
    if len(sets) != 1:
        return _("Score the indicators of one Gold indicator set.")
    expected = set(GoldIndicator.objects.filter(indicator_set_id=sets.pop()).values_list("pk", flat=True))
    if {indicator.pk for indicator in scores} != expected:
        return _("Score every indicator of the set (%(n)s), each once.") % {"n": len(expected)}
    if any(not 0 <= Decimal(score) <= 100 for score in scores.values()):
        return _("Each score is a percentage between 0 and 100.")
    return None


def gold_assessors_refusal(*, first: Expert, second: Expert, cluster: Cluster, day: datetime.date) -> str | None:
    """Why these two experts cannot be the assessors of a Gold assessment on `day`, or None."""
    if first.pk == second.pk:
        return _("A Gold assessment needs two different assessors.")
    return gold_assessor_refusal(expert=first, cluster=cluster, day=day) or gold_assessor_refusal(
        expert=second, cluster=cluster, day=day
    )
