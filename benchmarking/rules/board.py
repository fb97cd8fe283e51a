"""The EUCLES board's rules (domain.md, "EUCLES awards the labels"): who may decide on a
recommendation, on which day, what one line of a batch needs, and whether the evidence behind
a recommendation can carry a label. The decisions themselves are services/board.py.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from benchmarking.limits import REASON_MAX_LENGTH, too_long
from benchmarking.models import LabelRecommendation
from benchmarking.permissions import is_board_member
from benchmarking.rules.eligibility import eligibility_refusal
from benchmarking.rules.people import accreditation_refusal, board_member_refusals, experts_behind

MEETING_MAX_LENGTH = 120


# --- What is behind a recommendation -----------------------------------------------------------


def evidence_refusal(recommendation: LabelRecommendation) -> str | None:
    """Why the evidence cannot carry a label (an expert not accredited that day, eligibility)."""
    for expert, day in experts_behind(recommendation):
        refusal = accreditation_refusal(expert=expert, day=day)
        if refusal:
            return refusal
    return eligibility_refusal(cluster=recommendation.cluster, interview=recommendation.interview)


# --- Deciding ---------------------------------------------------------------------------------


def board_decision_refusals(*, user, recommendations, day: datetime.date | None = None) -> dict[int, str]:
    """Why `user` may not decide on `day` (default today) on each recommendation (by pk; those they
    may decide on are left out): the people rules (rules/people.board_member_refusals)."""
    recommendations = list(recommendations)
    if not is_board_member(user):
        return {r.pk: _("Only members of the EUCLES board decide on labels.") for r in recommendations}
    return board_member_refusals(user=user, recommendations=recommendations, day=day or timezone.localdate())


def board_decision_refusal(
    *, user, recommendation: LabelRecommendation, day: datetime.date | None = None
) -> str | None:
    """Why `user` may not decide on `recommendation` on `day` (default today), or None when they may."""
    return board_decision_refusals(user=user, recommendations=[recommendation], day=day).get(recommendation.pk)


@dataclass(frozen=True)
class Decision:
    """One line of a batch: a recommendation, approved or not, and the board's note."""

    recommendation: LabelRecommendation
    approve: bool
    note: str = ""


def meeting_refusals(*, decided_on: datetime.date | None, meeting: str) -> dict[str, str]:
    refusals = {}
    if decided_on is None:
        refusals["decided_on"] = _("Give the date of the board's decision.")
    elif decided_on > timezone.localdate():
        refusals["decided_on"] = _("The decision date cannot be in the future.")
    if not meeting.strip():
        refusals["meeting"] = _("Name the board meeting (its name or reference).")
    elif len(meeting.strip()) > MEETING_MAX_LENGTH:
        refusals["meeting"] = _("At most %(limit)d characters.") % {"limit": MEETING_MAX_LENGTH}
    return refusals


def decision_refusal(*, user, decision: Decision, decided_on: datetime.date) -> str | None:
    """Why this one decision cannot be taken, or None: the rules of one line of a batch."""
    recommendation = decision.recommendation
    if not recommendation.is_pending:
        return _("This recommendation is no longer waiting for the board (%(status)s).") % {
            "status": recommendation.get_status_display().lower()
        }
    refusal = board_decision_refusal(user=user, recommendation=recommendation, day=decided_on)
    if refusal:
        return refusal
    recommended_on = timezone.localdate(recommendation.recommended_at)  # the site's day, not UTC's
    if decided_on < recommended_on:
        return _("The board cannot decide before the recommendation (%(day)s).") % {"day": date_format(recommended_on)}
    if not decision.approve and not decision.note.strip():
        return _("Say why the board declines: the reason is kept with the decision.")
    if decision.note.strip():
        refusal = too_long(decision.note.strip(), REASON_MAX_LENGTH, _("the note"))
        if refusal:
            return refusal
    return evidence_refusal(recommendation) if decision.approve else None
