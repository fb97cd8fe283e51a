"""The Silver and Gold rules (domain.md, "Labels"): each lives here once.

Silver: a second benchmarking 18 to 24 months after the first (settings
ECEI_SILVER_MIN_MONTHS / MAX), three documented areas of improvement and a passed on-site
audit; valid 2 years from the audit. Gold: an assessment by two experts scoring each indicator of
a versioned Gold indicator set (thresholds and weights are data); every indicator at or
above its threshold ("passed") and an overall score (the weighted mean) of at least
ECEI_GOLD_MIN_SCORE percent, both computed; valid 2 years from the assessment.

An audit or assessment is recorded whatever its result (it is a fact of the cluster's
history); a label is awarded only when the rule is met, and the outcome says why not.
"""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from benchmarking.limits import COMMENT_MAX_LENGTH, too_long
from benchmarking.models import (
    GoldAssessment,
    GoldIndicator,
    GoldScore,
    ImprovementArea,
    Indicator,
    Interview,
    Label,
    SilverAudit,
)
from benchmarking.services.dates import add_months
from benchmarking.services.labels import label_award
from clusters.models import Cluster

IMPROVEMENT_AREAS_REQUIRED = 3


class AuditError(Exception):
    """Input the rules cannot record at all (as opposed to a recorded result that earns no label)."""


@dataclass
class Outcome:
    """What was recorded, the label it earned (or None) and, if none, the reasons."""

    record: SilverAudit | GoldAssessment
    label: Label | None
    reasons: list[str] = field(default_factory=list)


def last_two_benchmarkings(cluster: Cluster) -> tuple[Interview | None, Interview | None]:
    """The cluster's last two approved interviews: (previous, latest)."""
    latest_two = list(cluster.interviews.filter(status=Interview.Status.APPROVED).order_by("-date", "-pk")[:2])
    latest = latest_two[0] if latest_two else None
    previous = latest_two[1] if len(latest_two) > 1 else None
    return previous, latest


def silver_window_refusal(first: datetime.date | None, second: datetime.date | None) -> str | None:
    """Why two benchmarkings on these dates do not qualify for Silver, or None when they do."""
    low, high = settings.ECEI_SILVER_MIN_MONTHS, settings.ECEI_SILVER_MAX_MONTHS
    if first is None or second is None:
        return "Silver needs two approved benchmarkings of the cluster."
    if not add_months(first, low) <= second <= add_months(first, high):
        return (
            f"The second benchmarking ({second:%d %b %Y}) must come {low} to {high} months after the first "
            f"({first:%d %b %Y}), that is between {add_months(first, low):%d %b %Y} and "
            f"{add_months(first, high):%d %b %Y}."
        )
    return None


def _silver_refusals(cluster: Cluster, passed: bool) -> list[str]:
    previous, latest = last_two_benchmarkings(cluster)
    refusal = silver_window_refusal(previous and previous.date, latest and latest.date)
    reasons = [refusal] if refusal else []
    if not passed:
        reasons.append("The on-site audit was not passed.")
    return reasons


def silver_audit_date_refusal(cluster: Cluster, audited_on: datetime.date) -> str | None:
    """Why an audit on that day cannot be the cluster's Silver audit, or None.

    The audit follows the second benchmarking (an earlier one would give a Silver label that
    is over before it is awarded) and has taken place (not in the future).
    """
    if audited_on > timezone.localdate():
        return "The audit date cannot be in the future."
    _previous, latest = last_two_benchmarkings(cluster)
    if latest is not None and audited_on < latest.date:
        return (
            f"The audit date must be on or after the latest benchmarking ({latest.date:%d %b %Y}): "
            "Silver rests on the audit that follows the second benchmarking."
        )
    return None


@transaction.atomic
def silver_audit_record(
    *,
    cluster: Cluster,
    auditor: str,
    audited_on: datetime.date,
    passed: bool,
    areas: Sequence[tuple[Indicator, str]],
    user,
) -> Outcome:
    """Record an on-site audit with its three areas of improvement; award Silver if the rule is met."""
    refusal = silver_audit_date_refusal(cluster, audited_on)
    if refusal:
        raise AuditError(refusal)
    indicators = [indicator for indicator, _ in areas]
    if len(areas) != IMPROVEMENT_AREAS_REQUIRED or len(set(indicators)) != IMPROVEMENT_AREAS_REQUIRED:
        raise AuditError(f"Document exactly {IMPROVEMENT_AREAS_REQUIRED} different areas of improvement.")
    if any(not description.strip() for _, description in areas):
        raise AuditError("Describe each area of improvement.")
    for indicator, description in areas:
        refusal = too_long(description.strip(), COMMENT_MAX_LENGTH, f"the description of {indicator.code}")
        if refusal:
            raise AuditError(refusal)
    audit = SilverAudit(cluster=cluster, auditor=auditor, audited_on=audited_on, passed=passed, recorded_by=user)
    audit.full_clean()
    audit._history_user = user
    audit.save()
    ImprovementArea.objects.bulk_create(
        ImprovementArea(audit=audit, indicator=indicator, description=description.strip())
        for indicator, description in areas
    )
    reasons = _silver_refusals(cluster, passed)
    if reasons:
        return Outcome(audit, None, reasons)
    label = _award(cluster, Label.Level.SILVER, audited_on, Label.Source.AUDIT, user, silver_audit=audit)
    return Outcome(audit, label)


