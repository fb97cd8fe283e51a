"""Undoing a decision of the EUCLES board taken in error (domain.md, "EUCLES awards the labels").

The secretariat undoes it with a reason (`board_decision_undo`): an approval's label is withdrawn
through the label service, and the recommendation waits for the board again, which is told.
The decisions themselves are services/board.py.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from activity import actions
from activity.services import changes, log_action
from benchmarking.limits import REASON_MAX_LENGTH, too_long
from benchmarking.models import LabelRecommendation
from benchmarking.permissions import is_secretariat
from benchmarking.rules.label_terms import LabelError
from benchmarking.services.board import BoardError
from benchmarking.services.labels import label_withdraw, label_withdraw_refusal
from benchmarking.services.notifications import notify_award_undone, notify_board


def board_decision_undo_refusal(*, user, recommendation: LabelRecommendation) -> str | None:
    """Why `user` may not undo the board's decision on `recommendation`, or None."""
    if not is_secretariat(user):
        return _("Only the ECEI secretariat undoes a decision of the board.")
    if recommendation.status not in (LabelRecommendation.Status.APPROVED, LabelRecommendation.Status.DECLINED):
        return _("The board has not decided on this recommendation: there is nothing to undo.")
    label = recommendation.label
    if label is not None and label.status == label.Status.WITHDRAWN:
        return _("Its label %(code)s has been withdrawn since: the decision can no longer be undone.") % {
            "code": label.code
        }
    # Undoing an approval withdraws its label: where no withdrawal is possible, no undo is.
    refusal = label_withdraw_refusal(label=label) if label is not None else None
    if refusal:
        return refusal
    if label is not None and label.renewals.exists():
        return _("A later label renews %(code)s: the decision can no longer be undone.") % {"code": label.code}
    if (
        recommendation.interview_id
        and recommendation.interview.label_recommendations.filter(status=LabelRecommendation.Status.PENDING).exists()
    ):
        return _("The interview has another recommendation waiting for the board.")
    return None


@transaction.atomic
def board_decision_undo(*, recommendation: LabelRecommendation, reason: str, user) -> LabelRecommendation:
    """Undo the board's decision: an approval's label is withdrawn (label service, with the
    reason), and the recommendation waits for the board again, which is told. The reason is
    kept as the recommendation's note and in its history."""
    recommendation = (
        LabelRecommendation.objects.select_for_update(of=("self",))
        .select_related("label", "interview")
        .get(pk=recommendation.pk)
    )
    refusal = board_decision_undo_refusal(user=user, recommendation=recommendation)
    if refusal is None and not reason.strip():
        refusal = _("Say why the decision is undone: the reason is kept with the recommendation.")
    refusal = refusal or too_long(reason.strip(), REASON_MAX_LENGTH, _("the reason"))
    if refusal:
        raise BoardError(refusal)
    reason = reason.strip()
    if recommendation.label is not None:
        try:
            label_withdraw(label=recommendation.label, reason=reason, user=user)
        except LabelError as exc:
            raise BoardError(str(exc)) from exc
        notify_award_undone(recommendation)  # rendered now, while it still has its label and day
    previous = recommendation.get_status_display()
    before = {
        "status": recommendation.status,
        "label": recommendation.label.code if recommendation.label else None,
        "decided_on": recommendation.decided_on,
        "meeting": recommendation.meeting,
    }
    recommendation.status = LabelRecommendation.Status.PENDING
    recommendation.label = None
    recommendation.decided_on = None
    recommendation.meeting = ""
    recommendation.decided_by = None
    recommendation.decided_at = None
    recommendation.decision_note = reason
    recommendation._history_user = user
    recommendation._change_reason = f"Decision undone ({previous}): {reason}"[:100]
    recommendation.full_clean()
    recommendation.save()
    after = {"status": recommendation.status, "label": None, "decided_on": None, "meeting": ""}
    log_action(
        action=actions.BOARD_DECISION_UNDONE,
        obj=recommendation,
        user=user,
        data={"changes": changes(before, after)},
        reason=reason,
    )
    notify_board(recommendation)
    return recommendation
