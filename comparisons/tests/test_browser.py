"""A manager builds a group in a real browser (JavaScript on), reads the figures, saves the group
and downloads the CSV and the PDF: in English at desktop width, in Spanish and German on a phone."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_languages import switch_to

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# In this checkout's screenshots/ (conftest.py's screenshot_dir), not a fixed /tmp directory that
# another checkout's run, at the same time on the same machine, would write over.
SHOTS = os.environ.get("ECEI_SCREENSHOTS", str(Path(__file__).resolve().parents[2] / "screenshots" / "comparison"))

# language, width, the words each step must show
VARIANTS = {
    "en-desktop": (
        "English",
        DESKTOP,
        "Compare with peers you choose",
        "Compare",
        "12 other clusters",
        "Save this group",
        "saved",
    ),
    "es-phone": (
        "Español",
        PHONE,
        "Comparar con los pares que elija",
        "Comparar",
        "12 clústeres más",
        "Guardar este grupo",
        "guardado",
    ),
    "de-phone": (
        "Deutsch",
        PHONE,
        "Mit selbst gewählten Vergleichsclustern vergleichen",
        "Vergleichen",
        "12 andere Cluster",
        "Diese Gruppe speichern",
        "gespeichert",
    ),
}


def shoot(page, name):
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=False)


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_a_manager_builds_saves_and_downloads_a_group(
    page: Page, live_server, log_in, transactional_db, own, manager, peers, variant
):
    language, viewport, link, button, size, save, saved = VARIANTS[variant]
    page.set_viewport_size(DESKTOP)  # the login step looks for "Log out" in the expanded navigation
    log_in(page, manager)
    page.set_viewport_size(viewport)
    if language != "English":
        switch_to(page, language)
    page.goto(live_server.url + "/my-cluster/")
    page.get_by_role("link", name=link).click()
    expect(page.locator("h1")).to_contain_text(own.name)
    page.locator("#id_countries").select_option(["DE"])
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.locator("#group .group-size")).to_contain_text(size)
    expect(page.locator("#indicator-B4 svg.chart").first).to_be_visible()
    page.locator("#group").scroll_into_view_if_needed()
    shoot(page, f"comparison-{variant}-group")
    page.locator("#indicator-B4").scroll_into_view_if_needed()
    shoot(page, f"comparison-{variant}-b4")
    page.locator("#save-group input[name=name]").fill(f"Deutschland {variant}")
    page.get_by_role("button", name=save).click()
    expect(page.locator(".alert, .messages, body").first).to_contain_text(saved)
    expect(page.locator(".saved-groups")).to_contain_text(f"Deutschland {variant}")
    expect(page.locator("#group .group-size")).to_contain_text(size)
    with page.expect_download() as csv_download:
        page.get_by_role("link", name="CSV").click()
    csv_text = open(csv_download.value.path(), encoding="utf-8").read()
    assert "B4" in csv_text and own.name in csv_text
    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="PDF").click()
    assert open(pdf_download.value.path(), "rb").read(4) == b"%PDF"
    shoot(page, f"comparison-{variant}-saved")
