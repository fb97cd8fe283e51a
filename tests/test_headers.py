"""Security headers and compression of pages: Content-Security-Policy, Permissions-Policy, gzip."""

import gzip
import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import LabelFactory

ROOT = Path(__file__).resolve().parent.parent


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


def test_pages_carry_a_csp_without_inline_scripts(client, db):
    csp = _directives(client.get(reverse("home"))["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]


def test_a_page_with_its_own_style_element_gets_a_fresh_nonce_for_it(client, reference_data):
    """The certificate's <style> carries the nonce of its response; no other inline code is allowed."""
    label = LabelFactory()
    url = reverse("benchmarking:label_certificate", args=[label.code])
    nonces = []
    for _ in range(2):
        response = client.get(url)
        csp = _directives(response["Content-Security-Policy"])
        (nonce,) = (v for v in csp["style-src"] if v.startswith("'nonce-"))
        assert f'<style nonce="{nonce[7:-1]}">' in response.content.decode()
        assert "'unsafe-inline'" not in csp["script-src"]
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_error_pages_carry_the_csp_too(client, db, settings):
    settings.DEBUG = False
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "script-src" in response["Content-Security-Policy"]


def test_pages_carry_a_permissions_policy(client, db):
    policy = client.get(reverse("home"))["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert f"{feature}=()" in policy


def test_html_is_gzipped_for_clients_that_accept_it(client, seed_clusters):
    response = client.get(reverse("clusters:list"), HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert "</html>" in gzip.decompress(response.content).decode()


def test_html_is_plain_for_clients_that_do_not(client, seed_clusters):
    response = client.get(reverse("clusters:list"))
    assert not response.has_header("Content-Encoding")
    assert "</html>" in response.content.decode()


TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\b(src|nonce)=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style(?![^>]*\bnonce=)[^>]*>", re.IGNORECASE)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT / "templates")))
def test_templates_have_no_inline_script_the_policy_would_block(template):
    """The browser would refuse these (see the CSP browser test); catch them before it does."""
    html = template.read_text()
    assert not INLINE_SCRIPT.search(html), "inline <script>: move it to static/js/ or give it the request's nonce"
    assert not EVENT_HANDLER.search(html), "on...= attribute: use data-action and static/js/site.js"
    assert not STYLE_ELEMENT.search(html), "<style> needs nonce=\"{{ request.csp_nonce }}\" or a static stylesheet"
