import datetime
import re

import pytest
from django.urls import reverse
from django.utils.formats import date_format

from directory.tests.html import names_in, read_table
from tests import factories

LIST = reverse("clusters:list")


def as_listed(until: str) -> str:
    """The date of a "Label valid until" cell ("4 May 2018 ✓ valid") as the original listing wrote
    it (2018/05/04); the site writes dates in the reader's one style (ecei_site/formats)."""
    day = datetime.datetime.strptime(re.match(r"\d+ \w+ \d{4}", until).group(0), "%d %B %Y")
    return day.strftime("%Y/%m/%d")


def get_table(client, query=""):
    response = client.get(LIST + query)
    assert response.status_code == 200
    return response, *read_table(response.content.decode())


# --- The original listing ------------------------------------------------------------


def test_it_lists_the_seed_clusters_of_mexico_as_the_original_listing(client, seed_clusters, seed_listing):
    assert len(seed_listing) == 35

    response, header, rows = get_table(client, "?country=MX")

    assert "Benchmarked clusters in Mexico" in response.content.decode()
    assert header == ["Name", "Comparative portfolio", "www", "Label valid until"]
    shown = [(name, portfolio, as_listed(until)) for name, portfolio, www, until in rows]
    assert shown == seed_listing


def test_it_lists_the_ict_clusters_with_their_country(client, seed_clusters, seed_listing):
    response, header, rows = get_table(client, "?portfolio=ict")

    assert header == ["Name", "Country", "www", "Label valid until"]
    expected = [(name, "Mexico", date) for name, portfolio, date in seed_listing if portfolio == "ICT"]
    assert len(expected) == 16
    assert [(name, country, as_listed(until)) for name, country, www, until in rows] == expected


def test_it_shows_every_column_without_a_filter(client, seed_clusters):
    response, header, rows = get_table(client)

    assert header == ["Name", "Country", "Comparative portfolio", "www", "Label valid until"]
    assert len(rows) == 35


def test_it_lists_only_clusters_with_a_label(client, make_listed_cluster):
    make_listed_cluster("Benchmarked")
    factories.ClusterFactory(name="Never benchmarked")

    assert names_in(client.get(LIST)) == ["Benchmarked"]


def test_it_shows_the_date_of_the_latest_label(client, make_listed_cluster, today):
    cluster = make_listed_cluster("Renewed", valid_days=-400)
    factories.LabelFactory(cluster=cluster, valid_until=datetime.date(2031, 3, 9), valid_from=today)

    response, header, rows = get_table(client)

    assert rows[0][-1] == "9 March 2031 ✓ valid"


def test_a_label_whose_period_has_not_started_is_not_yet_valid(client, make_listed_cluster, today):
    """One definition of "valid on a day" (models.label_validity): valid_from counts too."""
    cluster = make_listed_cluster("Lapsed", valid_days=-400)
    factories.LabelFactory(cluster=cluster, valid_until=datetime.date(2031, 3, 9), valid_from=datetime.date(2029, 3, 9))

    response, header, rows = get_table(client)

    assert rows[0][-1] == "9 March 2031 ✗ not yet valid"


def test_a_renewal_ahead_of_a_valid_label_shows_the_label_valid_today(client, make_listed_cluster, today):
    """The current label is the one valid today (domain.md); its renewal takes over on its first day."""
    cluster = make_listed_cluster("Renewed ahead", valid_days=100)
    factories.LabelFactory(
        cluster=cluster, valid_from=today + datetime.timedelta(days=101), valid_until=datetime.date(2031, 3, 9)
    )

    response, header, rows = get_table(client)

    valid_until = date_format(today + datetime.timedelta(days=100))
    assert rows[0][-1] == f"{valid_until} ✓ valid"


# --- Filters ---------------------------------------------------------------------------


def test_it_filters_by_country(client, make_listed_cluster):
    make_listed_cluster("German", country="DE")
    make_listed_cluster("Spanish", country="ES")

    assert names_in(client.get(LIST + "?country=ES")) == ["Spanish"]
    # The code may be written in lower case too.
    assert names_in(client.get(LIST + "?country=es")) == ["Spanish"]


def test_it_filters_by_portfolio(client, make_listed_cluster):
    make_listed_cluster("Software", portfolio="ict")
    make_listed_cluster("Cars", portfolio="transportation-and-mobility")

    response = client.get(LIST + "?portfolio=transportation-and-mobility")

    assert names_in(response) == ["Cars"]
    assert "Benchmarked clusters in the comparative portfolio Transportation and mobility" in response.content.decode()


