"""The open dataset described for machines: each table's Frictionless Table Schema, the Data
Package descriptor, the citation, and the DCAT-AP catalogue record that portals harvest. The
tables themselves are in opendata/dataset.py.
"""

import datetime

from django.urls import reverse
from django.utils import timezone

from opendata.dataset import DESCRIPTION, FOREIGN_KEYS, LICENSE, PUBLISHER, TABLES, TITLE, absolute, version_of


def table_schema(table: str) -> dict:
    _title, _description, key, fields = TABLES[table]
    schema = {
        "fields": [
            {"name": name, "type": kind, "description": text, **({"constraints": rules} if rules else {})}
            for name, kind, text, rules in fields
        ],
        "primaryKey": [key],
    }
    if table in FOREIGN_KEYS:
        schema["foreignKeys"] = FOREIGN_KEYS[table]
    return schema


def citation(version: str) -> str:
    return (
        f"European Cluster Excellence Initiative (ECEI), {TITLE}, version {version}, "
        f"{absolute(reverse('opendata:dataset'))}, licensed under {LICENSE['title']} ({LICENSE['name']})."
    )


def datapackage(today: datetime.date, paths: dict[str, str]) -> dict:
    """The Frictionless Data Package descriptor; `paths` gives each table's file (relative in a
    snapshot, absolute URLs for the live files)."""
    version = version_of(today)
    return {
        "profile": "tabular-data-package",
        "name": "ecei-public-database",
        "id": absolute(reverse("opendata:dataset")),
        "title": TITLE,
        "description": DESCRIPTION,
        "version": version,
        "created": timezone.now().isoformat(timespec="seconds"),
        "homepage": absolute(reverse("opendata:dataset")),
        "licenses": [LICENSE],
        "sources": [{"title": "ECEI Benchmarking: the public database", "path": absolute(reverse("clusters:list"))}],
        "contributors": [{"title": PUBLISHER, "role": "publisher"}],
        "citation": citation(version),
        "resources": [
            {
                "name": table,
                "title": TABLES[table][0],
                "description": TABLES[table][1],
                "path": paths[table],
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": table_schema(table),
            }
            for table in TABLES
        ],
    }


def dcat_record(today: datetime.date, snapshots: list) -> dict:
    """The dataset's DCAT-AP catalogue record as JSON-LD: one catalogue, one dataset, a
    distribution per downloadable file (the live tables, the JSON, the descriptor and each yearly
    snapshot), so that data.europa.eu-style portals can harvest it."""
    page = absolute(reverse("opendata:dataset"))
    licence = {"@id": LICENSE["path"]}

    def distribution(name: str, title: str, url: str, media_type: str, extra: dict | None = None) -> dict:
        return {
            "@id": f"{page}#{name}",
            "@type": "dcat:Distribution",
            "dct:title": title,
            "dcat:accessURL": {"@id": page},
            "dcat:downloadURL": {"@id": url},
            "dcat:mediaType": {"@id": f"http://www.iana.org/assignments/media-types/{media_type}"},
            "dct:license": licence,
            **(extra or {}),
        }

    distributions = [
        distribution(
            f"live-{table}", f"{TABLES[table][0]} (CSV, current)",
            absolute(reverse("opendata:table_csv", kwargs={"table": table})), "text/csv",
        )
        for table in TABLES
    ] + [
        distribution("live-json", "All tables (JSON, current)", absolute(reverse("opendata:data_json")),
                     "application/json"),
        distribution("datapackage", "Frictionless Data Package descriptor",
                     absolute(reverse("opendata:datapackage")), "application/json"),
    ] + [
        distribution(
            f"snapshot-{snapshot.year}", f"Snapshot {snapshot.year}, version {snapshot.version} (ZIP)",
            absolute(reverse("opendata:snapshot", kwargs={"year": snapshot.year})), "application/zip",
            {"dct:issued": {"@value": snapshot.made_at.date().isoformat(), "@type": "xsd:date"},
             "owl:versionInfo": snapshot.version},
        )
        for snapshot in snapshots
    ]  # fmt: skip
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "owl": "http://www.w3.org/2002/07/owl#",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
            "vcard": "http://www.w3.org/2006/vcard/ns#",
        },
        "@id": absolute(reverse("opendata:catalogue")),
        "@type": "dcat:Catalog",
        "dct:title": {"@value": "ECEI open data", "@language": "en"},
        "dct:description": {"@value": "Open data of the European Cluster Excellence Initiative.", "@language": "en"},
        "dct:publisher": {"@id": f"{page}#publisher", "@type": "foaf:Agent", "foaf:name": PUBLISHER},
        "foaf:homepage": {"@id": page},
        "dcat:dataset": {
            "@id": f"{page}#dataset",
            "@type": "dcat:Dataset",
            "dct:title": {"@value": TITLE, "@language": "en"},
            "dct:description": {"@value": DESCRIPTION, "@language": "en"},
            "dct:publisher": {"@id": f"{page}#publisher"},
            "dct:license": licence,
            "dct:modified": {"@value": today.isoformat(), "@type": "xsd:date"},
            "owl:versionInfo": version_of(today),
            "dcat:keyword": ["clusters", "cluster management", "cluster excellence", "labels", "benchmarking"],
            "dcat:landingPage": {"@id": page},
            "dct:accrualPeriodicity": {"@id": "http://publications.europa.eu/resource/authority/frequency/DAILY"},
            "dcat:contactPoint": {"@type": "vcard:Organization", "vcard:fn": PUBLISHER},
            "dcat:distribution": distributions,
        },
    }
