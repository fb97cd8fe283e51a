"""Every page of the site map, as each role sees it (issue 27):

- on a 390 px phone, in English, Spanish and German, the page never scrolls sideways
  (`document.documentElement.scrollWidth <= innerWidth`);
- axe-core (vendored under static/vendor, never a CDN) finds no violation at all, of any
  impact, at laptop and phone width, the API docs included.

One browser, one context per role and language; the session cookie is made by Django's test
client (the login form itself is tested elsewhere), the language by the language cookie.
"""

import os

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, Page

from tests.browser.site_map import build_site

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}
AXE = "/static/vendor/axe-core-4.14.1/axe.min.js"


@pytest.fixture
def site(transactional_db, reference_data):
    return build_site()


def open_context(browser: Browser, live_server, user, language: str, viewport: dict):
    context = browser.new_context(viewport=viewport, locale=language)
    host = live_server.url.split("//", 1)[1].split(":")[0]
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "domain": host, "path": "/"}]
    if user is not None:
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session, "domain": host, "path": "/"})
    context.add_cookies(cookies)
    return context


def visit(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status < 500, f"{url}: {response and response.status}"
    page.wait_for_load_state("networkidle")  # scripts that draw after load (charts, Swagger UI)


def overflow(page: Page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def shot_name(path: str) -> str | None:
    """The screenshots to look at: the report and the public list."""
    return "report" if path.startswith("/reports/") else "list" if path == "/clusters/" else None


@pytest.mark.parametrize("language", ["en", "es", "de"])
def test_no_page_scrolls_sideways_on_a_phone(browser: Browser, live_server, site, language, screenshot_dir):
    too_wide = {}
    checked = 0
    for role, (user, paths) in site.items():
        context = open_context(browser, live_server, user, language, PHONE)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.dismiss())
        for path in paths:
            visit(page, live_server.url + path)
            checked += 1
            wider = overflow(page)
            if wider > 0:
                too_wide[f"{role} {path}"] = wider
            shot = shot_name(path)
            if shot and role in ("public", "manager"):
                page.screenshot(path=os.path.join(screenshot_dir, f"phone_{language}_{shot}.png"), full_page=True)
        context.close()
    print(f"\nPHONE WALK {language}: {checked} pages, too wide: {too_wide}")
    assert too_wide == {}, f"pages wider than 390 px by so many pixels ({language}): {too_wide}"


def axe_violations(page: Page, live_server) -> list[str]:
    page.add_script_tag(url=live_server.url + AXE)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[node['target'] for node in v['nodes']][:4]}"
        for v in result["violations"]
    ]


@pytest.mark.parametrize("size", ["laptop", "phone"])
def test_axe_finds_no_violation_on_any_page(browser: Browser, live_server, site, size):
    found = {}
    checked = 0
    for role, (user, paths) in site.items():
        context = open_context(browser, live_server, user, "en", LAPTOP if size == "laptop" else PHONE)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.dismiss())
        for path in paths:
            visit(page, live_server.url + path)
            checked += 1
            violations = axe_violations(page, live_server)
            if violations:
                found[f"{role} {path}"] = violations
        context.close()
    print(f"\nAXE {size}: {checked} pages, {sum(map(len, found.values()))} violations")
    for where, violations in found.items():
        print(where, *violations, sep="\n  ")
    assert found == {}, "\n".join(f"{where}:\n  " + "\n  ".join(v) for where, v in found.items())


NAV_ROWS = """() => {
  const items = Array.from(document.querySelectorAll('#mainnav .nav-item, .navbar-brand'))
    .filter((el) => el.offsetParent !== null);
  const middle = (box) => Math.round((box.top + box.height / 2) / 16);
  return new Set(items.map((el) => middle(el.getBoundingClientRect()))).size;
}"""


@pytest.mark.parametrize("language", ["en", "es", "de"])
def test_the_secretariats_menu_fits_one_line_at_1280(browser: Browser, live_server, site, language):
    """The longest menu (a secretariat member who also sits on the board) on one line."""
    user, paths = site["secretariat"]
    context = open_context(browser, live_server, user, language, LAPTOP)
    page = context.new_page()
    visit(page, live_server.url + paths[0])
    rows = page.evaluate(NAV_ROWS)
    height = page.evaluate("document.querySelector('header .navbar').getBoundingClientRect().height")
    wider = overflow(page)
    context.close()
    assert rows == 1 and height < 70 and wider <= 0, f"{language}: {rows} lines, {height} px high, {wider} px too wide"
