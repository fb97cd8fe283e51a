"""Timings of the individual report on a 10,000-cluster database. Never part of the test suite.

    export DATABASE_URL=sqlite:////tmp/bench_report.sqlite3
    rm -f /tmp/bench_report.sqlite3
    .venv/bin/python manage.py migrate --noinput
    .venv/bin/python manage.py seed_demo --clusters 10000
    .venv/bin/python benchmarks/bench_report.py

It measures: issuing one report (snapshot of every group, one peer pool), rendering its page
and its PDF, and, as the floor, a straight NumPy computation of the same statistics (quartiles
and ranks of every number series in the "all clusters" group) over the same values.
"""

import datetime
import os
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
from django.db import connection, reset_queries  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from benchmarking.models import Catalogue, Interview  # noqa: E402
from benchmarking.selectors.reports import (  # noqa: E402
    GROUPS,
    catalogue_indicators,
    load_peer_pool,
    series_values,
)
from benchmarking.services.report_pdf import render_pdf, report_pdf_html  # noqa: E402
from benchmarking.services.reports import report_issue  # noqa: E402
from benchmarking.views.reports import _context  # noqa: E402


def timed(label, func, repeat=3):
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    print(f"{label:<58} {best * 1000:9.1f} ms (best of {repeat})")
    return result


def numpy_floor(catalogue):
    """The same quartiles and ranks for the 'all clusters' group, straight NumPy on preloaded values."""
    indicators = catalogue_indicators(catalogue)
    pool = load_peer_pool(catalogue, indicators, today=datetime.date.today())
    group = pool.group((GROUPS.ALL, None))
    arrays = [np.asarray(values) for values in group.numbers.values()]
    own = {key: values[len(values) // 2] for key, values in group.numbers.items()}

    def compute():
        for (key, _values), array in zip(group.numbers.items(), arrays, strict=True):
            np.percentile(array, [25, 50, 75])
            x = own[key]
            (np.count_nonzero(array < x) + 0.5 * np.count_nonzero(array == x)) / len(array)

    return compute, len(arrays), sum(len(a) for a in arrays), series_values


def pdf_requests(report):
    """The PDF view: the first request renders and stores the file, later ones serve it."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.filter(is_staff=True, is_active=True).first())
    url = f"/reports/{report.code}.pdf"

    def get():
        response = client.get(url)
        assert response.status_code == 200
        return b"".join(response.streaming_content)

    timed("PDF request, first (render and store)", get, repeat=1)
    timed("PDF request, later (the stored file)", get, repeat=5)


def main():
    catalogue = Catalogue.objects.get(version="1")
    interview = Interview.objects.filter(status=Interview.Status.APPROVED).order_by("-date").first()
    clusters = Interview.objects.filter(status=Interview.Status.APPROVED).values("cluster").distinct().count()
    print(f"Database: {connection.vendor}, {clusters} clusters with an approved interview")
    with CaptureQueriesContext(connection) as queries:
        report = report_issue(interview=interview, user=None)
    print(f"Issuing one report: {len(queries)} queries")
    reset_queries()
    report = timed("report_issue (snapshot: 4 groups, 36 indicators)", lambda: report_issue(interview=interview))
    from benchmarking.selectors.reports import build_snapshot

    timed("  of which build_snapshot", lambda: build_snapshot(interview))
    page = "benchmarking/reports/detail.html"
    timed("render the page (template + SVG charts)", lambda: render_to_string(page, _context(report)))
    html = report_pdf_html(report)
    pdf = timed("render the PDF (WeasyPrint)", lambda: render_pdf(html), repeat=1)
    print(f"  PDF size {len(pdf) / 1024:.0f} KiB")
    pdf_requests(report)
    compute, series, values, _ = numpy_floor(catalogue)
    print(f"NumPy floor: {series} number series, {values} values in the 'all clusters' group")
    timed("  NumPy quartiles + ranks, all series, one group", compute)
    from benchmarking.selectors import statistics as ours

    pool = load_peer_pool(catalogue, catalogue_indicators(catalogue), today=datetime.date.today())
    group = pool.group((GROUPS.ALL, None))

    def ours_compute():
        for values in group.numbers.values():
            ours.number_summary(values, values[len(values) // 2], missing=0)

    timed("  ours (statistics.number_summary), same series", ours_compute)


if __name__ == "__main__":
    main()
