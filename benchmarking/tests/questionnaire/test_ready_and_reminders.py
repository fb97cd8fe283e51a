"""The manager marks the questionnaire ready; the reminder a week before the interview."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from benchmarking.models import Interview
from benchmarking.services.questionnaire import (
    QuestionnaireError,
    invitation_revoke,
    questionnaire_mark_ready,
)
from benchmarking.services.reminders import send_questionnaire_reminders
from benchmarking.tests.interview_helpers import login
from benchmarking.tests.questionnaire_helpers import invite, invited_manager
from tests.factories import InterviewFactory

# --- Ready, reminder ------------------------------------------------------------------------------------


def test_ready_tells_the_expert_once(client, interview):
    invitation, manager = invited_manager(interview)
    login(client, manager)
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"/questionnaire/{interview.pk}/ready/")
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[interview.expert.user.email]]
    assert f"/interviews/{interview.pk}/" in mail.outbox[0].body
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(f"/questionnaire/{interview.pk}/ready/")
    assert len(mail.outbox) == 1


def test_ready_is_refused_after_revocation(interview):
    invitation, manager = invited_manager(interview)
    invitation_revoke(invitation=invitation, user=interview.expert.user)
    with pytest.raises(QuestionnaireError):
        questionnaire_mark_ready(invitation=invitation, user=manager)


def _planned(expert, days_ahead):
    return InterviewFactory(expert=expert, date=timezone.localdate() + datetime.timedelta(days=days_ahead))


def test_the_reminder_goes_a_week_before_once(expert, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    due = _planned(expert, 7)
    early = _planned(expert, 8)
    invite(due, email="due@example.org", language="es")
    invite(early, email="early@example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # the mail is a task asked for with the claim
        sent = send_questionnaire_reminders(today=today)
    assert [i.email for i in sent] == ["due@example.org"]
    assert mail.outbox[0].to == ["due@example.org"] and "Recordatorio" in mail.outbox[0].subject
    assert send_questionnaire_reminders(today=today) == []  # sent once


def test_no_reminder_when_ready_or_revoked(expert):
    ready = _planned(expert, 3)
    revoked = _planned(expert, 3)
    invitation, manager = invited_manager(ready)
    questionnaire_mark_ready(invitation=invitation, user=manager)
    other, _ = invite(revoked)
    invitation_revoke(invitation=other, user=expert.user)
    assert send_questionnaire_reminders(today=timezone.localdate()) == []


def test_the_reminder_command(expert):
    _planned(expert, 5)
    invite(Interview.objects.get())
    out = __import__("io").StringIO()
    call_command("questionnaire_reminders", stdout=out)
    assert "1 questionnaire reminder(s) sent" in out.getvalue()
