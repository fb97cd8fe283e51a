"""The site in Spanish and German in a real browser: the switch in the navigation, an
interview step and its summary in Spanish, a report in German."""

import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from benchmarking.models import Answer
from benchmarking.services.reports import report_issue
from clusters.models import ComparativePortfolio
from tests import factories
from tests.browser.test_interview_entry import fill_valid

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
CODES = {"English": "en-gb", "Español": "es", "Deutsch": "de"}
# In this checkout's screenshots/ (conftest.py's screenshot_dir), not a fixed /tmp directory that
# another checkout's run, at the same time on the same machine, would write over.
SHOTS = os.environ.get("ECEI_SCREENSHOTS", str(Path(__file__).resolve().parents[2] / "screenshots" / "i18n"))


def shoot(page: Page, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=False)


def switch_to(page: Page, language_name: str) -> None:
    """Choose a language in the navigation's switch, as a person does (it submits on change)."""
    # Submitting on change is language.js's work: wait until it has run (a person who is
    # quicker than the script presses the switch's own button, which the script hides).
    page.wait_for_load_state("load")
    if page.get_by_role("button", name=re.compile("navigation", re.I)).is_visible():
        page.get_by_role("button", name=re.compile("navigation", re.I)).click()
    page.locator("#language-select").select_option(label=language_name)
    expect(page.locator("html")).to_have_attribute("lang", CODES[language_name])


@pytest.fixture
def expert(transactional_db, reference_data):
    return factories.ExpertFactory(user__first_name="Elena", user__last_name="Experta")


def test_an_expert_works_in_spanish(page: Page, live_server, log_in, expert):
    interview = factories.InterviewFactory(expert=expert, cluster__name="Clúster de la Madera")
    page.set_viewport_size(DESKTOP)
    log_in(page, expert.user)
    switch_to(page, "Español")
    expect(page.get_by_role("link", name="Mis entrevistas")).to_be_visible()

    page.goto(f"{live_server.url}/interviews/{interview.pk}/step/E/")
    expect(page.get_by_role("heading", level=2).first).to_have_text("E. Contactos e interacción dentro del clúster")
    expect(page.get_by_text("Canales de comunicación utilizados")).to_be_visible()
    expect(page.get_by_label("boletín")).to_be_visible()  # an option in Spanish
    fill_valid(page, interview, "E")
    shoot(page, "es-interview-step-desktop")
    page.get_by_role("button", name="Guardar y continuar con F").click()
    expect(page.get_by_role("heading", name="F. Logros y reconocimiento del clúster")).to_be_visible()
    assert Answer.objects.filter(interview=interview, indicator__category__code="E").count() == 3

    page.get_by_role("link", name="Resumen y envío").click()
    expect(page.get_by_role("heading", name="Resumen", exact=True)).to_be_visible()
    summary = page.locator("#summary-E").locator("xpath=../..")
    expect(summary).to_contain_text("Porcentaje de participantes en contacto personal directo")
    expect(page.get_by_text("Falta").first).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Summary")
    shoot(page, "es-interview-summary-desktop")
    # The choice is the expert's preference: it survives logging out and in again.
    assert expert.user.profile.language == "es"


@pytest.fixture
def report(transactional_db, reference_data):
    ict = ComparativePortfolio.objects.get(slug="ict")
    for n in range(8):
        factories.approved_interview(cluster=factories.ClusterFactory(portfolio=ict), seed=n, maturity=0.2 + n / 10)
    cluster = factories.ClusterFactory(portfolio=ict, name="Bavarian Software Cluster")
    cluster.managers.add(factories.UserFactory(username="maria"))
    interview = factories.approved_interview(cluster=cluster, seed=42, values={"B4": Decimal("1.5")})
    return report_issue(interview=interview, user=None)


def test_a_manager_reads_the_report_in_german(page: Page, live_server, log_in, report):
    page.set_viewport_size(DESKTOP)
    log_in(page, report.interview.cluster.managers.get())
    switch_to(page, "Deutsch")
    page.goto(f"{live_server.url}/reports/{report.code}/")
    expect(page.get_by_role("heading", name="Zusammenfassung")).to_be_visible()
    expect(page.get_by_role("heading", name="Vergleichsgruppen").first).to_be_visible()
    expect(page.locator("#groups")).to_contain_text("Gleiches Vergleichsportfolio: IKT")
    expect(page.locator("#indicator-B4")).to_contain_text("1,5\u00a0VZÄ")  # decimal comma
    expect(page.locator("#indicator-C1")).to_contain_text(re.compile(r"\d{1,3}(\.\d{3})+"))  # 1.234 grouping
    shoot(page, "de-report-desktop")
    page.set_viewport_size(PHONE)
    shoot(page, "de-report-phone")


@pytest.mark.parametrize(("language", "name"), [("en", "English"), ("es", "Español"), ("de", "Deutsch")])
def test_screenshots_of_home_step_and_report(page: Page, live_server, log_in, report, language, name):
    """Home, an interview step and a report page in each language, at desktop and phone width."""
    expert = factories.ExpertFactory()
    interview = factories.InterviewFactory(expert=expert, cluster__name="Cluster of Wood")
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/")
    switch_to(page, name)
    home_heading = {
        "en": "Benchmarking: Bronze Label",
        "es": "Evaluación comparativa",
        "de": "Benchmarking: Bronze-Label",
    }
    expect(page.locator("h1")).to_contain_text(home_heading[language])
    shoot(page, f"{language}-home-desktop")
    page.set_viewport_size(PHONE)
    shoot(page, f"{language}-home-phone")
    for user, url, shot in (
        (expert.user, f"/interviews/{interview.pk}/step/A/", "step"),
        (report.interview.cluster.managers.get(), f"/reports/{report.code}/", "report"),
    ):
        page.context.clear_cookies()
        page.set_viewport_size(DESKTOP)
        log_in(page, user)
        switch_to(page, name)
        page.goto(live_server.url + url)
        expect(page.locator("h1")).to_be_visible()
        shoot(page, f"{language}-{shot}-desktop")
        page.set_viewport_size(PHONE)
        shoot(page, f"{language}-{shot}-phone")


