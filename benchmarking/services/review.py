"""The secretariat's decisions on a submitted interview: approve, return, reject, reopen.

Each decision locks the interview row, checks that the transition is allowed, bumps
`Interview.version` with F("version") + 1 (the expert's capture uses the version for
optimistic locking, so a page opened before the decision can no longer save), and
records who decided and why in the interview's history.

Approving recommends the interview's Bronze label to the EUCLES board (services/board.py):
the label exists once the board approves it.

Reopening (our decision, see README): an approved interview goes back to the review
queue ("submitted") and the label it earned is suspended with the same reason, because
the evidence behind it is being looked at again; a recommendation still waiting for the
board is withdrawn. Approving it again reinstates that same label (no second label, no new
code) or, if the board had not approved one, recommends afresh; rejecting it withdraws the
label.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from activity import actions
from activity.services import log_action
from benchmarking.limits import COMMENT_MAX_LENGTH, REASON_MAX_LENGTH, too_long
from benchmarking.models import Answer, Interview, Label, LabelRecommendation, ReviewComment
from benchmarking.permissions import is_secretariat
from benchmarking.rules.eligibility import eligibility_refusal
from benchmarking.rules.label_terms import renewal_refusal
from benchmarking.rules.people import reviewer_refusal
from benchmarking.services.board import BoardError, label_recommend, recommendation_withdraw
from benchmarking.services.labels import (
    label_reinstate,
    label_suspend,
    label_suspend_refusal,
    label_withdraw,
    label_withdraw_refusal,
)
from benchmarking.services.notifications import notify_decision
from ecei_site.tasks import enqueue_with_transaction


class ReviewError(Exception):
    """A decision the rules do not allow; the message says why, in words."""


def _lock(interview: Interview, *, allowed: set[str], expected_version: int | None) -> Interview:
    """The interview row, locked until the end of the transaction, if the decision may be taken."""
    locked = Interview.objects.select_for_update().select_related("cluster", "expert__user").get(pk=interview.pk)
    if locked.status not in allowed:
        raise ReviewError(
            _("This interview is %(status)s; that decision is not possible.")
            % {"status": locked.get_status_display().lower()}
        )
    if expected_version is not None and locked.version != expected_version:
        raise ReviewError(
            _(
                "This interview changed since you opened the page (someone else may have decided on it). "
                "Reload the page and check again."
            )
        )
    return locked


def _require_reviewer(user, interview: Interview) -> None:
    if not is_secretariat(user):
        raise ReviewError(_("Only the secretariat decides on interviews."))
    refusal = reviewer_refusal(user=user, interview=interview)
    if refusal:
        raise ReviewError(refusal)


def _decide(
    interview: Interview, *, status: str, user, reason: str, action: str, log: dict | None = None, **fields
) -> Interview:
    """Bump the version in SQL, then save the decision with its history entry and its action.

    The history's reason is a record and stays as written (English for the system's own
    words, the reviewer's language for theirs); messages to the reader are translated.
    `log` is the action's reason and data beside the change of status, logged whole."""
    before = interview.status
    Interview.objects.filter(pk=interview.pk).update(version=F("version") + 1)
    interview.refresh_from_db(fields=["version"])
    interview.status = status
    interview.decided_at = timezone.now()
    interview.decided_by = user
    for name, value in fields.items():
        setattr(interview, name, value)
    interview._history_user = user
    interview._change_reason = reason[:100]
    interview.full_clean()
    interview.save()
    log = log or {}
    log_action(
        action=action,
        obj=interview,
        user=user,
        data={
            "changes": {"status": {"old": before, "new": status}},
            "version": interview.version,
            **log.get("data", {}),
        },
        reason=log.get("reason", ""),
    )
    return interview


def _required(text: str, *, missing: str, what: str, limit: int = REASON_MAX_LENGTH) -> str:
    """`text` stripped; `missing` says what to give when it is empty, `what` names it when too long."""
    if not text or not text.strip():
        raise ReviewError(missing)
    refusal = too_long(text.strip(), limit, what)
    if refusal:
        raise ReviewError(refusal)
    return text.strip()


# --- Approve ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Approval:
    """What approving an interview did besides locking it and asking for its report: it
    recommended a label to the EUCLES board, or reinstated the label it had earned before
    it was reopened (the board decided on that one already)."""

    recommendation: LabelRecommendation | None = None
    reinstated: Label | None = None


@transaction.atomic
def interview_approve(*, interview: Interview, user, expected_version: int | None = None) -> Approval:
    """Approve a submitted interview, lock it, issue its report and recommend its Bronze label
    to the EUCLES board (or reinstate the label a reopened interview had earned)."""
    locked = _lock(interview, allowed={Interview.Status.SUBMITTED}, expected_version=expected_version)
    _require_reviewer(user, locked)
    existing = locked.labels.order_by("-pk").first()
    refusal = eligibility_refusal(cluster=locked.cluster, interview=locked) or (
        None if existing else renewal_refusal(cluster=locked.cluster, benchmarked_on=locked.date)
    )
    if refusal:
        raise ReviewError(refusal)
    _decide(
        locked,
        status=Interview.Status.APPROVED,
        user=user,
        reason="Approved",
        action=actions.INTERVIEW_APPROVED,
        decision_reason="",
    )
    recommendation = reinstated = None
    if existing is not None:
        if existing.status == Label.Status.SUSPENDED:
            label_reinstate(label=existing, reason="The reopened interview was approved again.", user=user)
        reinstated = existing
    else:
        try:
            recommendation = label_recommend(
                cluster=locked.cluster,
                level=Label.Level.BRONZE,
                source=Label.Source.INTERVIEW,
                benchmarked_on=locked.date,
                interview=locked,
                user=user,
            )
        except BoardError as exc:
            raise ReviewError(str(exc)) from exc
    # The report follows in the worker (benchmarking/tasks.py), asked for in this transaction:
    # the task first brings the cluster's peer values up to date (a refresh that costs most of
    # this request's budget at 10,000 clusters), so the report compares with the peers as they
    # stand after this approval; then it is issued, mailed, its PDF rendered before anyone asks.
    # A later re-approval issues a new version.
    from benchmarking.tasks import approved_report_issue  # the tasks module imports these services

    enqueue_with_transaction(approved_report_issue, locked.pk, locked.version, user.pk)
    interview.refresh_from_db()
    return Approval(recommendation, reinstated)


