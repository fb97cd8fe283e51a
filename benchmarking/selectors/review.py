"""Reads for the secretariat's review: the queue and the label approval would create (eligibility:
rules/eligibility.py)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from benchmarking.models import Interview, Label
from benchmarking.rules.label_codes import next_label_code
from benchmarking.rules.label_terms import first_label_reason, label_terms, renewal_refusal

RECENTLY_DECIDED_DAYS = 90


def _with_warning_count(interviews: QuerySet[Interview]) -> QuerySet[Interview]:
    """One query whatever the number of rows: the count is an annotation, not a loop."""
    return interviews.select_related("cluster", "expert__user").annotate(
        accepted_warning_count=Count("answers", filter=~Q(answers__accepted_warnings=[]))
    )


def review_queue() -> QuerySet[Interview]:
    """Submitted interviews, the longest waiting first."""
    return _with_warning_count(Interview.objects.filter(status=Interview.Status.SUBMITTED)).order_by(
        "submitted_at", "pk"
    )


def recently_decided(today: datetime.date | None = None) -> QuerySet[Interview]:
    """Interviews waiting with their expert, and those approved or rejected lately."""
    since = (today or timezone.localdate()) - datetime.timedelta(days=RECENTLY_DECIDED_DAYS)
    decided = Q(status__in=[Interview.Status.APPROVED, Interview.Status.REJECTED], decided_at__date__gte=since)
    return _with_warning_count(Interview.objects.filter(Q(status=Interview.Status.RETURNED) | decided)).order_by(
        "-decided_at", "-pk"
    )


# --- The label approval would create -------------------------------------------------------


@dataclass(frozen=True)
class LabelPreview:
    level: str
    code: str
    valid_from: datetime.date | None
    valid_until: datetime.date | None
    renews: Label | None
    existing: Label | None = None  # a reopened interview keeps the label it already earned
    refusal: str | None = None  # why approval would be refused (the renewal rule)
    first_label_reason: str = ""  # why it renews nothing, in words (rules/label_terms.first_label_reason)

    @property
    def level_display(self) -> str:
        return Label.Level(self.level).label


def approval_preview(interview: Interview) -> LabelPreview:
    """What approving `interview` would award, by the rules in rules/label_terms.py and rules/label_codes.py."""
    existing = interview.labels.order_by("-pk").first()
    if existing is not None:
        return LabelPreview(
            existing.level, existing.code, existing.valid_from, existing.valid_until, existing.renews, existing
        )
    level = Label.Level.BRONZE
    refusal = renewal_refusal(cluster=interview.cluster, benchmarked_on=interview.date)
    if refusal:
        return LabelPreview(level, "", None, None, None, refusal=refusal)
    labels = list(interview.cluster.labels.filter(level=level))
    terms = label_terms(cluster=interview.cluster, level=level, benchmarked_on=interview.date, labels=labels)
    code = next_label_code(cluster=interview.cluster, level=level, benchmarked_on=interview.date)
    reason = "" if terms.renews else first_label_reason(labels, level=level, benchmarked_on=interview.date)
    return LabelPreview(level, code, terms.valid_from, terms.valid_until, terms.renews, first_label_reason=reason)
