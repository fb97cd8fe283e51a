"""The codebook and the analysis export: content, filters, formats, access, query counts."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from benchmarking.models import Answer, Indicator
from benchmarking.tests.interview_helpers import login
from exchange.codebook import COLUMNS, IDENTITY
from tests.factories import ClusterFactory, LabelFactory, PortfolioFactory, approved_interview


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _csv(response) -> list[dict]:
    text = _body(response).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _xlsx(response):
    return load_workbook(io.BytesIO(_body(response)), read_only=True)


@pytest.fixture
def staff_client(client, staff_user):
    return login(client, staff_user)


# --- The codebook ------------------------------------------------------------------------


def test_codebook_csv_lists_every_variable_with_its_codes(staff_client, catalogue):
    response = staff_client.get(reverse("exchange:codebook", args=["1", "csv"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="ecei-codebook-v1.csv"'
    rows = _csv(response)
    assert list(rows[0]) == COLUMNS
    by_name = {row["variable"]: row for row in rows}
    assert [row["variable"] for row in rows[: len(IDENTITY)]] == [name for name, _ in IDENTITY]
    a2 = by_name["A2"]
    assert a2["kind"] == "choice" and a2["category"] == "A"
    assert a2["options"].startswith("1, association | 2, limited company")
    assert a2["missing_codes"] == "NA, Not applicable | UNK, Unknown | ND, Not disclosed"
    assert by_name["B8"]["options"] == "1, Yes | 0, No"
    # Counts and shares: one variable per part, with the part's name.
    assert by_name["A5_1"]["part"] == "SMEs" and by_name["A5_1"]["indicator"] == "A5"
    assert by_name["A6_3"]["unit"] == "%" and by_name["A6_3"]["max"] == "100"
    assert by_name["C1"]["unit"] == "EUR"
    assert by_name["B5"]["min"] == "0" and by_name["B5"]["max"] == "100"
    assert by_name["A1"]["min"] == "1800" and by_name["A1"]["warn_below"] == "1950"
    parts = sum(len(i.options) for i in Indicator.objects.filter(kind__in=["counts", "shares"]))
    assert len(rows) == len(IDENTITY) + 36 - 4 + parts


def test_codebook_xlsx_has_the_same_rows(staff_client, catalogue):
    csv_rows = _csv(staff_client.get(reverse("exchange:codebook", args=["1", "csv"])))
    response = staff_client.get(reverse("exchange:codebook", args=["1", "xlsx"]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = _xlsx(response)["Codebook"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == COLUMNS
    assert len(rows) - 1 == len(csv_rows)
    assert rows[len(IDENTITY) + 2][0] == "A2"


def test_codebook_of_an_unknown_version_or_format_is_404(staff_client, catalogue):
    assert staff_client.get(reverse("exchange:codebook", args=["9", "csv"])).status_code == 404
    assert staff_client.get(reverse("exchange:codebook", args=["1", "pdf"])).status_code == 404


# --- The analysis export ---------------------------------------------------------------


@pytest.fixture
def history(catalogue):
    """Three approved interviews (two countries, two portfolios), one draft, one missing value."""
    energy = PortfolioFactory(name="Energy and environment", slug="energy-and-environment")
    first = approved_interview(cluster=ClusterFactory(name="Alpha", country="DE"), date=datetime.date(2020, 3, 1))
    second = approved_interview(
        cluster=ClusterFactory(name="=Beta", country="FR", portfolio=energy), date=datetime.date(2022, 6, 1), seed=2
    )
    third = approved_interview(cluster=ClusterFactory(name="Gamma", country="DE"), date=datetime.date(2024, 1, 10))
    Answer.objects.filter(interview=third, indicator__code="C1").update(number=None, missing_reason="not_disclosed")
    LabelFactory(cluster=first.cluster, interview=first, code="DEU001202003B", source="interview")
    from tests.factories import InterviewFactory

    InterviewFactory()  # a draft: never exported
    return first, second, third


def _export(client, **params):
    query = {"catalogue": "1", "layout": "wide", "format": "csv", **params}
    return client.get(reverse("exchange:analysis"), query)


def test_wide_csv_has_one_row_per_approved_interview(staff_client, history):
    first, second, third = history
    rows = _csv(_export(staff_client))
    assert [row["cluster"] for row in rows] == ["Alpha", "'=Beta", "Gamma"]
    assert rows[0]["label_code"] == "DEU001202003B"
    assert rows[0]["interview_date"] == "2020-03-01" and rows[0]["catalogue_version"] == "1"
    assert rows[0]["expert"] == first.expert.accreditation_number
    answer = Answer.objects.get(interview=first, indicator__code="A4")
    assert rows[0]["A4"] == str(int(answer.number))
    a2 = Answer.objects.get(interview=first, indicator__code="A2")
    options = a2.indicator.options
    assert rows[0]["A2"] == str(options.index(a2.choice) + 1)
    a5 = Answer.objects.get(interview=first, indicator__code="A5")
    assert rows[0]["A5_1"] == str(a5.parts["SMEs"])
    assert rows[2]["C1"] == "ND"


@pytest.mark.parametrize(
    ("params", "clusters"),
    [
        ({"country": "DE"}, ["Alpha", "Gamma"]),
        ({"portfolio": "energy-and-environment"}, ["'=Beta"]),
        ({"date_from": "2021-01-01"}, ["'=Beta", "Gamma"]),
        ({"date_to": "2022-06-01"}, ["Alpha", "'=Beta"]),
        ({"country": "FR", "date_from": "2023-01-01"}, []),
    ],
)
def test_wide_export_filters(staff_client, history, params, clusters):
    assert [row["cluster"] for row in _csv(_export(staff_client, **params))] == clusters


def test_long_csv_has_one_row_per_answered_variable(staff_client, history):
    rows = _csv(_export(staff_client, layout="long", country="DE", date_to="2020-12-31"))
    assert {row["cluster"] for row in rows} == {"Alpha"}
    parts = sum(len(i.options) for i in Indicator.objects.filter(kind__in=["counts", "shares"]))
    assert len(rows) == 36 - 4 + parts
    b8 = next(row for row in rows if row["variable"] == "B8")
    assert b8["value"] in ("0", "1") and b8["value_label"] in ("Yes", "No")
    a6 = [row for row in rows if row["indicator"] == "A6"]
    assert [row["part"] for row in a6] == ["in the region", "elsewhere in the country", "abroad"]


def test_long_export_gives_the_missing_code_in_its_own_column(staff_client, history):
    rows = _csv(_export(staff_client, layout="long", date_from="2024-01-01"))
    c1 = next(row for row in rows if row["variable"] == "C1")
    assert (c1["value"], c1["missing_code"], c1["value_label"]) == ("", "ND", "Not disclosed")


def test_xlsx_has_the_answers_then_the_codebook(staff_client, history):
    book = _xlsx(_export(staff_client, format="xlsx"))
    assert book.sheetnames == ["Answers", "Codebook"]
    rows = list(book["Answers"].iter_rows(values_only=True))
    header = rows[0]
    assert len(rows) == 4
    a4 = header.index("A4")
    assert isinstance(rows[1][a4], int)  # numbers are numbers in the spreadsheet
    assert rows[2][header.index("cluster")] == "=Beta"  # text, never a formula
    assert list(next(book["Codebook"].iter_rows(values_only=True))) == COLUMNS


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"catalogue": "9"}, b"Select a valid choice"),
        ({"layout": "tall"}, b"Select a valid choice"),
        ({"date_from": "2024-01-01", "date_to": "2023-01-01"}, b"Must be on or after the first date."),
        ({"date_from": "yesterday"}, b"Enter a valid date."),
    ],
)
def test_bad_filters_are_shown_on_the_form(staff_client, history, params, message):
    response = _export(staff_client, **params)
    assert response.status_code == 400
    assert message in response.content


def test_export_query_count_does_not_grow_with_interviews(staff_client, history):
    def count(layout):
        with CaptureQueriesContext(connection) as queries:
            _body(_export(staff_client, layout=layout))
        return len(queries)

    before = {layout: count(layout) for layout in ("wide", "long")}
    for seed in range(3, 8):
        approved_interview(seed=seed)
    assert {layout: count(layout) for layout in ("wide", "long")} == before


def test_exports_page_lists_codebooks_and_the_form(staff_client, catalogue):
    response = staff_client.get(reverse("exchange:exports"))
    assert response.status_code == 200
    assert reverse("exchange:codebook", args=["1", "xlsx"]).encode() in response.content
    assert b'name="layout"' in response.content
