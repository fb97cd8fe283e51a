"""The manager's invitation (services/questionnaire.py): its token, its mail and accepting it."""

import datetime

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from benchmarking.models import Interview, ManagerInvitation
from benchmarking.services.questionnaire import (
    QuestionnaireError,
    invitation_accept,
    invitation_for_token,
    invitation_link_refusal,
    invitation_resend,
    invitation_revoke,
    invitation_send,
    token_hash,
)
from benchmarking.services.review import interview_approve
from benchmarking.tests.interview_helpers import login
from benchmarking.tests.questionnaire.helpers import accept_url
from benchmarking.tests.questionnaire_helpers import invite, invited_manager, token_from_mail
from tests.factories import PASSWORD, InterviewFactory, UserFactory, answer_all

# --- The invitation and its token ------------------------------------------------------------------


def test_the_token_is_stored_only_as_its_hash(interview):
    invitation, token = invite(interview)
    assert invitation.token_hash == token_hash(token) != token
    assert len(token) >= 40
    assert not ManagerInvitation.objects.filter(token_hash=token).exists()
    assert "token_hash" not in [f.name for f in ManagerInvitation.history.model._meta.fields]


def test_the_invitation_mail_is_in_the_chosen_language(interview):
    invite(interview, language="de")
    message = mail.outbox[-1]
    assert message.to == ["manager@example.org"]
    assert "Fragebogen" in message.subject
    assert accept_url(token_from_mail()) in message.body


def test_the_expiry_comes_from_the_setting(interview, settings):
    settings.ECEI_INVITATION_VALID_DAYS = 3
    before = timezone.now()
    invitation, _ = invite(interview)
    assert before + datetime.timedelta(days=3) <= invitation.expires_at <= timezone.now() + datetime.timedelta(days=3)


def test_expiry_is_exact_at_the_boundary(interview):
    invitation, _ = invite(interview)
    just_before = invitation.expires_at - datetime.timedelta(microseconds=1)
    assert invitation_link_refusal(invitation, now=just_before) is None
    assert "expired" in invitation_link_refusal(invitation, now=invitation.expires_at)


def test_an_expired_link_gets_a_clear_page(client, interview):
    invitation, token = invite(interview)
    ManagerInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    response = client.get(accept_url(token))
    assert response.status_code == 410
    assert "has expired" in response.text and "Ask the expert" in response.text


def test_a_wrong_token_gets_a_clear_page(client, interview):
    invite(interview)
    response = client.get(accept_url("not-a-token"))
    assert response.status_code == 404
    assert "This link is not valid" in response.text


def test_a_revoked_link_gets_a_clear_page(client, interview):
    invitation, token = invite(interview)
    invitation_revoke(invitation=invitation, user=interview.expert.user)
    response = client.get(accept_url(token))
    assert response.status_code == 410 and "withdrawn" in response.text


def test_a_used_link_gets_a_clear_page(client, interview):
    invitation, token = invite(interview)
    invitation_accept(invitation=invitation, user=UserFactory(email=invitation.email))
    response = client.get(accept_url(token))
    assert response.status_code == 410 and "already been used" in response.text
    login(client, UserFactory())
    assert client.post(accept_url(token)).status_code == 410
    invitation.refresh_from_db()
    assert invitation.manager.username != "someone-else"


def test_resend_kills_the_old_link(client, interview):
    invitation, old = invite(interview)
    with TestCase.captureOnCommitCallbacks(execute=True):
        invitation_resend(invitation=invitation, user=interview.expert.user)
    new = token_from_mail()
    assert new != old
    assert invitation_for_token(old) is None
    assert client.get(accept_url(old)).status_code == 404
    assert client.get(accept_url(new)).status_code == 200


def test_only_one_live_invitation_per_interview(interview):
    invite(interview)
    with pytest.raises(QuestionnaireError, match="already has an invitation"):
        invitation_send(interview=interview, email="b@example.org", language="en-gb", user=interview.expert.user)


def test_a_revoked_invitation_allows_a_new_one(interview):
    invitation, _ = invite(interview)
    invitation_revoke(invitation=invitation, user=interview.expert.user)
    invite(interview, email="b@example.org")
    assert ManagerInvitation.objects.filter(interview=interview).count() == 2


def test_only_the_expert_invites_and_only_a_draft(interview, other_expert):
    with pytest.raises(QuestionnaireError, match="Only the interview's expert"):
        invitation_send(interview=interview, email="a@example.org", language="en-gb", user=other_expert.user)
    Interview.objects.filter(pk=interview.pk).update(status=Interview.Status.SUBMITTED)
    interview.refresh_from_db()
    with pytest.raises(QuestionnaireError, match="submitted"):
        invitation_send(interview=interview, email="a@example.org", language="en-gb", user=interview.expert.user)


def test_the_expert_cannot_accept_their_own_invitation(interview):
    invitation, _ = invite(interview, email=interview.expert.user.email)
    with pytest.raises(QuestionnaireError, match="expert"):
        invitation_accept(invitation=invitation, user=interview.expert.user)


