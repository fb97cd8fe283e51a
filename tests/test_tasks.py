"""Background work (ecei_site/tasks.py): the retry policy, failures the secretariat sees, the
queue in /health/, and the report's PDF rendered by the worker before anyone asks.

The database backend and its worker run for real here (`manage.py db_worker --batch`), in
transactional tests: the worker commits as it would in production.
"""

import smtplib

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from benchmarking.documents.report_pdf import report_pdf_name
from benchmarking.tests.interview_helpers import login
from ecei_site.mail import mail_send
from ecei_site.tasks import ATTEMPT, RetryScheduled, retried, retry_delay

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
CALLS: list[int] = []


@task()
@retried
def flaky(fail_times: int) -> str:
    """Fails its first `fail_times` attempts, then succeeds (a mail server back up)."""
    CALLS.append(1)
    if len(CALLS) <= fail_times:
        raise smtplib.SMTPServerDisconnected("the mail server went away")
    return "done"


def run_worker() -> None:
    """The production worker, once over everything due (then it exits)."""
    call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0)


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = DATABASE_BACKEND
    settings.TASK_RETRY_SECONDS = 0  # due again at once: the worker's next pass runs it
    CALLS.clear()


def test_the_back_off_doubles():
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]


def test_the_immediate_backend_retries_at_once(db, settings):
    CALLS.clear()
    result = flaky.enqueue(2)
    assert result.status == TaskResultStatus.SUCCESSFUL and result.return_value == "done"
    assert len(CALLS) == 3


def test_the_immediate_backend_gives_up_after_the_last_attempt(db, settings):
    CALLS.clear()
    settings.TASK_ATTEMPTS = 3
    result = flaky.enqueue(10)
    assert result.status == TaskResultStatus.FAILED
    assert len(CALLS) == 3
    assert result.errors[0].exception_class_path.endswith("SMTPServerDisconnected")


@pytest.mark.django_db(transaction=True)
def test_a_failed_attempt_is_enqueued_again_later(database_tasks, settings):
    settings.TASK_RETRY_SECONDS = 3600
    flaky.enqueue(1)
    run_worker()
    first, retry = DBTaskResult.objects.order_by("enqueued_at")
    assert first.status == TaskResultStatus.FAILED
    assert first.exception_class_path == f"{RetryScheduled.__module__}.RetryScheduled"
    assert "attempt 2 is task" in first.traceback and "the mail server went away" in first.traceback
    assert retry.status == TaskResultStatus.READY and retry.args_kwargs["kwargs"] == {ATTEMPT: 2}
    assert (retry.run_after - first.finished_at).total_seconds() >= 3599  # not before its time
    run_worker()
    retry.refresh_from_db()
    assert retry.status == TaskResultStatus.READY  # still waiting


@pytest.mark.django_db(transaction=True)
def test_a_retry_that_succeeds_leaves_nothing_failed(database_tasks, client):
    flaky.enqueue(2)
    for _ in range(3):
        run_worker()
    assert len(CALLS) == 3
    assert DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() == 1
    assert client.get(reverse("health")).json()["tasks"]["failed"] == 0


@pytest.mark.django_db(transaction=True)
def test_a_task_failed_for_good_is_seen_in_health_and_the_admin(database_tasks, settings, client, staff_user):
    settings.TASK_ATTEMPTS = 2
    flaky.enqueue(10)
    run_worker()
    run_worker()
    assert len(CALLS) == 2
    health = client.get(reverse("health"))
    assert health.status_code == 200  # a failed task never takes the server out of the proxy
    assert health.json()["tasks"] == {
        "backend": "database", "waiting": 0, "oldest_waiting_seconds": 0, "running": 0, "failed": 1,
    }  # fmt: skip
    failed = DBTaskResult.objects.get(exception_class_path="smtplib.SMTPServerDisconnected")
    staff_user.is_superuser = True
    staff_user.save()
    login(client, staff_user)
    listing = client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist") + "?status=FAILED")
    assert listing.status_code == 200 and str(failed.id) in listing.text
    detail = client.get(reverse("admin:django_tasks_database_dbtaskresult_change", args=[failed.id]))
    assert "the mail server went away" in detail.text


@pytest.mark.django_db(transaction=True)
def test_health_reports_the_oldest_waiting_task(database_tasks, client):
    mail_send.enqueue(to="a@example.org", subject="Hello", body="Hi")
    DBTaskResult.objects.update(enqueued_at=DBTaskResult.objects.get().enqueued_at.replace(year=2020))
    tasks = client.get(reverse("health")).json()["tasks"]
    assert tasks["waiting"] == 1 and tasks["oldest_waiting_seconds"] > 86400
    run_worker()
    assert client.get(reverse("health")).json()["tasks"]["waiting"] == 0


@pytest.mark.django_db(transaction=True)
def test_a_mail_waits_for_the_commit_and_then_the_worker(database_tasks, mailoutbox, reference_data):
    from django.db import transaction

    from ecei_site.mail import send_mail_after_commit
    from tests import factories

    interview = factories.InterviewFactory()
    with transaction.atomic():
        send_mail_after_commit(
            ["a@example.org", "b@example.org"], template="emails/interview_submitted.txt",
            context={"interview": interview, "url": "https://x/"},
        )  # fmt: skip
        assert DBTaskResult.objects.count() == 2  # in the transaction: committed with it
    assert mailoutbox == []
    run_worker()
    assert sorted(m.to[0] for m in mailoutbox) == ["a@example.org", "b@example.org"]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_asks_for_nothing(database_tasks, mailoutbox):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        mail_send.enqueue(to="a@example.org", subject="Hello", body="Hi")
        raise RuntimeError
    assert not DBTaskResult.objects.exists()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_approval_returns_and_the_worker_issues_the_report_and_its_pdf(database_tasks, client, reference_data):
    """Approving asks for the report; the worker issues it, mails it and stores its PDF, which the
    PDF view then serves from the storage."""
    from benchmarking.models import Interview, Report
    from benchmarking.services.review import interview_approve
    from tests import factories

    interview = factories.answer_all(
        factories.InterviewFactory(status=Interview.Status.SUBMITTED, cluster__eligible=True)
    )
    staff = factories.UserFactory(is_staff=True, username="reviewer")
    interview_approve(interview=interview, user=staff)
    assert Interview.objects.get(pk=interview.pk).status == Interview.Status.APPROVED
    assert not Report.objects.exists()  # the worker's part
    run_worker()  # the report, its mails, then its PDF
    report = Report.objects.get(interview=interview)
    name = report_pdf_name(report, "en-gb")
    assert default_storage.exists(name)
    run_worker()
    assert Report.objects.filter(interview=interview).count() == 1  # idempotent: asked once, issued once
    login(client, interview.expert.user)
    response = client.get(reverse("benchmarking:report_pdf", kwargs={"code": report.code}))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
