"""The public list's pages read from the nearer end (ecei_site.paging.TwoEndedPaginator) are the
pages a plain Paginator gives, for every sort, both directions, ties included."""

import pytest
from django.core.paginator import Paginator

from directory.filters import PublicClusterFilter
from directory.selectors import SORT_KEYS, order_public_clusters, public_clusters, public_list_version
from directory.tests.html import names_in
from ecei_site.paging import SeekPaginator, TwoEndedPaginator

from .test_cluster_list import LIST


@pytest.fixture
def listing(make_listed_cluster):
    # Ties on every sort key: two names, two countries, two portfolios, with and without a site.
    for n in range(11):
        make_listed_cluster(
            "Same name" if n % 3 else f"Cluster {n:02d}",
            country="DE" if n % 2 else "FR",
            portfolio="ict" if n % 4 else "biotechnology",
            website="" if n % 5 else f"https://www.c{n}.example.org/",
            valid_days=100 + n % 2,
        )


@pytest.mark.parametrize("orphans", [0, 2])
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("key", SORT_KEYS)
def test_every_page_is_the_plain_paginators(listing, key, descending, orphans):
    clusters = order_public_clusters(public_clusters(), key, descending)
    plain = Paginator(clusters, 4, orphans=orphans)
    two_ended = TwoEndedPaginator(clusters, 4, orphans=orphans)

    assert two_ended.num_pages == plain.num_pages
    for number in plain.page_range:
        expected = [c.pk for c in plain.page(number)]
        assert [c.pk for c in two_ended.page(number)] == expected


def test_the_last_page_of_the_list_is_read_from_the_end(client, make_listed_cluster):
    for n in range(55):
        make_listed_cluster(f"Cluster {n:02d}")

    last = client.get(LIST, {"page": 2, "sort": "-name"})

    assert names_in(last) == [f"Cluster {n:02d}" for n in range(4, -1, -1)]
    assert "page 2 of 2" in last.content.decode()


# --- Middle pages from the kept order (ecei_site.paging.SeekPaginator) ----------------------


class EveryPageSeeks(SeekPaginator):
    shallow = 0  # every page past the first and the last is read from the kept order


def seek(clusters, per_page=4, **kwargs):
    return EveryPageSeeks(clusters, per_page, version=public_list_version, **kwargs)


@pytest.mark.parametrize("orphans", [0, 2])
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("key", SORT_KEYS)
def test_every_page_read_from_the_kept_order_is_the_plain_paginators(listing, key, descending, orphans):
    clusters = order_public_clusters(public_clusters(), key, descending)
    plain = Paginator(clusters, 4, orphans=orphans)

    for number in plain.page_range:  # a new paginator per page, as a request: the order from the cache
        expected = [c.pk for c in plain.page(number)]
        assert [c.pk for c in seek(clusters, orphans=orphans).page(number)] == expected


@pytest.mark.parametrize(
    "query", [{}, {"status": "valid"}, {"country": "DE", "sort": "-valid_until"}, {"q": "same", "sort": "portfolio"}]
)
def test_filtered_pages_are_the_plain_paginators(listing, query):
    clusters = PublicClusterFilter(query, queryset=public_clusters()).qs
    plain = Paginator(clusters, 2)

    for number in plain.page_range:
        expected = [c.pk for c in plain.page(number)]
        page = seek(clusters, per_page=2).page(number)
        assert [c.pk for c in page] == expected
        # The annotations the list shows come with the rows read by their ids.
        assert [c.latest_valid_until for c in page] == [c.latest_valid_until for c in plain.page(number)]


def test_a_middle_page_costs_a_fixed_number_of_queries(listing, django_assert_num_queries):
    clusters = order_public_clusters(public_clusters(), "country")
    seek(clusters).page(2)  # the order is kept

    with django_assert_num_queries(2):  # the data's version, the page's rows by id (count and order kept)
        assert len(seek(clusters).page(2)) == 4


def test_the_count_is_kept_until_the_clusters_change(listing, make_listed_cluster, django_assert_num_queries):
    clusters = order_public_clusters(public_clusters(), "name")
    assert seek(clusters).count == 11
    with django_assert_num_queries(1):  # the data's version; the count is kept
        assert seek(clusters).count == 11

    make_listed_cluster("One more")

    assert seek(clusters).count == 12


def test_a_change_to_the_clusters_is_a_new_order(listing, make_listed_cluster):
    clusters = order_public_clusters(public_clusters(), "name")
    before = [c.name for c in seek(clusters).page(2)]

    make_listed_cluster("Aaa first")  # every row moves one place down
    after = [c.name for c in seek(clusters).page(2)]

    assert after == [c.name for c in Paginator(clusters, 4).page(2)]
    assert after[1:] == before[:-1]


def test_a_middle_page_of_the_list_keeps_its_number_and_links(client, make_listed_cluster, monkeypatch):
    for n in range(105):
        make_listed_cluster(f"Cluster {n:03d}")
    monkeypatch.setattr(SeekPaginator, "shallow", 0)  # page 2 of 3 is read from the kept order

    for _ in range(2):  # the order read, then kept
        response = client.get(LIST, {"page": 2, "sort": "-name"})

    assert names_in(response) == [f"Cluster {n:03d}" for n in range(54, 4, -1)]
    page = response.content.decode()
    assert "page 2 of 3" in page
    for number in (1, 3):
        assert f'href="?page={number}&amp;sort=-name"' in page or f'href="?sort=-name&amp;page={number}"' in page
