import datetime

import pytest
from django.urls import reverse

from tests import factories


def test_it_shows_the_public_facts_of_a_cluster(client, make_listed_cluster):
    cluster = make_listed_cluster(
        "Clúster de Querétaro",
        country="MX",
        region="Querétaro",
        website="https://www.cluster.example.mx/",
        eccp_profile_url="https://clustercollaboration.eu/cluster-organisations/cq",
    )

    html = client.get(cluster.get_absolute_url()).content.decode()

    assert "<h1" in html and "Clúster de Querétaro</h1>" in html
    assert "ICT" in html and "Mexico" in html and "Querétaro" in html
    assert '<a href="https://www.cluster.example.mx/" target="_blank" rel="noopener nofollow">' in html
    eccp = "https://clustercollaboration.eu/cluster-organisations/cq"
    assert f'href="{eccp}" target="_blank" rel="noopener nofollow"' in html
    assert f'href="{reverse("clusters:list")}?country=MX"' in html


def test_it_links_the_current_label_and_the_history_to_their_verification_pages(client, make_listed_cluster, today):
    cluster = make_listed_cluster("Renewed", valid_days=200)
    old = factories.LabelFactory(
        cluster=cluster,
        code="DEU001201401B",
        valid_from=datetime.date(2014, 1, 1),
        valid_until=datetime.date(2016, 1, 1),
    )
    current = cluster.labels.latest("valid_until")

    html = client.get(cluster.get_absolute_url()).content.decode()

    assert html.count(f'href="{current.get_absolute_url()}"') == 2  # the current label card and the history
    assert f'href="{old.get_absolute_url()}"' in html
    assert html.index(current.code) < html.index(old.code)
    assert "1 January 2016" in html
    assert '<span class="label-status valid">' in html
    assert '<span class="label-status expired">' in html


def test_it_says_when_the_latest_label_was_withdrawn(client, make_listed_cluster):
    cluster = make_listed_cluster("Withdrawn", valid_days=200, status="withdrawn")

    html = client.get(cluster.get_absolute_url()).content.decode()

    assert '<span class="label-status withdrawn">' in html
    assert '<span class="label-status valid">' not in html


def test_it_shows_nothing_private(client, make_listed_cluster, expert):
    cluster = make_listed_cluster("Private", contact_email="boss@private.example.org")
    interview = factories.InterviewFactory(cluster=cluster, expert=expert, interviewee_name="Dolores Secret")

    html = client.get(cluster.get_absolute_url()).content.decode()

    assert "boss@private.example.org" not in html
    assert "Dolores Secret" not in html
    assert expert.user.last_name not in html
    assert interview.get_absolute_url() not in html


def test_it_shows_a_dash_for_a_missing_website(client, make_listed_cluster):
    cluster = make_listed_cluster("No site", website="", eccp_profile_url="")

    html = client.get(cluster.get_absolute_url()).content.decode()

    assert '<span aria-hidden="true">–</span><span class="visually-hidden">none</span>' in html


def test_it_escapes_the_name(client, make_listed_cluster):
    cluster = make_listed_cluster("<script>alert(1)</script>", slug="script")

    html = client.get(cluster.get_absolute_url()).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_it_answers_404_for_an_unknown_slug(client, db):
    assert client.get(reverse("clusters:detail", kwargs={"slug": "no-such-cluster"})).status_code == 404


def test_it_answers_404_for_a_cluster_never_benchmarked(client, db):
    cluster = factories.ClusterFactory()

    assert client.get(cluster.get_absolute_url()).status_code == 404


def test_it_rejects_post(client, make_listed_cluster):
    assert client.post(make_listed_cluster().get_absolute_url()).status_code == 405


@pytest.mark.parametrize("labels", [1, 6])
def test_it_costs_a_fixed_number_of_queries(client, make_listed_cluster, django_assert_num_queries, labels):
    cluster = make_listed_cluster()
    for n in range(labels - 1):
        factories.LabelFactory(
            cluster=cluster, valid_from=datetime.date(2000 + n, 1, 1), valid_until=datetime.date(2002 + n, 1, 1)
        )

    # the cluster with its portfolio, its labels
    with django_assert_num_queries(2):
        client.get(cluster.get_absolute_url())
