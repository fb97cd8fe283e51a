"""The Silver and Gold rules (domain.md, "Labels"): each lives here once.

Silver: a second benchmarking 18 to 24 months after the first (settings
ECEI_SILVER_MIN_MONTHS / MAX), three documented areas of improvement and a passed on-site
audit; valid 2 years from the audit. Gold: an assessment by two experts, every quality
indicator above its threshold ("passed") and an overall score of at least
ECEI_GOLD_MIN_SCORE percent; valid 2 years from the assessment.

An audit or assessment is recorded whatever its result (it is a fact of the cluster's
history); a label is awarded only when the rule is met, and the outcome says why not.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from benchmarking.limits import COMMENT_MAX_LENGTH, too_long
from benchmarking.models import GoldAssessment, ImprovementArea, Indicator, Interview, Label, SilverAudit
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


def gold_refusals(*, overall_score: Decimal, passed: bool) -> list[str]:
    reasons = []
    if overall_score < settings.ECEI_GOLD_MIN_SCORE:
        reasons.append(f"The overall score {overall_score}% is below {settings.ECEI_GOLD_MIN_SCORE}%.")
    if not passed:
        reasons.append("Not every quality indicator is above its threshold.")
    return reasons


@transaction.atomic
def gold_assessment_record(
    *,
    cluster: Cluster,
    first_assessor: str,
    second_assessor: str,
    assessed_on: datetime.date,
    overall_score: Decimal,
    passed: bool,
    user,
) -> Outcome:
    """Record a Gold assessment by two experts; award Gold if score and thresholds are met."""
    if first_assessor.strip().casefold() == second_assessor.strip().casefold():
        raise AuditError("A Gold assessment needs two different assessors.")
    assessment = GoldAssessment(
        cluster=cluster,
        first_assessor=first_assessor.strip(),
        second_assessor=second_assessor.strip(),
        assessed_on=assessed_on,
        overall_score=overall_score,
        passed=passed,
        recorded_by=user,
    )
    assessment.full_clean()
    assessment._history_user = user
    assessment.save()
    reasons = gold_refusals(overall_score=Decimal(overall_score), passed=passed)
    if reasons:
        return Outcome(assessment, None, reasons)
    label = _award(cluster, Label.Level.GOLD, assessed_on, Label.Source.ASSESSMENT, user, gold_assessment=assessment)
    return Outcome(assessment, label)


def _award(cluster, level, day, source, user, **evidence) -> Label:
    return label_award(cluster=cluster, level=level, benchmarked_on=day, source=source, user=user, **evidence)
