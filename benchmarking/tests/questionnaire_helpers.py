"""Shared steps of the questionnaire-in-advance tests (issue 16)."""

import re

from django.core import mail
from django.test import TestCase

from benchmarking.services.questionnaire import invitation_accept, invitation_send
from tests.factories import UserFactory

LINK = re.compile(r"https?://\S+/questionnaire/invitation/(\S+)/")


def token_from_mail(message=None) -> str:
    message = message or mail.outbox[-1]
    return LINK.search(message.body).group(1)


def invite(interview, email="manager@example.org", language="en-gb"):
    """The expert's invitation; returns it with the token read from the e-mail."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        invitation = invitation_send(interview=interview, email=email, language=language, user=interview.expert.user)
    return invitation, token_from_mail()


def invited_manager(interview, **user_fields):
    """An account with the invited address, linked to `interview` through an accepted invitation."""
    invitation, _token = invite(interview)
    manager = UserFactory(**{"email": invitation.email, **user_fields})
    invitation_accept(invitation=invitation, user=manager)
    invitation.refresh_from_db()
    return invitation, manager
