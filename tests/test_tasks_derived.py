"""The derived data and the reminders off the request (issue 26, benchmarking/tasks.py): an
approval leaves its peer-value refresh to the report's task, a reopening and a cluster's move
ask for `peer_values_update`, many clusters' label facts are refreshed a batch a task, and the
reminder jobs can be asked of the worker, their mails tasks of their own.

The database backend is set here, so that what the request asked for stays in the queue; each
task is then run as the worker would (`call`, from its row's arguments), in the test's
transaction. tests/test_tasks.py runs the worker itself.
"""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from benchmarking.models import CurrentLabelPeriod, Interview, PeerGroupValues, PeerValue, Report
from benchmarking.services.clusters import cluster_save
from benchmarking.services.label_facts import label_facts_disagreements
from benchmarking.services.peer_values import peer_values_stale
from benchmarking.services.reports import _next_code
from benchmarking.services.review import interview_approve, interview_reopen
from benchmarking.tests.test_peer_values import both_paths
from clusters.models import Cluster, ComparativePortfolio
from ecei_site.tasks import ATTEMPT, RetryScheduled
from ecei_site.translated import SOURCE_LANGUAGE
from tests import factories

pytestmark = pytest.mark.django_db
DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = DATABASE_BACKEND


def queued(name: str) -> list[DBTaskResult]:
    return list(
        DBTaskResult.objects.filter(task_path__endswith=f".{name}", status=TaskResultStatus.READY).order_by(
            "enqueued_at"
        )
    )


def run(row: DBTaskResult):
    """The task of `row`, as the worker runs it (in this process and transaction)."""
    row.status = TaskResultStatus.SUCCESSFUL  # taken off the queue, as the worker does
    row.save(update_fields=["status"])
    return import_string(row.task_path).call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])


def store() -> tuple[list, list]:
    """The stored peer values and groups as rows with their ids: unchanged means nothing written."""
    return (
        sorted(PeerValue.objects.values_list("pk", "cluster_id", "interview_id")),
        sorted(PeerGroupValues.objects.values_list("pk", "version")),
    )


def member(cluster) -> set[int]:
    return set(
        PeerValue.objects.filter(cluster=cluster, role=PeerValue.Role.MEMBER).values_list("interview_id", flat=True)
    )


@pytest.fixture
def peers(reference_data, settings):
    """Three approved clusters of one portfolio, and a fourth whose earlier benchmarking is
    approved (its values stored) and whose newer one is submitted."""
    settings.ECEI_REPORT_MIN_GROUP_SIZE = 2
    portfolio = ComparativePortfolio.objects.order_by("pk").first()
    for seed in (1, 2, 3):
        factories.approved_interview(cluster__portfolio=portfolio, seed=seed, date=datetime.date(2025, 3, seed))
    cluster = factories.ClusterFactory(portfolio=portfolio, eligible=True)
    earlier = factories.approved_interview(cluster=cluster, seed=4, date=datetime.date(2024, 5, 2))
    newer = factories.answer_all(
        factories.InterviewFactory(cluster=cluster, status=Interview.Status.SUBMITTED, date=timezone.localdate()),
        seed=5,
    )
    return cluster, earlier, newer


def test_the_approval_leaves_the_refresh_to_the_report_task_which_issues_from_the_peers_after_it(
    peers, staff_user, database_tasks
):
    cluster, earlier, newer = peers
    interview_approve(interview=newer, user=staff_user)
    assert member(cluster) == {earlier.pk}  # the request did not refresh
    assert peer_values_stale([cluster.pk]) == [cluster.pk]
    (task,) = queued("approved_report_issue")
    code = run(task)
    assert member(cluster) == {newer.pk}  # refreshed by the task, before the report
    report = Report.objects.get(interview=newer)
    assert report.code == code
    stored, reference = both_paths(Interview.objects.get(pk=newer.pk), timezone.localdate())
    assert stored == reference  # the store the report read is that of the answers after the approval
    assert report.snapshot == stored[SOURCE_LANGUAGE]
    assert peer_values_stale([cluster.pk]) == []

    before = store()
    assert run(task) == "issued before"  # a retry, or a second worker: nothing written
    assert store() == before
    assert Report.objects.filter(interview=newer).count() == 1


def test_a_failed_report_task_is_retried_and_its_rolled_back_refresh_done_again(
    peers, staff_user, database_tasks, settings
):
    cluster, earlier, newer = peers
    settings.TASKS = IMMEDIATE
    interview_approve(interview=newer, user=staff_user)  # its first report, issued at once
    first = Report.objects.get(interview=newer)
    settings.TASKS = DATABASE_BACKEND
    reopened = interview_reopen(
        interview=Interview.objects.get(pk=newer.pk), user=staff_user, reason="Figures to check"
    )
    run(queued("peer_values_update")[0])
    interview_approve(interview=reopened, user=staff_user)
    # The code of the second version is taken by another report meanwhile: every issue fails.
    code, version = _next_code(Interview.objects.get(pk=newer.pk), first)
    blocker = Report.objects.create(code=code, interview=earlier, version=9, snapshot={}, translations={})
    (task,) = queued("approved_report_issue")
    with pytest.raises(RetryScheduled):
        run(task)
    assert member(cluster) == {earlier.pk}  # the attempt's refresh rolled back with it
    (retry,) = queued("approved_report_issue")
    assert retry.args_kwargs["kwargs"][ATTEMPT] == 2 and retry.run_after > timezone.now()
    blocker.delete()
    run(retry)
    assert member(cluster) == {newer.pk}
    assert Report.objects.get(interview=newer, version=version).code == code


