"""Many rows of one model inserted (or updated) at the cost of the values that differ between them.

bulk_create builds a model instance per row, prepares every field of every row, and compiles
all the values into the statement: for the demo's 700,000 answers (15 fields, half of them
the same in every row) or a backfill's PeerValue rows that was most of the time. Here a row
is a dict of the fields it sets; every other field holds what an unsaved instance would hold
(its default, through its pre_save), prepared once for all the rows; only the given values
go through their field's get_db_prep_save, as bulk_create sends them. The rows go to the
driver's executemany in one parameterised statement.
"""

import datetime
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

from django.db import connections, models, router

BATCH = 5000  # rows prepared and sent at a time: memory stays flat for any number of rows
# Values a field prepares alike each time (immutable, hashable), so prepared once a batch.
# Not a float or a Decimal: equal values that a field may write differently (0.0 and -0.0, 1.0 and 1.00 in JSON).
PREPARED_ONCE = (int, str, bool, type(None), datetime.date, datetime.datetime)


def insert_rows(model: type[models.Model], rows: Iterable[dict]) -> None:
    """Insert `rows` of `model`, each a dict of field attnames ("interview_id", "number") to values.

    What bulk_create of the same unsaved instances inserts, minus what it returns: no primary
    keys come back and no signal is sent (bulk_create sends none either). The rows' own values
    must be final: a field that sets its value on saving (auto_now, auto_now_add) is refused.
    An immutable value (an int, a str, a bool, None, a date or a time) is prepared once per batch
    for each field it comes in (a field prepares it the same way each time): a row's keys, like
    the interview of 48 answers, and its empty columns or its time of writing, repeat.
    """
    connection = connections[router.db_for_write(model)]  # the connection itself: no proxy per value
    fields = _fields(model)
    settable = {field.attname: n for n, field in enumerate(fields) if not _sets_its_own_value(field)}
    prepare = [field.get_db_prep_save for field in fields]
    unsaved = model()  # the defaults, as each unsaved instance gets them
    defaults = [field.get_db_prep_save(field.pre_save(unsaved, True), connection) for field in fields]
    quote = connection.ops.quote_name
    columns, placeholders = ", ".join(quote(f.column) for f in fields), ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608 - names from the model
    with connection.cursor() as cursor:
        for batch in _batches(rows):
            values, once = [], {}
            for row in batch:
                prepared = defaults.copy()
                for name, value in row.items():
                    try:
                        n = settable[name]
                    except KeyError:
                        raise _refused(model, name) from None
                    if type(value) in PREPARED_ONCE:
                        if (key := (n, type(value), value)) not in once:  # the type: True == 1
                            once[key] = prepare[n](value, connection)
                        prepared[n] = once[key]
                    else:
                        prepared[n] = prepare[n](value, connection)
                values.append(prepared)
            if connection.vendor == "postgresql":
                _copy(cursor, quote(model._meta.db_table), columns, values)
            else:
                cursor.executemany(sql, values)


def statistics_refresh(using: str = "default") -> None:
    """After a bulk write of many rows, let PostgreSQL's planner see them (ANALYZE): until its
    autovacuum gets round to the tables, it plans on the row counts they had before, often none.
    In seed_demo that turned the latest approved interviews' anti-join into a nested loop over
    every pair of interviews (0.8 s at 1,000 clusters, and the square of it at 10,000), and made
    the board's members a query estimated at millions of rows, which PostgreSQL then compiled
    (JIT) for 1.3 s each time (issue 30). ANALYZE samples at most 30,000 rows a table: seconds,
    not minutes. SQLite plans without such statistics: nothing to do there."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def documents_compressed_fast(model: type[models.Model]) -> None:
    """PostgreSQL: compress the large values written in the rest of this transaction with lz4
    instead of the default pglz. A report is about 240 KB of JSON in three languages; writing
    500 of them took the server 3.8 s with pglz, 1.6 s with lz4 (the rest is parsing the jsonb),
    on the two cores that also build the reports (issue 30: seed_demo's reports phase on
    PostgreSQL). The values read back the same; lz4 is also the faster to decompress. Nothing
    on SQLite, or on a server built without lz4; outside a transaction SET LOCAL does nothing."""
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if not hasattr(connection, "_ecei_lz4"):
            cursor.execute("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
            connection._ecei_lz4 = bool((cursor.fetchone() or [False])[0])
        if connection._ecei_lz4:
            cursor.execute("SET LOCAL default_toast_compression = 'lz4'")


def _copy(cursor, table: str, columns: str, values: list[list]) -> None:
    """The rows through PostgreSQL's COPY (psycopg 3's cursor.copy): one statement a batch, the
    rows streamed to the server, instead of an INSERT each (issue 30: seed_demo's first phases
    waited on the server for half their wall time). The same prepared values: psycopg adapts
    them as it would the INSERT's parameters."""
    with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # noqa: S608 - names from the model
        for row in values:
            copy.write_row(row)


def update_rows(model: type[models.Model], names: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Set the fields `names` (attnames) of existing rows of `model`: each row its primary key, then
    its values in the order of `names`.

    What bulk_update of the same objects and fields stores (each value prepared by its field, no
    pre_save, no signal), as one parameterised UPDATE by primary key through executemany:
    bulk_update compiles a CASE of every object's value for each field, for each batch.
    """
    connection = connections[router.db_for_write(model)]
    local = {field.attname: field for field in _fields(model)}
    if unknown := [name for name in names if name not in local]:
        raise ValueError(f"{model.__name__} has no field (attname, not the key) {', '.join(unknown)}")
    fields = [local[name] for name in names]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    pk = model._meta.pk
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(pk.column)} = %s"  # noqa: S608 - names from the model
    prepare = [field.get_db_prep_save for field in fields]
    with connection.cursor() as cursor:
        for batch in _batches(rows):
            cursor.executemany(
                sql,
                [
                    [p(value, connection) for p, value in zip(prepare, values, strict=True)]
                    + [pk.get_db_prep_save(key, connection)]
                    for key, *values in batch
                ],
            )


def _fields(model: type[models.Model]) -> list[models.Field]:
    if model._meta.parents:
        raise ValueError(f"{model.__name__} inherits from a concrete model: its rows span several tables")
    return [field for field in model._meta.local_concrete_fields if not field.primary_key]


def _sets_its_own_value(field: models.Field) -> bool:
    return getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)


def _refused(model, name: str) -> ValueError:
    if any(field.attname == name for field in _fields(model)):
        return ValueError(f"{model.__name__}.{name} sets its own value on saving (auto_now): leave it out")
    return ValueError(f"{model.__name__} has no field (attname) {name}")


def _batches(rows: Iterable) -> Iterator[list]:
    rows = iter(rows)
    while batch := list(islice(rows, BATCH)):
        yield batch
