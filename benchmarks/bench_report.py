"""Timings of the individual report and of an interview step. Never part of the test suite.

    make bench                                   # 10,000 clusters on SQLite
    make bench CLUSTERS=100000 BENCH_URL=postgres://postgres@127.0.0.1:5432/ecei_bench

or by hand on a database filled by `seed_demo --clusters N`:

    DATABASE_URL=sqlite:////tmp/ecei-bench-10000.sqlite3 .venv/bin/python benchmarks/bench_report.py

Measured through the same code as the product, each several times (median and best):

- report_issue: the snapshot of every group and the Report row, as inside the
  secretariat's approve request (rolled back after each run, so the data stays as seeded);
- the report page, requested through Django's test Client as the secretariat; the PDF:
  rendering it (WeasyPrint), its first request (render and store) and later ones (the file);
- saving one interview step (category B) as the expert, through the step page's POST;
- the statistics against NumPy like for like: both start from the same unsorted values of
  every number series of the "all clusters" group; ours sorts (sorted()) and summarises
  (statistics.number_summary), NumPy builds an array, takes np.percentile and the rank.
"""

import os
import statistics as stdlib
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecei_site.settings")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="ecei-bench-media-"))

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from benchmarking.documents.report_pdf import render_pdf, report_pdf_html  # noqa: E402
from benchmarking.models import Catalogue, Interview, PeerValue, Report  # noqa: E402
from benchmarking.selectors import statistics as ours  # noqa: E402
from benchmarking.services.peer_values import peer_values_refresh  # noqa: E402
from benchmarking.services.reports import report_issue  # noqa: E402
from benchmarking.tests.interview_helpers import valid_step_data  # noqa: E402
from clusters.models import Cluster  # noqa: E402


class Rollback(Exception):
    pass


def timed(label, func, repeat=5):
    """Median wall time, and this process's CPU time beside it: on a machine shared with other
    work the wall time grows with the load, the CPU time much less (for SQLite it includes the
    database's work; for PostgreSQL the server's work is not in it). The load average last."""
    times, cpus, result = [], [], None
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        result = func()
        times.append((time.perf_counter() - start) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    median = stdlib.median(times)
    print(
        f"{label:<62} median {median:9.1f} ms   best {min(times):9.1f} ms   "
        f"CPU {stdlib.median(cpus):8.1f} ms   ({repeat} runs, load {os.getloadavg()[0]:.1f})"
    )
    timed.last_median = median
    return result


def issue_and_roll_back(interview, user):
    """report_issue in a transaction that is rolled back: the database stays as seeded."""
    try:
        with transaction.atomic():
            report_issue(interview=interview, user=user)
            raise Rollback
    except Rollback:
        pass


def refresh_and_roll_back(interview):
    try:
        with transaction.atomic():
            peer_values_refresh([interview.cluster_id])
            raise Rollback
    except Rollback:
        pass


def client_as(user) -> Client:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


def bench_report(secretariat):
    interview = Interview.objects.filter(status=Interview.Status.APPROVED).order_by("-date", "-pk").first()
    with CaptureQueriesContext(connection) as queries:
        issue_and_roll_back(interview, secretariat)
    print(f"report_issue: {len(queries)} queries")
    timed("report_issue (4 groups, 36 indicators, Report row)", lambda: issue_and_roll_back(interview, secretariat))
    timed("peer_values_refresh of one cluster (part of approval)", lambda: refresh_and_roll_back(interview))
    report = Report.objects.filter(interview__status=Interview.Status.APPROVED).order_by("-pk").first()
    client = client_as(secretariat)
    page = reverse("benchmarking:report", kwargs={"code": report.code})
    pdf = reverse("benchmarking:report_pdf", kwargs={"code": report.code})
    assert client.get(page).status_code == 200
    timed("report page (GET, template + SVG charts)", lambda: client.get(page))
    if os.environ.get("BENCH_SKIP_PDF"):
        print("PDF: skipped (BENCH_SKIP_PDF)")
        return
    html = report_pdf_html(report)
    size = len(timed("render the PDF (WeasyPrint)", lambda: render_pdf(html), repeat=2))
    print(f"  PDF size {size / 1024:.0f} KiB")

    def get_pdf():
        response = client.get(pdf)
        assert response.status_code == 200
        return b"".join(response.streaming_content)

    timed("report PDF request, first (render and store)", get_pdf, repeat=1)
    timed("report PDF request, later (the stored file)", get_pdf)


def bench_step_save():
    draft = Interview.objects.filter(status=Interview.Status.DRAFT, expert__user__username="expert").first()
    if draft is None:
        print("step save: no draft of the demo expert; skipped")
        return
    client = client_as(draft.expert.user)
    url = reverse("benchmarking:interview_step", kwargs={"pk": draft.pk, "code": "B"})
    data = valid_step_data(draft, "B")

    def save():
        try:
            with transaction.atomic():
                draft.refresh_from_db()
                response = client.post(url, {"version": draft.version, "save": "1", **data})
                assert response.status_code in (200, 302), response.status_code
                raise Rollback
        except Rollback:
            pass

    timed("interview step save (POST category B, as the expert)", save)


def bench_statistics(catalogue):
    """Ours vs NumPy from the same unsorted values (the stored peer values in insertion order)."""
    rows = PeerValue.objects.filter(catalogue=catalogue, role=PeerValue.Role.NUMBER).order_by("pk")
    unsorted: dict[tuple, list[float]] = {}
    for indicator_id, series, number in rows.values_list("indicator_id", "series", "number").iterator(20000):
        unsorted.setdefault((indicator_id, series), []).append(number)
    own = {key: values[0] for key, values in unsorted.items()}
    n = sum(len(v) for v in unsorted.values())
    print(f"statistics: {len(unsorted)} number series, {n:,} values in the 'all clusters' group")

    def with_numpy():
        for key, values in unsorted.items():
            array = np.asarray(values)
            np.percentile(array, [25, 50, 75])
            x = own[key]
            100 * (np.count_nonzero(array < x) + 0.5 * np.count_nonzero(array == x)) / len(array)

    def with_ours():
        for key, values in unsorted.items():
            ours.number_summary(sorted(values), own[key], missing=0)

    timed("  NumPy: array, percentiles, rank (same unsorted values)", with_numpy)
    numpy_ms = timed.last_median
    timed("  ours: sorted() + statistics.number_summary", with_ours)
    print(f"  ours / NumPy: {timed.last_median / numpy_ms:.2f}x")


def main():
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    catalogue = Catalogue.objects.get(version="1")
    from django.contrib.auth import get_user_model

    secretariat = get_user_model().objects.get(username="secretariat")
    approved = Interview.objects.filter(status=Interview.Status.APPROVED).values("cluster").distinct().count()
    print(
        f"Database: {connection.vendor} {connection.settings_dict['NAME']}; {Cluster.objects.count():,} clusters, "
        f"{approved:,} with an approved interview"
    )
    bench_report(secretariat)
    bench_step_save()
    bench_statistics(catalogue)


if __name__ == "__main__":
    main()