def test_a_reopening_asks_for_the_refresh_which_is_done_once(peers, staff_user, database_tasks, settings):
    cluster, earlier, newer = peers
    settings.TASKS = IMMEDIATE
    interview_approve(interview=newer, user=staff_user)  # the immediate backend: refreshed at once
    assert member(cluster) == {newer.pk}
    settings.TASKS = DATABASE_BACKEND
    interview_reopen(interview=Interview.objects.get(pk=newer.pk), user=staff_user, reason="Figures to check")
    assert member(cluster) == {newer.pk}  # the worker's part
    (task,) = queued("peer_values_update")
    assert run(task) == "1 of 1 refreshed"
    assert member(cluster) == {earlier.pk}  # its earlier approved benchmarking counts again
    before = store()
    assert run(task) == "0 of 1 refreshed"
    assert store() == before


def test_a_cluster_moved_asks_for_its_refresh(peers, staff_user, database_tasks):
    cluster, earlier, newer = peers
    other = ComparativePortfolio.objects.exclude(pk=cluster.portfolio_id).first()
    cluster.portfolio = other
    cluster_save(cluster=cluster, user=staff_user)
    assert set(PeerValue.objects.filter(cluster=cluster).values_list("portfolio_id", flat=True)) != {other.pk}
    run(queued("peer_values_update")[0])
    assert set(PeerValue.objects.filter(cluster=cluster).values_list("portfolio_id", flat=True)) == {other.pk}


def test_many_clusters_label_facts_a_batch_a_task_and_once(reference_data, database_tasks, monkeypatch):
    monkeypatch.setattr("benchmarking.tasks.LABEL_BATCH", 2)
    labels = [factories.LabelFactory() for _ in range(5)]
    assert label_facts_disagreements() == []
    Cluster.objects.update(label_status="")  # stale, as after a bulk write that left them
    CurrentLabelPeriod.objects.filter(cluster=labels[0].cluster).delete()
    assert len(label_facts_disagreements()) == 5
    from benchmarking.tasks import label_facts_update

    label_facts_update.enqueue()  # every cluster
    done = []
    while rows := queued("label_facts_update"):
        done.append(run(rows[0]))
    assert done == [
        "2 of 2 refreshed; the next batch follows",
        "2 of 2 refreshed; the next batch follows",
        "1 of 1 refreshed",
    ]
    assert label_facts_disagreements() == []
    assert label_facts_update.call([label.cluster_id for label in labels]) == "0 of 2 refreshed; the next batch follows"


def test_the_catch_up_command_runs_the_batches_or_asks_the_worker(reference_data, database_tasks):
    labels = [factories.LabelFactory() for _ in range(3)]
    Cluster.objects.filter(pk=labels[1].cluster_id).update(label_status="")
    out = io.StringIO()
    call_command("label_facts_catch_up", stdout=out)
    assert out.getvalue().startswith("1 of ") and label_facts_disagreements() == []
    call_command("label_facts_catch_up", "--enqueue", stdout=io.StringIO())
    (task,) = queued("label_facts_update")
    assert run(task).startswith("0 of ")


@pytest.mark.parametrize(
    "job, task, done",
    [
        ("label_reminders", "label_reminders_send", "0 reminder(s) for 2026-03-30"),
        ("questionnaire_reminders", "questionnaire_reminders_send", "0 questionnaire reminder(s) for 2026-03-30"),
    ],
)
def test_each_daily_job_asks_the_worker_for_its_own_run_on_the_day_named(
    reference_data, database_tasks, job, task, done
):
    out = io.StringIO()
    call_command(job, "--today", "2026-03-30", "--enqueue", stdout=out)
    (row,) = queued(task)
    assert out.getvalue().endswith(f"for 2026-03-30 asked for: task {row.id}.\n")
    assert row.args_kwargs["args"] == ["2026-03-30"]
    assert run(row) == done


def test_a_daily_job_asked_for_without_a_day_runs_on_the_workers_day(reference_data, database_tasks):
    call_command("questionnaire_reminders", "--enqueue", stdout=io.StringIO())
    (row,) = queued("questionnaire_reminders_send")
    assert row.args_kwargs["args"] == [None]  # the worker's today when it runs, not the day it was asked


def test_the_reminder_jobs_can_be_asked_of_the_worker_and_their_mails_are_tasks(reference_data, database_tasks):
    expert = factories.ExpertFactory()
    cluster = factories.ClusterFactory(contact_email="manager@cluster.example.org")
    factories.approved_interview(cluster=cluster, expert=expert, date=datetime.date(2024, 6, 30))
    factories.LabelFactory(
        cluster=cluster, valid_from=datetime.date(2024, 6, 30), valid_until=datetime.date(2026, 6, 30)
    )
    out = io.StringIO()
    call_command("label_reminders", "--today", "2026-03-30", "--enqueue", stdout=out)
    assert "asked for" in out.getvalue()
    (job,) = queued("label_reminders_send")
    assert run(job) == "1 reminder(s) for 2026-03-30"
    mails = queued("mail_send")
    assert sorted(row.args_kwargs["kwargs"]["to"] for row in mails) == sorted(
        ["manager@cluster.example.org", expert.user.email]
    )
    assert mail.outbox == []  # the worker sends them
    for row in mails:
        run(row)
    assert len(mail.outbox) == 2
    assert run(job) == "0 reminder(s) for 2026-03-30"  # once
    assert queued("mail_send") == []
