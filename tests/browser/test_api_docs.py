"""The API's documentation page works with no network: every asset from our own server."""

import datetime
import os

import pytest
from playwright.sync_api import Page, expect

from tests import factories

pytestmark = pytest.mark.browser


@pytest.fixture
def listed(transactional_db, reference_data):
    cluster = factories.ClusterFactory(name="Docs Test Cluster")
    factories.LabelFactory(cluster=cluster, code="DEU777202401B", valid_until=datetime.date(2099, 1, 1))


def test_the_docs_page_runs_a_request_without_the_internet(page: Page, live_server, listed, screenshot_dir):
    elsewhere = []

    def only_our_server(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_our_server)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/api/v1/docs/")
    expect(page.get_by_role("heading", name="ECEI Benchmarking API")).to_be_visible()

    # Open the label verification, try it with a code, and read the answer.
    page.get_by_role("button", name="GET /api/v1/labels/{code}/ Verify a label by its code").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_placeholder("code").fill("DEU777202401B")
    page.get_by_role("button", name="Execute").click()
    live = page.locator(".live-responses-table")
    expect(live.locator("tbody .response-col_status")).to_have_text("200")
    expect(live).to_contain_text("Docs Test Cluster")
    page.screenshot(path=os.path.join(screenshot_dir, "api_docs_desktop.png"), full_page=False)

    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=os.path.join(screenshot_dir, "api_docs_phone.png"), full_page=False)
    assert elsewhere == [] and errors == []
