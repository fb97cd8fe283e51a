"""The comparison in the API: a cluster's own managers with a token, the same rules as the page."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from comparisons.models import Comparison
from tests import factories

pytestmark = pytest.mark.django_db


def token_client(client, user):
    token = Token.objects.create(user=user)
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    return client


def test_a_manager_with_a_token_reads_the_comparison(client, own, manager, peers):
    response = token_client(client, manager).get(reverse("comparisons:api", args=[own.slug]), {"countries": "DE"})
    assert response.status_code == 200
    body = response.json()
    assert body["group"]["size"] == 12 and body["group"]["minimum"] == 6
    b4 = next(i for i in body["indicators"] if i["code"] == "B4")["series"][0]
    assert b4["own"] == 4.5 and b4["figures"]["n"] == 12
    assert "members" not in str(body["group"])
    assert Comparison.objects.get().channel == "api"


def test_a_small_group_is_refused_with_the_clusters_it_needs(client, own, manager, peers, ict):
    from comparisons.tests.helpers import benchmarked

    benchmarked(2, portfolio=ict, country="PL", seed=300)
    response = token_client(client, manager).get(reverse("comparisons:api", args=[own.slug]), {"countries": "PL"})
    assert response.status_code == 409
    assert response.json() == {
        "detail": response.json()["detail"], "code": "too_small", "needed": 4, "size": 2,
    }  # fmt: skip
    assert "It needs 4 more" in response.json()["detail"]


def test_someone_elses_cluster_is_a_404_and_no_token_a_401(client, own, peers):
    url = reverse("comparisons:api", args=[own.slug])
    assert client.get(url).status_code == 401
    stranger = factories.UserFactory(username="stranger")
    assert token_client(client, stranger).get(url).status_code == 404


def test_bad_input_names_the_parameter(client, own, manager, peers):
    response = token_client(client, manager).get(reverse("comparisons:api", args=[own.slug]), {"years": "soon"})
    assert response.status_code == 400
    assert "years" in response.json()["errors"]
    assert not Comparison.objects.exists()


def test_it_is_in_the_openapi_schema(client, db):
    schema = client.get(reverse("api:schema")).content.decode()
    assert "/api/v1/comparisons/{slug}/" in schema
