"""Requests per second under the production command against the development server.

Starts, one after the other on the same database, `make serve` (gunicorn, DEBUG off, the
workers of gunicorn.conf.py) and `manage.py runserver` (as `make run` serves the demo, DEBUG
on; and once more with DEBUG off, to separate the server from the debug mode), then sends
requests from 8 concurrent clients for a fixed time to the home page, the list of clusters
and an individual report page (logged in). Never part of the test suite.

    make bench                      # builds /tmp/ecei-bench-10000.sqlite3 first, runs every benchmark
    DATABASE_URL=sqlite:////tmp/ecei-bench-10000.sqlite3 .venv/bin/python benchmarks/bench_server.py
    .venv/bin/python benchmarks/bench_server.py --seconds 20 --clients 8

Every request opens its own connection (gunicorn's sync workers close it after each
response). The table shows requests per second, median and 95th percentile latency, the
server's CPU time per request (its processes' user + system time, from /proc: on a shared
machine the requests per second also measure the neighbours' load, the CPU time does not),
and the failures (anything but a 200).
"""

import argparse
import http.client
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SECRET_KEY = secrets.token_urlsafe(50)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecei_site.settings")
os.environ["SECRET_KEY"] = SECRET_KEY  # the servers must accept the session made here


def server_env(port: int, *, debug: bool) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "PORT"}}
    env.update(SECRET_KEY=SECRET_KEY, ALLOWED_HOSTS="127.0.0.1", SITE_URL=f"http://127.0.0.1:{port}")
    env.update(DEBUG=str(debug), SECURE_SSL_REDIRECT="False")
    return env


SERVERS = {
    "gunicorn (make serve)": (lambda port: ["make", "-s", "serve", f"PORT={port}"], False),
    "runserver, DEBUG on (make run)": (
        lambda port: [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        True,
    ),
    "runserver, DEBUG off": (
        lambda port: [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        False,
    ),
}


def wait_until_up(port: int, process: subprocess.Popen, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"The server on port {port} stopped (exit {process.returncode}).")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"Nothing answered on port {port} within {timeout} s.")


def cpu_seconds(root_pid: int) -> float:
    """CPU time (user + system) used so far by a server and every process under it (gunicorn's
    workers). Unlike requests per second it does not depend on what else the machine runs."""
    parents, times = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended meanwhile
        pid = int(stat.parent.name)
        parents[pid] = int(fields[1])
        times[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    tree, frontier = {root_pid}, [root_pid]
    while frontier:
        children = [pid for pid, parent in parents.items() if parent in frontier and pid not in tree]
        tree.update(children)
        frontier = children
    return sum(times.get(pid, 0.0) for pid in tree)


def get(port: int, path: str, cookie: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers={"Cookie": cookie, "Accept-Encoding": "gzip"})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def driven(requester, *, clients: int, seconds: float, server_pid: int) -> dict:
    """`clients` threads, each making requests with `requester(n)()` (the status, or an error) for
    `seconds`: requests per second, median and p95 latency, the server's CPU per request (its
    process tree), failures. bench_capacity.py drives its haproxy stack with the same."""
    latencies, failures = [], []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(n):
        request = requester(n)
        while time.monotonic() < stop:
            start = time.perf_counter()
            try:
                status = request()
            except OSError as error:
                status = repr(error)
            elapsed = time.perf_counter() - start
            with lock:
                (latencies if status == 200 else failures).append(elapsed if status == 200 else status)

    cpu_before, started = cpu_seconds(server_pid), time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    cpu = cpu_seconds(server_pid) - cpu_before
    ordered = sorted(latencies) or [float("nan")]
    return {
        "rps": len(latencies) / wall,
        "median": statistics.median(ordered) * 1000,
        "p95": ordered[int(0.95 * (len(ordered) - 1))] * 1000,
        "cpu per request": cpu / max(len(latencies), 1) * 1000,
        "failures": len(failures),
        "failure kinds": sorted({str(f) for f in failures})[:3],
    }


def load(port: int, path: str, cookie: str, *, clients: int, seconds: float, server_pid: int) -> dict:
    return driven(lambda n: lambda: get(port, path, cookie), clients=clients, seconds=seconds, server_pid=server_pid)


def report(name: str, page: str, r: dict) -> None:
    failures = f"{r['failures']} {r['failure kinds'] or ''}"
    line = (
        f"{r['rps']:6.1f} req/s  median {r['median']:6.0f} ms  p95 {r['p95']:6.0f} ms  "
        f"server CPU {r['cpu per request']:5.0f} ms/req  failures {failures}"
    )
    print(f"{name:<32} {page:<22} {line}", flush=True)


def session_cookie() -> tuple[str, str]:
    """A logged-in session of the secretariat (stored in the database the servers share), and a report."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from benchmarking.models import Report

    client = Client()
    client.force_login(get_user_model().objects.filter(is_staff=True, is_active=True).first())
    report = Report.objects.order_by("-issued_at").first()
    if report is None:
        raise SystemExit("No issued report in this database: run seed_demo first.")
    return f"sessionid={client.cookies['sessionid'].value}", f"/reports/{report.code}/"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 8191)))
    args = parser.parse_args()
    cookie, report_path = session_cookie()
    paths = {"home page": "/", "list of clusters": "/clusters/", "a report (logged in)": report_path}
    from django.conf import settings
    from django.db import connection

    database = f"{connection.vendor} {settings.DATABASES['default']['NAME']}"
    machine = f"{os.cpu_count()} CPU cores, load average {os.getloadavg()[0]:.1f}"
    print(f"Database: {database}; {args.clients} clients, {args.seconds:.0f} s per page; {machine}")
    results = {}
    for name, (command, debug) in SERVERS.items():
        port = args.port
        process = subprocess.Popen(
            command(port), cwd=ROOT, env=server_env(port, debug=debug), start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            wait_until_up(port, process)
            for path in paths.values():  # warm up: imports, templates, the first PDF fonts
                for _ in range(3):
                    get(port, path, cookie)
            for page, path in paths.items():
                results[name, page] = load(
                    port, path, cookie, clients=args.clients, seconds=args.seconds, server_pid=process.pid
                )
                report(name, page, results[name, page])
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=60)
            time.sleep(1)
    print()
    base, ours = "runserver, DEBUG on (make run)", "gunicorn (make serve)"
    print(f"Load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for page in paths:
        ratio = results[ours, page]["rps"] / results[base, page]["rps"]
        cpu = results[base, page]["cpu per request"] / results[ours, page]["cpu per request"]
        print(f"{page:<22} gunicorn against runserver (make run): {ratio:4.1f}x the requests per second, "
              f"{cpu:4.1f}x less server CPU per request")  # fmt: skip


if __name__ == "__main__":
    main()
