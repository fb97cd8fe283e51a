"""The daily `label_reminders` job: 6 and 3 months before expiry, once in the grace year, never twice."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import TestCase

from benchmarking.models import Label, LabelReminder
from tests.factories import ClusterFactory, LabelFactory, approved_interview

pytestmark = pytest.mark.django_db
D = datetime.date


def run(today: str) -> str:
    out = io.StringIO()
    # Each mail is a task asked for with its reminder's record, sent once that commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("label_reminders", "--today", today, stdout=out)
    return out.getvalue()


@pytest.fixture
def label(reference_data, expert):
    cluster = ClusterFactory(contact_email="manager@cluster.example.org")
    approved_interview(cluster=cluster, expert=expert, date=D(2024, 6, 30))
    return LabelFactory(cluster=cluster, valid_from=D(2024, 6, 30), valid_until=D(2026, 6, 30))


def test_each_reminder_is_sent_once_however_often_the_job_runs(label, expert):
    # The number of reminders per day; each goes to the cluster's contact and the expert,
    # one message per recipient (each in their own language).
    timeline = [
        ("2025-12-29", 0),  # more than 6 months before
        ("2025-12-30", 1),  # 6 months before
        ("2025-12-30", 0),  # the second run that day
        ("2026-01-15", 0),
        ("2026-03-30", 1),  # 3 months before
        ("2026-03-30", 0),
        ("2026-06-30", 0),  # last valid day
        ("2026-07-01", 1),  # expired: in the grace year
        ("2026-09-01", 0),
        ("2027-07-01", 0),  # after the grace year
    ]
    for day, expected in timeline:
        before = len(mail.outbox)
        run(day)
        run(day)  # twice a day
        assert len(mail.outbox) - before == 2 * expected, day
    kinds = list(LabelReminder.objects.order_by("sent_at").values_list("kind", flat=True))
    assert kinds == ["6m", "3m", "grace"]
    assert sorted(m.to[0] for m in mail.outbox[:2]) == sorted(["manager@cluster.example.org", expert.user.email])
    assert "30 June 2026" in mail.outbox[0].body
    assert "renew it by 30 June 2027" in mail.outbox[4].subject


def test_a_missed_day_is_caught_up_without_sending_both(label):
    run("2026-04-10")  # the job did not run on the 6-month day nor the 3-month day
    assert {m.subject for m in mail.outbox} == {f"Your ECEI label {label.code} expires on 30 June 2026"}
    assert list(LabelReminder.objects.values_list("kind", flat=True)) == ["3m"]


def test_a_renewed_withdrawn_or_suspended_label_is_not_reminded(label):
    LabelFactory(cluster=label.cluster, renews=label, valid_from=D(2026, 7, 1), valid_until=D(2029, 6, 30))
    other = LabelFactory(valid_until=D(2026, 6, 30), status=Label.Status.WITHDRAWN)
    third = LabelFactory(valid_until=D(2026, 6, 30), status=Label.Status.SUSPENDED)
    assert other.cluster.contact_email and third.cluster.contact_email
    run("2026-03-30")
    assert mail.outbox == []


@pytest.mark.parametrize("job", ["label_reminders", "questionnaire_reminders"])
def test_a_bad_date_is_refused(job):
    with pytest.raises(CommandError, match="--today must be a date like 2026-03-31, not '30/03/2026'"):
        call_command(job, "--today", "30/03/2026")


def test_each_recipient_is_reminded_in_their_language(label, expert):
    from accounts.models import Profile
    from tests.factories import UserFactory

    manager = UserFactory(username="greta", email="manager@cluster.example.org")
    Profile.objects.create(user=manager, language="de")
    Profile.objects.create(user=expert.user, language="es")
    run("2026-03-30")
    mails = {m.to[0]: m for m in mail.outbox}
    german, spanish = mails["manager@cluster.example.org"], mails[expert.user.email]
    assert german.subject == f"Ihr ECEI-Label {label.code} läuft am 30. Juni 2026 ab"
    assert "ist bis zum 30. Juni 2026 gültig, also noch 3 Monate" in german.body
    assert spanish.subject == f"Su sello ECEI {label.code} caduca el 30 de junio de 2026"
    assert "es válido hasta el 30 de junio de 2026, dentro de 3 meses" in spanish.body
    run("2026-07-01")
    grace = {m.to[0]: m.subject for m in mail.outbox[2:]}
    assert grace["manager@cluster.example.org"].endswith("Verlängern Sie es bis zum 30. Juni 2027")
    assert grace[expert.user.email].endswith("renuévelo a más tardar el 30 de junio de 2027")
