"""The EUCLES board's decisions (domain.md, "EUCLES awards the labels").

An award has two steps. The secretariat recommends a label (`label_recommend`: the approval
of an interview, a passed Silver audit, a passed Gold assessment); the board then decides on
the recommendations in batches, at a meeting (`board_decide`). Only an approval creates the
label (through `label_award`, so its code, terms and label facts follow the one set of
rules); its award date is the board's decision date, its validity still runs from the
benchmarking date (rules/label_terms.label_terms). A declined recommendation creates nothing.

Four eyes: nobody decides on a benchmarking they conducted, reviewed, returned or commented
on, nor on a cluster they declared a conflict of interest with (`board_decision_refusal`, by
the people rules of rules/people.py). Every recommendation and decision is kept in the history.

The board's decisions commute (domain.md): the labels that follow from a set of
recommendations do not depend on the order in which the board decides them, one by one or
in a batch. Terms follow the chronology of the benchmarkings (rules/label_terms.py, "The
benchmarking chronology"): an earlier benchmarking approved after a later one re-bases the
later label on it; a benchmarking that would renew a period renewed already by an earlier one,
approved or waiting, is refused whatever the order. A batch is decided declines first, then
approvals oldest benchmarking first, whatever the order of its lines.

A decision taken in error is undone by the secretariat, with a reason (services/board_undo.py).
The rules a decision follows are rules/board.py.
"""

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activity import actions
from activity.services import log_action
from benchmarking.models import Interview, LabelRecommendation
from benchmarking.rules.board import Decision, decision_refusal, evidence_refusal, meeting_refusals
from benchmarking.rules.label_periods import LabelError
from benchmarking.services.labels import label_award
from benchmarking.services.notifications import notify_board, notify_board_decided
from clusters.models import Cluster


class BoardError(Exception):
    """A recommendation or decision the rules do not allow; the message says why, in words."""


# --- Recommending ---------------------------------------------------------------------------


def label_recommend(
    *,
    cluster: Cluster,
    level: str,
    source: str,
    benchmarked_on: datetime.date,
    user,
    interview: Interview | None = None,
    silver_audit=None,
    gold_assessment=None,
    recommended_at: datetime.datetime | None = None,
) -> LabelRecommendation:
    """Recommend a label to the EUCLES board: the one way every level goes towards a label.

    Runs inside the caller's transaction (the approval, the audit, the assessment), so a
    refusal leaves nothing half-saved. The board members are e-mailed once it commits.
    `recommended_at` is now, unless a past history is being written (services/bulk.py,
    seed_demo): the board cannot decide before it (decision_refusal), so a history whose
    board met in the past needs its recommendations dated then.
    """
    if recommended_at is not None and recommended_at > timezone.now():
        raise BoardError(_("A recommendation cannot be dated in the future."))
    recommendation = LabelRecommendation(
        cluster=cluster,
        level=level,
        source=source,
        benchmarked_on=benchmarked_on,
        interview=interview,
        silver_audit=silver_audit,
        gold_assessment=gold_assessment,
        recommended_by=user,
        recommended_at=recommended_at or timezone.now(),
    )
    refusal = evidence_refusal(recommendation)
    if refusal:
        raise BoardError(refusal)
    recommendation.full_clean()
    recommendation._history_user = user
    recommendation._change_reason = "Recommended to the board"
    recommendation.save()
    log_action(
        action=actions.BOARD_RECOMMENDED,
        obj=recommendation,
        user=user,
        data={"level": level, "source": source, "benchmarked_on": benchmarked_on},
    )
    notify_board(recommendation)
    return recommendation


def recommendation_withdraw(*, interview: Interview, reason: str, user) -> None:
    """The interview behind a pending recommendation was reopened or rejected: the board no
    longer decides on it (a later approval recommends afresh)."""
    for recommendation in interview.label_recommendations.filter(status=LabelRecommendation.Status.PENDING):
        recommendation.status = LabelRecommendation.Status.WITHDRAWN
        recommendation.decision_note = reason
        recommendation._history_user = user
        recommendation._change_reason = reason[:100]
        recommendation.full_clean()
        recommendation.save()
        log_action(
            action=actions.BOARD_RECOMMENDATION_WITHDRAWN,
            obj=recommendation,
            user=user,
            data={"changes": {"status": {"old": LabelRecommendation.Status.PENDING, "new": recommendation.status}}},
            reason=reason,
        )


# --- Deciding --------------------------------------------------------------------------------


