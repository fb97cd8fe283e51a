"""Text helpers shared by the public database and the demo data."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case `text` and strip its accents, so that "queretaro" matches "Querétaro".

    Search compares folded text with folded text. Doing it in Python (rather than with
    PostgreSQL's unaccent) gives the same result on SQLite and PostgreSQL.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
