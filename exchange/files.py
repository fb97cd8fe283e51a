"""CSV and XLSX downloads, written row by row so that memory stays flat.

CSV is streamed to the client as it is produced. XLSX is a zip, which cannot be sent
before it is finished: openpyxl's write-only mode spools each sheet's rows to a temporary
file, the workbook is then zipped into another temporary file, which is streamed out.
"""

import csv
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.http import FileResponse, StreamingHttpResponse
from django.utils import translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from ecei_site.spreadsheets import is_number, spreadsheet_safe

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Sheet:
    title: str
    header: list[str]
    rows: Iterable[list]


def csv_safe(value) -> str:
    """The cell as text; text that a spreadsheet would run as a formula is quoted."""
    return spreadsheet_safe("" if value is None else str(value))


# The language of every export's texts (the catalogue's source language).
EXPORT_LANGUAGE = "en"


class _Echo:
    """A file-like object whose write() hands the line back, for csv.writer in a generator."""

    def write(self, value: str) -> str:
        return value


LINES_PER_CHUNK = 500


def csv_lines(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    """The CSV text in chunks of LINES_PER_CHUNK lines (one chunk per line costs more than the line).
    Exports are data: the catalogue's wording and names stay English whatever the reader's language."""
    with translation.override(EXPORT_LANGUAGE):
        writer = csv.writer(_Echo())
        # The byte order mark tells Excel and LibreOffice that the file is UTF-8.
        chunk = ["\ufeff", writer.writerow(header)]
        for row in rows:
            chunk.append(writer.writerow([csv_safe(value) for value in row]))
            if len(chunk) >= LINES_PER_CHUNK:
                yield "".join(chunk)
                chunk = []
        if chunk:
            yield "".join(chunk)


def csv_response(filename: str, header: list[str], rows: Iterable[list]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _is_plain_number(text: str) -> bool:
    """A number as the export writes it; "0437" (a code with a leading zero) stays text."""
    leading_zero = len(text) > 1 and text[0] == "0" and text[1].isdigit()
    return is_number(text) and not leading_zero


def _cell(sheet, value):
    """Numbers as numbers (analysts compute with them), text never as a formula."""
    if isinstance(value, str) and _is_plain_number(value):
        value = float(value) if any(c in value for c in ".eE") else int(value)
    cell = WriteOnlyCell(sheet, value=value)
    if cell.data_type == "f":
        cell.data_type = "s"
    return cell


def write_xlsx(sheets: Iterable[Sheet], file) -> None:
    workbook = Workbook(write_only=True)
    with translation.override(EXPORT_LANGUAGE):
        for spec in sheets:
            sheet = workbook.create_sheet(spec.title)
            sheet.append(spec.header)
            for row in spec.rows:
                sheet.append([_cell(sheet, value) for value in row])
    workbook.save(file)


def xlsx_response(filename: str, sheets: Iterable[Sheet]) -> FileResponse:
    file = tempfile.TemporaryFile()
    write_xlsx(sheets, file)
    file.seek(0)
    return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
