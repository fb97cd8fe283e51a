"""JSON encoded once, where it was made, and stored as it is.

A JSONField encodes its value when the row is written. A bulk job that builds its values in
worker processes (seed_demo's reports, ecei_site.forking) encodes them there instead, and
hands the text over: a JSONText stored through a field whose encoder is JSONTextEncoder is
written as it is, not decoded and encoded again.

JSONText is written by orjson: the same values as json.dumps writes, read back equal, in a
sixth of the time (about 1 ms instead of 6 for a report in three languages), and compact.
"""

import json

import orjson
from django.db import models


class JSONText(str):
    """A value already written as JSON text."""

    @classmethod
    def encode(cls, value) -> "JSONText":
        """`value` as JSON; keys that are not strings become strings, as json.dumps makes them."""
        return cls(orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode())


class JSONTextEncoder(json.JSONEncoder):
    """json.JSONEncoder, but a JSONText is written as it is."""

    def encode(self, o):
        if isinstance(o, JSONText):
            return str(o)
        return super().encode(o)


class JSONDocumentField(models.JSONField):
    """A JSONField for a document written once and read whole: stored as PostgreSQL's `json`
    (the text as written, checked to be JSON) instead of `jsonb` (parsed into a binary tree).

    A report is about 240 KB of JSON in three languages. Parsing it into jsonb was most of the
    server's work of writing one: 500 reports cost the server about 1 s as jsonb against 0.4 s
    as json (issue 30: seed_demo on PostgreSQL within 1.3x SQLite), and reading one back as
    jsonb prints the tree as text again. Nothing queries inside a report; what PostgreSQL's
    `json` cannot do is compare (`=`, `@>`), so a lookup into the document is refused there.
    SQLite stores every JSONField as text: nothing changes there.

    The column is selected as text, so the value is decoded here, by orjson, once.
    """

    def db_type(self, connection):
        return "json" if connection.vendor == "postgresql" else super().db_type(connection)

    def get_db_prep_value(self, value, connection, prepared=False):
        if connection.vendor != "postgresql":
            return super().get_db_prep_value(value, connection, prepared)
        if not prepared:
            value = self.get_prep_value(value)
        # What PostgreSQL's adapt_json_value hands over, typed json instead of jsonb (a jsonb
        # parameter would be parsed as jsonb first, then cast).
        from django.db.backends.postgresql.operations import get_json_dumps
        from psycopg.types.json import Json  # PostgreSQL's driver: not needed (or loaded) on SQLite

        return Json(value, dumps=get_json_dumps(self.encoder))

    def select_format(self, compiler, sql, params):
        sql, params = super().select_format(compiler, sql, params)
        if compiler.connection.vendor == "postgresql":
            return f"({sql})::text", params
        return sql, params

    def from_db_value(self, value, expression, connection):
        if not isinstance(value, str) or self.decoder is not None:
            return super().from_db_value(value, expression, connection)
        try:
            return orjson.loads(value)  # the values json.loads gives, in a fraction of the time
        except orjson.JSONDecodeError:  # SQLite's JSON_EXTRACT of a string: the string itself
            return value
