"""The stored peer groups at a size no seeded database has: reading a report's four groups, and
one approval's update of them, on synthetic groups of N clusters. Never part of the test suite.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ecei_x .venv/bin/python benchmarks/bench_peer_groups.py 100000

The database needs catalogue v1 (any migrated database with the reference data); everything
is written in a transaction that is rolled back. The groups have the shape seed_demo gives at
10,000 clusters, scaled: 46 number series with values for 99.7% of the members (458,333
values at 10,000), a portfolio group of 1/13, a country group of 1/30 and an excellence group
of 5.8% of the clusters, and the option indicators counted. The values are random, with ties
like real answers (counts and shares rounded).

What it times is the code of the product: PeerPool.read (one query, decoding the arrays) and
services.peer_values._update_groups (decode, take one cluster's values out, put new ones in,
encode, write), which is the part of peer_values_refresh that grows with the groups.
"""

import os
import random
import statistics as stdlib
import sys
import tempfile
import time
from array import array
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecei_site.settings")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="ecei-bench-media-"))

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarking.models import Catalogue, PeerGroupValues  # noqa: E402
from benchmarking.selectors.reports.peers import GROUPS, load_peer_pool  # noqa: E402
from benchmarking.selectors.reports.stored_groups import MemberValues, StoredGroup  # noqa: E402
from benchmarking.services.peer_values import _update_groups  # noqa: E402

SERIES, ANSWERED = 46, 0.997
ONE = 13 * 17 * 30  # a cluster in all four groups: the one approved and reported on


class Rollback(Exception):
    pass


def keys_of(cluster_id: int) -> list[tuple[str, str]]:
    keys = [(GROUPS.ALL, "")]
    keys += [(GROUPS.PORTFOLIO, "1")] if cluster_id % 13 == 0 else []
    keys += [(GROUPS.COUNTRY, "DE")] if cluster_id % 30 == 0 else []
    return keys + ([(GROUPS.EXCELLENCE, "")] if cluster_id % 17 == 0 else [])


def member(rng, cluster_id: int, numeric, options) -> MemberValues:
    values = MemberValues(cluster_id, 1 if cluster_id % 13 == 0 else 2, "DE" if cluster_id % 30 == 0 else "FR")
    for key in numeric:
        if rng.random() < ANSWERED:
            values.numbers.append((key, float(round(rng.lognormvariate(3, 1.2), rng.choice([0, 0, 2])))))
    for pk in options:
        values.answered.append(pk)
        values.chosen.append((pk, rng.choice(["yes", "no"])))
    return values


def synthetic_groups(catalogue, clusters: int, rng):
    """The four groups of ONE, built in bulk (appended, then sorted once), and ONE's values."""
    indicators = list(catalogue.indicators.order_by("pk").values_list("pk", flat=True))
    numeric = [(indicators[i % len(indicators)], f"s{i}") for i in range(SERIES)]
    options = indicators[-10:]
    groups = {key: StoredGroup() for key in keys_of(ONE)}
    lists = {key: {} for key in groups}
    kept = None
    for cluster_id in range(1, clusters + 1):
        values = member(rng, cluster_id, numeric, options)
        kept = values if cluster_id == ONE else kept
        for key in keys_of(cluster_id):
            groups[key].members.append(cluster_id)
            for series, number in values.numbers:
                lists[key].setdefault(series, []).append(number)
            for pk, option in values.chosen:
                answering, counts = groups[key].options.get(pk, (0, Counter()))
                counts[option] += 1
                groups[key].options[pk] = (answering + 1, counts)
    for key, group in groups.items():
        group.numbers = {series: array("d", sorted(values)) for series, values in lists[key].items()}
    print(
        "  "
        + ", ".join(
            f"{kind}: {g.size:,} clusters, {sum(map(len, g.numbers.values())):,} values"
            for (kind, _), g in groups.items()
        )
    )
    return groups, kept, numeric, options


def timed(label, func, repeat=5):
    times, cpus = [], []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        func()
        times.append((time.perf_counter() - start) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    print(
        f"{label:<58} median {stdlib.median(times):8.1f} ms   best {min(times):8.1f} ms   "
        f"CPU {stdlib.median(cpus):7.1f} ms   ({repeat} runs, load {os.getloadavg()[0]:.1f})"
    )


def main():
    clusters = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    rng = random.Random(15)
    catalogue = Catalogue.objects.get(version="1")
    print(
        f"Database: {connection.vendor} {connection.settings_dict['NAME']}; synthetic groups of {clusters:,} clusters"
    )
    groups, kept, numeric, options = synthetic_groups(catalogue, clusters, rng)
    gold = set(range(17, clusters + 1, 17))
    try:
        with transaction.atomic():
            PeerGroupValues.objects.filter(catalogue=catalogue).delete()
            for (kind, key), group in groups.items():
                PeerGroupValues.objects.create(catalogue=catalogue, kind=kind, key=key, **group.encode())
            size = sum(len(row.numbers) for row in PeerGroupValues.objects.filter(catalogue=catalogue))
            print(f"  stored: {size / 2**20:.1f} MiB of sorted numbers in the four groups")
            indicators = list(catalogue.indicators.all())
            keys = [(GROUPS.PORTFOLIO, 1), (GROUPS.COUNTRY, "DE"), (GROUPS.ALL, None), (GROUPS.EXCELLENCE, None)]

            def read():
                pool = load_peer_pool(catalogue, indicators, today=timezone.localdate())
                pool._gold = gold  # as stored: no Gold holder entered or left since
                pool.read(keys, cluster_id=ONE)

            with CaptureQueriesContext(connection) as queries:
                read()
            print(f"  reading a report's four groups: {len(queries)} queries")
            timed("read a report's four groups (PeerPool.read)", read)

            state = {"old": kept}

            def update():
                # One approval: ONE's former values out of its four groups, new ones in, written back.
                new = member(rng, ONE, numeric, options)
                _update_groups(catalogue.pk, {ONE: state["old"]}, {ONE: new}, gold)
                state["old"] = new

            timed("one approval's update of its four groups (_update_groups)", update)
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
