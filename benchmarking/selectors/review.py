"""Reads for the secretariat's review: the queue, eligibility and the label approval would create."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from benchmarking.models import Answer, Interview, Label
from benchmarking.services.labels import label_terms, next_label_code, renewal_refusal

# ECCP's own listing criteria (domain.md, "Eligibility since November 2019").
MIN_FTE = Decimal("0.5")
MIN_PARTICIPANTS = 15
MIN_KINDS_OF_PARTICIPANTS = 2
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


# --- Eligibility ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    """One eligibility criterion, with the value it was judged on, in words."""

    name: str
    met: bool
    judged_on: str


def _answers_by_code(interview: Interview, codes: list[str]) -> dict[str, Answer]:
    answers = Answer.objects.filter(interview=interview, indicator__code__in=codes).select_related("indicator")
    return {a.indicator.code: a for a in answers}


def _number_criterion(name: str, answer: Answer | None, minimum, unit: str) -> Criterion:
    if answer is None or answer.number is None:
        return Criterion(name, False, "no value given")
    value = answer.number.normalize()
    return Criterion(name, answer.number >= minimum, f"{value:f} {unit}")


def _kinds_criterion(answer: Answer | None) -> Criterion:
    name = f"At least {MIN_KINDS_OF_PARTICIPANTS} kinds of participants (A5)"
    if answer is None or not answer.parts:
        return Criterion(name, False, "no value given")
    kinds = [part for part, count in answer.parts.items() if count and Decimal(str(count)) > 0]
    judged_on = f"{len(kinds)}: {', '.join(kinds)}" if kinds else "none"
    return Criterion(name, len(kinds) >= MIN_KINDS_OF_PARTICIPANTS, judged_on)


def eligibility(interview: Interview) -> list[Criterion]:
    """The Bronze eligibility criteria, each met or not, as the reviewer sees them."""
    answers = _answers_by_code(interview, ["A4", "A5", "B4"])
    profile = interview.cluster.eccp_profile_url
    return [
        Criterion("Listed on the European Cluster Collaboration Platform", bool(profile), profile or "no ECCP profile"),
        _number_criterion(
            f"At least {MIN_FTE} full-time equivalents of management staff (B4)", answers.get("B4"), MIN_FTE, "FTE"
        ),
        _number_criterion(
            f"At least {MIN_PARTICIPANTS} committed participants (A4)",
            answers.get("A4"),
            MIN_PARTICIPANTS,
            "participants",
        ),
        _kinds_criterion(answers.get("A5")),
    ]


def is_eligible(interview: Interview) -> bool:
    return all(c.met for c in eligibility(interview))


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

    @property
    def level_display(self) -> str:
        return Label.Level(self.level).label


def approval_preview(interview: Interview) -> LabelPreview:
    """What approving `interview` would award, by the rules in services/labels.py."""
    existing = interview.labels.order_by("-pk").first()
    if existing is not None:
        return LabelPreview(
            existing.level, existing.code, existing.valid_from, existing.valid_until, existing.renews, existing
        )
    level = Label.Level.BRONZE
    refusal = renewal_refusal(cluster=interview.cluster, benchmarked_on=interview.date)
    if refusal:
        return LabelPreview(level, "", None, None, None, refusal=refusal)
    terms = label_terms(cluster=interview.cluster, level=level, benchmarked_on=interview.date)
    code = next_label_code(cluster=interview.cluster, level=level, benchmarked_on=interview.date)
    return LabelPreview(level, code, terms.valid_from, terms.valid_until, terms.renews)
