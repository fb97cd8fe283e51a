"""Every upload door answers a file it cannot read with a message next to the file field, never
a 500, and writes nothing (issue 23): the legacy import's page and command, and the admin's
imports (django-import-export) of every ModelAdmin that has one."""

import csv
import datetime
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from import_export.admin import ImportMixin

from benchmarking.models import Answer, Interview, Label
from clusters.models import Cluster
from ecei_site.spreadsheets import TableImportForm
from ecei_site.uploads import UnreadableFile, csv_separator
from exchange.models import ImportedBenchmarking
from tests.factories import ExpertFactory, UserFactory

pytestmark = pytest.mark.django_db

VALID = Path(settings.BASE_DIR) / "fixtures" / "legacy_benchmarkings_valid.csv"
LONG_CELL = "x" * 5000  # longer than the 4 KB sample csv.Sniffer was given

# The files no door can read, and the words each door must answer with.
UNREADABLE = {
    "one column": (b"cluster\nCluster A\nCluster B\n", "shows no column separator in its first row"),
    "a first cell over 4 KB": (LONG_CELL.encode() + b"\n1\n", "shows no column separator in its first row"),
    "binary": (bytes(range(256)) * 8, "is not UTF-8 text"),
    "binary that is valid UTF-8": (b"\x00\x01\x02,\x00\n\x00,\x01\n", "is not a text file"),
    "Latin-1 text": ("cluster,country\nCafé Cluster,España\n".encode("latin-1"), "is not UTF-8 text"),
    "UTF-16 text": ("cluster,country\nA,DE\n".encode("utf-16"), "is not UTF-8 text"),
    "a cell over the csv module's limit": (
        VALID.read_bytes().splitlines()[0] + b"\n" + b"a" * 200_000 + b",DE\n",
        "cannot be read as CSV at line 2: a cell is longer than 131,072 characters",
    ),
}
CASES = [pytest.param(content, words, id=name) for name, (content, words) in UNREADABLE.items()]


def _database():
    return {
        "interviews": Interview.objects.count(),
        "answers": Answer.objects.count(),
        "labels": Label.objects.count(),
        "clusters": Cluster.objects.count(),
        "imported": ImportedBenchmarking.objects.count(),
    }


@pytest.fixture
def experts_for_the_sample(reference_data):
    """The two accreditation numbers the sample file names."""
    for number in ("ESCA-0001", "ESCA-0002"):
        ExpertFactory(accreditation_number=number, accredited_from=datetime.date(2010, 6, 1))


@pytest.fixture
def secretariat(client):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    return client


# --- The legacy import: its page and its command ----------------------------------------------------


def _legacy_upload(client, content: bytes, name="legacy.csv", dry_run=False):
    upload = io.BytesIO(content)
    upload.name = name
    data = {"file": upload} | ({"dry_run": "on"} if dry_run else {})
    return client.post(reverse("exchange:legacy_import"), data)


@pytest.mark.parametrize(("content", "words"), CASES)
def test_the_legacy_page_refuses_an_unreadable_file_next_to_the_field(secretariat, reference_data, content, words):
    before = _database()
    response = _legacy_upload(secretariat, content)
    assert response.status_code == 400
    assert words in " ".join(response.context["form"].errors["file"])
    assert _database() == before


