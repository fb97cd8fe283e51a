"""Issue 30, the long tail: every page a cluster's reader or the secretariat opens at 10,000 and
100,000 clusters, each against the admin's cluster changelist in the same run, one table.

    .venv/bin/python benchmarks/bench_long_tail.py \\
        --database-url sqlite:////tmp/ecei-bench-10000.sqlite3 \\
        --database-url postgres://postgres@127.0.0.1:5432/ecei_bench_100k

Each database (filled by `manage.py seed_demo --clusters N`, or grown by grow_database.py) is
measured in a child process of its own (Django is set up once per process), then one table
prints a column per database: the median in ms and, in brackets, the ratio to the admin cluster
changelist at the public list's page size measured in that same run. What is measured:

- the public list: the first, the middle and the last page, and the middle page of a filtered
  and sorted list, each requested twice first (a middle page keeps the list's order in the
  cache: ecei_site.paging.SeekPaginator), and the API's list at the same pages;
- every admin changelist (admin.site's registry), at the admin's own page size;
- report_issue (rolled back each time): the first in the process, the later ones (the stored
  groups decoded once per process: selectors.reports.stored_groups.DecodedGroups), and one right
  after a refresh of the cluster's peers, as the worker issues it after an approval (the refresh
  leaves the groups it wrote decoded);
- the report page, first request (rendered and stored) and later ones (documents/report_page.py);
- the PDF request once its file is stored (a stand-in file: WeasyPrint is not timed here).

Timings are wall times of Django's test Client (the full stack, no network), on whatever else
the machine runs: the load average is printed with each database. Never part of the test suite.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database-url", action="append", help="A database to measure (repeatable; default: DATABASE_URL)."
    )
    parser.add_argument("--repeat", type=int, default=5, help="Timed requests per page (default 5).")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="Measure the databases in turn this many times (10k, 100k, 10k, 100k, ...) and pool the timings:"
        " the load moves between children, and alternating spreads it over both (default 1).",
    )
    parser.add_argument("--root", default=str(ROOT), help="The checkout whose code is measured (default: this one).")
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


# --- The child: one database ----------------------------------------------------------------


def _timed(func, repeat: int) -> dict:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return {"median": statistics.median(times), "best": min(times), "times": times}


def measure_one(repeat: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecei_site.settings")
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="ecei-bench-media-"))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib import admin
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.db import connection, transaction
    from django.test import Client
    from django.urls import reverse

    from benchmarking.documents.report_pdf import report_pdf_name
    from benchmarking.models import Interview, Report
    from benchmarking.services.peer_values import peer_values_refresh
    from benchmarking.services.reports import report_issue
    from clusters.models import Cluster
    from directory.selectors import listed_clusters
    from directory.views import PAGE_SIZE

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    user, _ = get_user_model().objects.get_or_create(
        username="benchmark-superuser", defaults={"is_staff": True, "is_superuser": True}
    )
    public, staff = Client(HTTP_HOST="127.0.0.1"), Client(HTTP_HOST="127.0.0.1")
    staff.force_login(user)
    rows: dict[str, dict] = {}

    def get(client, url):
        def once():
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
            if response.streaming:
                b"".join(response.streaming_content)

        return once

    def page(name, client, url, warm=2):
        for _ in range(warm):
            get(client, url)()
        rows[name] = _timed(get(client, url), repeat)

    # The reference: the admin's cluster changelist at the public list's page size.
    reference_admin = admin.site._registry[Cluster]
    reference_admin.list_per_page = PAGE_SIZE
    page("admin cluster changelist (reference)", staff, "/admin/clusters/cluster/")

    listed = listed_clusters().count()
    last = max(1, -(-listed // PAGE_SIZE))
    middle = (last + 1) // 2
    listing = reverse("clusters:list")
    page("list, first page", public, listing)
    page("list, middle page", public, f"{listing}?page={middle}")
    page("list, last page", public, f"{listing}?page={last}")
    page("list, status=valid, sort=country, middle", public, f"{listing}?status=valid&sort=country&page={middle // 2}")
    api = reverse("api:cluster_list")
    page("API list, first page", public, api)
    page("API list, middle page", public, f"{api}?page={middle}")

    # Every admin changelist, at its own page size.
    reference_admin.list_per_page = 100
    for model in sorted(admin.site._registry, key=lambda m: m._meta.label):
        if model is Cluster:
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        page(f"admin {model._meta.label} changelist", staff, url, warm=1)
    reference_admin.list_per_page = PAGE_SIZE

    # report_issue, rolled back: the first in this process, then the later ones.
    interview = Interview.objects.filter(status=Interview.Status.APPROVED).order_by("-date", "-pk").first()

    class Rollback(Exception):
        pass

    def issue():
        try:
            with transaction.atomic():
                report_issue(interview=interview, user=user)
                raise Rollback
        except Rollback:
            pass

    rows["report_issue, first in the process"] = _timed(issue, 1)
    rows["report_issue, later"] = _timed(issue, repeat)

    # As the worker does after each approval: the cluster's peers refreshed (new group versions),
    # then its report issued in the same process; only the issue timed, both rolled back.
    def refreshed_then_issued() -> float:
        try:
            with transaction.atomic():
                peer_values_refresh([interview.cluster_id])
                start = time.perf_counter()
                report_issue(interview=interview, user=user)
                elapsed = (time.perf_counter() - start) * 1000
                raise Rollback
        except Rollback:
            return elapsed

    after_refresh = [refreshed_then_issued() for _ in range(repeat)]
    rows["report_issue, right after a refresh"] = {
        "median": statistics.median(after_refresh),
        "best": min(after_refresh),
        "times": after_refresh,
    }

    report = Report.objects.filter(interview__status=Interview.Status.APPROVED).order_by("-pk").first()
    url = reverse("benchmarking:report", kwargs={"code": report.code})
    rows["report page, first request"] = _timed(get(staff, url), 1)
    rows["report page, later requests"] = _timed(get(staff, url), repeat)
    default_storage.save(report_pdf_name(report, settings.LANGUAGE_CODE), ContentFile(b"%PDF-1.7 stand-in"))
    pdf = reverse("benchmarking:report_pdf", kwargs={"code": report.code})
    rows["report PDF, stored file"] = _timed(get(staff, pdf), repeat)

    return {
        "database": f"{connection.vendor} {Path(str(connection.settings_dict['NAME'])).name}",
        "clusters": Cluster.objects.count(),
        "load": os.getloadavg()[0],
        "rows": rows,
    }


# --- The parent: one child per database, one table --------------------------------------------


def main() -> None:
    args = parse_args()
    if args.inner:
        sys.path.insert(0, os.getcwd())
        print(json.dumps(measure_one(args.repeat)))
        return
    urls = args.database_url or [os.environ["DATABASE_URL"]]
    rounds: dict[str, list[dict]] = {url: [] for url in urls}
    for _ in range(args.rounds):
        for url in urls:
            env = {**os.environ, "DATABASE_URL": url}
            command = [sys.executable, str(Path(__file__).resolve()), "--inner", "--repeat", str(args.repeat)]
            done = subprocess.run(command, cwd=args.root, env=env, capture_output=True, text=True)
            if done.returncode:
                sys.stderr.write(done.stderr)
                raise SystemExit(f"{url}: the measurement failed")
            rounds[url].append(json.loads(done.stdout.strip().splitlines()[-1]))
    print_table([pooled(measured) for measured in rounds.values()])


def pooled(measured: list[dict]) -> dict:
    """One database's rounds as one result: every timing of a row pooled, its median and best
    over them all; the loads of the rounds kept for the heading."""
    rows = {}
    for name in measured[0]["rows"]:
        times = [t for result in measured for t in result["rows"][name]["times"]]
        rows[name] = {"median": statistics.median(times), "best": min(times), "n": len(times)}
    return {**measured[0], "rows": rows, "loads": [result["load"] for result in measured]}


def print_table(results: list[dict]) -> None:
    names = list(dict.fromkeys(name for result in results for name in result["rows"]))
    heads = [f"{r['database']} {r['clusters']:,} (load {_loads(r['loads'])})" for r in results]
    width = max(len(name) for name in names) + 2
    last = f"{'last / first':>34}" if len(results) > 1 else ""
    print(f"{'median ms (x admin cluster changelist)':{width}}" + "".join(f"{h:>34}" for h in heads) + last)
    for name in names:
        cells = []
        for result in results:
            row = result["rows"].get(name)
            reference = result["rows"]["admin cluster changelist (reference)"]["median"]
            cells.append(f"{row['median']:9.1f} ({row['median'] / reference:5.2f}x)" if row else "-")
        if len(results) > 1:  # the last database against the first: report_issue's 100k / 10k
            first, last = results[0]["rows"].get(name), results[-1]["rows"].get(name)
            cells.append(f"{last['median'] / first['median']:.2f}x" if first and last else "-")
        print(f"{name:{width}}" + "".join(f"{cell:>34}" for cell in cells))
    if len(results) > 1:
        print(f"last column: the median of the last database over the first; timings per row: {_counts(results)}")


def _loads(loads: list[float]) -> str:
    return f"{min(loads):.1f}" if len(loads) == 1 else f"{min(loads):.1f}-{max(loads):.1f}"


def _counts(results: list[dict]) -> str:
    counts = sorted({row["n"] for result in results for row in result["rows"].values()})
    return ", ".join(map(str, counts))


if __name__ == "__main__":
    main()
