"""The dataset: a snapshot's data package validates with frictionless, the DCAT-AP record parses
with rdflib and names every distribution, snapshots are kept per year."""

import csv
import datetime
import io
import json
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from frictionless import Package
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

from opendata import dataset, descriptors, services
from opendata.models import DatasetSnapshot

DCAT = Namespace("http://www.w3.org/ns/dcat#")


@pytest.fixture(autouse=True)
def csv_limit_kept():
    """frictionless raises the csv module's cell limit for the whole process when it reads a CSV;
    the site's own readers refuse a cell over the default (ecei_site/uploads.py), and their tests
    must not depend on whether a data package was validated before them."""
    limit = csv.field_size_limit()
    yield
    csv.field_size_limit(limit)
DCT = Namespace("http://purl.org/dc/terms/")


def test_the_snapshots_data_package_validates(seed_clusters, labels, tmp_path):
    snapshot = services.snapshot_make()
    with default_storage.open(snapshot.file_name, "rb") as handle:
        zipfile.ZipFile(io.BytesIO(handle.read())).extractall(tmp_path)
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["version"] == snapshot.version
    assert {r["name"] for r in descriptor["resources"]} == {"clusters", "labels", "portfolios"}

    report = Package(str(tmp_path / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.stats["tasks"] == 3
    assert snapshot.clusters == 35 + 3 and snapshot.labels == 35 + 4
    data = json.loads((tmp_path / "ecei-open-data.json").read_text())
    assert len(data["clusters"]) == 38 and len(data["labels"]) == 39 and len(data["portfolios"]) == 13


def test_a_broken_table_fails_validation(labels, tmp_path):
    """The schema has teeth: a label of an unknown level is reported."""
    snapshot = services.snapshot_make()
    with default_storage.open(snapshot.file_name, "rb") as handle:
        zipfile.ZipFile(io.BytesIO(handle.read())).extractall(tmp_path)
    table = tmp_path / "labels.csv"
    table.write_text(table.read_text().replace(",gold,", ",platinum,"))
    report = Package(str(tmp_path / "datapackage.json")).validate()
    assert not report.valid


def test_the_dcat_record_parses_and_names_the_distributions(labels):
    snapshot = services.snapshot_make()
    record = descriptors.dcat_record(datetime.date.today(), [snapshot])
    graph = Graph().parse(data=json.dumps(record), format="json-ld")
    catalogues = list(graph.subjects(RDF.type, DCAT.Catalog))
    datasets = list(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(catalogues) == 1 and len(datasets) == 1
    assert (catalogues[0], DCAT.dataset, datasets[0]) in graph
    downloads = {str(graph.value(d, DCAT.downloadURL)) for d in graph.objects(datasets[0], DCAT.distribution)}
    assert len(downloads) == 3 + 2 + 1
    assert any(url.endswith("/open-data/labels.csv") for url in downloads)
    assert any(u.endswith(f"/open-data/snapshots/{snapshot.year}.zip") for u in downloads)
    assert graph.value(datasets[0], DCT.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")


def test_a_snapshot_is_made_again_in_its_year_and_kept_after(labels):
    today = datetime.date.today()
    first = services.snapshot_make(today=today)
    again = services.snapshot_make(today=today)
    assert DatasetSnapshot.objects.count() == 1 and again.pk == first.pk
    assert default_storage.exists(again.file_name)
    assert "kept as it was made" in services.snapshot_refusal(year=today.year - 1, today=today)
    assert services.snapshot_refusal(year=today.year, today=today) == ""


def test_the_command_makes_the_current_years_snapshot(labels):
    call_command("opendata_snapshot", verbosity=0)
    assert DatasetSnapshot.objects.get().year == datetime.date.today().year


def test_the_tables_hold_label_facts_only(labels, staff_user):
    from benchmarking.services import labels as label_services

    label_services.label_suspend(label=labels["bronze"], reason="A private reason.", user=staff_user)
    today = datetime.date.today()
    text = "".join(dataset.csv_lines("labels", today)) + "".join(dataset.csv_lines("clusters", today))
    assert "A private reason." not in text
    assert "DEU003202201B" in text and ",suspended,suspended," in text
    clusters = "".join(dataset.csv_lines("clusters", today))
    assert "Gold Cluster" in clusters and "DEU002202301G,gold,valid" in clusters
