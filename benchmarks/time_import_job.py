"""The legacy import as a background job while experts save (issue 26). Never part of the tests.

    .venv/bin/python benchmarks/time_import_job.py [--rows 20000] [--savers 8] [--repeated] [--database-url URL]

Self-contained: a fresh SQLite database in a temporary folder (or an empty one given by
--database-url), migrated, with the portfolios, catalogue v1 and twelve experts (ESCA-0001 to
ESCA-0012, accredited since June 2010). The file, --rows rows:

- by default (`--varied`) every row differs, as in a real legacy file: clusters, countries,
  portfolios, experts and dates drawn as the demo data draws them (benchmarking/demo/history.py:
  a cluster benchmarked once or more, 20-36 months apart, its labels renewing by the rules),
  the answers `plausible_values` gives (benchmarking/demo/values.py) written as the analysis
  export writes them (exchange/variables.encode), a missing-value code now and then; catalogue v1,
  dates from 2011 to 14 November 2019, the rows in date order. Every row is valid. The check
  judges each row's numbers and date afresh: its memo of a form's verdict on the same input and date
  (exchange/legacy.Judges) applies only to the cells that repeat (yes/no, codes, NA).
- `--repeated`: `fixtures/legacy_benchmarkings_valid.csv` repeated until --rows rows, each copy
  under new cluster names and codes (4 clusters, one with a renewal, per 5 rows). Its cells
  repeat the sample's five rows, so the check's memo answers nearly every form: the flattering
  case, kept to compare with earlier runs.

It then runs the job exactly as the worker does (`import_job_advance` step after step: read,
check, the rules' dry run, then apply, each batch its own short transaction) while --savers
processes, each with its own connection, save a cluster through `cluster_save` every 0.2 s, as
experts saving through the web servers would take SQLite's write lock. Processes, not threads:
the experts' saves come from gunicorn's processes, not from the worker's, and threads in the
job's process would share its interpreter lock with it (they did until 7 December 2026; the
figures before that date were made so). Printed: each phase's wall time, the job's CPU time,
the saves made and failed and their slowest, and the peak memory (max RSS) of the job's process.
"""

import argparse
import csv
import datetime
import io
import multiprocessing
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--savers", type=int, default=8)
    kind = parser.add_mutually_exclusive_group()
    kind.add_argument(
        "--varied", dest="repeated", action="store_false",
        help="Every row's cells differ, as in a real file (the default).",
    )  # fmt: skip
    kind.add_argument(
        "--repeated", dest="repeated", action="store_true",
        help="The sample's 5 rows repeated under new names (the check's memo answers nearly every form).",
    )  # fmt: skip
    parser.set_defaults(repeated=False)
    parser.add_argument("--seed", type=int, default=26, help="The varied file's random draws.")
    parser.add_argument("--database-url", help="An empty database to use instead of a temporary SQLite one.")
    parser.add_argument(
        "--debug", action="store_true",
        help="Keep DEBUG on (the development default): every connection logs its last 9,000 queries, "
        "each formatted with its values, as a production worker does not.",
    )  # fmt: skip
    return parser.parse_args()


def build_repeated_file(rows: int) -> bytes:
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


# The earlier database's era: catalogue v1, before v2 was published (15 November 2019).
VARIED_UNTIL = datetime.date(2019, 11, 14)
EXPERTS = [f"ESCA-{n:04d}" for n in range(1, 13)]


def build_varied_file(rows: int, seed: int) -> bytes:
    """`rows` rows whose cells differ, drawn as the demo data is (see the module's docstring)."""
    from django_countries.fields import Country

    from benchmarking.demo.history import DemoHistory
    from benchmarking.demo.values import answer_fields, plausible_values
    from benchmarking.models import Answer, Catalogue, Indicator
    from exchange.variables import catalogue_variables, encode, indicator_variables

    rng = random.Random(seed)
    catalogue = Catalogue.objects.get(version="1")
    indicators = list(Indicator.objects.filter(catalogue=catalogue).order_by("category__order", "order"))
    variables = {i.pk: indicator_variables(i) for i in indicators}
    header = ["report_code", "label_code", "cluster", "country", "portfolio", "website", "expert",
              "interview_date", "catalogue_version"] + [v.name for v in catalogue_variables(indicators)]  # fmt: skip
    history = DemoHistory(rng, experts=[], today=VARIED_UNTIL)
    lines, number = [], 0
    while len(lines) < rows:
        cluster = history.cluster()
        country = str(cluster.country)
        alpha3 = Country(country).alpha3
        maturity = rng.uniform(0.15, 0.85)
        # The cluster as the earlier database spelled it: the country in two or three letters, the
        # portfolio by its name or (now and then) its slug.
        country_cell = alpha3 if rng.random() < 0.2 else country
        portfolio_cell = cluster.portfolio.slug if rng.random() < 0.1 else cluster.portfolio.name
        number += 1  # the cluster's number in its codes: unique, as the codes must be
        for round_no, day in enumerate(history.benchmark_dates()):
            values = plausible_values(rng, interview_date=day, maturity=min(0.95, maturity + 0.08 * round_no))
            if rng.random() < 0.1:
                values["C1"] = None  # a budget not disclosed
            cells = {}
            for indicator in indicators:
                value = values[indicator.code]
                fields = answer_fields(indicator, value)
                if indicator.code == "C1" and value is None:
                    fields = {"missing_reason": Answer.MissingReason.NOT_DISCLOSED}
                cells |= encode(indicator, Answer(**fields), variables[indicator.pk])
            stamp = f"{alpha3}{number:05d}{day:%Y%m}"
            lines.append(
                [
                    f"{stamp}CIP{len(lines):05d}",
                    f"{stamp}B" if rng.random() < 0.85 else "",  # some benchmarkings earned no label
                    cluster.name,
                    country_cell,
                    portfolio_cell,
                    cluster.website,
                    rng.choice(EXPERTS),
                    day.isoformat(),
                    catalogue.version,
                    *(cells[name] for name in header[9:]),
                ]
            )
    lines = sorted(lines[:rows], key=lambda line: line[7])  # the earlier database's order: by date
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(lines)
    return out.getvalue().encode()


