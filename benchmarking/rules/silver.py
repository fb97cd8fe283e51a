"""The Silver rules (domain.md, "Labels" and "Corrections and additions"): each lives here once.

A second benchmarking 18 to 24 months after the first (settings ECEI_SILVER_MIN_MONTHS / MAX),
three documented areas of improvement and an on-site audit that checks every requirement of the
"European Cluster Excellence Baseline: Minimum Requirements" (versioned data): one unmet
requirement blocks the label. Silver runs 2 years from the audit and is renewed like Bronze
(rules/label_terms.label_terms). The audit is recorded by services/silver_gold.silver_audit_record.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from benchmarking.limits import COMMENT_MAX_LENGTH, too_long
from benchmarking.models import BaselineRequirement, BaselineRequirementSet, Expert, Indicator, Interview, Label
from benchmarking.rules.dates import add_months
from benchmarking.rules.label_terms import renewal_refusal
from benchmarking.rules.people import silver_auditor_refusal
from clusters.models import Cluster

IMPROVEMENT_AREAS_REQUIRED = 3
AUDIT_RECOMMENDATIONS_MAX = 8


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
        return _("Silver needs two approved benchmarkings of the cluster.")
    if not add_months(first, low) <= second <= add_months(first, high):
        return _(
            "The second benchmarking (%(second)s) must come %(low)s to %(high)s months after the first "
            "(%(first)s), that is between %(earliest)s and %(latest)s."
        ) % {
            "second": date_format(second),
            "first": date_format(first),
            "low": low,
            "high": high,
            "earliest": date_format(add_months(first, low)),
            "latest": date_format(add_months(first, high)),
        }
    return None


# --- The baseline minimum requirements ------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """The auditor's finding on one baseline requirement."""

    requirement: BaselineRequirement
    met: bool
    note: str = ""


def active_baseline_requirements() -> list[BaselineRequirement]:
    """The requirements of the latest published active set, in order ([] when none is active)."""
    current = BaselineRequirementSet.objects.filter(is_active=True).order_by("-published_on", "-pk").first()
    return list(current.requirements.order_by("order", "code")) if current else []


def baseline_refusal(findings: Sequence[Finding]) -> str | None:
    """Why the audit's findings block Silver (one unmet requirement is enough), or None."""
    unmet = [f.requirement.code for f in findings if not f.met]
    if not unmet:
        return None
    return ngettext(
        "A baseline minimum requirement is not met: %(codes)s.",
        "Baseline minimum requirements are not met: %(codes)s.",
        len(unmet),
    ) % {"codes": ", ".join(unmet)}


def findings_refusal(findings: Sequence[Finding]) -> str | None:
    """Why the findings cannot be recorded: every requirement of one set once, a note on each unmet one."""
    sets = {f.requirement.requirement_set_id for f in findings}
    if len(sets) != 1:
        return _("Check the requirements of one set of baseline minimum requirements.")
    expected = set(BaselineRequirement.objects.filter(requirement_set_id=sets.pop()).values_list("pk", flat=True))
    if sorted(f.requirement.pk for f in findings) != sorted(expected):
        return _("Check every baseline requirement of the set (%(n)s), each once.") % {"n": len(expected)}
    for finding in findings:
        if not finding.met and not finding.note.strip():
            return _("Say why requirement %(code)s is not met.") % {"code": finding.requirement.code}
        refusal = too_long(
            finding.note.strip(), COMMENT_MAX_LENGTH, _("the note on %(code)s") % {"code": finding.requirement.code}
        )
        if refusal:
            return refusal
    return None


def audit_report_refusal(report: str, recommendations: Sequence[str]) -> str | None:
    if not report.strip():
        return _("Write the audit report.")
    if not recommendations:
        return _("Give at least one recommendation of the audit report.")
    if len(recommendations) > AUDIT_RECOMMENDATIONS_MAX:
        return _("Give at most %(n)s recommendations.") % {"n": AUDIT_RECOMMENDATIONS_MAX}
    for n, text in enumerate([report, *recommendations]):
        what = _("recommendation %(n)s") % {"n": n} if n else _("the audit report")
        refusal = too_long(text, COMMENT_MAX_LENGTH, what)
        if refusal:
            return refusal
    return None


def improvement_areas_refusal(areas: Sequence[tuple[Indicator, str]]) -> str | None:
    indicators = [indicator for indicator, _description in areas]
    if len(areas) != IMPROVEMENT_AREAS_REQUIRED or len(set(indicators)) != IMPROVEMENT_AREAS_REQUIRED:
        return _("Document exactly %(n)s different areas of improvement.") % {"n": IMPROVEMENT_AREAS_REQUIRED}
    if any(not description.strip() for _indicator, description in areas):
        return _("Describe each area of improvement.")
    for indicator, description in areas:
        refusal = too_long(
            description.strip(), COMMENT_MAX_LENGTH, _("the description of %(code)s") % {"code": indicator.code}
        )
        if refusal:
            return refusal
    return None


def silver_refusals(cluster: Cluster, audited_on: datetime.date, findings: Sequence[Finding]) -> list[str]:
    """Why a recorded audit earns no Silver label: the benchmarking window, an unmet baseline
    requirement, or a Silver label already renewed beyond the audit's day. Empty: it earns one."""
    previous, latest = last_two_benchmarkings(cluster)
    refusals = [
        silver_window_refusal(previous and previous.date, latest and latest.date),
        baseline_refusal(findings),
        renewal_refusal(cluster=cluster, benchmarked_on=audited_on, level=Label.Level.SILVER),
    ]
    return [refusal for refusal in refusals if refusal]


def silver_audit_date_refusal(cluster: Cluster, audited_on: datetime.date) -> str | None:
    """Why an audit on that day cannot be the cluster's Silver audit, or None.

    The audit follows the second benchmarking (an earlier one would give a Silver label that
    is over before it is awarded) and has taken place (not in the future).
    """
    if audited_on > timezone.localdate():
        return _("The audit date cannot be in the future.")
    _previous, latest = last_two_benchmarkings(cluster)
    if latest is not None and audited_on < latest.date:
        return _(
            "The audit date must be on or after the latest benchmarking (%(date)s): "
            "Silver rests on the audit that follows the second benchmarking."
        ) % {"date": date_format(latest.date)}
    return None


def silver_audit_auditor_refusal(*, cluster: Cluster, auditor: Expert, audited_on: datetime.date) -> str | None:
    """Why `auditor` may not be the cluster's Silver auditor on `audited_on`, or None (the people
    rules: accredited that day, no conflict of interest, not the expert of either benchmarking)."""
    benchmarkings = [interview for interview in last_two_benchmarkings(cluster) if interview is not None]
    return silver_auditor_refusal(expert=auditor, cluster=cluster, day=audited_on, benchmarkings=benchmarkings)
