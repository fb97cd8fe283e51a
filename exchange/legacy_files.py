"""Reading a legacy file (issue 12): the header and the rows of a CSV or XLSX, each cell as text,
numbered as in a spreadsheet. What the rows mean is exchange/legacy.py."""

import datetime
import io
from collections.abc import Iterator
from decimal import Decimal

from django.utils.translation import gettext
from openpyxl import load_workbook

from ecei_site.numbers import plain_number
from ecei_site.uploads import UnreadableFile, csv_separator, read_csv_rows, upload_text

HEADER_ROW = 1


class LegacyFileError(UnreadableFile):
    """The file cannot be read (not CSV or XLSX, not text, no separator, empty, no header)."""


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        return plain_number(Decimal(repr(value)))
    return str(value).strip()


def _xlsx_lines(content: bytes, filename: str) -> Iterator[list[str]]:
    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        for row in sheet.iter_rows(values_only=True):  # read lazily: a broken sheet fails here too
            yield [_text(v) for v in row]
    except Exception as exc:  # openpyxl raises many kinds for a file that is not XLSX
        raise LegacyFileError(
            gettext("%(file)s is not a readable XLSX file (%(error)s).")
            % {"file": filename, "error": exc.__class__.__name__}
        ) from exc


def _csv_lines(content: bytes, filename: str) -> Iterator[list[str]]:
    try:
        text = upload_text(content, filename)
        if not text.strip():
            return
        for row in read_csv_rows(text, csv_separator(text, filename), filename):
            yield [v.strip() for v in row]
    except UnreadableFile as exc:  # read lazily: a line that cannot be parsed fails here too
        raise LegacyFileError(str(exc)) from exc


def read_table(content: bytes, filename: str) -> tuple[list[str], Iterator[tuple[int, dict]]]:
    """The header and the rows ({column: text}, numbered as in a spreadsheet) of a CSV or XLSX.
    A file that cannot be read raises LegacyFileError, at the header or at the row it fails on."""
    if filename.lower().endswith(".xlsx"):
        lines = _xlsx_lines(content, filename)
    elif filename.lower().endswith(".csv"):
        lines = _csv_lines(content, filename)
    else:
        raise LegacyFileError(gettext("Upload a .csv or .xlsx file."))
    header = next(lines, None)
    if not header or not any(header):
        raise LegacyFileError(gettext("%(file)s is empty: the first row must name the columns.") % {"file": filename})

    def rows():
        for number, cells in enumerate(lines, start=HEADER_ROW + 1):
            if any(cells):
                yield number, dict(zip(header, cells, strict=False))

    return header, rows()
