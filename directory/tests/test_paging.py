"""The public list's pages read from the nearer end (ecei_site.paging.TwoEndedPaginator) are the
pages a plain Paginator gives, for every sort, both directions, ties included."""

import pytest
from django.core.paginator import Paginator

from directory.selectors import SORT_KEYS, order_public_clusters, public_clusters
from directory.tests.html import names_in
from ecei_site.paging import TwoEndedPaginator

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
