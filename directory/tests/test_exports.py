import csv
import io
import json

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from ecei_site.spreadsheets import spreadsheet_safe

CSV = reverse("clusters:export_csv")
JSON = reverse("clusters:export_json")


def body(response) -> str:
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(response) -> list[dict]:
    text = body(response)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_it_exports_the_filtered_list_as_csv(client, seed_clusters, seed_listing):
    response = client.get(CSV, {"portfolio": "ict"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    expected = [(name, date.replace("/", "-")) for name, portfolio, date in seed_listing if portfolio == "ICT"]
    assert [(row["name"], row["label_valid_until"]) for row in rows] == expected
    assert rows[0]["country_name"] == "Mexico"
    assert rows[0]["label_status"] == "expired"
    assert rows[0]["url"].startswith("http://testserver/clusters/")


def test_it_exports_utf8_with_a_bom_for_spreadsheets(client, seed_clusters):
    raw = b"".join(client.get(CSV, {"q": "queretaro"}).streaming_content)

    assert raw.startswith(b"\xef\xbb\xbf")
    assert b"Tecnologica De Queretaro" in raw
    assert "León".encode() in b"".join(client.get(CSV, {"q": "leon"}).streaming_content)


def test_it_exports_the_filtered_list_as_json(client, seed_clusters):
    response = client.get(JSON, {"country": "MX", "q": "cluster", "sort": "-valid_until"})

    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(body(response))
    dates = [row["label_valid_until"] for row in data["clusters"]]
    assert dates == sorted(dates, reverse=True)
    assert "Clúster de Servicios de Salud de Baja California" in [row["name"] for row in data["clusters"]]
    assert set(data["clusters"][0]) == {
        "name", "country", "country_name", "comparative_portfolio", "website",
        "label_valid_until", "label_status", "url",
    }


def test_it_exports_everything_not_only_one_page(client, make_listed_cluster):
    for n in range(60):
        make_listed_cluster(f"Cluster {n:02d}")

    assert len(csv_rows(client.get(CSV))) == 60
    assert len(json.loads(body(client.get(JSON)))["clusters"]) == 60


def test_it_exports_an_empty_list_as_valid_documents(client, db):
    assert csv_rows(client.get(CSV)) == []
    assert json.loads(body(client.get(JSON))) == {"clusters": []}


def test_it_keeps_private_fields_out_of_the_exports(client, make_listed_cluster):
    make_listed_cluster("Private", contact_email="boss@private.example.org", organisation_name="Secret GmbH")

    text = body(client.get(CSV)) + body(client.get(JSON))

    assert "boss@private" not in text
    assert "Secret GmbH" not in text


def test_it_defuses_spreadsheet_formulas(client, make_listed_cluster):
    make_listed_cluster("=HYPERLINK(\"http://evil.example\")")

    assert csv_rows(client.get(CSV))[0]["name"] == "'=HYPERLINK(\"http://evil.example\")"


@pytest.mark.parametrize(
    "text, written",
    [("-5", "-5"), ("1e3", "1e3"), ("-inf", "'-inf"), ("+nan", "'+nan"), ("\t5", "'\t5"), ("-5 ", "'-5 ")],
)
def test_only_a_real_number_starts_with_a_formula_sign_unquoted(text, written):
    """The same rule as the analysis exports (exchange.files): one home, ecei_site.spreadsheets."""
    assert spreadsheet_safe(text) == written


def test_it_ignores_a_bad_filter_value_in_exports(client, make_listed_cluster):
    make_listed_cluster("Spanish", country="ES")

    assert [row["name"] for row in csv_rows(client.get(CSV, {"country": "ZZ"}))] == ["Spanish"]


@pytest.mark.parametrize("url", [CSV, JSON])
def test_it_rejects_post(client, db, url):
    assert client.post(url).status_code == 405


@pytest.mark.parametrize("count", [3, 40])
def test_it_streams_with_a_fixed_number_of_queries(client, make_listed_cluster, django_assert_num_queries, count):
    for n in range(count):
        make_listed_cluster(f"Cluster {n:02d}")

    # countries for the filter's choices (the latest change, the cached counts' key, and
    # the counts, not cached yet), then the rows (read in chunks by one query)
    with django_assert_num_queries(3):
        assert len(csv_rows(client.get(CSV))) == count
