import pytest
from django.urls import reverse

from benchmarking.services.label_facts import label_facts_refresh
from benchmarking.services.labels import label_suspend
from tests import factories

HOME = reverse("home")


def test_it_sums_up_the_database(client, seed_clusters, make_listed_cluster):
    make_listed_cluster("German", country="DE", portfolio="ict", valid_days=10)
    factories.ClusterFactory(name="Not benchmarked", country="FR")

    html = client.get(HOME).content.decode()

    assert "The list includes 36 clusters\n  from 2 countries,\n  1 of them with a valid label today." in html
    assert f'<a href="{reverse("clusters:list")}?country=MX">Mexico</a>' in html
    assert "France" not in html
    assert f'<a href="{reverse("clusters:list")}?portfolio=ict">ICT</a>' in html
    assert '<span class="text-body-secondary">(17)</span>' in html


def test_it_writes_large_numbers_with_a_thousands_separator(client, make_listed_cluster, django_assert_num_queries):
    from benchmarking.models import Label
    from clusters.models import Cluster, ComparativePortfolio

    ict = ComparativePortfolio.objects.get(slug="ict")
    clusters = Cluster.objects.bulk_create(
        Cluster(name=f"C{n}", name_folded=f"c{n}", slug=f"c{n}", country="DE", portfolio=ict) for n in range(1001)
    )
    Label.objects.bulk_create(
        factories.LabelFactory.build(cluster=cluster, code=f"DEU{n}B") for n, cluster in enumerate(clusters)
    )
    label_facts_refresh()  # bulk_create skips the label services, like seed_demo

    # the latest change (the cache key), the counts per country and portfolio
    with django_assert_num_queries(2):
        html = client.get(HOME).content.decode()
    # ... and then only the latest change, until a cluster or its labels change
    with django_assert_num_queries(1):
        again = client.get(HOME).content.decode()
    assert "The list includes 1,001 clusters\n  from 1 country," in again

    assert "The list includes 1,001 clusters\n  from 1 country," in html


def test_its_counts_follow_a_label_change_at_once(client, make_listed_cluster, staff_user):
    cluster = make_listed_cluster("One", valid_days=100)
    assert "1 of them with a valid label today." in client.get(HOME).content.decode()

    label_suspend(label=cluster.labels.get(), reason="Complaint under investigation.", user=staff_user)

    assert "0 of them with a valid label today." in client.get(HOME).content.decode()


def test_it_has_a_search_box_that_opens_the_list(client, db):
    html = client.get(HOME).content.decode()

    assert f'action="{reverse("clusters:list")}"' in html
    assert '<label for="overview-q"' in html and 'name="q" id="overview-q"' in html


def test_it_explains_the_benchmarking_and_the_labels(client, db):
    html = client.get(HOME).content.decode()

    assert "36 indicators" in html
    assert "Striving for Cluster Excellence" in html
    assert "expired" in html


def test_it_shows_an_empty_database(client, db):
    assert "The list includes 0 clusters" in client.get(HOME).content.decode()


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_it_rejects_other_methods(client, db, method):
    assert getattr(client, method)(HOME).status_code == 405
