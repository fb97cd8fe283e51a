"""The report in the reader's language: words translated, numbers in the locale's format,
the same numbers in every language."""

import re
import subprocess

import pytest
from django.urls import reverse

from benchmarking.models import Report
from benchmarking.tests import test_report_views

pytestmark = pytest.mark.django_db

# The report views' cluster with seven peers and an issued report.
ict, world = test_report_views.ict, test_report_views.world
GROUPED_GERMAN = re.compile(r"\b\d{1,3}(?:\.\d{3})+(?:,\d+)?\b")


def read_as(client, user, language, url):
    client.force_login(user)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    return client.get(url)


def stats_of(snapshot):
    """Every number of a snapshot's statistics, in order."""
    return [
        (entry["code"], series["name"], sorted(series["groups"].items(), key=str))
        for category in snapshot["categories"]
        for entry in category["indicators"]
        for series in entry.get("series", [])
    ]


def test_the_report_is_issued_in_each_language_with_the_same_numbers(world):
    report = world["report"]
    assert set(report.translations) == {"es", "de"}
    english = stats_of(report.snapshot)
    assert english and stats_of(report.translations["de"]) == english == stats_of(report.translations["es"])
    assert report.translations["de"]["groups"][0]["title"] == "Gleiches Vergleichsportfolio: IKT"
    assert report.translations["es"]["groups"][0]["title"] == "Misma cartera comparativa: TIC"


def test_a_reader_in_german_gets_german_headings_and_number_formats(client, world):
    report = world["report"]
    page = read_as(client, world["manager of the cluster"], "de", report.get_absolute_url()).content.decode()
    for heading in ("Zusammenfassung", "Vergleichsgruppen", "Methodik", "Unteres Quartil", "Fortschritt seit"):
        assert heading in page
    assert "Personal des Clustermanagements, Vollzeitäquivalente" in page  # B4's wording
    assert "0,5\u00a0VZÄ" in page  # the cluster's own B4, with a decimal comma
    assert GROUPED_GERMAN.search(page), "no number with German thousands separators"
    assert "Summary" not in page and "Lower quartile" not in page


def test_a_reader_in_spanish_gets_the_report_in_spanish(client, world):
    page = read_as(client, world["manager of the cluster"], "es", world["report"].get_absolute_url())
    text = page.content.decode()
    assert "Resumen" in text and "Metodología" in text and "0,5\u00a0ETC" in text


def test_english_keeps_english_formats(client, world):
    page = read_as(client, world["manager of the cluster"], "en-gb", world["report"].get_absolute_url())
    text = page.content.decode()
    assert "Summary" in text and "0.5\u00a0FTE" in text


def test_a_report_issued_before_translations_is_shown_in_english(client, world):
    report = world["report"]
    Report.objects.filter(pk=report.pk).update(translations={})
    page = read_as(client, world["manager of the cluster"], "de", report.get_absolute_url()).content.decode()
    assert "Same comparative portfolio: ICT" in page
    assert "Zusammenfassung" in page  # the page's own words are still German


def test_the_pdf_is_in_the_readers_language(client, world):
    report = world["report"]
    pdf = read_as(client, world["manager of the cluster"], "de", reverse("benchmarking:report_pdf", args=[report.code]))
    assert pdf.status_code == 200
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=b"".join(pdf.streaming_content), capture_output=True, check=True
    ).stdout.decode()
    assert "Individueller Benchmarking" in text
    assert "Methodik" in text and "Seite 2 von" in text and "Europäische Cluster-Exzellenz-Initiative" in text
    assert "Page" not in text
