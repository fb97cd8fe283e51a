"""Time `seed_demo --clusters N` on an empty database: each phase's wall and CPU time, and the
peak memory of the command with its worker processes. Never part of the test suite.

    .venv/bin/python benchmarks/time_seed_demo.py --clusters 10000
    .venv/bin/python benchmarks/time_seed_demo.py --clusters 10000 \\
        --database-url postgres://postgres@127.0.0.1:5432/ecei_seed_bench
    make bench-seed CLUSTERS=10000

The database is made anew and migrated first (a SQLite file is deleted, a PostgreSQL database
dropped and created), so only seed_demo itself is timed. It runs in a child process, as
`manage.py seed_demo` would, with each phase wrapped in a timer; this process samples the
proportional set size (PSS: pages shared between the command and the workers it forks count
once) of the child and its workers every 0.2 s. CPU time includes the workers (they are
waited for inside the report phase), not the PostgreSQL server's own processes.

Not named bench_*.py: `make bench` runs those against a database it keeps, and this one
starts from nothing.
"""

import argparse
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PHASES = [  # (label, what is wrapped: a module, then a function or a class's method in it)
    ("clusters, interviews, answers, labels", "benchmarking.management.commands.seed_demo", "Command.make_history"),
    ("  of which label facts, peer values and stored groups", "benchmarking.services.bulk", "derived_data_refresh"),
    ("the demo accounts' own work", "benchmarking.management.commands.seed_demo", "Command.make_demo_workload"),
    ("reports in every language", "benchmarking.management.commands.seed_demo", "Command.issue_reports"),
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clusters", type=int, default=10000, help="Synthetic clusters (default 10,000).")
    parser.add_argument("--jobs", type=int, help="seed_demo --jobs (default: seed_demo's own, one per core).")
    parser.add_argument(
        "--database-url",
        help="The database to make anew (default: sqlite:////tmp/ecei-seed-N.sqlite3; it is deleted first).",
    )
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


# --- The child: seed_demo with its phases timed ------------------------------------------------


def cpu_seconds() -> float:
    """This process's CPU time and that of the children it has waited for (the report workers)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


_depth = 0  # the total is at 0, the phases at 1, what a phase does that is timed apart at 2 (the
# derived data that the history's bulk service refreshes at its end); deeper calls are the outer one's


def timed(label: str, function):
    def run(*args, **kwargs):
        global _depth
        wall, cpu, depth = time.perf_counter(), cpu_seconds(), _depth
        _depth += 1
        try:
            result = function(*args, **kwargs)
        finally:
            _depth -= 1
        if depth <= 2:
            spent = f"{time.perf_counter() - wall:.2f}\t{cpu_seconds() - cpu:.2f}"
            print(f"PHASE\t{label}\t{spent}", file=sys.stderr, flush=True)
        return result

    return run


def run_seed_demo(clusters: int, jobs: int | None) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecei_site.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    import importlib

    for label, module, name in PHASES:
        owner, _, attribute = name.rpartition(".")
        target = importlib.import_module(module)
        target = getattr(target, owner) if owner else target
        setattr(target, attribute, timed(label, getattr(target, attribute)))
    arguments = ["seed_demo", "--clusters", str(clusters)] + (["--jobs", str(jobs)] if jobs else [])
    command = timed("total", lambda: call_command(*arguments))
    command()


# --- This process: a fresh database, the child, its memory -------------------------------------


def fresh_database(url: str) -> None:
    if url.startswith("sqlite:"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    name = url.rstrip("/").rpartition("/")[2]
    with psycopg.connect(url.rpartition("/")[0] + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def tree_pss_kib(root: int) -> int:
    """The PSS of `root` and every process below it (KiB); 0 for those that ended meanwhile."""
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                pending += [int(c) for c in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            total += int(re.search(r"^Pss:\s+(\d+)", rollup, re.M)[1])
        except (OSError, TypeError):
            continue
    return total


def main() -> None:
    args = parse_args()
    if args.inner:
        run_seed_demo(args.clusters, args.jobs)
        return
    url = args.database_url or f"sqlite:////tmp/ecei-seed-{args.clusters}.sqlite3"
    fresh_database(url)
    command = [sys.executable, __file__, "--inner", "--clusters", str(args.clusters)]
    command += ["--jobs", str(args.jobs)] if args.jobs else []
    child = subprocess.Popen(
        command, env={**os.environ, "DATABASE_URL": url}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    peak = 0

    def sample():
        nonlocal peak
        while child.poll() is None:
            peak = max(peak, tree_pss_kib(child.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    # A line may begin with what a progress bar left there (it ends its lines with \r).
    phases = [line[line.index("PHASE\t") :].split("\t")[1:] for line in child.stderr if "PHASE\t" in line]
    if child.wait():
        sys.exit(f"seed_demo failed (exit {child.returncode}); run it with manage.py to see why")
    sampler.join()
    load = os.getloadavg()[0]
    print(f"seed_demo --clusters {args.clusters:,} on {url.partition(':')[0]}, {os.cpu_count()} cores, load {load:.1f}")
    print("| phase | wall s | CPU s |\n|---|---|---|")
    spent: dict[str, list[float]] = {}  # a phase timed twice (the derived data) is summed
    for label, wall, cpu in phases:
        spent.setdefault(label, [0.0, 0.0])
        spent[label][0] += float(wall)
        spent[label][1] += float(cpu)
    for label in [label for label, *_ in PHASES if label in spent] + ["total"]:
        print(f"| {label} | {spent[label][0]:.1f} | {spent[label][1]:.1f} |")
    print(f"peak memory (PSS of the command and its workers): {peak / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
