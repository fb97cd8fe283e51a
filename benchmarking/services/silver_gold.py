"""The Silver and Gold rules (domain.md, "Labels" and "Corrections and additions"): each lives here once.

Silver: a second benchmarking 18 to 24 months after the first (settings
ECEI_SILVER_MIN_MONTHS / MAX), three documented areas of improvement and an on-site audit
that checks every requirement of the "European Cluster Excellence Baseline: Minimum
Requirements" (versioned data): one unmet requirement blocks the label. The auditor's report
and recommendations are stored with the audit. Silver runs 2 years from the audit and is
renewed like Bronze (services/labels.label_terms). Gold: an assessment by two accredited
experts scoring each indicator of a versioned Gold indicator set (thresholds and weights are
data); every indicator at or above its threshold ("passed") and an overall score (the
weighted mean) of at least ECEI_GOLD_MIN_SCORE percent, both computed; valid 2 years from
the assessment.

An audit or assessment is recorded whatever its result (it is a fact of the cluster's
history); a label is recommended to the EUCLES board only when the rule is met (the board's
approval awards it: services/board.py), and the outcome says why not.
"""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from activity import actions
from activity.services import log_action
from benchmarking.limits import COMMENT_MAX_LENGTH, too_long
from benchmarking.models import (
    AuditRecommendation,
    BaselineRequirement,
    BaselineRequirementSet,
    Expert,
    GoldAssessment,
    GoldIndicator,
    GoldScore,
    ImprovementArea,
    Indicator,
    Interview,
    Label,
    LabelRecommendation,
    RequirementCheck,
    SilverAudit,
)
from benchmarking.services.board import BoardError, label_recommend
from benchmarking.services.dates import add_months
from benchmarking.services.labels import renewal_refusal
from benchmarking.services.people import gold_assessor_refusal, silver_auditor_refusal
from clusters.models import Cluster

IMPROVEMENT_AREAS_REQUIRED = 3
AUDIT_RECOMMENDATIONS_MAX = 8


class AuditError(Exception):
    """Input the rules cannot record at all (as opposed to a recorded result that earns no label)."""


@dataclass
class Outcome:
    """What was recorded, the label recommended to the EUCLES board (or None) and, if none, the reasons."""

    record: SilverAudit | GoldAssessment
    recommendation: LabelRecommendation | None
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


def _findings_refusal(findings: Sequence[Finding]) -> str | None:
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


def _report_refusal(report: str, recommendations: Sequence[str]) -> str | None:
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


def _areas_refusal(areas: Sequence[tuple[Indicator, str]]) -> str | None:
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


@transaction.atomic
def silver_audit_record(
    *,
    cluster: Cluster,
    auditor: Expert,
    audited_on: datetime.date,
    findings: Sequence[Finding],
    report: str,
    recommendations: Sequence[str],
    areas: Sequence[tuple[Indicator, str]],
    user,
    recorded_at: datetime.datetime | None = None,
) -> Outcome:
    """Record an on-site audit by an accredited expert: its finding on each baseline requirement,
    its report with the recommendations and the three areas of improvement; award Silver if the
    rule is met. `recorded_at`: when the secretariat recorded it and recommended the label (now,
    unless a past history is being written: seed_demo's board met in the past)."""
    recommendations = [text.strip() for text in recommendations if text.strip()]
    refusal = (
        silver_audit_date_refusal(cluster, audited_on)
        or silver_audit_auditor_refusal(cluster=cluster, auditor=auditor, audited_on=audited_on)
        or _findings_refusal(findings)
        or _report_refusal(report, recommendations)
        or _areas_refusal(areas)
    )
    if refusal:
        raise AuditError(refusal)
    audit = SilverAudit(
        cluster=cluster,
        auditor=auditor,
        audited_on=audited_on,
        passed=baseline_refusal(findings) is None,
        requirement_set_id=findings[0].requirement.requirement_set_id,
        report=report.strip(),
        recorded_by=user,
    )
    audit.full_clean()
    audit._history_user = user
    audit.save()
    RequirementCheck.objects.bulk_create(
        RequirementCheck(audit=audit, requirement=f.requirement, met=f.met, note=f.note.strip()) for f in findings
    )
    AuditRecommendation.objects.bulk_create(
        AuditRecommendation(audit=audit, order=n, text=text) for n, text in enumerate(recommendations, 1)
    )
    ImprovementArea.objects.bulk_create(
        ImprovementArea(audit=audit, indicator=indicator, description=description.strip())
        for indicator, description in areas
    )
    reasons = silver_refusals(cluster, audited_on, findings)
    log_action(
        action=actions.SILVER_AUDIT_RECORDED,
        obj=audit,
        user=user,
        data={"date": audited_on, "auditor": audit.auditor_display, "passed": audit.passed, "no_label": reasons},
    )
    if reasons:
        return Outcome(audit, None, reasons)
    return _recommend(
        audit, Label.Level.SILVER, audited_on, Label.Source.AUDIT, user, silver_audit=audit, recommended_at=recorded_at
    )


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


def _gold_scores_refusal(scores: Mapping[GoldIndicator, Decimal]) -> str | None:
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


@transaction.atomic
def gold_assessment_record(
    *,
    cluster: Cluster,
    first_assessor: Expert,
    second_assessor: Expert,
    assessed_on: datetime.date,
    scores: Mapping[GoldIndicator, Decimal],
    user,
) -> Outcome:
    """Record a Gold assessment by two accredited experts with a score per indicator of a Gold
    indicator set; the overall score and "passed" are computed; Gold is awarded if the rule is met."""
    if assessed_on > timezone.localdate():
        raise AuditError(_("The assessment date cannot be in the future."))
    refusal = gold_assessors_refusal(
        first=first_assessor, second=second_assessor, cluster=cluster, day=assessed_on
    ) or _gold_scores_refusal(scores)
    if refusal:
        raise AuditError(refusal)
    result = gold_result(scores)
    assessment = GoldAssessment(
        cluster=cluster,
        indicator_set_id=next(iter(scores)).indicator_set_id,
        first_assessor=first_assessor,
        second_assessor=second_assessor,
        assessed_on=assessed_on,
        overall_score=result.shown_score(settings.ECEI_GOLD_MIN_SCORE),
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
    log_action(
        action=actions.GOLD_ASSESSMENT_RECORDED,
        obj=assessment,
        user=user,
        data={
            "date": assessed_on,
            "assessors": [str(first_assessor), str(second_assessor)],
            "overall_score": result.overall_score,
            "passed": result.passed,
            "no_label": reasons,
        },
    )
    if reasons:
        return Outcome(assessment, None, reasons)
    return _recommend(
        assessment, Label.Level.GOLD, assessed_on, Label.Source.ASSESSMENT, user, gold_assessment=assessment
    )


def _recommend(record, level, day, source, user, **evidence) -> Outcome:
    """Recommend the label to the EUCLES board (services/board.py); the record stands either way."""
    try:
        recommendation = label_recommend(
            cluster=record.cluster, level=level, benchmarked_on=day, source=source, user=user, **evidence
        )
    except BoardError as exc:
        return Outcome(record, None, [str(exc)])
    return Outcome(record, recommendation)
