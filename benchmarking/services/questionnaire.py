"""The questionnaire in advance (issue 16): the expert invites the cluster's manager, the
manager proposes answers, the expert confirms or changes them during the interview.

The invitation link carries a random token; only its SHA-256 hash is stored, so a copy of
the database opens no questionnaire. Proposals live apart from answers (Proposal): nothing
the manager types reaches submission, statistics or reports until the expert saves it as
an answer, which then records its source (services.interviews.answer_source).
"""

import datetime
import hashlib
import secrets
from collections.abc import Mapping

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.usernames import username_for_email
from activity import actions
from activity.services import log_action
from benchmarking.models import Indicator, Interview, ManagerInvitation, Proposal
from benchmarking.permissions import is_own_interview
from benchmarking.services.interviews import InterviewError, NotEditableError, StaleVersionError, write_values
from benchmarking.services.notifications import notify_invitation, notify_ready


class QuestionnaireError(InterviewError):
    """An invitation or questionnaire operation the rules do not allow; the message says why."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def _expiry(now: datetime.datetime) -> datetime.datetime:
    return now + datetime.timedelta(days=settings.ECEI_INVITATION_VALID_DAYS)


def _save(invitation: ManagerInvitation, user) -> None:
    invitation.full_clean()
    invitation._history_user = user
    invitation.save()


def _log(action: str, invitation: ManagerInvitation, user, **data) -> None:
    """An invitation's action, on its interview's timeline (the invitation has no page of its own)."""
    log_action(action=action, obj=invitation.interview, user=user, data={"email": invitation.email, **data})


# --- The expert's side: invite, resend, revoke -------------------------------------------------


def invitation_refusal(*, interview: Interview, user) -> str | None:
    """Why `user` may not invite (or resend, or revoke) for `interview`, or None."""
    if not is_own_interview(user, interview):
        return _("Only the interview's expert invites the cluster's manager.")
    if interview.status != Interview.Status.DRAFT:
        return _("The interview has been submitted: the manager can no longer fill in its questionnaire.")
    return None


def _require_inviter(interview: Interview, user) -> None:
    refusal = invitation_refusal(interview=interview, user=user)
    if refusal:
        raise QuestionnaireError(refusal)


def _lock(invitation: ManagerInvitation) -> ManagerInvitation:
    return ManagerInvitation.objects.select_for_update().select_related("interview__expert").get(pk=invitation.pk)


@transaction.atomic
def invitation_send(*, interview: Interview, email: str, language: str, user) -> ManagerInvitation:
    """Invite `email` to pre-fill `interview`'s questionnaire; the link is e-mailed on commit."""
    _require_inviter(interview, user)
    Interview.objects.select_for_update().filter(pk=interview.pk).first()  # one invitation at a time
    if ManagerInvitation.objects.filter(interview=interview, revoked_at__isnull=True).exists():
        raise QuestionnaireError(_("This interview already has an invitation: resend or revoke it."))
    token, hashed = _new_token()
    now = timezone.now()
    invitation = ManagerInvitation(
        interview=interview, email=email.strip(), language=language, token_hash=hashed,
        expires_at=_expiry(now), invited_by=user, created_at=now, sent_at=now,
    )  # fmt: skip
    _save(invitation, user)
    _log(actions.MANAGER_INVITED, invitation, user, language=language)
    notify_invitation(invitation, token)
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: ManagerInvitation, user) -> ManagerInvitation:
    """A new link with a new expiry; the old link stops working at once."""
    invitation = _lock(invitation)
    _require_inviter(invitation.interview, user)
    if invitation.is_revoked:
        raise QuestionnaireError(_("This invitation was revoked; invite the manager again."))
    if invitation.is_accepted:
        raise QuestionnaireError(_("The manager has already accepted this invitation."))
    token, invitation.token_hash = _new_token()
    invitation.sent_at = timezone.now()
    invitation.expires_at = _expiry(invitation.sent_at)
    _save(invitation, user)
    _log(actions.MANAGER_INVITATION_RESENT, invitation, user, expires_at=invitation.expires_at)
    notify_invitation(invitation, token)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: ManagerInvitation, user) -> ManagerInvitation:
    """The link stops working and an accepted manager loses the questionnaire; proposals stay."""
    invitation = _lock(invitation)
    if not is_own_interview(user, invitation.interview):
        raise QuestionnaireError(_("Only the interview's expert invites the cluster's manager."))
    if invitation.is_revoked:
        raise QuestionnaireError(_("This invitation has already been revoked."))
    invitation.revoked_at = timezone.now()
    _save(invitation, user)
    _log(actions.MANAGER_INVITATION_REVOKED, invitation, user)
    return invitation


# --- The link -------------------------------------------------------------------------------


def invitation_link_refusal(invitation: ManagerInvitation | None, now: datetime.datetime | None = None) -> str | None:
    """Why the link of `invitation` (None: no invitation has this token) cannot be used, or None."""
    if invitation is None:
        return _("This link is not valid. Check that you copied the whole address from the e-mail.")
    if invitation.is_revoked:
        return _("This invitation has been withdrawn by the expert. Ask them for a new one if needed.")
    if invitation.is_accepted:
        return _("This invitation has already been used. Log in to open the questionnaire.")
    if invitation.interview.status != Interview.Status.DRAFT:
        return _("The interview has been submitted: its questionnaire can no longer be filled in.")
    if invitation.is_expired(now):
        return _("This invitation has expired. Ask the expert to send it again.")
    return None


