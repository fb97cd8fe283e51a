"""Uploaded tables: every file that cannot be read gets a message that says why and what to do.

Every upload door reads through here: the legacy import (its page and its command) and the
admin's imports (django-import-export, through TableImportForm). A file is refused, before
any row is looked at, when it is not text (binary, or not UTF-8), when its first row shows
no column separator (one column, or a first cell longer than any header), when a line cannot
be parsed, or when it lacks the columns the import needs.

The separator is read from the first row, which names the columns: the most frequent of
comma, semicolon and tab there. (csv.Sniffer guessed from a 4 KB sample and raised an error,
a 500, when the sample showed no separator.)
"""

import csv
import io
from collections.abc import Iterator

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SEPARATORS = {",": gettext_lazy("commas"), ";": gettext_lazy("semicolons"), "\t": gettext_lazy("tabs")}


class UnreadableFile(ValueError):
    """The uploaded file cannot be read as a table; the message says why, in the reader's language."""


def upload_text(content: bytes, filename: str) -> str:
    """The text of an uploaded CSV file (UTF-8, with or without a byte order mark)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(_("%(file)s is not UTF-8 text: save the CSV as UTF-8.") % {"file": filename}) from exc
    if "\x00" in text:  # valid UTF-8, but a text file never holds a NUL: a binary file
        raise UnreadableFile(
            _("%(file)s is not a text file: upload a CSV file (text) or an XLSX file.") % {"file": filename}
        )
    return text


def csv_separator(text: str, filename: str) -> str:
    """The column separator of the first row (comma, semicolon or tab), or a refusal."""
    first_row = text.lstrip("\r\n").split("\n", 1)[0]
    counts = {separator: first_row.count(separator) for separator in SEPARATORS}
    separator = max(counts, key=counts.get)  # ties: in SEPARATORS' order
    if not counts[separator]:
        raise UnreadableFile(
            _(
                "%(file)s shows no column separator in its first row. The first row must name the "
                "columns, separated by commas, semicolons or tabs."
            )
            % {"file": filename}
        )
    return separator


def read_csv_rows(text: str, separator: str, filename: str) -> Iterator[list[str]]:
    """The rows of the CSV text; a line the csv module cannot parse stops it with a refusal."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise UnreadableFile(_csv_error_message(exc, filename, reader.line_num)) from exc
        yield row


def _csv_error_message(exc: csv.Error, filename: str, line: int) -> str:
    if "field larger" in str(exc):  # the only error the csv module raises in its default, lenient mode
        limit = number_format(csv.field_size_limit(), force_grouping=True)
        return _(
            "%(file)s cannot be read as CSV at line %(line)s: a cell is longer than %(limit)s characters."
        ) % {"file": filename, "line": line, "limit": limit}
    return _("%(file)s cannot be read as CSV at line %(line)s.") % {"file": filename, "line": line}


def separator_refusal(text: str, filename: str, expected: str) -> str | None:
    """Why an import that reads only `expected` as separator cannot read `text`, or None."""
    found = csv_separator(text, filename)
    if found == expected:
        return None
    return _(
        "%(file)s separates its columns with %(found)s; this import reads %(expected)s. Save the file "
        "with %(expected)s, or choose the format that matches it."
    ) % {"file": filename, "found": SEPARATORS[found], "expected": SEPARATORS[expected]}


def missing_columns_refusal(header: list[str], required: list[str], filename: str) -> str | None:
    """Why a file whose first row is `header` lacks what the import needs, or None."""
    missing = [name for name in required if name not in header]
    if not missing:
        return None
    return _(
        "%(file)s lacks the column(s) %(missing)s: the first row must name the columns. It names: %(found)s."
    ) % {"file": filename, "missing": ", ".join(missing), "found": ", ".join(h[:40] for h in header[:20]) or "-"}
