"""Who may call what: the permission matrix of every API URL, with and without a token."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.authtoken.models import Token

from benchmarking.services.reports import report_issue
from tests.factories import LabelFactory, approved_interview

ANONYMOUS, PLAIN, EXPERT, STAFF, STAFF_SESSION, INACTIVE = (
    "anonymous", "plain user's token", "expert's token", "staff token", "staff session", "inactive staff token",
)
WHO = (ANONYMOUS, PLAIN, EXPERT, STAFF, STAFF_SESSION, INACTIVE)


@pytest.fixture
def data(catalogue, staff_user):
    cache.clear()
    interview = approved_interview(date=datetime.date(2024, 3, 1))
    label = LabelFactory(cluster=interview.cluster, code="DEU001202403B", interview=interview, source="interview")
    report = report_issue(interview=interview, user=staff_user)
    return {"interview": interview, "label": label, "report": report}


def _url(name, data):
    args = {
        "cluster_detail": [data["interview"].cluster.slug],
        "label_verify": [data["label"].code],
        "interview_detail": [data["interview"].pk],
        "report_detail": [data["report"].code],
    }.get(name, [])
    return reverse(f"api:{name}", args=args)


# url name -> expected status of a GET for each of WHO. Public facts are open (a token is
# not even looked at); the secretariat's data needs an active staff user's token, or their
# session (the docs page's "Try it out"); anybody else is 401 without credentials, 403 with.
PUBLIC = (200,) * 6
SECRETARIAT = (401, 403, 403, 200, 200, 401)
MATRIX = {
    "schema": PUBLIC,
    "docs": PUBLIC,
    "cluster_list": PUBLIC,
    "cluster_detail": PUBLIC,
    "label_verify": PUBLIC,
    "portfolio_list": PUBLIC,
    "country_list": PUBLIC,
    "interview_list": SECRETARIAT,
    "interview_detail": SECRETARIAT,
    "report_list": SECRETARIAT,
    "report_detail": SECRETARIAT,
}
CASES = [
    pytest.param(name, who, expected[i], id=f"{name}-{who}")
    for name, expected in MATRIX.items()
    for i, who in enumerate(WHO)
]


@pytest.fixture
def as_user(client, plain_user, expert, staff_user):
    def _as(who):
        if who == STAFF_SESSION:
            client.force_login(staff_user)
            return {}
        if who == ANONYMOUS:
            return {}
        user = {PLAIN: plain_user, EXPERT: expert.user, STAFF: staff_user, INACTIVE: staff_user}[who]
        if who == INACTIVE:
            user.is_active = False
            user.save()
        return {"HTTP_AUTHORIZATION": f"Token {Token.objects.create(user=user).key}"}

    return _as


@pytest.mark.parametrize(("name", "who", "expected"), CASES)
def test_permission_matrix(client, data, as_user, name, who, expected):
    headers = as_user(who)
    response = client.get(_url(name, data), **headers)
    assert response.status_code == expected
    if expected in (401, 403):
        assert "detail" in response.json()


@pytest.mark.parametrize("name", [name for name in MATRIX if name not in ("schema", "docs")])
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_it_is_read_only(client, data, as_user, name, method):
    headers = as_user(STAFF)
    response = getattr(client, method)(_url(name, data), {}, content_type="application/json", **headers)
    assert response.status_code == 405
    assert response.json()["detail"].startswith(f'Method "{method.upper()}" not allowed.')


def test_the_docs_page_is_read_only(client, db):
    assert client.post(reverse("api:docs")).status_code == 405


def test_the_secretariat_endpoints_say_why_they_refuse(client, data, as_user):
    response = client.get(_url("interview_list", data), **as_user(EXPERT))
    assert response.json() == {"detail": "Only the ECEI secretariat may read this."}
    response = client.get(_url("interview_list", data))
    assert response.json() == {"detail": "Authentication credentials were not provided."}
    assert response["WWW-Authenticate"] == "Token"


def test_an_unknown_interview_or_report_is_404(client, data, as_user):
    headers = as_user(STAFF)
    assert client.get(reverse("api:interview_detail", args=[999999]), **headers).status_code == 404
    assert client.get(reverse("api:report_detail", args=["NOPE"]), **headers).status_code == 404
