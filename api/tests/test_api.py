"""The read-only API: content, filters, errors, throttling and query counts."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token

from benchmarking.models import Label, Report
from benchmarking.services.reports import report_issue
from tests.factories import ClusterFactory, LabelFactory, PortfolioFactory, approved_interview


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()  # throttling counts requests in the cache
    yield
    cache.clear()


@pytest.fixture
def listed(catalogue):
    """Three listed clusters (DE, DE, FR) and one never benchmarked."""
    energy = PortfolioFactory(name="Energy and environment", slug="energy-and-environment")
    alpha = ClusterFactory(name="Alpha Cluster", country="DE")
    beta = ClusterFactory(name="Beta Cluster", country="FR", portfolio=energy)
    gamma = ClusterFactory(name="Gamma Cluster", country="DE")
    ClusterFactory(name="Unlisted")
    LabelFactory(cluster=alpha, code="DEU001202401B", valid_until=datetime.date(2099, 1, 1))
    LabelFactory(cluster=beta, code="FRA001202401B", valid_until=datetime.date(2020, 1, 1),
                 valid_from=datetime.date(2018, 1, 1))
    LabelFactory(cluster=gamma, code="DEU002202401B", valid_until=datetime.date(2099, 1, 1), status="suspended")
    return alpha, beta, gamma


@pytest.fixture
def token(staff_user):
    return Token.objects.create(user=staff_user).key


def auth(key):
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


# --- Public ----------------------------------------------------------------------------------


def test_clusters_list_shows_the_current_label(client, listed):
    response = client.get(reverse("api:cluster_list"))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    first = body["results"][0]
    assert first["name"] == "Alpha Cluster"
    assert first["label_status"] == "valid" and first["label_valid_until"] == "2099-01-01"
    assert first["portfolio"] == {"slug": "ict", "name": "ICT"}
    assert first["url"].endswith(reverse("clusters:detail", args=[first["slug"]]))
    assert [c["label_status"] for c in body["results"]] == ["valid", "expired", "suspended"]


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("country=DE", ["Alpha Cluster", "Gamma Cluster"]),
        ("country=de", ["Alpha Cluster", "Gamma Cluster"]),
        ("portfolio=energy-and-environment", ["Beta Cluster"]),
        ("status=expired", ["Beta Cluster"]),
        ("q=gamma", ["Gamma Cluster"]),
        ("country=AD", []),  # a country without benchmarked clusters: nothing, not an error
        ("sort=-name", ["Gamma Cluster", "Beta Cluster", "Alpha Cluster"]),
    ],
)
def test_clusters_list_has_the_public_filters(client, listed, query, names):
    response = client.get(reverse("api:cluster_list") + "?" + query)
    assert [c["name"] for c in response.json()["results"]] == names


@pytest.mark.parametrize("query", ["country=XX", "status=lost", "portfolio=nothing", "sort=colour"])
def test_a_bad_filter_is_a_400_naming_the_parameter(client, listed, query):
    response = client.get(reverse("api:cluster_list") + "?" + query)
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "The request has invalid parameters."
    assert list(body["errors"]) == [query.split("=")[0]]


def test_pages(client, listed):
    body = client.get(reverse("api:cluster_list") + "?page_size=2").json()
    assert len(body["results"]) == 2 and body["next"].endswith("page=2&page_size=2")
    response = client.get(reverse("api:cluster_list") + "?page=9")
    assert response.status_code == 404 and response.json() == {"detail": "Invalid page."}


def test_cluster_detail_lists_every_label(client, listed):
    alpha = listed[0]
    LabelFactory(cluster=alpha, code="DEU001201801B", valid_until=datetime.date(2020, 1, 1),
                 valid_from=datetime.date(2018, 1, 1))
    body = client.get(reverse("api:cluster_detail", args=[alpha.slug])).json()
    assert [label["code"] for label in body["labels"]] == ["DEU001202401B", "DEU001201801B"]
    assert [label["status"] for label in body["labels"]] == ["valid", "expired"]
    assert body["region"] == "Bavaria"


def test_an_unlisted_cluster_is_404(client, listed):
    response = client.get(reverse("api:cluster_detail", args=["unlisted"]))
    assert response.status_code == 404
    assert response.json() == {"detail": "No Cluster matches the given query."}


def test_label_verification(client, listed):
    body = client.get(reverse("api:label_verify", args=["deu-001 202401b"])).json()
    assert body["code"] == "DEU001202401B" and body["status"] == "valid"
    assert body["level_name"] == "Striving for Cluster Excellence"
    assert body["cluster"]["name"] == "Alpha Cluster"
    assert client.get(reverse("api:label_verify", args=["DEU002202401B"])).json()["status"] == "suspended"
    missing = client.get(reverse("api:label_verify", args=["NOPE"]))
    assert missing.status_code == 404 and missing.json() == {"detail": "No label has the code NOPE."}


def test_portfolios_and_countries_count_listed_clusters(client, listed, reference_data):
    portfolios = {p["slug"]: p["clusters"] for p in client.get(reverse("api:portfolio_list")).json()["results"]}
    assert portfolios["ict"] == 2 and portfolios["energy-and-environment"] == 1 and portfolios["biotechnology"] == 0
    countries = client.get(reverse("api:country_list")).json()["results"]
    assert countries == [
        {"code": "FR", "name": "France", "clusters": 1},
        {"code": "DE", "name": "Germany", "clusters": 2},
    ]


def test_unknown_api_urls_answer_in_json(client, db):
    response = client.get("/api/v1/nothing/")
    assert response.status_code == 404 and response.json() == {"detail": "No such API endpoint."}


def test_public_endpoints_are_throttled_per_address(client, listed, settings):
    settings.ECEI_API_RATE_ANONYMOUS = "3/minute"
    url = reverse("api:portfolio_list")
    assert [client.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert client.get(url).json()["detail"].startswith("Request was throttled.")


def test_the_public_needs_no_token_and_a_bad_one_is_ignored(client, listed):
    assert client.get(reverse("api:cluster_list"), **auth("not-a-token")).status_code == 200


@pytest.mark.parametrize("name", ["api:cluster_list", "api:portfolio_list", "api:country_list"])
def test_public_query_counts_stay_flat(client, listed, name):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name)).status_code == 200
        return len(queries)

    before = count()
    for i in range(5):
        cluster = ClusterFactory(country="IT" if i % 2 else "ES")
        LabelFactory(cluster=cluster)
    assert count() == before


# --- The secretariat -------------------------------------------------------------------------


@pytest.fixture
def interviews(catalogue, staff_user):
    first = approved_interview(date=datetime.date(2023, 5, 1))
    Label.objects.create(
        cluster=first.cluster, code="DEU009202305B", benchmarked_on=first.date, awarded_on=first.date,
        valid_from=first.date, valid_until=datetime.date(2025, 5, 1), interview=first,
    )
    second = approved_interview(cluster=ClusterFactory(country="FR"), date=datetime.date(2024, 2, 1), seed=3)
    return first, second


def test_interviews_for_the_secretariat(client, interviews, token):
    response = client.get(reverse("api:interview_list"), **auth(token))
    assert response.status_code == 200
    body = response.json()
    assert [i["date"] for i in body["results"]] == ["2024-02-01", "2023-05-01"]
    assert body["results"][0]["status"] == "approved" and body["results"][0]["imported"] is False
    filtered = client.get(reverse("api:interview_list") + "?country=FR&catalogue=1", **auth(token)).json()
    assert [i["cluster"]["country"] for i in filtered["results"]] == ["FR"]


def test_interview_detail_has_its_answers(client, interviews, token):
    first = interviews[0]
    body = client.get(reverse("api:interview_detail", args=[first.pk]), **auth(token)).json()
    assert len(body["answers"]) == 36
    a4 = next(a for a in body["answers"] if a["indicator"] == "A4")
    assert a4["kind"] == "integer" and a4["number"] == f"{first.answers.get(indicator__code='A4').number:.4f}"
    a5 = next(a for a in body["answers"] if a["indicator"] == "A5")
    assert set(a5["parts"]) == {"SMEs", "large companies", "universities", "research institutes", "public bodies",
                                "other"}


def test_reports_with_their_statistics(client, interviews, token, staff_user):
    report = report_issue(interview=interviews[0], user=staff_user)
    body = client.get(reverse("api:report_list"), **auth(token)).json()
    assert [r["code"] for r in body["results"]] == [report.code]
    assert "snapshot" not in body["results"][0]
    detail = client.get(reverse("api:report_detail", args=[report.code]), **auth(token)).json()
    assert detail["snapshot"] == report.snapshot
    assert client.get(reverse("api:report_list") + "?cluster=nobody", **auth(token)).json()["count"] == 0


def test_the_report_list_leaves_the_documents_out_and_the_detail_its_translations(
    client, interviews, token, staff_user
):
    """A report's JSON is about 270 KB in three languages: fifty to a page would be 13 MB read for nothing."""
    report_issue(interview=interviews[0], user=staff_user)

    def report_sql(url) -> str:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, **auth(token)).status_code == 200
        return " ".join(q["sql"] for q in queries if 'FROM "benchmarking_report"' in q["sql"])

    listed = report_sql(reverse("api:report_list"))
    assert '"benchmarking_report"."code"' in listed
    assert '"benchmarking_report"."snapshot"' not in listed and '"benchmarking_report"."translations"' not in listed
    detail = report_sql(reverse("api:report_detail", args=[Report.objects.get().code]))
    assert '"benchmarking_report"."snapshot"' in detail and '"benchmarking_report"."translations"' not in detail


@pytest.mark.parametrize("name", ["api:interview_list", "api:report_list"])
def test_secretariat_query_counts_stay_flat(client, interviews, token, staff_user, name):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name), **auth(token)).status_code == 200
        return len(queries)

    report_issue(interview=interviews[0], user=staff_user)
    before = count()
    for seed in range(4, 8):
        report_issue(interview=approved_interview(seed=seed), user=staff_user)
    assert count() == before


def test_interview_detail_query_count_does_not_depend_on_answers(client, interviews, token):
    def count(interview):
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("api:interview_detail", args=[interview.pk]), **auth(token))
        return len(queries)

    first = interviews[0]
    full = count(first)
    first.answers.filter(indicator__code__startswith="F").delete()
    assert count(first) == full


def test_a_revoked_token_is_refused(client, interviews, token):
    Token.objects.filter(key=token).delete()
    response = client.get(reverse("api:interview_list"), **auth(token))
    assert response.status_code == 401 and response.json() == {"detail": "Invalid token."}


def test_every_page_links_the_api_docs(client, db):
    assert reverse("api:docs").encode() in client.get(reverse("home")).content
