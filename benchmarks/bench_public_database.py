"""Server time of the public database's pages, against the Django admin's cluster changelist.

Fill a database with demo data, then run the benchmark against it:

    export DATABASE_URL=sqlite:////tmp/bench.sqlite3
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py seed_demo --clusters 10000
    .venv/bin/python benchmarks/bench_public_database.py --repeat 15

    # or on PostgreSQL
    .venv/bin/python benchmarks/bench_public_database.py --database-url postgres://postgres@127.0.0.1:5432/bench

Each page is requested through Django's test Client (the full middleware, URL routing,
view, ORM and template stack, no network), once to warm up and then --repeat times; the
table shows the median and the fastest time in milliseconds, the number of queries, and
the ratio of the median to that of the admin changelist at the same page size. Streamed
exports are read to the end, so their time covers every row.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="Database to measure (default: the DATABASE_URL environment variable).")
    parser.add_argument("--repeat", type=int, default=11, help="Timed requests per page (default 11).")
    return parser.parse_args()


def setup_django(database_url: str | None) -> None:
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecei_site.settings")
    import django

    django.setup()


def body_length(response) -> int:
    if response.streaming:
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def measure(client, url: str, repeat: int) -> dict:
    from django.db import connection

    # Counted with an execute wrapper: Django clears connection.queries at each request start.
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
        size = body_length(response)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        body_length(client.get(url))
        times.append((time.perf_counter() - start) * 1000)
    return {"median": statistics.median(times), "best": min(times), "queries": len(queries), "bytes": size}


def peak_memory_kib(client, url: str) -> float:
    """Peak Python memory while one response is produced and read to its end."""
    import tracemalloc

    tracemalloc.start()
    body_length(client.get(url))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1024


def admin_client():
    """A client logged in as a superuser made for the benchmark (no password, no login form)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    user, _ = get_user_model().objects.get_or_create(
        username="benchmark-superuser", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


def pages() -> list[tuple[str, str]]:
    """Every variant of the public list (each sort both ways, each filter, the last page),
    the overview, the exports and a cluster page; the country is the largest one."""
    from django.db.models import Count
    from django.urls import reverse

    from benchmarking.selectors.public_status import PublicStatus
    from directory.selectors import SORT_KEYS, listed_clusters
    from directory.views import PAGE_SIZE

    top = listed_clusters().values("country").annotate(n=Count("pk")).order_by("-n").first()
    country = top["country"] if top else "DE"
    listing = reverse("clusters:list")
    last = max(1, -(-listed_clusters().count() // PAGE_SIZE))
    variants = [("overview /", reverse("home")), ("list", listing)]
    for key in SORT_KEYS:
        variants += [(f"list, sort={key}", f"{listing}?sort={key}"), (f"list, sort=-{key}", f"{listing}?sort=-{key}")]
    for status, _ in PublicStatus.CHOICES:
        variants.append((f"list, status={status}", f"{listing}?status={status}"))
    variants += [
        (f"list, country={country}", f"{listing}?country={country}"),
        ("list, portfolio=ict", f"{listing}?portfolio=ict"),
        ("list, search q=cluster", f"{listing}?q=cluster"),
        ("list, country, sorted by date, page 2", f"{listing}?country={country}&sort=-valid_until&page=2"),
        (f"list, middle page ({(last + 1) // 2})", f"{listing}?page={(last + 1) // 2}"),
        (f"list, last page ({last})", f"{listing}?page={last}"),
        ("list, status=valid, sort=country, last page", f"{listing}?status=valid&sort=country&page={last}"),
        ("CSV export, everything", reverse("clusters:export_csv")),
        ("JSON export, everything", reverse("clusters:export_json")),
        ("cluster page", listed_clusters().first().get_absolute_url()),
    ]
    return variants


def admin_pages() -> list[tuple[str, str]]:
    """The admin's cluster changelist: the reference, and its own last page and sort."""
    from clusters.models import Cluster
    from directory.views import PAGE_SIZE

    last = max(0, -(-Cluster.objects.count() // PAGE_SIZE) - 1)  # the admin counts pages from 0
    url = "/admin/clusters/cluster/"
    return [
        ("admin cluster changelist (reference)", url),
        ("admin changelist, sorted by country", f"{url}?o=2"),
        ("admin changelist, middle page", f"{url}?p={last // 2}"),
        ("admin changelist, last page", f"{url}?p={last}"),
    ]


def main() -> None:
    args = parse_args()
    setup_django(args.database_url)

    from django.conf import settings
    from django.contrib import admin
    from django.db import connection
    from django.test import Client

    from clusters.models import Cluster
    from directory.selectors import listed_clusters
    from directory.views import PAGE_SIZE

    # The admin changelist is the reference, at the public list's page size.
    admin.site._registry[Cluster].list_per_page = PAGE_SIZE
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]

    print(
        f"Database: {connection.vendor} {connection.settings_dict['NAME']}; "
        f"{Cluster.objects.count():,} clusters, {listed_clusters().count():,} listed; "
        f"page size {PAGE_SIZE}; {args.repeat} timed requests per page."
    )
    public = Client(HTTP_HOST="127.0.0.1")
    results = [(name, url, measure(public, url, args.repeat)) for name, url in pages()]
    staff = admin_client()
    references = [(name, url, measure(staff, url, args.repeat)) for name, url in admin_pages()]
    reference = references[0][2]
    results += references

    print(f"\n{'page':46} {'median ms':>10} {'best ms':>9} {'queries':>8} {'KiB':>8} {'x admin':>8}")
    for name, _url, r in results:
        ratio = r["median"] / reference["median"]
        print(f"{name:46} {r['median']:10.1f} {r['best']:9.1f} {r['queries']:8d} {r['bytes'] / 1024:8.0f} {ratio:8.2f}")

    # Streaming: the peak memory of an export must not grow with the number of rows.
    from django.urls import reverse

    print("\nPeak Python memory of a streamed CSV export (tracemalloc):")
    # The rows are read in chunks of exports.CHUNK_SIZE, so the peak is bounded by a chunk.
    country = next(url for name, url in pages() if name.startswith("list, country=")).split("?")[1]
    for name, query in [("status=suspended", "?status=suspended"), (country, f"?{country}"), ("everything", "")]:
        url = reverse("clusters:export_csv") + query
        size = body_length(public.get(url))
        print(f"  {name:22} {size / 1024:8.0f} KiB of CSV, peak {peak_memory_kib(public, url):8.0f} KiB")


if __name__ == "__main__":
    main()
