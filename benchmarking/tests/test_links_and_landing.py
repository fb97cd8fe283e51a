"""Questionnaire links and messages, where each role lands, the icon (issue 27)."""

import datetime

import pytest
from django.contrib.staticfiles import finders
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from benchmarking.services.questionnaire import invitation_revoke, questionnaire_mark_ready
from benchmarking.tests.interview_helpers import login
from benchmarking.tests.questionnaire_helpers import invite, invited_manager, token_from_mail
from tests.factories import ExpertFactory, InterviewFactory, UserFactory, board_member


@pytest.fixture
def interview(expert):
    return InterviewFactory(expert=expert, date=timezone.localdate())


def accept_url(token):
    return reverse("benchmarking:invitation_accept", kwargs={"token": token})


# --- An invitation for an interview in the past -----------------------------------------------


def test_an_invitation_for_a_past_interview_does_not_say_before(client, expert):
    past = InterviewFactory(expert=expert, date=timezone.localdate() - datetime.timedelta(days=3))
    _invitation, token = invite(past)
    body = mail.outbox[-1].body
    assert "before your interview" not in body
    assert "questionnaire of your interview of" in body
    page = client.get(accept_url(token)).content.decode()
    assert "before your interview" not in page and "questionnaire of your interview of" in page


def test_an_invitation_for_a_coming_interview_says_before(client, expert):
    coming = InterviewFactory(expert=expert, date=timezone.localdate() + datetime.timedelta(days=3))
    _invitation, token = invite(coming)
    assert "before your interview on" in mail.outbox[-1].body
    assert "before your interview on" in client.get(accept_url(token)).content.decode()


def test_the_past_interview_wording_is_translated(client, expert):
    past = InterviewFactory(expert=expert, date=timezone.localdate() - datetime.timedelta(days=3))
    invite(past, language="es")
    assert "cuestionario de evaluación comparativa de su entrevista del" in mail.outbox[-1].body


# --- A used invitation opened again --------------------------------------------------------------


def test_its_manager_opening_a_used_invitation_goes_to_the_questionnaire(client, interview):
    _invitation, manager = invited_manager(interview)
    token = token_from_mail(mail.outbox[0])  # the accepted invitation's link, from its mail
    login(client, manager)
    response = client.get(accept_url(token), follow=True)
    assert response.redirect_chain == [(reverse("benchmarking:questionnaire", args=[interview.pk]), 302)]
    assert "You accepted this invitation already: here is your questionnaire." in response.content.decode()


def test_its_manager_opening_a_withdrawn_invitation_goes_to_my_cluster(client, interview):
    invitation, manager = invited_manager(interview)
    token = token_from_mail(mail.outbox[0])
    invitation_revoke(invitation=invitation, user=interview.expert.user)
    login(client, manager)
    response = client.get(accept_url(token))
    assert response.status_code == 302 and response["Location"] == reverse("benchmarking:my_cluster")


@pytest.mark.parametrize("who", ["anonymous", "other"])
def test_anyone_else_opening_a_used_invitation_is_still_refused(client, interview, who):
    invited_manager(interview)
    token = token_from_mail(mail.outbox[0])
    if who == "other":
        login(client, UserFactory(email="someone.else@example.org"))
    response = client.get(accept_url(token))
    assert response.status_code == 410
    assert "already been used" in response.content.decode()


def test_the_link_takes_no_other_method(client, interview):
    invitation, manager = invited_manager(interview)
    login(client, manager)
    assert client.put(accept_url(token_from_mail(mail.outbox[0]))).status_code == 405


def test_a_bad_token_is_a_clear_404(client, interview):
    invited_manager(interview)
    response = client.get(accept_url("not-a-token"))
    assert response.status_code == 404 and "This link is not valid" in response.content.decode()


# --- My cluster mentions the questionnaire --------------------------------------------------------


def test_my_cluster_shows_the_questionnaire(client, interview):
    _invitation, manager = invited_manager(interview)
    login(client, manager)
    page = client.get(reverse("benchmarking:my_cluster")).content.decode()
    assert "Benchmarking questionnaire – " in page
    assert reverse("benchmarking:questionnaire", args=[interview.pk]) in page
    assert "Open the questionnaire" in page


def test_my_cluster_shows_no_questionnaire_to_a_plain_manager(client, reference_data):
    manager = UserFactory()
    InterviewFactory().cluster.managers.add(manager)
    login(client, manager)
    page = client.get(reverse("benchmarking:my_cluster")).content.decode()
    assert "Open the questionnaire" not in page


def test_my_cluster_needs_a_login(client):
    response = client.get(reverse("benchmarking:my_cluster"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_ready_time_never_ends_in_two_periods(client, interview, settings):
    invitation, manager = invited_manager(interview)
    questionnaire_mark_ready(invitation=invitation, user=manager)
    login(client, manager)
    page = client.get(reverse("benchmarking:questionnaire", args=[interview.pk])).content.decode()
    assert "You marked the questionnaire ready (" in page
    assert ".." not in page.replace("...", "")


# --- Where each role lands after logging in ---------------------------------------------------


def test_a_board_member_lands_on_the_board(client, db):
    login(client, board_member())
    response = client.get(reverse("start"))
    assert response.status_code == 302 and response["Location"] == reverse("benchmarking:board_pending")


def test_an_invited_manager_lands_on_my_cluster(client, interview):
    _invitation, manager = invited_manager(interview)
    login(client, manager)
    assert client.get(reverse("start"))["Location"] == reverse("benchmarking:my_cluster")


def test_the_others_land_where_they_did(client, reference_data):
    expert = ExpertFactory()
    login(client, expert.user)
    assert client.get(reverse("start"))["Location"] == reverse("benchmarking:interview_list")
    login(client, UserFactory(is_staff=True))
    assert client.get(reverse("start"))["Location"] == reverse("benchmarking:review_queue")
    login(client, UserFactory())
    assert client.get(reverse("start"))["Location"] == reverse("home")


def test_the_start_needs_a_login(client, db):
    assert reverse("login") in client.get(reverse("start"))["Location"]


# --- The icon ---------------------------------------------------------------------------------


def test_favicon_is_served(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.ico")
    assert finders.find("favicon.ico") and finders.find("favicon.svg")  # a real icon in static/
    assert client.head("/favicon.ico").status_code == 301
    assert client.post("/favicon.ico").status_code == 405


def test_every_page_links_the_icon(client, db):
    page = client.get(reverse("home")).content.decode()
    assert 'rel="icon"' in page and "favicon.svg" in page
