"""Portfolio names in the reader's language on the public pages; exports stay English data."""

import csv
import io

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_public_list_shows_and_sorts_portfolios_in_the_readers_language(client, make_listed_cluster):
    make_listed_cluster("Alpha", portfolio="ict")
    make_listed_cluster("Beta", portfolio="biotechnology")
    page = client.get(reverse("clusters:list") + "?sort=portfolio", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert page.index("Biotechnologie") < page.index("IKT")
    home = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "TIC" in home


def test_exports_are_data_their_columns_and_names_stay_english(client, make_listed_cluster):
    make_listed_cluster("Alpha", portfolio="ict", country="DE")
    response = client.get(reverse("clusters:export_csv"), HTTP_ACCEPT_LANGUAGE="de")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode().lstrip("\ufeff"))))
    assert rows[0][:4] == ["name", "country", "country_name", "comparative_portfolio"]
    assert rows[1][2:4] == ["Germany", "ICT"]
