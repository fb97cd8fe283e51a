"""Time and peak memory of the secretariat's analysis export, at two sizes.

    export DATABASE_URL=sqlite:////tmp/bench.sqlite3
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py seed_demo --clusters 10000
    .venv/bin/python benchmarks/bench_exchange_exports.py

The two sizes are the approved interviews up to a date that takes about a tenth of them,
and all of them. Each export is produced and read to its end through Django's test
Client; the peak is Python's own allocations (tracemalloc) during that. Streaming in
constant memory shows as the same peak at both sizes, while the bytes grow tenfold.
"""

import os
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def body_length(response) -> int:
    if response.streaming:
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def staff_client():
    from django.contrib.auth import get_user_model
    from django.test import Client

    user, _ = get_user_model().objects.get_or_create(username="benchmark-secretariat", defaults={"is_staff": True})
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


def measure(client, url: str) -> tuple[float, float, int]:
    tracemalloc.start()
    start = time.perf_counter()
    response = client.get(url)
    size = body_length(response)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return seconds, peak / 1024 / 1024, size


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecei_site.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.urls import reverse

    from benchmarking.models import Catalogue, Interview

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    catalogue = Catalogue.objects.get(is_active=True)
    approved = Interview.objects.filter(status=Interview.Status.APPROVED, catalogue=catalogue)
    dates = list(approved.order_by("date").values_list("date", flat=True))
    tenth = dates[len(dates) // 10]
    client = staff_client()
    print(f"{len(dates):,} approved interviews on catalogue v{catalogue.version}")
    print(f"{'export':<12} {'interviews':>10} {'seconds':>8} {'peak MiB':>9} {'MiB out':>8}")
    for layout in ("wide", "long"):
        for fmt in ("csv", "xlsx"):
            for label, date_to in (("a tenth", tenth.isoformat()), ("all", "")):
                url = (
                    f"{reverse('exchange:analysis')}?catalogue={catalogue.version}"
                    f"&layout={layout}&format={fmt}&date_to={date_to}"
                )
                count = sum(1 for d in dates if not date_to or d <= tenth)
                seconds, peak, size = measure(client, url)
                name = f"{layout} {fmt}"
                print(f"{name:<12} {count:>10,} {seconds:>8.2f} {peak:>9.1f} {size / 2**20:>8.1f}  ({label})")


if __name__ == "__main__":
    main()
