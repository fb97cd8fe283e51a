"""The open data's pages and files: who may open them (everyone), the wrong method, bad input,
the badge's caching, and flat query counts."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from benchmarking.services import labels as label_services
from opendata import credentials
from tests import factories

ANONYMOUS, PLAIN, STAFF = "anonymous", "plain", "staff"

# url name and its arguments -> expected status for anonymous, a plain user, the secretariat.
MATRIX = {
    ("opendata:statistics", ()): 200,
    ("opendata:dataset", ()): 200,
    ("opendata:catalogue", ()): 200,
    ("opendata:datapackage", ()): 200,
    ("opendata:data_json", ()): 200,
    ("opendata:table_csv", ("labels",)): 200,
    ("opendata:snapshot", (datetime.date.today().year,)): 200,
    ("opendata:status_list", ()): 200,
    ("opendata:achievement", ("gold",)): 200,
    ("opendata:jwks", ()): 200,
    ("opendata:credential_verify", ()): 200,
    ("opendata:badge", ("DEU002202301G",)): 200,
    ("opendata:credential", ("DEU002202301G",)): 200,
    ("api:statistics", ()): 200,
}


@pytest.fixture
def as_user(db, plain_user, staff_user):
    def client_for(who):
        client = Client()
        if who != ANONYMOUS:
            client.force_login({PLAIN: plain_user, STAFF: staff_user}[who])
        return client

    return client_for


@pytest.mark.parametrize(("name", "args"), list(MATRIX))
@pytest.mark.parametrize("who", [ANONYMOUS, PLAIN, STAFF])
def test_permission_matrix(labels, as_user, name, args, who):
    response = as_user(who).get(reverse(name, args=args))
    assert response.status_code == MATRIX[name, args]


@pytest.mark.parametrize(
    ("name", "args", "method"),
    [
        ("opendata:statistics", (), "post"),
        ("opendata:badge", ("DEU002202301G",), "post"),
        ("opendata:credential", ("DEU002202301G",), "post"),
        ("opendata:table_csv", ("labels",), "delete"),
        ("opendata:credential_verify", (), "put"),
        ("opendata:jwks", (), "post"),
    ],
)
def test_it_rejects_the_wrong_method(labels, client, name, args, method):
    assert getattr(client, method)(reverse(name, args=args)).status_code == 405


def test_unknown_things_are_404(labels, client):
    assert client.get("/labels/NOPE0001/badge.svg").status_code == 404
    assert client.get("/labels/NOPE0001/credential.jwt").status_code == 404
    assert client.get("/open-data/secrets.csv").status_code == 404
    assert client.get("/open-data/snapshots/1999.zip").status_code == 404
    assert client.get("/open-data/achievements/platinum").status_code == 404


@pytest.mark.parametrize("language", ["en", "de", "es"])
def test_the_statistics_page_in_three_languages(labels, client, language):
    words = {"en": "Label statistics", "de": "Label-Statistik", "es": "Estadísticas de sellos"}
    client.cookies["django_language"] = language
    with translation.override(language):
        response = client.get(reverse("opendata:statistics"))
    text = response.content.decode()
    assert response.status_code == 200
    assert words[language] in text
    assert text.count("<svg") >= 4 and text.count("<table") == 4


def test_the_statistics_count_clusters_by_current_label(labels):
    from opendata.selectors import compute_statistics

    stats = compute_statistics(datetime.date.today())
    assert (stats.valid.bronze, stats.valid.silver, stats.valid.gold) == (1, 0, 1)  # Gold over its Bronze
    assert stats.listed == 3 and stats.labels == 4 and stats.first_year == 2019
    germany = next(row for row in stats.countries if row.key == "DE")
    spain = next(row for row in stats.countries if row.key == "ES")
    assert (germany.share, spain.share) == (100, 0)
    by_year = {row.year: row for row in stats.years}
    assert by_year[2019].valid.total == 1 and by_year[2020].valid.total == 2  # the Spanish and the first Bronze
    assert by_year[2023].awarded.gold == 1


def test_the_statistics_query_count_is_flat(labels, client):
    def queries() -> int:
        from django.core.cache import cache

        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("opendata:statistics")).status_code == 200
        return len(captured)

    before = queries()
    for n in range(5):
        factories.LabelFactory(cluster=factories.ClusterFactory(country="FR"), code=f"FRA{n:03d}202401B")
    assert queries() == before


def test_the_badge_says_the_status_and_is_cached_sensibly(labels, client, staff_user):
    url = reverse("opendata:badge", args=["DEU003202201B"])
    response = client.get(url)
    assert response["Content-Type"] == "image/svg+xml"
    assert "max-age=300" in response["Cache-Control"] and "public" in response["Cache-Control"]
    svg = response.content.decode()
    assert 'data-status="active"' in svg and "valid until" in svg and "/labels/DEU003202201B/" in svg
    etag = response["ETag"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304

    label_services.label_suspend(label=labels["bronze"], reason="Audit.", user=staff_user)
    changed = client.get(url, headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert 'data-status="suspended"' in changed.content.decode()


def test_the_badge_speaks_the_language_asked(labels, client):
    svg = client.get(reverse("opendata:badge", args=["DEU003202201B"]) + "?lang=de").content.decode()
    assert "gültig bis" in svg
    assert client.get(reverse("opendata:badge", args=["DEU003202201B"]) + "?lang=xx").status_code == 200


def test_the_label_page_offers_the_badge_snippet_and_the_credential(labels, client):
    text = client.get(reverse("benchmarking:label_public", args=["DEU002202301G"])).content.decode()
    assert "/labels/DEU002202301G/badge.svg?lang=en" in text
    assert "&lt;a href=&quot;" in text  # the snippet, escaped inside its text area
    assert "/labels/DEU002202301G/credential.jwt" in text


def test_a_downloaded_credential_verifies_on_the_page(labels, client):
    token = client.get(reverse("opendata:credential", args=["DEU002202301G"])).content.decode()
    response = client.post(reverse("opendata:credential_verify"), {"credential": token})
    assert response.status_code == 200
    assert 'data-verdict="valid"' in response.content.decode()


def test_an_uploaded_credential_verifies(labels, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    token = credentials.label_credential(labels["bronze"]).encode()
    upload = SimpleUploadedFile("label.jwt", token, content_type="application/jwt")
    response = client.post(reverse("opendata:credential_verify"), {"upload": upload})
    assert 'data-verdict="valid"' in response.content.decode()


def test_a_suspended_labels_credential_shows_revoked(labels, client, staff_user):
    token = credentials.label_credential(labels["bronze"])
    label_services.label_suspend(label=labels["bronze"], reason="Audit.", user=staff_user)
    response = client.post(reverse("opendata:credential_verify"), {"credential": token})
    assert 'data-verdict="revoked"' in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"credential": "garbage"}, "cannot be read"),
        ({"credential": ""}, "Paste a credential or choose its file"),
        ({"credential": "eyJhbGciOiJSUzI1NiJ9.e30.AAAA"}, "signature of this credential is not valid"),
        ({"credential": "x" * 30_000}, "too long"),
    ],
)
def test_bad_input_gets_a_message_never_a_500(labels, client, data, message):
    response = client.post(reverse("opendata:credential_verify"), data)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_binary_upload_gets_a_message(labels, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("label.jwt", b"\xff\xfe\x00binary", content_type="application/octet-stream")
    response = client.post(reverse("opendata:credential_verify"), {"upload": upload})
    assert response.status_code == 400 and "not text" in response.content.decode()


def test_the_api_verifies_a_credential(labels, client):
    token = credentials.label_credential(labels["gold"])
    url = reverse("api:credential_verify")
    response = client.post(url, {"credential": token}, content_type="application/json")
    assert response.status_code == 200 and response.json()["valid"] and response.json()["code"] == "DEU002202301G"
    bad = client.post(url, {"credential": "nonsense"}, content_type="application/json")
    assert bad.status_code == 400 and "credential" in bad.json()["errors"]
    assert client.post(url, {}, content_type="application/json").status_code == 400


def test_the_jwks_publishes_public_keys_only(labels, client):
    document = client.get(reverse("opendata:jwks")).json()
    assert document["keys"] and all("d" not in key for key in document["keys"])
    assert document["keys"][0]["alg"] == "RS256"


def test_the_datapackage_and_catalogue_are_served(labels, client):
    package = client.get(reverse("opendata:datapackage")).json()
    assert package["resources"][1]["path"].endswith("/open-data/labels.csv")
    response = client.get(reverse("opendata:catalogue"))
    assert response["Content-Type"] == "application/ld+json"
    csv_text = b"".join(client.get(reverse("opendata:table_csv", args=["labels"])).streaming_content).decode()
    assert csv_text.startswith("code,cluster,level,status,public_status")
