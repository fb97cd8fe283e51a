"""Time of the legacy import: 1,300 benchmarkings of 36 answers (target: under 60 seconds).

    .venv/bin/python benchmarks/bench_legacy_import.py [--rows 1300] [--database-url URL]

Self-contained: without --database-url it builds a fresh SQLite database in a temporary
folder (migrate, seed_demo), exports the approved history in the wide format (the import
format), keeps the oldest --rows rows, wipes the interviews, labels and reports, then times
a dry run and the real import of that file, and a second import of the same file (which
must create nothing). The process's CPU time is printed next to the wall time: on a shared
machine the load average (printed) stretches the latter. The database's own work (SQLite
runs in the process) is part of both. With --database-url (an empty PostgreSQL database) it does the same there.
"""

import argparse
import csv
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1300)
    parser.add_argument("--database-url", help="An empty database to use instead of a temporary SQLite one.")
    return parser.parse_args()


def export_history(rows: int) -> bytes:
    from benchmarking.models import Catalogue
    from exchange.analysis import AnalysisFilter, wide_header, wide_rows
    from exchange.codebook import catalogue_indicators

    catalogue = Catalogue.objects.current()
    indicators = catalogue_indicators(catalogue)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(wide_header(indicators))
    for n, row in enumerate(wide_rows(AnalysisFilter(catalogue=catalogue), indicators)):
        if n == rows:
            break
        writer.writerow(row)
    return out.getvalue().encode()


def wipe_history() -> None:
    from benchmarking.models import Answer, Interview, Label, LabelReminder, Report

    LabelReminder.objects.all().delete()
    Report.objects.all().delete()
    for label in Label.objects.filter(interview__isnull=False).order_by("-valid_from"):
        label.delete()
    Answer.objects.all().delete()
    Interview.objects.all().delete()


def main() -> None:
    args = parse_args()
    folder = tempfile.mkdtemp(prefix="ecei-bench-import-")
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecei_site.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from exchange.services.legacy_import import legacy_import

    call_command("migrate", verbosity=0)
    # About two approved interviews per cluster: enough clusters for --rows rows.
    call_command("seed_demo", clusters=max(60, args.rows * 6 // 10), verbosity=0, stdout=io.StringIO(),
                 stderr=io.StringIO())
    content = export_history(args.rows)
    wipe_history()
    user = get_user_model().objects.get(username="secretariat")
    load = os.getloadavg()[0]
    print(f"Database: {connection.vendor}; file: {args.rows:,} rows, {len(content) / 2**20:.1f} MiB; "
          f"load average {load:.1f} on {os.cpu_count()} CPUs")
    for label, dry_run in (("dry run", True), ("import", False), ("same file again", False)):
        queries = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(1)
            return execute(sql, params, many, context)

        start, cpu = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(count):
            result = legacy_import(content=content, filename="history.csv", user=user, dry_run=dry_run)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        if result.errors:
            raise SystemExit(f"{len(result.errors)} errors, first: {result.errors[0]}")
        print(
            f"{label:<16} {seconds:>7.1f} s wall, {cpu:>6.1f} s CPU  created {result.created:>5,}  "
            f"skipped {len(result.skipped):>5,}  {len(queries):>7,} queries"
        )


if __name__ == "__main__":
    main()
