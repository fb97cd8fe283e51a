"""Requests per second per gunicorn worker behind haproxy, for the capacity model in
docs/deployment.md ("Capacity").

Starts the multi-node stack of tests/multinode.py with one app server of ONE gunicorn sync
worker (production settings, DEBUG off, Redis cache, FILE_STORAGE=database, TRUSTED_PROXIES=1)
behind haproxy, on the database of DATABASE_URL (filled by seed_demo), and loads each page through
haproxy from a few concurrent clients for a fixed time:

- the public list of clusters (`/clusters/`), a cluster's page, the API's list of clusters
  (anonymous; its rate limit raised for the run),
- an individual report page (the secretariat, logged in), an interview step (the demo expert's
  draft, logged in).

A sync worker answers one request at a time, so one worker's requests per second are its
capacity; the clients keep it busy. The machine may be shared: besides the requests per second
seen by the clients, the table gives the worker's CPU time per request (from /proc), from which
`1000 / CPU ms` is what one worker serves on a core of its own.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ecei_bench .venv/bin/python benchmarks/bench_capacity.py
    ... bench_capacity.py --seconds 20 --clients 4

Needs haproxy and redis-server (Debian packages). Never part of the test suite.
"""

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecei_site.settings")

from bench_server import SECRET_KEY, driven  # noqa: E402  (sets SECRET_KEY for the sessions made here)

from tests.multinode import Browser, Stack, task_worker_available  # noqa: E402


def sessions_and_pages() -> tuple[dict, dict]:
    """Logged-in sessions (in the database the server reads) and the pages to load."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from benchmarking.models import Interview, Report

    def session(user) -> str:
        client = Client()
        client.force_login(user)
        return f"sessionid={client.cookies['sessionid'].value}"

    User = get_user_model()
    report = Report.objects.select_related("interview__cluster").order_by("-issued_at").first()
    draft = (
        Interview.objects.filter(status=Interview.Status.DRAFT, expert__user__username="expert")
        .select_related("expert__user", "catalogue")
        .first()
    )
    if report is None or draft is None:
        raise SystemExit("No report or no draft interview of the demo expert: run seed_demo first.")
    category = draft.catalogue.categories.order_by("order").first()
    secretariat = session(User.objects.filter(is_staff=True, is_active=True).order_by("pk").first())
    expert = session(draft.expert.user)
    pages = {
        "public list": ("/clusters/", ""),
        "cluster page": (f"/clusters/{report.interview.cluster.slug}/", ""),
        "report page": (f"/reports/{report.code}/", secretariat),
        "interview step": (f"/interviews/{draft.pk}/step/{category.code}/", expert),
        "API list": ("/api/v1/clusters/", ""),
    }
    from django.conf import settings

    database = f"{settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]} {settings.DATABASES['default']['NAME']}"
    from clusters.models import Cluster

    return pages, {"database": database, "clusters": Cluster.objects.count()}


def load(port: int, path: str, cookie: str, *, clients: int, seconds: float, worker_pid: int) -> dict:
    """bench_server.driven through the proxy: each client a Browser of its own source address."""

    def requester(n):
        browser = Browser(port, source=f"127.0.2.{n + 1}")
        if cookie:
            name, value = cookie.split("=", 1)
            browser.cookies[name] = value
        return lambda: browser.request("GET", path, headers={"Accept-Encoding": "gzip"}).status

    return driven(requester, clients=clients, seconds=seconds, server_pid=worker_pid)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("Set DATABASE_URL to a database filled by seed_demo.")
    missing = [program for program in ("haproxy", "redis-server") if shutil.which(program) is None]
    if missing:  # `make bench` runs every script: say why this one has nothing to measure
        print(f"bench_capacity: skipped, {' and '.join(missing)} not installed (apt-get install haproxy redis-server)")
        return
    pages, about = sessions_and_pages()
    with tempfile.TemporaryDirectory(prefix="ecei-capacity-") as directory:
        stack = Stack(
            directory=Path(directory),
            database_url=os.environ["DATABASE_URL"],
            nodes=("a",),
            workers_per_node=1,
            secret_key=SECRET_KEY,
            gunicorn_args=("--max-requests", "0"),  # the one worker lives through the run: its CPU time adds up
            extra_env={"ECEI_API_RATE_ANONYMOUS": "1000000/minute", "LOG_LEVEL": "ERROR"},
        )
        try:
            stack.start(task_worker=False)
            port = stack.ports["proxy"]
            print(
                f"Database: {about['database']}, {about['clusters']} clusters; one gunicorn sync worker behind "
                f"haproxy; {args.clients} clients, {args.seconds:.0f} s per page; "
                f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
            )
            worker = "present" if task_worker_available(stack.node_env("a")) else "not in this checkout"
            print(f"Task worker (manage.py db_worker): {worker}")
            print()
            print(
                "| page | req/s seen | median ms | p95 ms | worker CPU ms/req | req/s per worker, own core | failures |"
            )
            print("|---|---|---|---|---|---|---|")
            for name, (path, cookie) in pages.items():
                warm = Browser(port)
                if cookie:
                    warm.cookies.update([cookie.split("=", 1)])
                for _ in range(5):  # warm up: imports, templates, caches
                    warm.get(path)
                r = load(
                    port, path, cookie, clients=args.clients, seconds=args.seconds, worker_pid=stack.processes["a"].pid
                )
                cpu = r["cpu per request"]
                print(
                    f"| {name} | {r['rps']:.1f} | {r['median']:.0f} | {r['p95']:.0f} | {cpu:.0f} | "
                    f"{1000 / cpu if cpu else float('nan'):.0f} | {r['failures']} {r['failure kinds'] or ''} |",
                    flush=True,
                )
        finally:
            stack.stop()
    print(f"\nLoad average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
