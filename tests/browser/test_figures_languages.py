"""The report and the verification page in German and Spanish in a real browser: numbers grouped
and dates written as each language writes them (issue 24, item 8)."""

import datetime
import os
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from benchmarking.services.reports import report_issue
from clusters.models import ComparativePortfolio
from tests import factories

pytestmark = pytest.mark.browser

WRITTEN = {"de": ("350.000\u00a0EUR", "27. August 2029"), "es": ("350\u00a0000\u00a0EUR", "27 de agosto de 2029")}


@pytest.fixture
def report(transactional_db, reference_data):
    ict = ComparativePortfolio.objects.get(slug="ict")
    for n in range(8):
        factories.approved_interview(
            cluster=factories.ClusterFactory(portfolio=ict), seed=n, maturity=0.2 + n / 10,
            values={"C1": Decimal(340000 + 2500 * n)},
        )  # fmt: skip
    cluster = factories.ClusterFactory(portfolio=ict, name="Bavarian Software Cluster")
    manager = factories.UserFactory(username="maria")
    cluster.managers.add(manager)
    interview = factories.approved_interview(cluster=cluster, seed=42, values={"C1": Decimal(350000)})
    return report_issue(interview=interview, user=None)


@pytest.mark.parametrize("language", WRITTEN)
def test_the_report_and_the_verification_page_in_german_and_spanish(
    page: Page, live_server, log_in, report, screenshot_dir, language
):
    money, day = WRITTEN[language]
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, report.interview.cluster.managers.get())
    page.set_extra_http_headers({"Accept-Language": language})
    page.goto(live_server.url + report.get_absolute_url())
    expect(page.locator("html")).to_have_attribute("lang", language)
    own = page.locator("#indicator-C1 .own")
    expect(own).to_contain_text(money)
    page.locator("#indicator-C1").scroll_into_view_if_needed()
    page.screenshot(path=os.path.join(screenshot_dir, f"figures_report_{language}.png"))

    label = factories.LabelFactory(cluster=report.interview.cluster, valid_from=datetime.date(2026, 1, 1),
                                   valid_until=datetime.date(2029, 8, 27))  # fmt: skip
    page.goto(live_server.url + f"/labels/{label.code}/")
    expect(page.locator("main")).to_contain_text(day)
    page.screenshot(path=os.path.join(screenshot_dir, f"figures_verification_{language}.png"), full_page=True)