def test_it_filters_by_status(client, make_listed_cluster):
    make_listed_cluster("Still valid", valid_days=10)
    make_listed_cluster("Last day", valid_days=0)
    make_listed_cluster("Expired", valid_days=-1)
    make_listed_cluster("Withdrawn", valid_days=300, status="withdrawn")

    assert names_in(client.get(LIST + "?status=valid")) == ["Last day", "Still valid"]
    assert names_in(client.get(LIST + "?status=expired")) == ["Expired"]
    assert names_in(client.get(LIST + "?status=withdrawn")) == ["Withdrawn"]


def test_it_combines_filters(client, make_listed_cluster):
    make_listed_cluster("Software Madrid", country="ES", portfolio="ict")
    make_listed_cluster("Software Madrid old", country="ES", portfolio="ict", valid_days=-30)
    make_listed_cluster("Software Berlin", country="DE", portfolio="ict")
    make_listed_cluster("Cars Madrid", country="ES", portfolio="transportation-and-mobility")

    response, header, rows = get_table(client, "?country=ES&portfolio=ict&status=valid&q=software")

    assert [row[0] for row in rows] == ["Software Madrid"]
    assert header == ["Name", "www", "Label valid until"]
    assert "Benchmarked clusters in Spain, comparative portfolio ICT" in response.content.decode()


def test_it_keeps_the_filters_in_the_sort_and_page_links(client, make_listed_cluster):
    make_listed_cluster("Software", country="ES")

    html = client.get(LIST + "?country=ES&q=soft&page=1").content.decode()

    assert 'href="?country=ES&amp;q=soft&amp;sort=-name"' in html
    assert f'href="{reverse("clusters:export_csv")}?country=ES&amp;q=soft"' in html


# --- Search ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, expected",
    [
        ("queretaro", ["Automotive Cluster of Queretaro, A.C.", "Integracion Tecnologica De Queretaro. A.c."]),
        ("QUERÉTARO", ["Automotive Cluster of Queretaro, A.C.", "Integracion Tecnologica De Queretaro. A.c."]),
        ("leon", ["Cluster Automotriz de Nuevo León", "Software Industry Council of Nuevo Leon"]),
        ("clúster de s", ["Clúster de Servicios de Salud de Baja California"]),
    ],
)
def test_it_searches_ignoring_case_and_accents(client, seed_clusters, query, expected):
    assert names_in(client.get(LIST, {"q": query})) == expected


def test_it_finds_accented_names_with_a_plain_query(client, seed_clusters):
    names = names_in(client.get(LIST, {"q": "cluster"}))

    assert "Clúster de Servicios de Salud de Baja California" in names
    assert "Coconut Agricluster" in names


def test_it_finds_querétaro_with_queretaro(client, make_listed_cluster):
    make_listed_cluster("Clúster Aeroespacial de Querétaro", country="MX")

    assert names_in(client.get(LIST, {"q": "queretaro"})) == ["Clúster Aeroespacial de Querétaro"]


def test_it_treats_like_wildcards_as_text(client, make_listed_cluster):
    make_listed_cluster("Solar 100% Cluster")
    make_listed_cluster("Solar 100 Cluster")

    assert names_in(client.get(LIST, {"q": "100%"})) == ["Solar 100% Cluster"]
    assert names_in(client.get(LIST, {"q": "_"})) == []


# --- Sorting ---------------------------------------------------------------------------


@pytest.fixture
def three_clusters(make_listed_cluster):
    make_listed_cluster("Bravo", country="ES", portfolio="ict", valid_days=-10, website="https://b.example.org/")
    make_listed_cluster("alpha", country="CH", portfolio="food-industry", valid_days=50, website="")
    make_listed_cluster(
        "Ćharlie", country="DE", portfolio="biotechnology", valid_days=20, website="https://a.example.org"
    )


@pytest.mark.parametrize(
    "sort, expected",
    [
        ("", ["alpha", "Bravo", "Ćharlie"]),
        ("name", ["alpha", "Bravo", "Ćharlie"]),
        ("-name", ["Ćharlie", "Bravo", "alpha"]),
        # By the country's name: Germany, Spain, Switzerland (not by code: CH, DE, ES).
        ("country", ["Ćharlie", "Bravo", "alpha"]),
        ("-country", ["alpha", "Bravo", "Ćharlie"]),
        ("portfolio", ["Ćharlie", "alpha", "Bravo"]),
        ("-portfolio", ["Bravo", "alpha", "Ćharlie"]),
        ("www", ["alpha", "Ćharlie", "Bravo"]),
        ("valid_until", ["Bravo", "Ćharlie", "alpha"]),
        ("-valid_until", ["alpha", "Ćharlie", "Bravo"]),
    ],
)
def test_it_sorts_by_every_column(client, three_clusters, sort, expected):
    assert names_in(client.get(LIST, {"sort": sort} if sort else {})) == expected


def test_it_marks_the_sorted_column_for_assistive_technology(client, three_clusters):
    html = client.get(LIST, {"sort": "-valid_until"}).content.decode()

    assert 'class="col-valid_until" aria-sort="descending"' in html
    assert html.count("aria-sort=") == 1
    # A second click on the sorted column reverses it.
    assert 'href="?sort=valid_until"' in html


