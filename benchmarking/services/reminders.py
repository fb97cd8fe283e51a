"""Renewal reminders: 6 and 3 months before a label expires, and once in its grace year.

Each reminder is recorded in LabelReminder (unique per label and kind) in the same
transaction that asks for its mails: a second run the same day, or a concurrent one, finds the
record and sends nothing. Each mail is a task of its own (ecei_site.mail.send_mail_after_commit,
sent once the record is committed): a failing mail server is retried with back-off by the
worker, and a mail that still fails is a failed task the secretariat sees (admin, /health/).
A reminder is sent when its window has been entered, not only on the exact day, so a
missed daily run loses nothing.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from activity import actions
from activity.services import log_action
from benchmarking.models import Interview, Label, LabelReminder, ManagerInvitation
from benchmarking.rules.dates import add_months, add_years
from benchmarking.rules.label_periods import renewal_deadline
from ecei_site.mail import send_mail_after_commit, site_url

Kind = LabelReminder.Kind


def reminder_kind(label: Label, today: datetime.date) -> str | None:
    """Which reminder is due for `label` on `today`, if any."""
    if today > label.valid_until:
        return Kind.GRACE if today <= renewal_deadline(label) else None
    if today >= add_months(label.valid_until, -3):
        return Kind.THREE_MONTHS
    if today >= add_months(label.valid_until, -6):
        return Kind.SIX_MONTHS
    return None


def labels_to_remind(today: datetime.date):
    """Active labels within 6 months of expiry or in their grace year, not yet followed by a newer one."""
    newer = Label.objects.filter(
        cluster=OuterRef("cluster"), level=OuterRef("level"), valid_until__gt=OuterRef("valid_until")
    )
    earliest_end = add_years(today, -settings.ECEI_LABEL_RENEWAL_GRACE_YEARS)
    return (
        Label.objects.filter(
            status=Label.Status.ACTIVE, valid_until__gte=earliest_end, valid_until__lte=add_months(today, 6)
        )
        .exclude(Exists(newer))
        .select_related("cluster")
        .order_by("valid_until", "pk")
    )


def _last_expert_email(label: Label) -> str:
    interview = (
        Interview.objects.filter(cluster=label.cluster_id, status=Interview.Status.APPROVED)
        .select_related("expert__user")
        .order_by("-date", "-pk")
        .first()
    )
    return interview.expert.user.email if interview else ""


def _context(label: Label, kind: str) -> dict:
    return {
        "label": label,
        "cluster": label.cluster,
        "kind": kind,
        "months": {Kind.SIX_MONTHS: 6, Kind.THREE_MONTHS: 3}.get(kind),
        "deadline": renewal_deadline(label),
        "renewal_years": settings.ECEI_LABEL_RENEWAL_VALIDITY_YEARS,
        "url": site_url("benchmarking:label_public", code=label.code),
    }


@dataclass(frozen=True)
class Sent:
    label: Label
    kind: str
    recipients: list[str]


def send_label_reminders(*, today: datetime.date) -> list[Sent]:
    """Send each due reminder once; return what was sent."""
    sent = []
    for label in labels_to_remind(today):
        kind = reminder_kind(label, today)
        recipients = sorted({e for e in (label.cluster.contact_email, _last_expert_email(label)) if e})
        if kind is None or not recipients:
            continue
        try:
            with transaction.atomic():
                LabelReminder.objects.create(label=label, kind=kind, recipients=", ".join(recipients))
                log_action(
                    action=actions.LABEL_REMINDER_SENT,
                    obj=label,
                    user=None,
                    data={"kind": kind, "recipients": recipients},
                )
                # Each recipient in their language, a mail task each, asked for with the record.
                send_mail_after_commit(recipients, template="emails/label_reminder.txt", context=_context(label, kind))
        except IntegrityError:
            continue  # already sent, by an earlier or a concurrent run
        sent.append(Sent(label, kind, recipients))
    return sent


# --- The questionnaire in advance (issue 16) ---------------------------------------------------


def invitations_to_remind(today: datetime.date):
    """Invitations whose interview is at most ECEI_QUESTIONNAIRE_REMINDER_DAYS ahead, with the
    questionnaire not marked ready and no reminder sent yet."""
    last_day = today + datetime.timedelta(days=settings.ECEI_QUESTIONNAIRE_REMINDER_DAYS)
    return (
        ManagerInvitation.objects.filter(
            revoked_at__isnull=True, ready_at__isnull=True, reminder_sent_at__isnull=True,
            interview__status=Interview.Status.DRAFT, interview__date__gt=today, interview__date__lte=last_day,
        )  # fmt: skip
        .select_related("interview__cluster", "interview__expert__user", "manager__profile")
        .order_by("interview__date", "pk")
    )


def send_questionnaire_reminders(*, today: datetime.date) -> list[ManagerInvitation]:
    """Remind each such manager once: the conditional UPDATE claims the reminder, so a second
    or concurrent run sends nothing; the mail is a task asked for with the claim (retried)."""
    sent = []
    for invitation in invitations_to_remind(today):
        accepted = invitation.manager is not None
        url = site_url("benchmarking:questionnaire", pk=invitation.interview_id) if accepted else ""
        with transaction.atomic():
            claimed = ManagerInvitation.objects.filter(pk=invitation.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=timezone.now()
            )
            if not claimed:
                continue
            log_action(
                action=actions.MANAGER_REMINDED,
                obj=invitation.interview,
                user=None,
                data={"email": invitation.manager.email if accepted else invitation.email},
            )
            send_mail_after_commit(
                invitation.manager if accepted else invitation.email,
                template="emails/questionnaire_reminder.txt",
                context={"interview": invitation.interview, "url": url},
                default_language=invitation.language,
            )
        sent.append(invitation)
    return sent
