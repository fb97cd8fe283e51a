"""The public database as an open dataset: its tables (clusters, labels, portfolios), their
fields and rows, as CSV and JSON. Their Frictionless Table Schemas, Data Package descriptor and
DCAT-AP catalogue record are in opendata/descriptors.py.

Data, not pages: English names whatever the reader's language, ISO dates, codes as codes. The
tables hold only what the public list and the verification page already show (no contact, no
reason of a suspension, never an answer of an interview).
"""

import csv
import datetime
import functools
import io
import json
from collections.abc import Iterator

from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils import translation
from django_countries import countries

from benchmarking.models import Label, label_live_status
from benchmarking.selectors.public_status import PublicStatus
from clusters.models import ComparativePortfolio
from directory.selectors import PERIODS, public_clusters
from ecei_site.spreadsheets import spreadsheet_safe
from ecei_site.translated import source

TITLE = "ECEI public database of benchmarked clusters and their labels"
DESCRIPTION = (
    "Every cluster benchmarked by the European Cluster Excellence Initiative (ECEI) that holds or "
    "held a label (Bronze, Silver or Gold), with its comparative portfolio, its current label and "
    "every label with its status and validity period."
)
LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
PUBLISHER = "EUCLES (European Cluster Excellence Scheme), with ESCA as operational partner"
CHUNK = 2000

STATUS_VALUES = [value for value, _ in PublicStatus.CHOICES]
LEVEL_VALUES = [value for value, _ in Label.Level.choices]

# The tables: name -> (title, description, primary key, fields). A field: (name, type, description, constraints).
TABLES = {
    "clusters": (
        "Clusters",
        "Benchmarked clusters with their current label (the highest level valid on the version's day, "
        "else the most recent label with its status).",
        "slug",
        [
            ("slug", "string", "Stable identifier of the cluster in the public database.", {"required": True}),
            ("name", "string", "Name of the cluster.", {"required": True}),
            ("country", "string", "ISO 3166-1 alpha-2 code.", {"required": True, "pattern": "[A-Z]{2}"}),
            ("country_name", "string", "Country name in English.", {}),
            ("region", "string", "Region or city.", {}),
            ("comparative_portfolio", "string", "Slug of the comparative portfolio.", {"required": True}),
            ("website", "string", "Website of the cluster.", {}),
            ("current_label_code", "string", "Code of the current label.", {"required": True}),
            ("current_label_level", "string", "Level of the current label.", {"enum": LEVEL_VALUES}),
            ("current_label_status", "string", "Status of the current label on the version's day.",
             {"enum": STATUS_VALUES}),
            ("current_label_valid_until", "date", "Last day of validity of the current label.", {}),
            ("url", "string", "The cluster's page in the public database.", {}),
        ],
    ),
    "labels": (
        "Labels",
        "Every label awarded, with its status and validity period.",
        "code",
        [
            ("code", "string", "The label's code, as printed on its certificate.", {"required": True}),
            ("cluster", "string", "Slug of the cluster (clusters.slug).", {"required": True}),
            ("level", "string", "bronze, silver or gold.", {"required": True, "enum": LEVEL_VALUES}),
            ("status", "string", "Status set by the secretariat.",
             {"required": True, "enum": [value for value, _ in Label.Status.choices]}),
            ("public_status", "string", "Status on the version's day (valid, upcoming, expired, suspended, "
             "withdrawn).", {"required": True, "enum": STATUS_VALUES}),
            ("benchmarked_on", "date", "Date of the interview, audit or assessment behind the label.", {}),
            ("awarded_on", "date", "Date of the award.", {"required": True}),
            ("valid_from", "date", "First day of validity.", {"required": True}),
            ("valid_until", "date", "Last day of validity.", {"required": True}),
            ("awarding_body", "string", "The body that awarded the label.", {}),
            ("verification_url", "string", "The label's public verification page.", {}),
        ],
    ),
    "portfolios": (
        "Comparative portfolios",
        "The technological areas in which clusters are compared.",
        "slug",
        [
            ("slug", "string", "Identifier of the portfolio.", {"required": True}),
            ("name", "string", "Name in English.", {"required": True}),
        ],
    ),
}
FOREIGN_KEYS = {
    "clusters": [{"fields": "comparative_portfolio", "reference": {"resource": "portfolios", "fields": "slug"}}],
    "labels": [{"fields": "cluster", "reference": {"resource": "clusters", "fields": "slug"}}],
}


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def version_of(day: datetime.date) -> str:
    """A dataset's version: the day it describes (2026.12.06)."""
    return day.strftime("%Y.%m.%d")


