"""CSV and JSON exports of the public list, streamed row by row.

The rows are read with QuerySet.iterator(), so memory stays flat however many clusters
are exported: no list of rows and no whole document is ever held in memory.
"""

import csv
import json
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.urls import reverse
from django.utils import translation
from django_countries import countries

from clusters.models import Cluster
from ecei_site.spreadsheets import spreadsheet_safe
from ecei_site.translated import source

CHUNK_SIZE = 1000
FIELDS = [
    "name",
    "country",
    "country_name",
    "comparative_portfolio",
    "website",
    "label_valid_until",
    "label_status",
    "url",
]


def export_rows(queryset: QuerySet[Cluster], request: HttpRequest) -> Iterator[dict]:
    """One plain dict per listed cluster, in the list's order. Exports are data: names of
    countries and portfolios are the English ones whatever the reader's language."""
    with translation.override("en"):
        country_names = dict(countries)
    values = queryset.values(
        "name", "slug", "country", source("portfolio__name"), "website", "latest_valid_until", "public_status"
    )
    for row in values.iterator(chunk_size=CHUNK_SIZE):
        yield {
            "name": row["name"],
            "country": row["country"],
            "country_name": country_names.get(row["country"], row["country"]),
            "comparative_portfolio": row[source("portfolio__name")],
            "website": row["website"],
            "label_valid_until": row["latest_valid_until"].isoformat(),
            "label_status": row["public_status"],
            "url": request.build_absolute_uri(reverse("clusters:detail", kwargs={"slug": row["slug"]})),
        }


class _Echo:
    """A file-like object whose write() hands the line back, for csv.writer in a generator."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(rows: Iterable[dict]) -> Iterator[str]:
    # The byte order mark tells Excel and LibreOffice that the file is UTF-8 ("Querétaro").
    yield "\ufeff"
    writer = csv.writer(_Echo())
    yield writer.writerow(FIELDS)
    for row in rows:
        yield writer.writerow([spreadsheet_safe(str(row[field])) for field in FIELDS])


def _json_chunks(rows: Iterable[dict]) -> Iterator[str]:
    yield '{"clusters": ['
    separator = ""
    for row in rows:
        yield separator + json.dumps(row, ensure_ascii=False)
        separator = ",\n"
    yield "]}\n"


def csv_response(queryset: QuerySet[Cluster], request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        _csv_lines(export_rows(queryset, request)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="ecei-benchmarked-clusters.csv"'
    return response


def json_response(queryset: QuerySet[Cluster], request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        _json_chunks(export_rows(queryset, request)), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="ecei-benchmarked-clusters.json"'
    return response