@pytest.mark.parametrize(("content", "words"), CASES)
def test_the_legacy_import_command_refuses_an_unreadable_file(reference_data, tmp_path, content, words):
    path = tmp_path / "legacy.csv"
    path.write_bytes(content)
    before = _database()
    with pytest.raises(CommandError, match=words):
        call_command("import_legacy", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert _database() == before


def test_a_long_first_cell_with_separators_after_it_is_read(secretariat, reference_data):
    """The separator comes from the whole first row, not a 4 KB sample: the header is read,
    and its unknown column is listed like any other (by the import job the upload starts)."""
    header, *rows = VALID.read_text().splitlines()
    content = "\n".join([f"{LONG_CELL},{header}", *(f",{row}" for row in rows)]).encode()
    response = _legacy_upload(secretariat, content, dry_run=True)
    assert response.status_code == 302
    job = secretariat.get(response["Location"])
    assert [(row, column[:5], reason) for row, column, _value, reason in job.context["errors"]] == [
        (1, "xxxxx", "unknown column")
    ]
    assert not Interview.objects.exists()


def test_semicolons_and_tabs_are_read_as_separators(experts_for_the_sample, secretariat):
    rows = list(csv.reader(io.StringIO(VALID.read_text())))
    for separator in (";", "\t"):
        text = io.StringIO()
        csv.writer(text, delimiter=separator).writerows(rows)  # the multi answers' ";" are quoted
        content = text.getvalue().encode()
        response = _legacy_upload(secretariat, content, dry_run=True)
        assert response.status_code == 302, separator
        assert secretariat.get(response["Location"]).context["job"].created == 5


def test_a_broken_xlsx_is_refused_next_to_the_field(secretariat):
    response = _legacy_upload(secretariat, b"PK\x03\x04 not really a zip", name="legacy.xlsx")
    assert response.status_code == 400
    assert "legacy.xlsx is not a readable XLSX file" in " ".join(response.context["form"].errors["file"])


# --- The admin's imports ----------------------------------------------------------------------------


def _import_admins():
    return [(model, door) for model, door in admin.site._registry.items() if isinstance(door, ImportMixin)]


def test_every_admin_import_reads_files_through_the_table_import_form():
    """A new admin with an import (any app) must refuse unreadable files the same way."""
    assert {model._meta.label for model, _ in _import_admins()} >= {"clusters.Cluster", "benchmarking.Label"}
    doors = _import_admins()
    plain = [model._meta.label for model, door in doors if not issubclass(door.import_form_class, TableImportForm)]
    assert plain == []


def _admin_upload(client, model, content: bytes, fmt="csv", name="rows.csv"):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_import")
    choices = client.get(url).context["form"].fields["format"].choices
    index = next(value for value, label in choices if label == fmt)
    file = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(url, {"import_file": file, "format": index, "resource": 0})


ADMIN_CASES = [
    pytest.param(model, content, words, id=f"{model.__name__}-{name}")
    for model in (Cluster, Label)
    for name, (content, words) in UNREADABLE.items()
]


@pytest.mark.parametrize(("model", "content", "words"), ADMIN_CASES)
def test_the_admin_import_refuses_an_unreadable_file_next_to_the_field(secretariat, model, content, words):
    before = _database()
    response = _admin_upload(secretariat, model, content)
    assert response.status_code == 200  # the admin's import page, again, with the error
    assert words in " ".join(response.context["form"].errors["import_file"])
    assert "result" not in response.context or response.context["result"] is None
    assert "Confirm import" not in response.content.decode()
    assert _database() == before


@pytest.mark.parametrize("model", [Cluster, Label])
def test_the_admin_import_names_the_missing_columns(secretariat, model):
    response = _admin_upload(secretariat, model, b"name,country\nA,DE\n")
    required = {Cluster: "slug", Label: "code"}[model]
    assert f"lacks the column(s) {required}: the first row must name the columns. It names: name, country." in (
        " ".join(response.context["form"].errors["import_file"])
    )


def test_the_admin_csv_import_says_which_separator_it_reads(secretariat):
    response = _admin_upload(secretariat, Cluster, b"slug;name;country\na;A;DE\n")
    assert "separates its columns with semicolons; this import reads commas" in " ".join(
        response.context["form"].errors["import_file"]
    )


def test_the_admin_import_refuses_a_file_of_another_format(secretariat):
    response = _admin_upload(secretariat, Cluster, b"slug,name\na,A\n", fmt="xlsx", name="rows.xlsx")
    assert "rows.xlsx cannot be read as xlsx. Check that the format chosen matches the file." in " ".join(
        response.context["form"].errors["import_file"]
    )


def test_the_admin_import_in_german(secretariat):
    secretariat.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    response = _admin_upload(secretariat, Cluster, b"cluster\nA\n")
    assert "zeigt in der ersten Zeile kein Spaltentrennzeichen" in " ".join(
        response.context["form"].errors["import_file"]
    )


def test_a_readable_file_still_reaches_the_dry_run(secretariat, reference_data):
    header = "slug,name,country,region,website,eccp_profile_url,portfolio,organisation_name,contact_email,description"
    row = "ok-cluster,OK Cluster,DE,,https://ok.example.org/,,ict,,office@ok.example.org,"
    response = _admin_upload(secretariat, Cluster, f"\ufeff{header}\r\n{row}\r\n".encode())
    assert not response.context["form"].errors
    assert "Confirm import" in response.content.decode()


# --- The rule ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first_row", "separator"),
    [("a,b,c", ","), ("a;b;c", ";"), ("a\tb\tc", "\t"), ('"x,y";b;c', ";"), ("a,b;c", ","), (LONG_CELL + ";b", ";")],
)
def test_the_separator_is_the_first_rows_most_frequent(first_row, separator):
    assert csv_separator(first_row + "\n1,2;3\t4\n", "f.csv") == separator


def test_a_first_row_without_separator_is_refused():
    with pytest.raises(UnreadableFile, match="f.csv shows no column separator"):
        csv_separator("\n\nname\na,b\n", "f.csv")