def main() -> None:
    args = parse_args()
    folder = tempfile.mkdtemp(prefix="ecei-bench-import-job-")
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecei_site.settings")
    os.environ["MEDIA_ROOT"] = f"{folder}/media"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = args.debug  # as the worker runs in production: no query log (see --debug)
    from django.db import connection, connections

    from benchmarking.models import Interview
    from benchmarking.services.clusters import cluster_save
    from clusters.models import Cluster, ComparativePortfolio
    from exchange.models import ImportJob, ImportRow
    from exchange.services.import_jobs import import_job_advance, import_job_create
    from tests.factories import ExpertFactory, UserFactory

    call_command("migrate", verbosity=0)
    call_command("loaddata", "portfolios", "catalogue_v1", verbosity=0)
    for number in EXPERTS:
        ExpertFactory(accreditation_number=number, accredited_from=datetime.date(2010, 6, 1))
    user = UserFactory(is_staff=True, username="secretariat")
    portfolio = ComparativePortfolio.objects.get(slug="ict")
    own = []
    for i in range(args.savers):
        cluster = Cluster(name=f"Saver {i}", slug=f"saver-{i}", country="DE", portfolio=portfolio)
        own.append(cluster_save(cluster=cluster, user=user).pk)
    content = build_repeated_file(args.rows) if args.repeated else build_varied_file(args.rows, args.seed)
    connection.close()

    context = multiprocessing.get_context("fork")  # Django set up once, in the parent
    stop, results = context.Event(), context.Queue()

    def saver(pk: int) -> None:
        connections.close_all()  # never the parent's connection
        made, failed, slowest, n = 0, [], 0.0, 0
        while not stop.is_set():
            n += 1
            start = time.perf_counter()
            try:
                cluster = Cluster.objects.get(pk=pk)
                cluster.website = f"https://saver-{pk}-{n}.example.org/"
                cluster_save(cluster=cluster, user=None)
                made += 1
            except Exception as exc:  # every failure counts, whatever its kind
                failed.append(repr(exc))
            slowest = max(slowest, time.perf_counter() - start)
            time.sleep(0.2)
        connections.close_all()
        results.put((made, failed, slowest))

    load = os.getloadavg()[0]
    print(
        f"Database: {connection.vendor}; file: {args.rows:,} {'repeated' if args.repeated else 'varied'} rows, "
        f"{len(content) / 2**20:.1f} MiB; "
        f"{args.savers} savers; DEBUG {'on' if args.debug else 'off'}; "
        f"load average {load:.1f} on {os.cpu_count()} CPUs"
    )
    savers = [context.Process(target=saver, args=(pk,)) for pk in own]
    for process in savers:
        process.start()
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
    outcomes = [results.get() for _ in savers]
    for process in savers:
        process.join()
    saves = sum(made for made, _, _ in outcomes)
    failures = [failure for _, failed, _ in outcomes for failure in failed]
    slowest = max((longest for _, _, longest in outcomes), default=0.0)
    job.refresh_from_db()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("phase            wall s")
    for name, seconds in phases.items():
        print(f"{name:<16} {seconds:>7.1f}")
    print(f"total            {total:>7.1f}  (CPU of the job's process {cpu:.1f} s)")
    print(
        f"job: {job.phase}, created {job.created:,}, skipped {job.skipped:,}, rows with errors {job.error_rows:,}"
        f"{', ' + job.problem if job.problem else ''}"
    )
    print(f"interviews in the database: {Interview.objects.count():,}")
    print(f"saves: {saves:,} made, {len(failures)} failed, slowest {slowest * 1000:.0f} ms")
    for failure in failures[:5]:
        print("  failed:", failure)
    print(f"peak memory (max RSS of the process): {peak:.0f} MiB; load average now {os.getloadavg()[0]:.1f}")
    for row, errors in ImportRow.objects.filter(job=job).exclude(errors=[]).values_list("row", "errors")[:5]:
        print(f"  row {row}:", errors)
    if job.phase != ImportJob.Phase.APPLIED:
        raise SystemExit("The import did not finish.")


if __name__ == "__main__":
    main()
