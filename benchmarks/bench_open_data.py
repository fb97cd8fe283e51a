"""The open data's statistics at a size no seeded database has (default 100,000 clusters).

    .venv/bin/python benchmarks/bench_open_data.py [--clusters 100000] [--database-url URL]

In one transaction, rolled back at the end, it adds N synthetic clusters in the 48 countries of
the real database and all portfolios, each with a history of labels (Bronze renewals every two
or three years since 2010, a Silver or Gold for some, a few suspended or withdrawn) and the
timeline of current labels the label services would keep for it (one period per label: the
labels of a synthetic cluster follow each other without overlap, so the rule's timeline is
"upcoming" before the first, each label over its own period, "expired" after the last). Then it
times `opendata.selectors.compute_statistics` (uncached: what a change of any cluster costs), the
statistics page through Django's test Client (cache cleared before each request), the cached
page, the API's JSON and one badge; and reads the labels CSV to its end. Only for benchmark
databases: it writes directly, past every service, and leaves nothing behind.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COUNTRIES = (
    "DE ES FR IT PL AT BE NL DK SE FI NO PT CZ SK HU RO BG HR SI GR CY IE LT LV EE LU MT GB CH IS TR "
    "RS MK AL BA ME MD UA GE AM IL TN MA MX BR CO"
).split()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="Database to use (default: the DATABASE_URL environment variable).")
    parser.add_argument("--clusters", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--keep", action="store_true",
        help="Commit the synthetic clusters and reuse them on the next run (a database kept for benchmarks only).",
    )
    return parser.parse_args()


def fill(n: int) -> tuple[int, int, int]:
    from benchmarking.models import CurrentLabelPeriod, Label
    from clusters.models import Cluster, ComparativePortfolio

    rng = random.Random(29)
    portfolios = list(ComparativePortfolio.objects.values_list("pk", flat=True))
    start = (Cluster.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1_000_000
    label_start = (Label.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1_000_000
    clusters, labels, periods = [], [], []
    label_pk = label_start
    today = datetime.date.today()
    for i in range(n):
        pk = start + i
        country = COUNTRIES[i % len(COUNTRIES)]
        clusters.append(Cluster(
            pk=pk, name=f"Bench cluster {i}", name_folded=f"bench cluster {i}", slug=f"bench-{pk}",
            country=country, country_name=country, portfolio_id=rng.choice(portfolios),
        ))  # fmt: skip
        day = datetime.date(2010 + rng.randrange(15), 1 + rng.randrange(12), 1 + rng.randrange(28))
        history = []
        while day < today and len(history) < 6:
            years = 2 if not history else 3
            level = "bronze"
            if history and rng.random() < 0.1:
                level = rng.choice(["silver", "gold"])
                years = 2
            until = day + datetime.timedelta(days=365 * years - 1)
            status = "active"
            if rng.random() < 0.02:
                status = rng.choice(["suspended", "withdrawn"])
            history.append(Label(
                pk=label_pk, cluster_id=pk, level=level, code=f"BEN{label_pk}", benchmarked_on=day,
                awarded_on=day + datetime.timedelta(days=30), valid_from=day, valid_until=until, status=status,
                source="import",
            ))  # fmt: skip
            label_pk += 1
            day = until + datetime.timedelta(days=1 + rng.randrange(200) * (rng.random() < 0.3))
        labels += history
        periods.append(CurrentLabelPeriod(
            cluster_id=pk, starts_on=datetime.date.min, ends_on=history[0].valid_from - datetime.timedelta(days=1),
            label_id=history[0].pk, status="upcoming", valid_until=history[0].valid_until, level=history[0].level,
        ))  # fmt: skip
        for label in history:
            periods.append(CurrentLabelPeriod(
                cluster_id=pk, starts_on=label.valid_from, ends_on=label.valid_until, label_id=label.pk,
                status="valid" if label.status == "active" else label.status, valid_until=label.valid_until,
                level=label.level,
            ))  # fmt: skip
        last = history[-1]
        periods.append(CurrentLabelPeriod(
            cluster_id=pk, starts_on=last.valid_until + datetime.timedelta(days=1), ends_on=datetime.date.max,
            label_id=last.pk, status="expired" if last.status == "active" else last.status,
            valid_until=last.valid_until, level=last.level,
        ))  # fmt: skip
        clusters[-1].label_status = last.status
        clusters[-1].label_valid_from = last.valid_from
        clusters[-1].label_valid_until = last.valid_until
    Cluster.objects.bulk_create(clusters, batch_size=5000)
    Label.objects.bulk_create(labels, batch_size=5000)
    CurrentLabelPeriod.objects.bulk_create(periods, batch_size=5000)
    return len(clusters), len(labels), len(periods)


def timed(action, repeat: int) -> tuple[float, float]:
    action()  # warm up
    times = []
    for _ in range(repeat):
        begin = time.perf_counter()
        action()
        times.append((time.perf_counter() - begin) * 1000)
    return statistics.median(times), min(times)


def main() -> None:
    args = parse_args()
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecei_site.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection, transaction
    from django.test import Client
    from django.urls import reverse

    from benchmarking.models import CurrentLabelPeriod, Label
    from clusters.models import Cluster
    from opendata.selectors import compute_statistics

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    with transaction.atomic():
        if args.keep and Cluster.objects.filter(slug__startswith="bench-").exists():
            print("Reusing the synthetic clusters of an earlier run (--keep).")
        else:
            begin = time.perf_counter()
            made = fill(args.clusters)
            print(f"Added {made[0]:,} clusters, {made[1]:,} labels, {made[2]:,} periods in "
                  f"{time.perf_counter() - begin:.1f} s ({'kept' if args.keep else 'rolled back at the end'}).")
        print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}; {Cluster.objects.count():,} "
              f"clusters, {Label.objects.count():,} labels, {CurrentLabelPeriod.objects.count():,} periods; "
              f"median and best of {args.repeat}.")
        connection.cursor().execute("ANALYZE")  # fresh statistics for the planner, as autovacuum would keep
        today = datetime.date.today()
        stats = compute_statistics(today)
        print(f"Today: {stats.valid.total:,} clusters hold a valid label ({stats.valid.gold:,} Gold), "
              f"{len(stats.years)} years, {len(stats.countries)} countries.\n")
        client = Client(HTTP_HOST="127.0.0.1")
        page = reverse("opendata:statistics")

        def uncached_page():
            cache.clear()
            assert client.get(page).status_code == 200

        code = Label.objects.filter(code__startswith="BEN").values_list("code", flat=True).first()
        rows = [
            ("reference: COUNT(*) of the periods", lambda: CurrentLabelPeriod.objects.count()),
            ("reference: COUNT(*) of the labels", lambda: Label.objects.count()),
            ("compute_statistics (uncached)", lambda: compute_statistics(today)),
            ("statistics page, cache cleared", uncached_page),
            ("statistics page, cached", lambda: client.get(page)),
            ("API /api/v1/statistics/, cached", lambda: client.get(reverse("api:statistics"))),
            ("badge of one label", lambda: client.get(reverse("opendata:badge", args=[code]))),
        ]
        # On a shared machine absolute times vary with the load: the plain counts of the two tables
        # the statistics scan, timed in the same run, are the yardstick (the ratio is what to compare).
        print(f"Load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.")
        print(f"{'what':40} {'median ms':>10} {'best ms':>9}")
        for name, action in rows:
            median, best = timed(action, args.repeat)
            print(f"{name:40} {median:10.1f} {best:9.1f}")
        begin = time.perf_counter()
        size = sum(len(chunk) for chunk in client.get(reverse("opendata:table_csv", args=["labels"])).streaming_content)
        print(f"{'labels.csv, read to its end':40} {(time.perf_counter() - begin) * 1000:10.1f} "
              f"{'':>9} ({size / 1024 / 1024:.1f} MiB)")
        transaction.set_rollback(not args.keep)


if __name__ == "__main__":
    main()