# --- Pages -------------------------------------------------------------------------------


def test_it_pages_the_list(client, make_listed_cluster):
    for n in range(55):
        make_listed_cluster(f"Cluster {n:02d}")

    first = names_in(client.get(LIST))
    second = client.get(LIST, {"page": 2})

    assert len(first) == 50
    assert names_in(second) == [f"Cluster {n:02d}" for n in range(50, 55)]
    assert "page 2 of 2" in second.content.decode()
    # A page number out of range or not a number shows a page rather than an error.
    assert client.get(LIST, {"page": 99}).status_code == 200
    assert names_in(client.get(LIST, {"page": "abc"})) == first


# --- Presentation ------------------------------------------------------------------------


def test_it_tells_valid_and_expired_apart_in_words(client, make_listed_cluster):
    make_listed_cluster("Fresh", valid_days=30)
    make_listed_cluster("Old", valid_days=-30)

    response, header, rows = get_table(client)

    assert rows[0][-1].endswith(" valid") and rows[0][0] == "Fresh"
    assert rows[1][-1].endswith(" expired")
    assert '<span class="label-status expired"><span aria-hidden="true">✗</span> expired</span>' in (
        response.content.decode()
    )


def test_it_links_websites_safely_and_shows_a_dash_without_one(client, make_listed_cluster):
    make_listed_cluster("With site", website="https://www.example.org/en/")
    make_listed_cluster("Without site", website="")

    response, header, rows = get_table(client)
    html = response.content.decode()

    assert '<a href="https://www.example.org/en/" target="_blank" rel="noopener nofollow">www.example.org' in html
    assert rows[1][header.index("www")] == "–"


def test_it_escapes_cluster_names(client, make_listed_cluster):
    make_listed_cluster("<script>alert(1)</script>")

    html = client.get(LIST).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_it_has_a_link_back_to_the_overview(client, db):
    assert f'<a href="{reverse("home")}">« Back to overview</a>' in client.get(LIST).content.decode()


# --- Bad requests --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("?country=ZZ", "country"),
        ("?country=Mexico", "country"),
        ("?portfolio=no-such-portfolio", "portfolio"),
        ("?status=forever", "status"),
        ("?sort=secret_field", "sort"),
        ("?sort=portfolio__clusters__contact_email", "sort"),
        # PostgreSQL would refuse a NUL character in a query: the form stops it first.
        ("?q=%00", "q"),
    ],
)
def test_it_reports_and_ignores_a_bad_filter_value(client, seed_clusters, query, parameter):
    response = client.get(LIST + query)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Some filters in the address were not understood and are ignored" in html
    assert f"<li>{parameter} = " in html
    assert len(names_in(response)) == 35


def test_it_applies_the_good_filters_next_to_a_bad_one(client, make_listed_cluster):
    make_listed_cluster("Spanish", country="ES")
    make_listed_cluster("German", country="DE")

    response = client.get(LIST + "?country=ES&status=forever")

    assert names_in(response) == ["Spanish"]


def test_it_rejects_post(client, db):
    assert client.post(LIST).status_code == 405


def test_it_answers_head(client, db):
    assert client.head(LIST).status_code == 200


# --- Cost -------------------------------------------------------------------------------------


def make_clusters(make_listed_cluster, count: int, labels_each: int):
    for n in range(count):
        cluster = make_listed_cluster(f"Cluster {n:03d}", country=["DE", "ES", "MX"][n % 3])
        for extra in range(labels_each - 1):
            factories.LabelFactory(
                cluster=cluster,
                valid_from=datetime.date(2010 + extra, 1, 1),
                valid_until=datetime.date(2012 + extra, 1, 1),
            )


@pytest.mark.parametrize("count, labels_each", [(3, 1), (70, 3)])
@pytest.mark.parametrize(
    "query, queries",
    [
        # latest change (the key of the cached counts) for the filter's countries, the counts by
        # country (not cached yet), latest change again for the list's count, the count, page of
        # rows, portfolios for its select
        ("", 6),
        ("?country=ES&sort=-valid_until&q=cluster&status=valid", 6),
        # ... and the portfolio named in the URL, looked up to validate it
        ("?portfolio=ict&page=2", 7),
    ],
)
def test_it_costs_a_fixed_number_of_queries(
    client, make_listed_cluster, django_assert_num_queries, count, labels_each, query, queries
):
    make_clusters(make_listed_cluster, count, labels_each)

    with django_assert_num_queries(queries):
        response = client.get(LIST + query)
    # The second time, the countries of the filter and the list's count come from the cache.
    with django_assert_num_queries(queries - 2):
        client.get(LIST + query)

    assert response.status_code == 200
