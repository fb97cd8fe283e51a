"""The individual report in a real browser: a cluster manager logs in, opens "My cluster" and the report."""

import os
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from benchmarking.services.reports import report_issue
from benchmarking.tasks import report_languages, report_pdf_render
from clusters.models import ComparativePortfolio
from tests import factories

pytestmark = pytest.mark.browser


@pytest.fixture
def report(transactional_db, reference_data):
    ict = ComparativePortfolio.objects.get(slug="ict")
    for n in range(8):
        factories.approved_interview(cluster=factories.ClusterFactory(portfolio=ict), seed=n, maturity=0.2 + n / 10)
    cluster = factories.ClusterFactory(portfolio=ict, name="Bavarian Software Cluster")
    manager = factories.UserFactory(username="maria")
    cluster.managers.add(manager)
    interview = factories.approved_interview(cluster=cluster, seed=42, values={"B4": Decimal("1.5")})
    report = report_issue(interview=interview, user=None)
    # Stored before anyone asks, in each of its readers' languages, as the task worker does after an
    # approval (benchmarking/tasks.py). The tests' immediate backend leaves the PDF to its first
    # request, whose rendering (WeasyPrint: seconds of CPU, more while the other xdist worker's
    # tests share the two cores) would then have to fit in the browser's 30 s request timeout.
    for language in report_languages(interview):
        report_pdf_render.call(report.pk, language)
    return report


def test_a_manager_opens_the_report_from_my_cluster(page: Page, live_server, log_in, report, screenshot_dir):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, report.interview.cluster.managers.get())
    page.goto(live_server.url + "/my-cluster/")
    expect(page.locator("h1")).to_contain_text("My cluster")
    page.screenshot(path=os.path.join(screenshot_dir, "report_my_cluster.png"), full_page=True)
    page.click(f"text={report.code}")
    expect(page.locator("h1")).to_contain_text("Bavarian Software Cluster")
    expect(page.locator("#groups")).to_contain_text("Same comparative portfolio: ICT")
    expect(page.locator("#indicator-B4 svg.chart").first).to_be_visible()
    page.screenshot(path=os.path.join(screenshot_dir, "report_top.png"))
    page.locator("#category-B").scroll_into_view_if_needed()
    page.screenshot(path=os.path.join(screenshot_dir, "report_category_b.png"))
    response = page.request.get(live_server.url + f"/reports/{report.code}.pdf")
    assert response.status == 200 and response.body().startswith(b"%PDF")
