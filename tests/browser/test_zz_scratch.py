import os
import pytest
from playwright.sync_api import Browser
from tests.browser.site_map import build_site
from tests.browser.test_every_page import PHONE, open_context, visit, overflow

pytestmark = pytest.mark.browser
PATHS = os.environ.get("SCRATCH_PATHS", "/reports/,/clusters/").split(",")
ROLE = os.environ.get("SCRATCH_ROLE", "manager")


def test_scratch(browser: Browser, live_server, transactional_db, reference_data):
    site = build_site()
    for language in os.environ.get("SCRATCH_LANGS", "es").split(","):
        for role, (user, paths) in site.items():
            if role != ROLE and role != "public":
                continue
            context = open_context(browser, live_server, user, language, PHONE)
            page = context.new_page()
            for path in paths:
                if not any(path.startswith(p) for p in PATHS):
                    continue
                visit(page, live_server.url + path)
                name = path.strip("/").replace("/", "_") or "home"
                print(language, role, path, overflow(page),
                      page.evaluate("""() => Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > innerWidth + 1).slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""))
                page.screenshot(path=f"/tmp/shots/{language}_{role}_{name}.png", full_page=True)
            context.close()