def same_address(first: str, second: str) -> bool:
    """E-mail addresses compared as people type them: case and surrounding spaces aside."""
    return first.strip().lower() == second.strip().lower()


def invitation_addressee_refusal(*, invitation: ManagerInvitation, user) -> str | None:
    """Why `user` may not take up `invitation`, or None: an invitation belongs to the person it
    was sent to, so only an account with the invited e-mail address accepts it."""
    if same_address(user.email or "", invitation.email):
        return None
    return _(
        "This invitation was sent to another e-mail address than your account's. Log out, then open "
        "the link again to log in or create an account with the invited address."
    )


def invitation_for_token(token: str) -> ManagerInvitation | None:
    return (
        ManagerInvitation.objects.select_related("interview__cluster", "interview__expert__user")
        .filter(token_hash=token_hash(token))
        .first()
    )


@transaction.atomic
def invitation_accept(*, invitation: ManagerInvitation, user, account_created: bool = False) -> ManagerInvitation:
    """Link `user` to the invitation's interview and make them a manager of its cluster."""
    invitation = _lock(invitation)
    refusal = invitation_link_refusal(invitation) or invitation_addressee_refusal(invitation=invitation, user=user)
    if refusal:
        raise QuestionnaireError(refusal)
    if is_own_interview(user, invitation.interview):
        raise QuestionnaireError(_("You are this interview's expert: the invitation is for the cluster's manager."))
    invitation.manager = user
    invitation.accepted_at = timezone.now()
    _save(invitation, user)
    _make_cluster_manager(invitation, user)
    _log(actions.MANAGER_JOINED, invitation, user, account_created=account_created)
    return invitation


def _make_cluster_manager(invitation: ManagerInvitation, user) -> None:
    """The invited manager manages the cluster: they read its reports once issued (My cluster).
    The cluster's history records the change (who, when, why); revoking the invitation later
    takes the questionnaire away, not the cluster (the secretariat removes a manager in the admin)."""
    cluster = invitation.interview.cluster
    if cluster.managers.filter(pk=user.pk).exists():
        return
    cluster._history_user = user
    cluster._change_reason = f"Manager by invitation to interview {invitation.interview_id}"
    cluster.managers.add(user)


# --- The manager's side: proposals and "ready" -----------------------------------------------


def manager_may_edit(invitation: ManagerInvitation) -> bool:
    """The manager proposes while the interview is a draft and the invitation stands."""
    return not invitation.is_revoked and invitation.interview.status == Interview.Status.DRAFT


def _claim_proposal_version(*, invitation: ManagerInvitation, expected_version: int) -> int:
    """As services.interviews.claim_version, for the manager's proposals."""
    claimed = ManagerInvitation.objects.filter(
        pk=invitation.pk, version=expected_version, revoked_at__isnull=True, interview__status=Interview.Status.DRAFT
    ).update(version=F("version") + 1)
    if claimed:
        return expected_version + 1
    current = ManagerInvitation.objects.values("version", "revoked_at", "interview__status").get(pk=invitation.pk)
    if current["revoked_at"] is not None or current["interview__status"] != Interview.Status.DRAFT:
        raise NotEditableError(_("The questionnaire can no longer be changed."))
    raise StaleVersionError(expected=expected_version, current=current["version"])


@transaction.atomic
def proposals_save_step(
    *, invitation: ManagerInvitation, expected_version: int, values: Mapping[Indicator, Mapping], user
) -> int:
    """Write the manager's proposals (Answer columns per indicator); return the new version."""
    new_version = _claim_proposal_version(invitation=invitation, expected_version=expected_version)
    written = write_values(Proposal, interview=invitation.interview, values=values, user=user)
    invitation.version = new_version
    if written:
        _log(actions.MANAGER_PROPOSALS_SAVED, invitation, user, indicators=written)
    return new_version


@transaction.atomic
def questionnaire_mark_ready(*, invitation: ManagerInvitation, user) -> ManagerInvitation:
    """The manager says the questionnaire is ready for the interview; the expert is told."""
    invitation = _lock(invitation)
    if invitation.manager_id != user.pk or not manager_may_edit(invitation):
        raise QuestionnaireError(_("The questionnaire can no longer be changed."))
    if invitation.ready_at is None:
        invitation.ready_at = timezone.now()
        _save(invitation, user)
        _log(actions.MANAGER_QUESTIONNAIRE_READY, invitation, user)
        notify_ready(invitation)
    return invitation


@transaction.atomic
def manager_account_create(*, invitation: ManagerInvitation, first_name: str, last_name: str, password: str):
    """A new account for the invited manager, linked to the invitation's interview in the same
    transaction. Its e-mail is the invitation's address; its user name the address too where
    the user name rules allow, else the nearest free valid name (accounts.usernames)."""
    invitation = _lock(invitation)  # two submissions of one link: the second finds it used
    refusal = invitation_link_refusal(invitation)
    if refusal:
        raise QuestionnaireError(refusal)
    user = get_user_model()(
        username=username_for_email(invitation.email), email=invitation.email.strip(),
        first_name=first_name, last_name=last_name,
    )  # fmt: skip
    user.set_password(password)
    try:
        user.full_clean()
    except ValidationError as error:
        raise QuestionnaireError(" ".join(error.messages)) from error
    user.save()
    invitation_accept(invitation=invitation, user=user, account_created=True)
    return user
