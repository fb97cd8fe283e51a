"""The daily `label_reminders` job: 6 and 3 months before expiry, once in the grace year, never twice."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from benchmarking.models import Label, LabelReminder
from tests.factories import ClusterFactory, LabelFactory, approved_interview

pytestmark = pytest.mark.django_db
D = datetime.date


def run(today: str) -> str:
    out = io.StringIO()
    call_command("label_reminders", "--today", today, stdout=out)
    return out.getvalue()


@pytest.fixture
def label(reference_data, expert):
    cluster = ClusterFactory(contact_email="manager@cluster.example.org")
    approved_interview(cluster=cluster, expert=expert, date=D(2024, 6, 30))
    return LabelFactory(cluster=cluster, valid_from=D(2024, 6, 30), valid_until=D(2026, 6, 30))


def test_each_reminder_is_sent_once_however_often_the_job_runs(label, expert):
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
        assert len(mail.outbox) - before == expected, day
    kinds = list(LabelReminder.objects.order_by("sent_at").values_list("kind", flat=True))
    assert kinds == ["6m", "3m", "grace"]
    assert sorted(mail.outbox[0].to) == sorted(["manager@cluster.example.org", expert.user.email])
    assert "30 June 2026" in mail.outbox[0].body
    assert "renew it by 30 June 2027" in mail.outbox[2].subject


def test_a_missed_day_is_caught_up_without_sending_both(label):
    run("2026-04-10")  # the job did not run on the 6-month day nor the 3-month day
    assert [m.subject for m in mail.outbox] == [f"Your ECEI label {label.code} expires on 30 June 2026"]
    assert list(LabelReminder.objects.values_list("kind", flat=True)) == ["3m"]


def test_a_renewed_withdrawn_or_suspended_label_is_not_reminded(label):
    LabelFactory(cluster=label.cluster, renews=label, valid_from=D(2026, 7, 1), valid_until=D(2029, 6, 30))
    other = LabelFactory(valid_until=D(2026, 6, 30), status=Label.Status.WITHDRAWN)
    third = LabelFactory(valid_until=D(2026, 6, 30), status=Label.Status.SUSPENDED)
    assert other.cluster.contact_email and third.cluster.contact_email
    run("2026-03-30")
    assert mail.outbox == []


def test_a_bad_date_is_refused():
    with pytest.raises(CommandError, match="--today"):
        call_command("label_reminders", "--today", "30/03/2026")
