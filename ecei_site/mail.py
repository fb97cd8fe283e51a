"""Every e-mail the site sends goes through here, in each recipient's language.

Two doors, both taking one recipient or several, each a user or a bare address:

    send_mail_in_language(recipients, template="emails/x.txt", context={...})
        sends now, one message per recipient; a failing mail server raises (so a caller
        inside a transaction rolls back and can retry, as the renewal reminders do).
    send_mail_after_commit(recipients, template="emails/x.txt", context={...})
        renders now; each message is a background task (`mail_send`, ecei_site/tasks.py) asked
        for in the current transaction, so it is sent once the transaction commits (nothing is
        announced that was rolled back) and never in the request. A failing mail server never
        touches the action: the task is retried with back-off, and a mail that still fails is
        a failed task the secretariat sees (admin, Task results; /health/).

The language: a user's Profile.language; for a bare address, that of the active user with
the address; else the site's default (accounts.language decides, as for pages).

A mail is one template under templates/emails/. Its first line is the subject, the rest is
the body. All its text is marked ({% blocktranslate trimmed %}...) and translated in
locale/{es,de}; dates as |date:"DATE_FORMAT". Links come from `site_url()`. Recipients
never see each other's addresses.
"""

import logging
import smtplib
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from accounts.language import address_language, preferred_language
from ecei_site.tasks import enqueue_with_transaction, retried

logger = logging.getLogger(__name__)

Recipient = AbstractBaseUser | str


def site_url(name: str, **kwargs) -> str:
    """The absolute link to the page `name` (SITE_URL + path), for mails read outside the site."""
    return settings.SITE_URL.rstrip("/") + reverse(name, kwargs=kwargs)


def render_mail(template: str, context: dict, *, language: str) -> tuple[str, str]:
    """(subject, body) of `template` written in `language`."""
    with translation.override(language):
        text = render_to_string(template, context)
    subject, _, body = text.lstrip().partition("\n")
    return " ".join(subject.split()), body.strip("\n") + "\n"  # a header holds no line break


def _addressed(recipients: Recipient | Iterable[Recipient], default_language: str | None = None) -> dict[str, str]:
    """address -> language, one entry per address; users and addresses without one are skipped."""
    if isinstance(recipients, (str, AbstractBaseUser)):
        recipients = [recipients]
    languages = {}
    for recipient in recipients:
        if isinstance(recipient, AbstractBaseUser):
            if recipient.email and recipient.email not in languages:
                languages[recipient.email] = preferred_language(recipient)
        elif recipient and recipient not in languages:
            languages[recipient] = address_language(recipient, default=default_language)
    return languages


def _messages(recipients, template: str, context: dict, default_language: str | None = None) -> list[EmailMessage]:
    rendered = {}  # language -> (subject, body): each language is rendered once
    messages = []
    for address, language in sorted(_addressed(recipients, default_language).items()):
        if language not in rendered:
            rendered[language] = render_mail(template, context, language=language)
        subject, body = rendered[language]
        messages.append(EmailMessage(subject, body, None, [address]))
    return messages


def send_mail_in_language(
    recipients: Recipient | Iterable[Recipient], *, template: str, context: dict, default_language: str | None = None
) -> int:
    """Send `template` to each recipient in their language now; return how many were sent.
    `default_language`: for an address no user has (e.g. an invited manager), instead of the site's."""
    messages = _messages(recipients, template, context, default_language)
    return get_connection().send_messages(messages) if messages else 0


@task()
@retried
def mail_send(*, to: str, subject: str, body: str) -> None:
    """Send one rendered message (one task per recipient: a retry never sends twice to the
    others). A failing mail server raises, and the retry policy tries again later."""
    try:
        get_connection().send_messages([EmailMessage(subject, body, None, [to])])
    except (smtplib.SMTPException, OSError):
        logger.error("Could not send %r to %s; the action itself stands, the mail is tried again.", subject, to)
        raise


def send_mail_after_commit(
    recipients: Recipient | Iterable[Recipient], *, template: str, context: dict, default_language: str | None = None
) -> None:
    """Render `template` for each recipient in their language now; send once the transaction commits.
    `default_language`: as for send_mail_in_language."""
    for message in _messages(recipients, template, context, default_language):
        enqueue_with_transaction(
            mail_send, to=message.to[0], subject=message.subject, body=message.body, after_commit=True
        )