# --- Return -----------------------------------------------------------------------------------


def _set_answer_comments(interview: Interview, comments: Mapping[str, str], user) -> None:
    """The reviewer's comment per indicator code; comments of an earlier return are cleared.

    Recorded as comments (ReviewComment, with their author), not in the answers' history:
    a comment is no change of the expert's answer.
    """
    for code, text in comments.items():
        refusal = too_long((text or "").strip(), COMMENT_MAX_LENGTH, _("the comment on %(code)s") % {"code": code})
        if refusal:
            raise ReviewError(refusal)
    changed = []
    for answer in Answer.objects.filter(interview=interview).select_related("indicator"):
        text = (comments.get(answer.indicator.code) or "").strip()
        if answer.review_comment != text:
            answer.review_comment = text
            changed.append(answer)
    if changed:
        Answer.objects.bulk_update(changed, ["review_comment"])
        ReviewComment.objects.bulk_create(
            ReviewComment(interview=interview, indicator=a.indicator, text=a.review_comment, author=user)
            for a in changed
        )


@transaction.atomic
def interview_return(
    *,
    interview: Interview,
    user,
    comment: str,
    answer_comments: Mapping[str, str] | None = None,
    expected_version: int | None = None,
) -> Interview:
    """Send a submitted interview back to its expert with a general comment and per-indicator ones."""
    comment = _required(
        comment,
        missing=_("Give a comment for the expert: it is kept in the interview's history."),
        what=_("the comment"),
        limit=COMMENT_MAX_LENGTH,
    )
    locked = _lock(interview, allowed={Interview.Status.SUBMITTED}, expected_version=expected_version)
    _require_reviewer(user, locked)
    _set_answer_comments(locked, answer_comments or {}, user)
    comments = {code: text.strip() for code, text in (answer_comments or {}).items() if (text or "").strip()}
    _decide(
        locked,
        status=Interview.Status.RETURNED,
        user=user,
        reason="Returned to the expert",
        action=actions.INTERVIEW_RETURNED,
        log={"reason": comment, "data": {"comments": comments} if comments else {}},
        review_comment=comment,
    )
    notify_decision(locked, template="emails/interview_returned.txt")
    interview.refresh_from_db()
    return locked


# --- Reject ----------------------------------------------------------------------------------


@transaction.atomic
def interview_reject(*, interview: Interview, user, reason: str, expected_version: int | None = None) -> Interview:
    """Reject a submitted interview for good; a label it had earned before reopening is withdrawn."""
    reason = _required(reason, missing=_("Give a reason: it is kept in the interview's history."), what=_("the reason"))
    locked = _lock(interview, allowed={Interview.Status.SUBMITTED}, expected_version=expected_version)
    _require_reviewer(user, locked)
    _decide(
        locked,
        status=Interview.Status.REJECTED,
        user=user,
        reason="Rejected",
        action=actions.INTERVIEW_REJECTED,
        log={"reason": reason},
        decision_reason=reason,
    )
    # A label over for good (past its renewal year) stays in the record as expired.
    for label in locked.labels.exclude(status=Label.Status.WITHDRAWN):
        if label_withdraw_refusal(label=label) is None:
            label_withdraw(label=label, reason=f"The interview behind it was rejected: {reason}", user=user)
    recommendation_withdraw(interview=locked, reason=f"The interview behind it was rejected: {reason}", user=user)
    notify_decision(locked, template="emails/interview_rejected.txt")
    interview.refresh_from_db()
    return locked


# --- Reopen ----------------------------------------------------------------------------------


@transaction.atomic
def interview_reopen(*, interview: Interview, user, reason: str, expected_version: int | None = None) -> Interview:
    """Put an approved interview back in the review queue and suspend the label it earned."""
    reason = _required(reason, missing=_("Give a reason: it is kept in the interview's history."), what=_("the reason"))
    if not is_secretariat(user):
        raise ReviewError(_("Only the secretariat reopens interviews."))
    locked = _lock(interview, allowed={Interview.Status.APPROVED}, expected_version=expected_version)
    _decide(
        locked,
        status=Interview.Status.SUBMITTED,
        user=user,
        reason="Reopened",
        action=actions.INTERVIEW_REOPENED,
        log={"reason": reason},
        decision_reason=reason,
    )
    # No longer a peer (an earlier approved one may be again): the worker refreshes its peer
    # values, as after an approval; the report of a re-approval catches up first if it comes sooner.
    from benchmarking.tasks import peer_values_update  # the tasks module imports these services

    enqueue_with_transaction(peer_values_update, [locked.cluster_id])
    # An expired label is valid no more: there is nothing to suspend.
    for label in locked.labels.filter(status=Label.Status.ACTIVE):
        if label_suspend_refusal(label=label) is None:
            label_suspend(label=label, reason=f"The interview behind it was reopened: {reason}", user=user)
    recommendation_withdraw(interview=locked, reason=f"The interview behind it was reopened: {reason}", user=user)
    interview.refresh_from_db()
    return locked
