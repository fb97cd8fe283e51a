"""The public database in a real browser: filter, sort, page, read on a phone, axe-core check."""

import datetime
import os

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from clusters.models import ComparativePortfolio
from tests import factories

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
AXE = "/static/vendor/axe-core-4.14.1/axe.min.js"


def assert_no_serious_axe_violations(page: Page, live_server) -> None:
    """Run axe-core (served by the live server, never a CDN) and fail on serious or critical findings."""
    page.add_script_tag(url=live_server.url + AXE)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[node['target'] for node in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], "\n".join(serious)


def shoot(page: Page, screenshot_dir: str, name: str) -> None:
    page.screenshot(path=os.path.join(screenshot_dir, f"public_database_{name}.png"), full_page=True)


@pytest.fixture
def database(transactional_db, seed_clusters):
    """The 35 Mexican clusters of the original listing, and enough German ones for two pages."""
    ict = ComparativePortfolio.objects.get(slug="ict")
    today = timezone.localdate()
    for n in range(30):
        cluster = factories.ClusterFactory(
            name=f"Software Cluster Bayern {n:02d}", country="DE", portfolio=ict, region="Bavaria"
        )
        factories.LabelFactory(
            cluster=cluster,
            valid_from=today - datetime.timedelta(days=300),
            valid_until=today + datetime.timedelta(days=430 - 20 * n),
        )


def test_a_visitor_filters_sorts_and_pages_the_list(page: Page, live_server, database, screenshot_dir):
    page.set_viewport_size(DESKTOP)

    # The overview: headline, search, counts.
    page.goto(live_server.url + "/")
    expect(page.locator(".headline")).to_contain_text("The list includes 65 clusters from 2 countries")
    assert_no_serious_axe_violations(page, live_server)
    shoot(page, screenshot_dir, "overview_desktop")

    # Search ignores accents and case.
    page.get_by_label("Search a cluster by name").fill("QUERÉTARO")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("table tbody tr")).to_have_count(2)

    # Filter by country with the form.
    page.get_by_label("Name contains").fill("")
    page.get_by_label("Country").select_option("MX")
    page.get_by_role("button", name="Show clusters").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Benchmarked clusters in Mexico")
    expect(page.locator("table tbody tr")).to_have_count(35)
    assert "country=MX" in page.url

    # Sort by date with the keyboard: ascending, then descending.
    header = page.get_by_role("columnheader", name="Label valid until")
    header.get_by_role("link").focus()
    page.keyboard.press("Enter")
    expect(header).to_have_attribute("aria-sort", "ascending")
    expect(page.locator("table tbody tr").first).to_contain_text("15 October 2014")
    page.get_by_role("columnheader", name="Label valid until").get_by_role("link").click()
    expect(page.get_by_role("columnheader", name="Label valid until")).to_have_attribute("aria-sort", "descending")
    expect(page.locator("table tbody tr").first).to_contain_text("22 November 2018")
    assert "country=MX" in page.url and "sort=-valid_until" in page.url

    # Valid ones (all of them) in the list of everything, then page 2.
    page.goto(live_server.url + "/clusters/")
    expect(page.locator("table tbody tr")).to_have_count(50)
    assert_no_serious_axe_violations(page, live_server)
    shoot(page, screenshot_dir, "list_desktop")
    page.get_by_role("link", name="Next »").click()
    expect(page.locator("table tbody tr")).to_have_count(15)
    expect(page.locator("caption")).to_contain_text("page 2 of 2")

    page.goto(live_server.url + "/clusters/?status=valid&sort=-valid_until")
    expect(page.locator("table tbody tr")).to_have_count(22)
    expect(page.locator("table tbody tr").first).to_contain_text("Software Cluster Bayern 00")
    expect(page.locator("table tbody tr").first).to_contain_text("valid")

    # A cluster page.
    page.get_by_role("link", name="Software Cluster Bayern 00").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Software Cluster Bayern 00")
    expect(page.get_by_role("heading", name="Current label")).to_be_visible()
    assert_no_serious_axe_violations(page, live_server)
    shoot(page, screenshot_dir, "detail_desktop")


def test_the_pages_are_usable_on_a_phone(page: Page, live_server, database, screenshot_dir):
    page.set_viewport_size(PHONE)

    page.goto(live_server.url + "/")
    shoot(page, screenshot_dir, "overview_phone")
    assert_no_serious_axe_violations(page, live_server)

    page.goto(live_server.url + "/clusters/?portfolio=ict")
    expect(page.get_by_role("heading", level=1)).to_have_text("Benchmarked clusters in the comparative portfolio ICT")
    # The page itself never scrolls sideways; only the table may, inside its own box.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(page, screenshot_dir, "list_phone")
    assert_no_serious_axe_violations(page, live_server)

    page.locator("table tbody tr th a").first.click()
    page.wait_for_url("**/clusters/*/")  # the cluster's page, loaded
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(page, screenshot_dir, "detail_phone")
    assert_no_serious_axe_violations(page, live_server)