def test_the_interview_script_speaks_german(page: Page, live_server, log_in, expert):
    """Texts written by interview.js come from the JavaScript catalogue (/jsi18n/)."""
    interview = factories.InterviewFactory(expert=expert)
    page.set_viewport_size(DESKTOP)
    log_in(page, expert.user)
    switch_to(page, "Deutsch")
    page.goto(f"{live_server.url}/interviews/{interview.pk}/step/A/")
    page.wait_for_load_state("load")
    page.locator("#id_A6-part_0").fill("70")
    page.locator("#id_A6-part_1").fill("20")
    a6 = page.locator("table[data-total='100']")
    expect(a6.locator(".parts-total-note")).to_have_text("noch 10 % zu verteilen")
    expect(page.locator("#save-state")).to_have_text("Noch nicht gespeichert: Dieser Browser bewahrt eine Kopie auf")
    page.locator("#id_A6-part_2").fill("25")
    expect(a6.locator(".parts-total-note")).to_have_text("15 % zu viel")
    shoot(page, "de-interview-script-desktop")
    # The server stops answering: the failure is explained in German.
    page.route("**/interviews/**", lambda route: route.abort())
    page.get_by_role("button", name="Speichern", exact=True).click()
    expect(page.locator("#save-status")).to_contain_text("Nicht gespeichert: der Server war nicht erreichbar")
    page.set_viewport_size(PHONE)
    page.locator("#save-status").scroll_into_view_if_needed()
    shoot(page, "de-interview-script-phone")


# What sticks out of a phone's width, named in the failure.
STICKING_OUT = """() => Array.from(document.querySelectorAll('body *'))
  .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 5)
  .map((e) => e.tagName + '.' + e.className + ' ' + (e.textContent || '').trim().slice(0, 40))"""

PUBLIC_AND_DATA_PAGES = {
    # page name: (words that must appear in Spanish, in German)
    "cluster-list": ("Clústeres evaluados", "Bewertete Cluster"),
    "cluster-detail": ("Historial de sellos", "Label-Historie"),
    "exports": ("Exportación de datos", "Datenexporte"),
    "legacy-import": ("Importar evaluaciones comparativas antiguas", "Frühere Benchmarkings importieren"),
    "legacy-errors": ("Errores por fila y columna", "Fehler nach Zeile und Spalte"),  # the job's dry run
    # Swagger UI and the schema's descriptions stay English (the API's reference); the page's own line is translated.
    "api-docs": ("API versión 1", "API-Version 1"),
}


@pytest.mark.parametrize(("language", "name"), [("es", "Español"), ("de", "Deutsch")])
def test_screenshots_of_the_public_list_exports_import_and_api_docs(
    page: Page, live_server, log_in, transactional_db, reference_data, language, name
):
    """The cluster list and page, the exports, the legacy import (with its errors) and the API
    docs in Spanish and German at desktop and phone width; no English left on them."""
    from django.conf import settings

    from clusters.models import ComparativePortfolio

    cluster = factories.ClusterFactory(
        name="Clúster de la Madera", portfolio=ComparativePortfolio.objects.get(slug="ict"), country="ES"
    )
    factories.LabelFactory(cluster=cluster)
    staff = factories.UserFactory(is_staff=True, username="secretaria")
    index = 0 if language == "es" else 1
    page.set_viewport_size(DESKTOP)
    log_in(page, staff)
    switch_to(page, name)
    for key, url in (
        ("cluster-list", "/clusters/"),
        ("cluster-detail", cluster.get_absolute_url()),
        ("exports", "/exports/"),
        ("legacy-import", "/imports/legacy/"),
        ("legacy-errors", None),
        ("api-docs", "/api/v1/docs/"),
    ):
        if url:
            page.goto(live_server.url + url)
        else:  # the legacy import's error table, after checking a file full of mistakes
            page.locator("input[type=file]").set_input_files(
                os.path.join(settings.BASE_DIR, "fixtures", "legacy_benchmarkings_errors.csv")
            )
            page.locator("form input[type=submit], form button[type=submit]").last.click()
        expect(page.locator("body")).to_contain_text(PUBLIC_AND_DATA_PAGES[key][index])
        if key == "api-docs":
            expect(page.locator("#swagger-ui .info")).to_be_visible()  # Swagger UI has drawn the schema
        for english in ("Benchmarked clusters", "Data exports", "Comparative portfolio", "Errors by row and column"):
            if key != "api-docs":
                expect(page.locator("body")).not_to_contain_text(english)
        page.set_viewport_size(DESKTOP)
        shoot(page, f"{language}-{key}-desktop")
        page.set_viewport_size(PHONE)
        shoot(page, f"{language}-{key}-phone")
        wide = page.evaluate(STICKING_OUT)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), (key, wide)
        if key == "cluster-list":  # the table itself fits too (no sideways scrolling)
            assert page.evaluate(
                "document.querySelector('.cluster-table').getBoundingClientRect().right <= window.innerWidth"
            ), "the cluster table is wider than the phone"
        page.set_viewport_size(DESKTOP)
