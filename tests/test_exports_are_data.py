"""Exports and the API are data: their column names, keys and values are the same whatever
language the reader chose (issue 13). Each door is read in English, Spanish and German and
the three answers must be identical."""

import datetime

import pytest
from django.urls import reverse

from benchmarking.tests.interview_helpers import login
from tests.factories import ClusterFactory, LabelFactory, PortfolioFactory, approved_interview

pytestmark = pytest.mark.django_db
LANGUAGES = ("en-gb", "es", "de")


def _body(response) -> bytes:
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def _in_each_language(client, url: str) -> list[bytes]:
    bodies = []
    for language in LANGUAGES:
        client.post(reverse("set_language"), {"language": language})
        bodies.append(_body(client.get(url)))
    return bodies


@pytest.fixture
def data(reference_data):
    portfolio = PortfolioFactory(slug="ict")
    cluster = ClusterFactory(name="Clúster de Software", country="ES", portfolio=portfolio)
    LabelFactory(cluster=cluster, valid_from=datetime.date(2025, 1, 1), valid_until=datetime.date(2027, 1, 1))
    approved_interview(cluster=cluster, date=datetime.date(2025, 1, 1))
    return cluster


@pytest.mark.parametrize("url", [reverse("clusters:export_csv"), reverse("clusters:export_json")])
def test_public_exports_do_not_change_with_the_language(client, data, url):
    english, spanish, german = _in_each_language(client, url)
    assert english == spanish == german
    assert b"ICT" in english  # the portfolio's English name, not "TIC" or "IKT"


def _shape(value):
    """The keys of a JSON answer, all the way down (the values left out)."""
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shape(item) for item in value]
    return type(value).__name__


@pytest.mark.parametrize("url", [reverse("api:cluster_list"), reverse("api:portfolio_list")])
def test_the_apis_keys_and_codes_do_not_change_with_the_language(client, data, url):
    """The API's field names and codes are fixed; display names (a portfolio's, a country's)
    follow the reader's language like the pages, with the slug or ISO code beside them."""
    import json

    english, spanish, german = (json.loads(body) for body in _in_each_language(client, url))
    assert _shape(english) == _shape(spanish) == _shape(german)
    slugs = [sorted(item["slug"] for item in answer["results"]) for answer in (english, spanish, german)]
    assert slugs[0] == slugs[1] == slugs[2]


@pytest.mark.parametrize(
    "url",
    [
        reverse("exchange:codebook", args=["1", "csv"]),
        reverse("exchange:analysis") + "?catalogue=1&layout=wide&format=csv",
        reverse("exchange:analysis") + "?catalogue=1&layout=long&format=csv",
    ],
)
def test_the_secretariats_exports_do_not_change_with_the_language(client, staff_user, data, url):
    login(client, staff_user)
    english, spanish, german = _in_each_language(client, url)
    assert english.splitlines()[0] == spanish.splitlines()[0] == german.splitlines()[0]  # the column names
    assert english == spanish == german  # and the data


def test_the_xlsx_sheets_keep_their_names(client, staff_user, data):
    import io

    from openpyxl import load_workbook

    login(client, staff_user)
    url = reverse("exchange:analysis") + "?catalogue=1&layout=wide&format=xlsx"
    for body in _in_each_language(client, url):
        workbook = load_workbook(io.BytesIO(body), read_only=True)
        assert workbook.sheetnames == ["Answers", "Codebook"]
        assert next(workbook["Answers"].iter_rows(values_only=True))[0] == "report_code"
