"""An invitation belongs to its addressee (issue 23): only an account with the invited e-mail
address takes it up, logged in or created through the link; any other account is refused and
nothing changes. And any valid invited address can create an account (a valid user name is
derived from it)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.utils import timezone

from accounts.models import Profile
from benchmarking.models import ManagerInvitation
from benchmarking.services.questionnaire import QuestionnaireError, invitation_accept
from benchmarking.tests.interview_helpers import login
from benchmarking.tests.questionnaire_helpers import invite
from tests.factories import PASSWORD, InterviewFactory, UserFactory

NEW_PASSWORD = "a-long-enough-pass-31"
ACCOUNT = {"first_name": "Ana", "last_name": "Ruiz", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
REFUSAL = "This invitation was sent to another e-mail address than your account"


@pytest.fixture
def interview(expert):
    return InterviewFactory(expert=expert)


def accept_url(token):
    return f"/questionnaire/invitation/{token}/"


def state(invitation):
    """Everything taking up an invitation may change, to compare before and after."""
    invitation.refresh_from_db()
    cluster = invitation.interview.cluster
    return {
        "invitation": ManagerInvitation.objects.filter(pk=invitation.pk).values().get(),
        "invitation history": invitation.history.count(),
        "managers": list(cluster.managers.values_list("pk", flat=True)),
        "cluster history": cluster.history.count(),
        "users": get_user_model().objects.count(),
    }


# --- The addressee --------------------------------------------------------------------------------


def test_the_addressee_logged_in_accepts_whatever_the_case_of_the_address(client, interview):
    invitation, token = invite(interview, email="Ana.Ruiz@Example.org")
    addressee = UserFactory(email="ana.ruiz@example.ORG ")
    login(client, addressee)
    assert client.get(accept_url(token)).status_code == 200
    response = client.post(accept_url(token))
    assert response.status_code == 302 and response["Location"] == f"/questionnaire/{interview.pk}/"
    invitation.refresh_from_db()
    assert invitation.manager == addressee and list(interview.cluster.managers.all()) == [addressee]


def test_anonymous_becomes_the_addressee_by_logging_in(client, interview):
    invitation, token = invite(interview)
    addressee = UserFactory(username="ana", email="manager@example.org")
    response = client.post("/accounts/login/", {"username": "ana", "password": PASSWORD, "next": accept_url(token)})
    assert response["Location"] == accept_url(token)
    assert client.post(accept_url(token)).status_code == 302
    invitation.refresh_from_db()
    assert invitation.manager == addressee


def test_anonymous_becomes_the_addressee_by_creating_the_account(client, interview):
    invitation, token = invite(interview)
    assert client.post(accept_url(token), ACCOUNT).status_code == 302
    invitation.refresh_from_db()
    assert invitation.manager.email == "manager@example.org" and invitation.manager.username == "manager@example.org"


# --- Anyone else ----------------------------------------------------------------------------------


def test_an_expert_with_another_address_is_refused_and_nothing_changes(client, interview, other_expert):
    """As seen: an expert took an invitation addressed to another person's e-mail."""
    invitation, token = invite(interview)
    before = state(invitation)
    login(client, other_expert.user)
    page = client.get(accept_url(token))
    assert page.status_code == 403 and REFUSAL in page.text
    assert 'id="account-form"' not in page.text  # no way round: the page offers no account either
    response = client.post(accept_url(token), ACCOUNT)
    assert response.status_code == 403 and REFUSAL in response.text
    assert state(invitation) == before
    assert not other_expert.user.managed_clusters.exists()


def test_the_refusal_offers_to_log_out_and_come_back(client, interview, plain_user):
    _, token = invite(interview)
    login(client, plain_user)
    page = client.get(accept_url(token))
    assert page.status_code == 403 and "Log out and open the invitation again" in page.text
    response = client.post("/accounts/logout/", {"next": accept_url(token)})
    assert response["Location"] == accept_url(token)
    assert 'id="account-form"' in client.get(accept_url(token)).text


