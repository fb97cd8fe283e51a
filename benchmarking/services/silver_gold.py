"""Recording a Silver audit and a Gold assessment, and recommending the label they earn.

The rules they apply live in rules/silver.py and rules/gold.py. An audit or assessment is
recorded whatever its result (it is a fact of the cluster's history); a label is recommended to
the EUCLES board only when the rule is met (the board's approval awards it: services/board.py),
and the outcome says why not.
"""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activity import actions
from activity.services import log_action
from benchmarking.models import (
    AuditRecommendation,
    Expert,
    GoldAssessment,
    GoldIndicator,
    GoldScore,
    ImprovementArea,
    Indicator,
    Label,
    LabelRecommendation,
    RequirementCheck,
    SilverAudit,
)
from benchmarking.rules.gold import gold_assessors_refusal, gold_refusals, gold_result, gold_scores_refusal
from benchmarking.rules.silver import (
    Finding,
    audit_report_refusal,
    baseline_refusal,
    findings_refusal,
    improvement_areas_refusal,
    silver_audit_auditor_refusal,
    silver_audit_date_refusal,
    silver_refusals,
)
from benchmarking.services.board import BoardError, label_recommend
from clusters.models import Cluster


class AuditError(Exception):
    """Input the rules cannot record at all (as opposed to a recorded result that earns no label)."""


@dataclass
class Outcome:
    """What was recorded, the label recommended to the EUCLES board (or None) and, if none, the reasons."""

    record: SilverAudit | GoldAssessment
    recommendation: LabelRecommendation | None
    reasons: list[str] = field(default_factory=list)


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
        or findings_refusal(findings)
        or audit_report_refusal(report, recommendations)
        or improvement_areas_refusal(areas)
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
    ) or gold_scores_refusal(scores)
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
