"""Open data in a real browser: the statistics, a label's badge and the verification of its
credential, in English, German and Spanish, on a desktop and a 390 px phone; the verification
form also works with JavaScript off (a plain form post)."""

import datetime
import os

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from clusters.models import ComparativePortfolio
from opendata import credentials
from tests import factories
from tests.browser.test_public_database import assert_no_serious_axe_violations

pytestmark = pytest.mark.browser

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
WORDS = {
    "en": ("Label statistics", "Show this label on your website", "Valid: the signature is genuine"),
    "de": ("Label-Statistik", "Dieses Label auf Ihrer Website zeigen", "Gültig: Die Signatur ist echt"),
    "es": ("Estadísticas de sellos", "Muestre este sello en su sitio web", "Válida: la firma es auténtica"),
}


@pytest.fixture
def database(transactional_db, reference_data, settings):
    settings.ECEI_CREDENTIAL_EPHEMERAL_KEY = True
    today = timezone.localdate()
    ict = ComparativePortfolio.objects.get(slug="ict")
    for n, country in enumerate(["DE", "ES", "FR", "MX", "DE", "ES"]):
        cluster = factories.ClusterFactory(name=f"Cluster {country} {n}", country=country, portfolio=ict)
        factories.LabelFactory(
            cluster=cluster, code=f"{country}X{n:03d}202401B", awarded_on=datetime.date(2020 + n % 4, 3, 1),
            valid_from=datetime.date(2020 + n % 4, 2, 1), valid_until=today + datetime.timedelta(days=100 + n),
            level="gold" if n == 0 else "bronze",
        )
    return "DEX000202401B"


def _shoot(page: Page, screenshot_dir: str, name: str) -> None:
    page.screenshot(path=os.path.join(screenshot_dir, f"open_data_{name}.png"), full_page=True)


@pytest.mark.parametrize("language", ["en", "de", "es"])
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_statistics_badge_and_credential(page: Page, live_server, database, screenshot_dir, language, size):
    statistics_title, share_title, valid_words = WORDS[language]
    page.set_viewport_size(SIZES[size])
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])

    page.goto(live_server.url + "/statistics/")
    expect(page.get_by_role("heading", level=1)).to_have_text(statistics_title)
    expect(page.locator("svg.stats-chart")).to_have_count(4)
    expect(page.locator("table.stats-table")).to_have_count(4)
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    if size == "desktop" and language == "en":
        assert_no_serious_axe_violations(page, live_server)
    _shoot(page, screenshot_dir, f"statistics_{language}_{size}")

    page.goto(live_server.url + f"/labels/{database}/")
    expect(page.get_by_role("heading", name=share_title)).to_be_visible()
    badge = page.locator("img.label-badge")
    expect(badge).to_be_visible()
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", badge.element_handle())
    copy_words = {"en": "Copy the HTML", "de": "HTML kopieren", "es": "Copiar el HTML"}[language]
    copy = page.get_by_role("button", name=copy_words)
    expect(copy).to_be_visible()  # shown by opendata.js
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    _shoot(page, screenshot_dir, f"label_{language}_{size}")

    with page.expect_download() as download:
        page.locator(f"a[href='/labels/{database}/credential.jwt']").click()
    token = open(download.value.path()).read()
    page.goto(live_server.url + "/labels/verify/credential/")
    page.locator("textarea[name=credential]").fill(token)
    page.locator("form.credential-form button[type=submit]").click()
    expect(page.locator(".credential-result")).to_contain_text(valid_words)
    if size == "desktop" and language == "en":
        assert_no_serious_axe_violations(page, live_server)
    _shoot(page, screenshot_dir, f"verified_{language}_{size}")


def test_the_badge_image_itself(page: Page, live_server, database, screenshot_dir):
    page.set_viewport_size(SIZES["desktop"])
    page.goto(live_server.url + f"/labels/{database}/badge.svg?lang=es")
    expect(page.locator("svg")).to_have_attribute("data-status", "active")
    page.locator("svg").screenshot(path=os.path.join(screenshot_dir, "open_data_badge_es.png"))


def test_the_verify_form_works_without_javascript(browser: Browser, live_server, database, screenshot_dir):
    context = browser.new_context(java_script_enabled=False, viewport=SIZES["phone"])
    page = context.new_page()
    from benchmarking.models import Label

    token = credentials.label_credential(Label.objects.get(code=database))
    page.goto(live_server.url + "/labels/verify/credential/")
    page.locator("textarea[name=credential]").fill(token[:-4] + "AAAA")  # tampered
    page.locator("form.credential-form button[type=submit]").click()
    expect(page.locator(".invalid-feedback, .errorlist, .alert-danger, #error_1_id_credential").first).to_be_visible()
    page.locator("textarea[name=credential]").fill(token)
    page.locator("form.credential-form button[type=submit]").click()
    expect(page.locator(".credential-result")).to_have_attribute("data-verdict", "valid")
    _shoot(page, screenshot_dir, "verified_nojs_phone")
    # The label page without JavaScript: the snippet is there to select, the copy button hidden.
    page.goto(live_server.url + f"/labels/{database}/")
    expect(page.locator("#badge-snippet")).to_be_visible()
    expect(page.locator("[data-copy]")).to_be_hidden()
    context.close()
