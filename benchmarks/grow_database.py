"""Grow a benchmark database N times by copying its clusters, in SQL, for the 100,000-cluster figures.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/ecei_bench_100k
    createdb -T ecei_bench_10k ecei_bench_100k       # a copy of a database seed_demo filled
    .venv/bin/python benchmarks/grow_database.py --times 10

Each copy repeats every cluster with its approved and open interviews, their answers, its
labels (with the clusters' label facts and timelines of current labels) and its stored peer
values, under new ids (a fixed offset per copy), a new slug and a new label code; then the
stored peer groups are rebuilt by the product's own service. Reports, histories and board records are not copied: the
public list, the overview and `report_issue` do not read them. The issue that asked for
these figures built its 100,000 clusters the same way.
Only for benchmark databases: it writes directly, past every service.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="Database to grow (default: the DATABASE_URL environment variable).")
    parser.add_argument("--times", type=int, default=10, help="How many times the clusters there will be (default 10).")
    return parser.parse_args()


def setup_django(database_url: str | None) -> None:
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecei_site.settings")
    import django

    django.setup()


def copy_rows(cursor, model, copy: int, offsets: dict, changed: dict, where: str = "") -> int:
    """INSERT ... SELECT of the original rows of `model` (ids up to its offset), ids and foreign
    keys moved by the copy's offsets, some columns rewritten (`changed`: column -> SQL expression)."""
    table = model._meta.db_table
    columns, expressions = [], []
    for field in model._meta.concrete_fields:
        column = field.column
        columns.append(column)
        if column in changed:
            expressions.append(changed[column])
        elif field.primary_key:
            expressions.append(f"{column} + {offsets[table] * copy}")
        elif field.is_relation and field.related_model._meta.db_table in offsets:
            expressions.append(f"{column} + {offsets[field.related_model._meta.db_table] * copy}")
        else:
            expressions.append(column)
    condition = f"{model._meta.pk.column} < {offsets[table]}" + (f" AND {where}" if where else "")
    cursor.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(expressions)} FROM {table} WHERE {condition}"  # noqa: S608 - names from the models
    )
    return cursor.rowcount


def main() -> None:
    args = parse_args()
    setup_django(args.database_url)
    from django.db import connection, transaction
    from django.db.models import Max

    from benchmarking.models import Answer, CurrentLabelPeriod, Interview, Label, PeerValue
    from benchmarking.services.peer_values import peer_groups_rebuild
    from clusters.models import Cluster

    models = [Cluster, Interview, Answer, Label, CurrentLabelPeriod, PeerValue]
    # One offset per table, a power of ten above its largest id: copy k's ids are id + k * offset.
    offsets = {}
    for model in models:
        largest = model.objects.aggregate(m=Max("pk"))["m"] or 0
        offsets[model._meta.db_table] = 10 ** len(str(largest + 1))
    if Cluster.objects.filter(pk__gte=offsets[Cluster._meta.db_table]).exists():
        raise SystemExit("This database was grown already.")
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for copy in range(1, args.times):
            suffix = f"'-x{copy}'"
            rows = copy_rows(cursor, Cluster, copy, offsets, {"slug": f"slug || {suffix}"})
            rows += copy_rows(cursor, Interview, copy, offsets, {})
            rows += copy_rows(cursor, Answer, copy, offsets, {})
            # A renewal refers to a label of the same copy; Gold and Silver records stay shared.
            rows += copy_rows(cursor, Label, copy, offsets, {"code": f"code || {suffix}"})
            rows += copy_rows(cursor, CurrentLabelPeriod, copy, offsets, {})
            rows += copy_rows(cursor, PeerValue, copy, offsets, {})
            print(f"copy {copy}: {rows:,} rows ({time.perf_counter() - started:.0f} s)", flush=True)
        if connection.vendor == "postgresql":
            for model in models:
                table = model._meta.db_table
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")  # noqa: S608
    # The clusters' label facts are copied with them (the copies' labels are the originals'); the
    # peer groups are rebuilt by the product's own service.
    with transaction.atomic():
        peer_groups_rebuild()  # the groups' sorted arrays, from the copied PeerValue rows, a group at a time
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(f"{Cluster.objects.count():,} clusters in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