def _lock(decisions: Sequence[Decision]) -> list[Decision]:
    """The recommendations' rows, locked until the end of the transaction, fresh from the database."""
    rows = (
        LabelRecommendation.objects.select_for_update(of=("self",))
        .select_related(
            "cluster",
            "interview__expert__user",
            "silver_audit__auditor__user",
            "gold_assessment",
            "recommended_by__profile",
        )
        .in_bulk([d.recommendation.pk for d in decisions])
    )
    return [Decision(rows[d.recommendation.pk], d.approve, d.note) for d in decisions]


def _decide_one(decision: Decision, *, decided_on: datetime.date, meeting: str, user) -> LabelRecommendation:
    recommendation = decision.recommendation
    if decision.approve:
        try:
            recommendation.label = label_award(
                cluster=recommendation.cluster,
                level=recommendation.level,
                benchmarked_on=recommendation.benchmarked_on,
                source=recommendation.source,
                user=user,
                interview=recommendation.interview,
                silver_audit=recommendation.silver_audit,
                gold_assessment=recommendation.gold_assessment,
                awarded_on=decided_on,
                data={"recommendation": recommendation.pk, "meeting": meeting, "decided_on": decided_on},
                recommendation=recommendation,
            )
        except LabelError as exc:
            raise BoardError(str(exc)) from exc
    recommendation.status = (
        LabelRecommendation.Status.APPROVED if decision.approve else LabelRecommendation.Status.DECLINED
    )
    recommendation.decided_on = decided_on
    recommendation.meeting = meeting
    recommendation.decision_note = decision.note.strip()
    recommendation.decided_by = user
    recommendation.decided_at = timezone.now()
    recommendation._history_user = user
    recommendation._change_reason = f"{recommendation.get_status_display()}: {meeting}"[:100]
    recommendation.full_clean()
    recommendation.save()
    log_action(
        action=actions.BOARD_DECIDED,
        obj=recommendation,
        user=user,
        data={
            "decision": recommendation.status,
            "meeting": meeting,
            "decided_on": decided_on,
            "level": recommendation.level,
            "label": recommendation.label.code if recommendation.label else None,
        },
        reason=recommendation.decision_note,
    )
    notify_board_decided(recommendation)  # sent once the whole batch commits
    return recommendation


class BatchRefused(BoardError):
    """Some decisions of a batch were refused; nothing of the batch was saved."""

    def __init__(self, *, meeting: dict[str, str], lines: dict[int, str]):
        self.meeting = meeting
        self.lines = lines  # recommendation pk -> why
        messages = list(meeting.values()) + list(lines.values())
        super().__init__(" ".join(messages))


@transaction.atomic
def board_decide(
    *, decisions: Sequence[Decision], decided_on: datetime.date | None, meeting: str, user
) -> list[LabelRecommendation]:
    """The board's decisions of one meeting: each recommendation approved (its label is
    awarded, dated `decided_on`) or declined. All or nothing: a refused line refuses the batch,
    each refusal named, so that a meeting's minutes are never recorded half."""
    refused = meeting_refusals(decided_on=decided_on, meeting=meeting)
    if not decisions:
        refused.setdefault("decisions", _("Choose approve or decline for at least one recommendation."))
    if refused:
        raise BatchRefused(meeting=refused, lines={})
    locked = _lock(decisions)
    lines = {}
    for decision in locked:
        refusal = decision_refusal(user=user, decision=decision, decided_on=decided_on)
        if refusal:
            lines[decision.recommendation.pk] = refusal
    if lines:
        raise BatchRefused(meeting={}, lines=lines)
    decided = {}
    for decision in sorted(locked, key=_chronological):
        try:
            decided[decision.recommendation.pk] = _decide_one(
                decision, decided_on=decided_on, meeting=meeting.strip(), user=user
            )
        except BoardError as exc:
            raise BatchRefused(meeting={}, lines={decision.recommendation.pk: str(exc)}) from exc
    return [decided[decision.recommendation.pk] for decision in locked]


def _chronological(decision: Decision) -> tuple:
    """A batch is decided in one order whatever the order of its lines: the declines first (they
    take their benchmarkings out of the chronology), then the approvals oldest benchmarking first
    (so a later label is awarded on the earlier one, not re-based on it)."""
    recommendation = decision.recommendation
    return (decision.approve, recommendation.benchmarked_on, recommendation.pk)


def board_decide_one(
    *, recommendation: LabelRecommendation, approve: bool, decided_on, meeting: str, user, note: str = ""
) -> LabelRecommendation:
    """One decision: a batch of one."""
    return board_decide(
        decisions=[Decision(recommendation, approve, note)], decided_on=decided_on, meeting=meeting, user=user
    )[0]