def test_the_refusal_is_in_the_users_language(client, interview, plain_user):
    _, token = invite(interview)
    Profile.objects.create(user=plain_user, language="de")
    login(client, plain_user)  # the profile's language applies from the log-in on
    page = client.get(accept_url(token))
    assert page.status_code == 403
    assert "Diese Einladung wurde an eine andere E-Mail-Adresse" in page.text
    Profile.objects.filter(user=plain_user).update(language="es")
    login(client, plain_user)
    assert "Esta invitación se envió a otra dirección de correo" in client.get(accept_url(token)).text


def test_the_service_refuses_another_account_too(interview, plain_user):
    invitation, _ = invite(interview)
    before = state(invitation)
    with pytest.raises(QuestionnaireError, match="another e-mail address"):
        invitation_accept(invitation=invitation, user=plain_user)
    assert state(invitation) == before


def test_an_account_without_an_address_is_refused(client, interview):
    invitation, token = invite(interview)
    login(client, UserFactory(email=""))
    assert client.post(accept_url(token)).status_code == 403
    invitation.refresh_from_db()
    assert invitation.manager is None


# --- Single use and expiry stay --------------------------------------------------------------------


def test_a_used_invitation_is_refused_even_to_another_account_with_the_address(client, interview):
    invitation, token = invite(interview)
    invitation_accept(invitation=invitation, user=UserFactory(email="manager@example.org"))
    second = UserFactory(email="manager@example.org")
    before = state(invitation)
    login(client, second)
    response = client.post(accept_url(token))
    assert response.status_code == 410 and "already been used" in response.text
    assert state(invitation) == before


def test_an_expired_invitation_is_refused_to_its_addressee(client, interview):
    invitation, token = invite(interview)
    ManagerInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    addressee = UserFactory(email="manager@example.org")
    before = state(invitation)
    login(client, addressee)
    response = client.post(accept_url(token))
    assert response.status_code == 410 and "has expired" in response.text
    assert client.post(accept_url(token)).status_code == 410
    client.logout()
    assert client.post(accept_url(token), ACCOUNT).status_code == 410
    assert state(invitation) == before


# --- Any valid address makes an account ------------------------------------------------------------


def test_an_address_with_an_apostrophe_gets_a_valid_user_name(client, interview):
    """o'brien@example.org is a valid address but not a valid user name (a 500 before)."""
    invitation, token = invite(interview, email="o'brien@example.org")
    page = client.get(accept_url(token))
    assert "obrien@example.org" in page.text and 'id="derived-username"' in page.text
    response = client.post(accept_url(token), ACCOUNT)
    assert response.status_code == 302
    manager = get_user_model().objects.get(email="o'brien@example.org")
    assert manager.username == "obrien@example.org"
    manager.full_clean()
    invitation.refresh_from_db()
    assert invitation.manager == manager
    assert any("obrien@example.org" in str(m) for m in get_messages(response.wsgi_request))
    client.logout()
    logged_in = client.post("/accounts/login/", {"username": "obrien@example.org", "password": NEW_PASSWORD})
    assert logged_in.status_code == 302


def test_an_address_longer_than_150_characters_gets_a_valid_user_name(client, interview):
    email = "ana.ruiz@" + "departamento-de-innovacion." * 6 + "example.org"
    assert len(email) > 150
    invitation, token = invite(interview, email=email)
    assert client.post(accept_url(token), ACCOUNT).status_code == 302
    manager = get_user_model().objects.get(email=email)
    assert len(manager.username) == 150 and email.startswith(manager.username)
    manager.full_clean()


def test_a_derived_user_name_already_taken_gets_a_number(client, interview):
    UserFactory(username="obrien@example.org", email="someone.else@example.org")
    _, token = invite(interview, email="o'brien@example.org")
    assert client.post(accept_url(token), ACCOUNT).status_code == 302
    assert get_user_model().objects.get(email="o'brien@example.org").username == "obrien@example.org-2"


def test_a_refused_account_leaves_nothing_behind(client, interview):
    invitation, token = invite(interview, email="o'brien@example.org")
    before = state(invitation)
    response = client.post(accept_url(token), {**ACCOUNT, "password2": "something-else-31"})
    assert response.status_code == 400 and "The two passwords differ." in response.text
    assert state(invitation) == before
