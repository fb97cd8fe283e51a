"""Public verification of a label by its code, and the printable certificate with its QR code."""

import datetime
import io
import json
import pathlib

import pytest
import segno
import zxingcpp
from django.urls import reverse
from PIL import Image

from benchmarking.models import Label
from benchmarking.views.labels import qr_svg, verification_url
from tests.factories import LabelFactory

pytestmark = pytest.mark.django_db

SEED = pathlib.Path(__file__).resolve().parents[2] / "fixtures" / "seed_clusters_mx.json"


def seed_labels():
    rows = json.loads(SEED.read_text())
    return [r["fields"] for r in rows if r["model"] == "benchmarking.label"]


@pytest.mark.parametrize("fields", seed_labels()[:: len(seed_labels()) // 5], ids=lambda f: f["code"])
def test_the_seed_labels_verify_as_expired_with_their_date(client, seed_clusters, fields):
    response = client.get(reverse("benchmarking:label_verify"), {"code": fields["code"]}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("benchmarking:label_public", args=[fields["code"]])
    assert "Expired" in html and "⌛" in html  # the word and a symbol, not colour alone
    until = Label.objects.get(code=fields["code"]).valid_until
    assert f'<time datetime="{fields["valid_until"]}">{until:%-d %B %Y}</time>' in html


def test_every_seed_code_is_found(client, seed_clusters):
    for fields in seed_labels():
        assert client.get(reverse("benchmarking:label_public", args=[fields["code"]])).status_code == 200


def test_lowercase_and_stray_spaces_are_accepted(client, seed_clusters):
    response = client.get(reverse("benchmarking:label_verify"), {"code": "  mex001 2016 05b "})
    assert response.status_code == 302
    assert response["Location"] == reverse("benchmarking:label_public", args=["MEX001201605B"])


def test_a_lowercase_address_redirects_to_the_canonical_one(client, seed_clusters):
    response = client.get("/labels/mex001201605b/")
    assert response["Location"] == "/labels/MEX001201605B/"


def test_an_unknown_code_is_a_friendly_404(client, seed_clusters):
    response = client.get(reverse("benchmarking:label_verify"), {"code": "XYZ999201901B"})
    assert response.status_code == 404
    assert "No label with this code" in response.content.decode()
    assert client.get(reverse("benchmarking:label_public", args=["XYZ999201901B"])).status_code == 404
    assert client.get(reverse("benchmarking:label_certificate", args=["XYZ999201901B"])).status_code == 404


def test_an_empty_code_asks_for_one_next_to_the_field(client, db):
    response = client.get(reverse("benchmarking:label_verify"), {"code": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert "is-invalid" in response.content.decode()


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_verification_is_read_only(client, seed_clusters, method):
    assert client.generic(method, reverse("benchmarking:label_verify")).status_code == 405
    assert client.generic(method, reverse("benchmarking:label_public", args=["MEX001201605B"])).status_code == 405


@pytest.mark.parametrize(
    "status, until, word, css",
    [
        (Label.Status.ACTIVE, "2999-01-01", "Active", "alert-success"),
        (Label.Status.SUSPENDED, "2999-01-01", "Suspended", "alert-warning"),
        (Label.Status.WITHDRAWN, "2999-01-01", "Withdrawn", "alert-danger"),
        (Label.Status.ACTIVE, "2020-01-01", "Expired", "alert-secondary"),
    ],
)
def test_the_live_status_in_words_and_colour(client, reference_data, status, until, word, css):
    label = LabelFactory(status=status, valid_until=until, valid_from="2019-01-01")
    html = client.get(label.get_absolute_url()).content.decode()
    assert f"</span> {word}</span>" in html
    assert css in html


def test_the_evidence_names_no_expert_and_shows_what_it_renews(client, reference_data, expert):
    from tests.factories import approved_interview

    interview = approved_interview(expert=expert)
    earlier = LabelFactory(cluster=interview.cluster)
    label = LabelFactory(
        cluster=interview.cluster, source=Label.Source.INTERVIEW, interview=interview, renews=earlier,
        benchmarked_on=interview.date,
    )  # fmt: skip
    html = client.get(label.get_absolute_url()).content.decode()
    assert "by an accredited ESCA benchmarking expert" in html
    assert f"{interview.date:%-d %B %Y}" in html
    assert earlier.code in html
    assert str(expert) not in html and interview.interviewee_name not in html


def test_the_certificate_carries_a_qr_code_of_the_verification_url(client, reference_data, settings):
    settings.SITE_URL = "https://labels.example.org"
    label = LabelFactory()
    html = client.get(reverse("benchmarking:label_certificate", args=[label.code])).content.decode()
    url = f"https://labels.example.org/labels/{label.code}/"
    assert verification_url(label) == url
    assert "<svg" in html and url in html
    assert qr_svg(url) in html


def test_the_qr_code_decodes_to_the_verification_url(reference_data, settings):
    settings.SITE_URL = "https://labels.example.org"
    label = LabelFactory()
    buffer = io.BytesIO()
    segno.make(verification_url(label), error="m").save(buffer, kind="png", scale=6, border=4)
    buffer.seek(0)
    decoded = zxingcpp.read_barcodes(Image.open(buffer))
    assert [r.text for r in decoded] == [f"https://labels.example.org/labels/{label.code}/"]


@pytest.mark.parametrize(
    "status, days_from, days_until, word",
    [
        ("suspended", -10, 300, "suspended"),
        ("withdrawn", -10, 300, "withdrawn"),
        ("active", -900, -1, "expired"),
        ("active", 10, 900, "not yet valid"),
    ],
)
def test_a_certificate_of_a_label_that_is_not_valid_says_so_also_in_print(
    client, reference_data, status, days_from, days_until, word
):
    today = datetime.date.today()
    label = LabelFactory(
        status=status,
        valid_from=today + datetime.timedelta(days=days_from),
        valid_until=today + datetime.timedelta(days=days_until),
    )
    html = client.get(reverse("benchmarking:label_certificate", args=[label.code])).content.decode()
    article = html[html.index('<article class="certificate') : html.index("</article>")]
    banner = article[article.index('class="not-valid-banner"') - 3 :]
    assert f"NOT VALID: this label is {word}" in banner
    assert "no-print" not in article  # the banner is inside the printed certificate


def test_a_valid_label_prints_a_clean_certificate(client, reference_data):
    today = datetime.date.today()
    label = LabelFactory(valid_from=today, valid_until=today + datetime.timedelta(days=700))
    html = client.get(reverse("benchmarking:label_certificate", args=[label.code])).content.decode()
    assert 'class="not-valid-banner"' not in html and "NOT VALID:" not in html
