"""Approving an interview and serving its PDF, with the report in the worker (issue 26). Never
part of the tests.

    DATABASE_URL=sqlite:////tmp/ecei-bench-10000.sqlite3 .venv/bin/python benchmarks/bench_background.py

On a database filled by `seed_demo --clusters N`. For --runs interviews (each the latest
approved one of a cluster, reopened first so that it can be approved again, everything rolled
back after each run), the approval (`interview_approve`, what the secretariat's POST does):

- "worker": TASK_BACKEND=database, as in production: the approval decides, reinstates or
  recommends the label and writes the task rows; the worker refreshes the cluster's peer values
  and then issues the report (until issue 26's last step the refresh was in the approval: run
  this script from a checkout of that code on the same database for the figures before);
- "in the request (before)": the immediate backend, which refreshes the peers and issues the
  report inside the approval as the code before issue 26 did (the PDF then waited for its first
  request).

Then the PDF: rendered once by the worker's task (`report_pdf_render`), then each request of
/reports/<code>.pdf served from the storage; before issue 26 the first request rendered it.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecei_site.settings")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="ecei-bench-media-"))
os.environ["TASK_BACKEND"] = "database"
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from benchmarking.models import Interview, Report  # noqa: E402
from benchmarking.services.review import interview_approve, interview_reopen  # noqa: E402
from benchmarking.tasks import report_pdf_render  # noqa: E402
from clusters.models import Cluster  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


class Rollback(Exception):
    pass


def record_facts(interview: Interview, staff) -> None:
    from benchmarking.services.eligibility import eligibility_facts_record

    cluster = Cluster.objects.get(pk=interview.cluster_id)
    eligibility_facts_record(
        cluster=cluster, user=staff, expected_updated_at=cluster.updated_at,
        eccp_profile_url="https://clustercollaboration.eu/cluster-organisations/bench",
        eccp_validated_on=interview.date, english_website_checked_on=interview.date,
        public_collaboration="Regional development agency (benchmark)",
    )  # fmt: skip
    interview.cluster.refresh_from_db()


def run_queued(name: str) -> None:
    """Run the tasks `name` waiting in the queue as the worker would (in this transaction)."""
    from django.utils.module_loading import import_string
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.filter(task_path__endswith=f".{name}", status=TaskResultStatus.READY)
    for row in rows.order_by("enqueued_at"):
        row.status = TaskResultStatus.SUCCESSFUL
        row.save(update_fields=["status"])
        import_string(row.task_path).call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])


def approval_ms(interview: Interview, staff, worker: list | None = None) -> float:
    """One approval of `interview` (its facts recorded and reopened first, not timed), rolled back.
    With `worker` (the database backend), the reopening's refresh is run first as the worker
    would, and the time of the approval's task (the peers' refresh, the report) is added to it."""
    try:
        with transaction.atomic():
            record_facts(interview, staff)
            reopened = interview_reopen(interview=interview, user=staff, reason="Benchmark")
            if worker is not None:
                run_queued("peer_values_update")
            start = time.perf_counter()
            interview_approve(interview=reopened, user=staff)
            elapsed = (time.perf_counter() - start) * 1000
            if worker is not None:
                start = time.perf_counter()
                run_queued("approved_report_issue")  # the PDFs it asks for are left in the queue
                worker.append((time.perf_counter() - start) * 1000)
            raise Rollback
    except Rollback:
        return elapsed


def main() -> None:
    from django.contrib.auth import get_user_model

    staff = get_user_model().objects.filter(is_staff=True, is_active=True).order_by("pk").first()
    from benchmarking.rules.eligibility import eligibility_refusal

    latest = (
        Interview.objects.filter(status=Interview.Status.APPROVED, reports__isnull=False)
        .exclude(expert__user=staff)
        .select_related("cluster")
        .order_by("-date")
        .distinct()[: RUNS * 50]
    )
    # Those the rules let the secretariat approve again once the facts no answer gives are
    # recorded (in each run's transaction, rolled back: the seed records none).
    interviews = []
    for interview in latest:
        try:
            with transaction.atomic():
                record_facts(interview, staff)
                if eligibility_refusal(cluster=interview.cluster, interview=interview) is None:
                    interviews.append(interview)
                raise Rollback
        except Rollback:
            pass
        if len(interviews) == RUNS:
            break
    print(
        f"Database: {connection.vendor}, {Cluster.objects.count():,} clusters, "
        f"{Interview.objects.filter(status='approved').count():,} approved interviews; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; {len(interviews)} runs each"
    )
    task: list[float] = []
    worker = [approval_ms(i, staff, task) for i in interviews]
    with override_settings(TASKS=IMMEDIATE):
        before = [approval_ms(i, staff) for i in interviews]
    print(f"approve, report in the worker     median {statistics.median(worker):7.0f} ms, best {min(worker):.0f}")
    print(f"  then the worker's task: peers, report median {statistics.median(task):7.0f} ms, best {min(task):.0f}")
    print(f"approve, report in the request    median {statistics.median(before):7.0f} ms, best {min(before):.0f}"
          "  (before issue 26)")
    print(f"load average {os.getloadavg()[0]:.1f} after the approvals")

    report = Report.objects.filter(interview=interviews[0]).order_by("-version").first()
    start = time.perf_counter()
    report_pdf_render.call(report.pk, "en-gb")
    render = (time.perf_counter() - start) * 1000
    client = Client()
    client.force_login(staff)
    url = reverse("benchmarking:report_pdf", kwargs={"code": report.code})
    served = []
    for _ in range(RUNS * 2):
        start = time.perf_counter()
        response = client.get(url)
        b"".join(response.streaming_content)
        served.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    print(f"PDF rendered by the worker's task {render:7.0f} ms  (before issue 26: the first request's wait)")
    print(f"PDF request, served from storage  median {statistics.median(served):7.0f} ms, best {min(served):.0f}")


if __name__ == "__main__":
    main()