# --- Rows ---------------------------------------------------------------------------------


def cluster_rows(today: datetime.date) -> Iterator[dict]:
    with translation.override("en"):
        names = dict(countries)
    detail = absolute(reverse("clusters:detail", kwargs={"slug": "SLUG"})).replace("SLUG", "{}")
    rows = (
        public_clusters(today)
        .annotate(label_code=F(PERIODS + "label__code"), label_level=F(PERIODS + "label__level"))
        .values(
            "slug", "name", "country", "region", "portfolio__slug", "website",
            "label_code", "label_level", "public_status", "latest_valid_until",
        )
    )  # fmt: skip
    for row in rows.iterator(chunk_size=CHUNK):
        yield {
            "slug": row["slug"],
            "name": row["name"],
            "country": row["country"],
            "country_name": names.get(row["country"], row["country"]),
            "region": row["region"],
            "comparative_portfolio": row["portfolio__slug"],
            "website": row["website"],
            "current_label_code": row["label_code"],
            "current_label_level": row["label_level"],
            "current_label_status": row["public_status"],
            "current_label_valid_until": row["latest_valid_until"].isoformat(),
            "url": detail.format(row["slug"]),
        }


def label_rows(today: datetime.date) -> Iterator[dict]:
    """Every label; plain values, not model instances (a few hundred thousand rows stream)."""
    from types import SimpleNamespace

    from benchmarking.awarding import awarding_body

    bodies = functools.lru_cache(maxsize=None)(lambda day: awarding_body(day).name)
    page = absolute(reverse("benchmarking:label_public", kwargs={"code": "CODE"})).replace("CODE", "{}")
    rows = Label.objects.order_by("cluster__slug", "valid_from", "code").values_list(
        "code", "cluster__slug", "level", "status", "benchmarked_on", "awarded_on", "valid_from", "valid_until"
    )
    for row in rows.iterator(chunk_size=CHUNK):
        code, cluster, level, status, benchmarked_on, awarded_on, valid_from, valid_until = row
        facts = SimpleNamespace(status=status, valid_from=valid_from, valid_until=valid_until)
        live = label_live_status(facts, today)
        yield {
            "code": code,
            "cluster": cluster,
            "level": level,
            "status": status,
            "public_status": PublicStatus.VALID if live == Label.Status.ACTIVE else live,
            "benchmarked_on": benchmarked_on.isoformat(),
            "awarded_on": awarded_on.isoformat(),
            "valid_from": valid_from.isoformat(),
            "valid_until": valid_until.isoformat(),
            "awarding_body": bodies(awarded_on),
            "verification_url": page.format(code),
        }


def portfolio_rows(today: datetime.date) -> Iterator[dict]:
    for slug, name in ComparativePortfolio.objects.order_by("slug").values_list("slug", source("name")):
        yield {"slug": slug, "name": name}


ROWS = {"clusters": cluster_rows, "labels": label_rows, "portfolios": portfolio_rows}


def fields_of(table: str) -> list[str]:
    return [name for name, *_ in TABLES[table][3]]


def csv_lines(table: str, today: datetime.date) -> Iterator[str]:
    """The table as CSV (UTF-8, no byte order mark: a data file), one line at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    names = fields_of(table)
    writer.writerow(names)
    for row in ROWS[table](today):
        writer.writerow([spreadsheet_safe(str(row[name])) for name in names])
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def json_chunks(today: datetime.date) -> Iterator[str]:
    """The three tables in one JSON document, streamed."""
    yield json.dumps({"version": version_of(today), "license": LICENSE["name"]})[:-1]
    for table in TABLES:
        yield f', "{table}": ['
        separator = ""
        for row in ROWS[table](today):
            yield separator + json.dumps(row, ensure_ascii=False)
            separator = ",\n"
        yield "]"
    yield "}\n"
