"""E-mails telling people that something happened to an interview, each with a link to the page.

They are sent once the transaction that made the change has committed (nothing is announced
that was rolled back), one message per recipient (nobody sees the others' addresses), and a
mail server that is down or refuses is logged, never raised: the expert's submission and the
secretariat's approval stand whatever the mail server does.
"""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from benchmarking.models import Interview, Report
from benchmarking.permissions import secretariat_members

logger = logging.getLogger(__name__)


def _link(name: str, **kwargs) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, kwargs=kwargs)


def _send(subject: str, body: str, recipients: list[str]) -> None:
    messages = [EmailMessage(subject, body, None, [address]) for address in recipients]
    try:
        get_connection().send_messages(messages)
    except (smtplib.SMTPException, OSError):
        logger.exception("Could not send %r to %d recipient(s); the action itself stands.", subject, len(recipients))


def notify_after_commit(*, subject: str, template: str, context: dict, recipients) -> None:
    """Send `template` to each address in `recipients` once the current transaction commits."""
    recipients = sorted({address for address in recipients if address})
    if not recipients:
        return
    body = render_to_string(template, context)
    transaction.on_commit(lambda: _send(subject, body, recipients))


def notify_decision(interview: Interview, *, template: str, subject: str) -> None:
    """Tell the expert that the secretariat returned or rejected the interview."""
    notify_after_commit(
        subject=subject,
        template=template,
        context={"interview": interview, "url": _link("benchmarking:interview_detail", pk=interview.pk)},
        recipients=[interview.expert.user.email],
    )


def notify_submitted(interview: Interview) -> None:
    """Tell the secretariat that an interview awaits review."""
    notify_after_commit(
        subject=f"Interview submitted for review: {interview.cluster.name}",
        template="emails/interview_submitted.txt",
        context={"interview": interview, "url": _link("benchmarking:review_interview", pk=interview.pk)},
        recipients=secretariat_members().values_list("email", flat=True),
    )


def notify_report_issued(interview: Interview, report: Report) -> None:
    """Tell the expert and the cluster's managers that the interview is approved and its report issued."""
    managers = interview.cluster.managers.filter(is_active=True).values_list("email", flat=True)
    notify_after_commit(
        subject=f"Benchmarking approved, report issued: {interview.cluster.name}",
        template="emails/report_issued.txt",
        context={"interview": interview, "report": report, "url": _link("benchmarking:report", code=report.code)},
        recipients=[interview.expert.user.email, *managers],
    )
