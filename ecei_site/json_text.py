"""JSON encoded once, where it was made, and stored as it is.

A JSONField encodes its value when the row is written. A bulk job that builds its values in
worker processes (seed_demo's reports, ecei_site.forking) encodes them there instead, and
hands the text over: a JSONText stored through a field whose encoder is JSONTextEncoder is
written as it is, not decoded and encoded again.
"""

import json


class JSONText(str):
    """A value already written as JSON text."""

    @classmethod
    def encode(cls, value) -> "JSONText":
        """`value` as a JSONField writes it (json.dumps' defaults), so the stored text is the same."""
        return cls(json.dumps(value))


class JSONTextEncoder(json.JSONEncoder):
    """json.JSONEncoder, but a JSONText is written as it is."""

    def encode(self, o):
        if isinstance(o, JSONText):
            return str(o)
        return super().encode(o)