@dataclass(frozen=True)
class GoldResult:
    """What the scores per indicator give: the overall score and whether every threshold is met."""

    overall_score: Decimal
    below_threshold: list[GoldIndicator]

    @property
    def passed(self) -> bool:
        return not self.below_threshold


def gold_result(scores: Mapping[GoldIndicator, Decimal]) -> GoldResult:
    """The overall score (the weighted mean of the scores, two decimals) and the indicators below
    their threshold: computed from the scores and the set's data, never typed."""
    total_weight = sum(indicator.weight for indicator in scores)
    weighted = sum(Decimal(score) * indicator.weight for indicator, score in scores.items())
    overall = (weighted / total_weight).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    below = [indicator for indicator, score in scores.items() if Decimal(score) < indicator.threshold]
    return GoldResult(overall, sorted(below, key=lambda i: (i.order, i.code)))


def gold_refusals(result: GoldResult) -> list[str]:
    reasons = []
    if result.overall_score < settings.ECEI_GOLD_MIN_SCORE:
        reasons.append(f"The overall score {result.overall_score}% is below {settings.ECEI_GOLD_MIN_SCORE}%.")
    if result.below_threshold:
        codes = ", ".join(f"{i.code} (threshold {i.threshold.normalize():f}%)" for i in result.below_threshold)
        reasons.append(f"Below their threshold: {codes}.")
    return reasons


def active_gold_indicators() -> list[GoldIndicator]:
    """The indicators of the active Gold set, in order ([] when no set is active)."""
    return list(GoldIndicator.objects.filter(indicator_set__is_active=True).order_by("order", "code"))


def _gold_scores_refusal(scores: Mapping[GoldIndicator, Decimal]) -> str | None:
    sets = {indicator.indicator_set_id for indicator in scores}
    if len(sets) != 1:
        return "Score the indicators of one Gold indicator set."
    expected = set(GoldIndicator.objects.filter(indicator_set_id=sets.pop()).values_list("pk", flat=True))
    if {indicator.pk for indicator in scores} != expected:
        return f"Score every indicator of the set ({len(expected)}), each once."
    if any(not 0 <= Decimal(score) <= 100 for score in scores.values()):
        return "Each score is a percentage between 0 and 100."
    return None


@transaction.atomic
def gold_assessment_record(
    *,
    cluster: Cluster,
    first_assessor: str,
    second_assessor: str,
    assessed_on: datetime.date,
    scores: Mapping[GoldIndicator, Decimal],
    user,
) -> Outcome:
    """Record a Gold assessment by two experts with a score per indicator of a Gold indicator
    set; the overall score and "passed" are computed; Gold is awarded if the rule is met."""
    if first_assessor.strip().casefold() == second_assessor.strip().casefold():
        raise AuditError("A Gold assessment needs two different assessors.")
    if assessed_on > timezone.localdate():
        raise AuditError("The assessment date cannot be in the future.")
    refusal = _gold_scores_refusal(scores) if scores else "Score the indicators of the active Gold indicator set."
    if refusal:
        raise AuditError(refusal)
    result = gold_result(scores)
    assessment = GoldAssessment(
        cluster=cluster,
        indicator_set_id=next(iter(scores)).indicator_set_id,
        first_assessor=first_assessor.strip(),
        second_assessor=second_assessor.strip(),
        assessed_on=assessed_on,
        overall_score=result.overall_score,
        passed=result.passed,
        recorded_by=user,
    )
    assessment.full_clean()
    assessment._history_user = user
    assessment.save()
    GoldScore.objects.bulk_create(
        GoldScore(assessment=assessment, indicator=indicator, score=Decimal(score))
        for indicator, score in scores.items()
    )
    reasons = gold_refusals(result)
    if reasons:
        return Outcome(assessment, None, reasons)
    label = _award(cluster, Label.Level.GOLD, assessed_on, Label.Source.ASSESSMENT, user, gold_assessment=assessment)
    return Outcome(assessment, label)


def _award(cluster, level, day, source, user, **evidence) -> Label:
    return label_award(cluster=cluster, level=level, benchmarked_on=day, source=source, user=user, **evidence)