def test_the_invitation_history_records_who_did_what(interview):
    invitation, manager = invited_manager(interview)
    invitation_revoke(invitation=invitation, user=interview.expert.user)
    records = list(invitation.history.order_by("history_date"))
    assert [r.history_user for r in records] == [interview.expert.user, manager, interview.expert.user]
    assert records[-1].revoked_at is not None


# --- Accepting through the page -------------------------------------------------------------------


def test_a_new_account_from_the_invitation(client, interview):
    invitation, token = invite(interview, email="Ana@Example.org")
    data = {
        "first_name": "Ana",
        "last_name": "Ruiz",
        "password1": "a-long-enough-pass-31",
        "password2": "a-long-enough-pass-31",
    }
    response = client.post(accept_url(token), data)
    assert response.status_code == 302 and response["Location"] == f"/questionnaire/{interview.pk}/"
    invitation.refresh_from_db()
    assert invitation.manager.email.lower() == invitation.manager.username.lower() == "ana@example.org"
    assert client.get(f"/questionnaire/{interview.pk}/").status_code == 200


def test_a_new_account_needs_a_good_password(client, interview):
    _, token = invite(interview)
    data = {"first_name": "Ana", "last_name": "Ruiz", "password1": "123", "password2": "123"}
    response = client.post(accept_url(token), data)
    assert response.status_code == 400
    assert "too short" in response.text or "too common" in response.text
    assert not ManagerInvitation.objects.filter(manager__isnull=False).exists()


def test_a_new_account_with_differing_passwords(client, interview):
    _, token = invite(interview)
    data = {"first_name": "A", "last_name": "R", "password1": "a-long-enough-pass-31", "password2": "other-pass-31x"}
    response = client.post(accept_url(token), data)
    assert response.status_code == 400 and "The two passwords differ." in response.text


def test_an_existing_address_must_log_in(client, interview):
    UserFactory(username="taken", email="manager@example.org")
    _, token = invite(interview)
    data = {
        "first_name": "A",
        "last_name": "R",
        "password1": "a-long-enough-pass-31",
        "password2": "a-long-enough-pass-31",
    }
    response = client.post(accept_url(token), data)
    assert response.status_code == 400 and "log in instead" in response.text


def test_an_existing_account_accepts_after_login(client, interview):
    """Anonymous, then logged in as the addressee (the address compared whatever its case)."""
    invitation, token = invite(interview)
    manager = UserFactory(email="Manager@Example.ORG")
    page = client.get(accept_url(token))
    assert f"/accounts/login/?next=/questionnaire/invitation/{token}/" in page.text.replace("%2F", "/")
    client.post("/accounts/login/", {"username": manager.username, "password": PASSWORD})
    assert client.post(accept_url(token)).status_code == 302
    invitation.refresh_from_db()
    assert invitation.manager == manager


def test_the_invited_manager_becomes_a_manager_of_the_cluster_and_reads_its_reports(client, expert, staff_user):
    """Taking up the invitation (a new account through the page) makes the manager one of the
    cluster's managers, recorded in the cluster's history; once the interview is approved its
    report is theirs to read."""
    interview = InterviewFactory(expert=expert, cluster__eligible=True)
    _, token = invite(interview, email="ana@example.org")
    password = "a-long-enough-pass-31"
    data = {"first_name": "Ana", "last_name": "Ruiz", "password1": password, "password2": password}
    assert client.post(accept_url(token), data).status_code == 302
    manager = ManagerInvitation.objects.get(interview=interview).manager
    cluster = interview.cluster
    assert list(cluster.managers.all()) == [manager]
    record = cluster.history.latest()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "~",
        manager,
        f"Manager by invitation to interview {interview.pk}",
    )
    assert [m.user for m in record.managers.all()] == [manager]
    assert cluster.name in client.get("/my-cluster/").text
    answer_all(interview)
    Interview.objects.filter(pk=interview.pk).update(status=Interview.Status.SUBMITTED)
    interview.refresh_from_db()
    interview_approve(interview=interview, user=staff_user)  # the report follows (at once: immediate backend)
    report = interview.reports.get()
    assert client.get(f"/reports/{report.code}/").status_code == 200


def test_an_existing_account_becomes_a_manager_once(client, interview):
    """Logged in, through the page; a manager already is not added (nor recorded) twice."""
    manager = UserFactory(email="manager@example.org")
    interview.cluster.managers.add(manager)
    records = interview.cluster.history.count()
    _, token = invite(interview)
    client.force_login(manager)
    assert client.post(accept_url(token)).status_code == 302
    assert list(interview.cluster.managers.all()) == [manager]
    assert interview.cluster.history.count() == records


def test_a_refused_acceptance_makes_nobody_a_manager(client, interview):
    invitation, token = invite(interview)
    invitation_revoke(invitation=invitation, user=interview.expert.user)
    client.force_login(UserFactory())
    assert client.post(accept_url(token)).status_code == 410
    assert not interview.cluster.managers.exists()
