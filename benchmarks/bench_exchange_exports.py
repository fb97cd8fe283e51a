"""Time and peak memory of the secretariat's analysis export, at two sizes.

    export DATABASE_URL=sqlite:////tmp/bench.sqlite3
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py seed_demo --clusters 10000
    .venv/bin/python benchmarks/bench_exchange_exports.py

The two sizes are the approved interviews up to a date that takes about a tenth of them,
and all of them. Each export runs in a fresh process, produced and read to its end through
Django's test Client (full middleware, view, ORM; no network); the process's peak resident
memory (ru_maxrss) is reported next to that of the same process before the request.
Streaming in constant memory shows as the same peak at both sizes while the output grows
tenfold.
"""

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecei_site.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]


def staff_client():
    from django.contrib.auth import get_user_model
    from django.test import Client

    user, _ = get_user_model().objects.get_or_create(username="benchmark-secretariat", defaults={"is_staff": True})
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


def max_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def one(url: str) -> None:
    """In the child process: one export, read to the end; prints a JSON line."""
    setup()
    client = staff_client()
    client.get("/exports/")  # load templates and code before the baseline
    before = max_rss_mib()
    start, cpu = time.perf_counter(), time.process_time()
    response = client.get(url)
    size = sum(len(chunk) for chunk in response.streaming_content) if response.streaming else len(response.content)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    print(json.dumps({"seconds": seconds, "cpu": cpu, "before": before, "peak": max_rss_mib(), "bytes": size}))


def main() -> None:
    setup()
    from django.urls import reverse

    from benchmarking.models import Catalogue, Interview

    catalogue = Catalogue.objects.current()
    approved = Interview.objects.filter(status=Interview.Status.APPROVED, catalogue=catalogue)
    dates = list(approved.order_by("date").values_list("date", flat=True))
    tenth = dates[len(dates) // 10]
    load = os.getloadavg()[0]
    print(f"{len(dates):,} approved interviews on catalogue v{catalogue.version}; load average {load:.1f}")
    columns = ("wall s", 7), ("CPU s", 6), ("RSS before", 11), ("RSS peak", 9), ("MiB out", 8)
    print(f"{'export':<10} {'interviews':>10} " + " ".join(f"{name:>{width}}" for name, width in columns))
    for layout in ("wide", "long"):
        for fmt in ("csv", "xlsx"):
            for date_to in (tenth.isoformat(), ""):
                url = (
                    f"{reverse('exchange:analysis')}?catalogue={catalogue.version}"
                    f"&layout={layout}&format={fmt}&date_to={date_to}"
                )
                count = sum(1 for d in dates if not date_to or d <= tenth)
                child = subprocess.run(
                    [sys.executable, __file__, "--one", url], capture_output=True, text=True, check=True
                )
                r = json.loads(child.stdout.strip().splitlines()[-1])
                name = f"{layout} {fmt}"
                print(
                    f"{name:<10} {count:>10,} {r['seconds']:>7.1f} {r['cpu']:>6.1f} {r['before']:>9.0f} M "
                    f"{r['peak']:>7.0f} M {r['bytes'] / 2**20:>8.1f}"
                )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        one(sys.argv[2])
    else:
        main()
