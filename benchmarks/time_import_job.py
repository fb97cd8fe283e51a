"""The legacy import as a background job while experts save (issue 26). Never part of the tests.

    .venv/bin/python benchmarks/time_import_job.py [--rows 20000] [--savers 8] [--database-url URL]

Self-contained: a fresh SQLite database in a temporary folder (or an empty one given by
--database-url), migrated, with the portfolios, catalogue v1 and the two experts the sample
file names. The file: `fixtures/legacy_benchmarkings_valid.csv` repeated until --rows rows,
each copy under new cluster names and codes (4 clusters, one with a renewal, per 5 rows).

It then runs the job exactly as the worker does (`import_job_advance` step after step: read,
check, the rules' dry run, then apply, each batch its own short transaction) while --savers
threads, each with its own connection, save a cluster through `cluster_save` every 0.2 s, as
experts saving would take SQLite's write lock. Printed: each phase's wall time, the saves made
and failed and their slowest, and the peak memory (max RSS) of the process.
"""

import argparse
import csv
import io
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--savers", type=int, default=8)
    parser.add_argument("--database-url", help="An empty database to use instead of a temporary SQLite one.")
    parser.add_argument(
        "--debug", action="store_true",
        help="Keep DEBUG on (the development default): every connection logs its last 9,000 queries, "
        "each formatted with its values, as a production worker does not.",
    )  # fmt: skip
    return parser.parse_args()


def build_file(rows: int) -> bytes:
    sample = list(csv.reader((ROOT / "fixtures" / "legacy_benchmarkings_valid.csv").open(encoding="utf-8")))
    header, body = sample[0], sample[1:]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    n = 0
    copy = 0
    while n < rows:
        copy += 1
        for line in body:
            if n == rows:
                break
            line = list(line)
            line[0] = f"R{copy:07d}{n % 5}" if line[0] else ""  # report code
            line[1] = f"L{copy:07d}{n % 5}B" if line[1] else ""  # label code
            line[2] = f"{line[2]} {copy}"  # cluster name
            writer.writerow(line)
            n += 1
    return out.getvalue().encode()


def main() -> None:
    args = parse_args()
    folder = tempfile.mkdtemp(prefix="ecei-bench-import-job-")
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecei_site.settings")
    os.environ["MEDIA_ROOT"] = f"{folder}/media"
    import datetime

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = args.debug  # as the worker runs in production: no query log (see --debug)
    from django.db import connection, connections

    from benchmarking.models import Interview
    from benchmarking.services.clusters import cluster_save
    from clusters.models import Cluster, ComparativePortfolio
    from exchange.models import ImportJob
    from exchange.services.import_jobs import import_job_advance, import_job_create
    from tests.factories import ExpertFactory, UserFactory

    call_command("migrate", verbosity=0)
    call_command("loaddata", "portfolios", "catalogue_v1", verbosity=0)
    for number in ("ESCA-0001", "ESCA-0002"):
        ExpertFactory(accreditation_number=number, accredited_from=datetime.date(2010, 6, 1))
    user = UserFactory(is_staff=True, username="secretariat")
    portfolio = ComparativePortfolio.objects.get(slug="ict")
    own = []
    for i in range(args.savers):
        cluster = Cluster(name=f"Saver {i}", slug=f"saver-{i}", country="DE", portfolio=portfolio)
        own.append(cluster_save(cluster=cluster, user=user).pk)
    content = build_file(args.rows)
    connection.close()

    stop = threading.Event()
    saves, failures, slowest = [], [], [0.0]

    def saver(pk: int) -> None:
        n = 0
        while not stop.is_set():
            n += 1
            start = time.perf_counter()
            try:
                cluster = Cluster.objects.get(pk=pk)
                cluster.website = f"https://saver-{pk}-{n}.example.org/"
                cluster_save(cluster=cluster, user=None)
                saves.append(1)
            except Exception as exc:  # every failure counts, whatever its kind
                failures.append(repr(exc))
            slowest[0] = max(slowest[0], time.perf_counter() - start)
            time.sleep(0.2)
        connections.close_all()

    load = os.getloadavg()[0]
    print(f"Database: {connection.vendor}; file: {args.rows:,} rows, {len(content) / 2**20:.1f} MiB; "
          f"{args.savers} savers; DEBUG {'on' if args.debug else 'off'}; "
          f"load average {load:.1f} on {os.cpu_count()} CPUs")
    threads = [threading.Thread(target=saver, args=(pk,)) for pk in own]
    for thread in threads:
        thread.start()
    job = import_job_create(content=content, filename="history.csv", user=user, apply_when_clean=True, ask=False)
    phases: dict[str, float] = {}
    start = time.perf_counter()
    cpu = time.process_time()
    phase, since = "queued", start
    more = True
    while more:
        more = import_job_advance(job.pk)
        job.refresh_from_db()
        if job.phase != phase:
            now = time.perf_counter()
            phases[phase] = phases.get(phase, 0) + now - since
            phase, since = job.phase, now
    total, cpu = time.perf_counter() - start, time.process_time() - cpu
    stop.set()
    for thread in threads:
        thread.join()
    job.refresh_from_db()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("phase            wall s")
    for name, seconds in phases.items():
        print(f"{name:<16} {seconds:>7.1f}")
    print(f"total            {total:>7.1f}  (CPU {cpu:.1f} s)")
    print(f"job: {job.phase}, created {job.created:,}, skipped {job.skipped:,}, rows with errors {job.error_rows:,}"
          f"{', ' + job.problem if job.problem else ''}")
    print(f"interviews in the database: {Interview.objects.count():,}")
    print(f"saves: {len(saves):,} made, {len(failures)} failed, slowest {slowest[0] * 1000:.0f} ms")
    for failure in failures[:5]:
        print("  failed:", failure)
    print(f"peak memory (max RSS of the process): {peak:.0f} MiB; load average now {os.getloadavg()[0]:.1f}")
    if job.phase != ImportJob.Phase.APPLIED:
        raise SystemExit("The import did not finish.")


if __name__ == "__main__":
    main()
