"""Silver and Gold in a real browser: the secretariat records an audit with a baseline requirement
not met and sees why there is no label, records it again with every requirement met and the
Silver label follows; a Gold label's public page shows its score."""

import datetime
import os
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from benchmarking.models import Expert, Label, SilverAudit
from benchmarking.rules.dates import add_months
from benchmarking.rules.gold import active_gold_indicators
from benchmarking.rules.silver import active_baseline_requirements
from benchmarking.selectors.progress import improved_indicators
from benchmarking.services.silver_gold import gold_assessment_record
from tests import factories

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def two_benchmarkings(transactional_db, reference_data):
    cluster = factories.ClusterFactory(name="Baltic Maritime Cluster", country="LT", eligible=True)
    first = factories.approved_interview(cluster=cluster, date=datetime.date(2024, 1, 10), maturity=0.3)
    second = factories.approved_interview(cluster=cluster, date=add_months(first.date, 20), maturity=0.9)
    factories.ExpertFactory(user__first_name="Ana", user__last_name="Auditora")
    return cluster, first, second


def fill_audit(page: Page, *, unmet: str | None):
    auditor = Expert.objects.get(user__last_name="Auditora")  # an accredited expert of the system
    page.get_by_label("Auditor").select_option(label=f"Ana Auditora · Germany ({auditor.accreditation_number})")
    page.get_by_label("Audit date").fill("2025-10-01")
    for requirement in active_baseline_requirements():
        group = page.locator(f"#div_id_met_{requirement.code}")
        group.get_by_label("Not met" if requirement.code == unmet else "Met", exact=True).check()
    if unmet:
        page.get_by_label(f"Note on {unmet}").fill("No satisfaction survey since 2021.")
    page.locator("#id_report").fill("A half-day audit with the cluster manager.")
    page.get_by_label("Recommendation 1").fill("Survey the participants every year.")
    for n in (1, 2, 3):
        page.get_by_label(f"Area {n}: what improved and how").fill("Better than two years ago.")


def test_an_unmet_requirement_blocks_silver_and_a_met_one_earns_it(page: Page, live_server, log_in,
                                                                    two_benchmarkings, screenshot_dir):  # fmt: skip
    cluster, first, second = two_benchmarkings
    assert len(improved_indicators(first, second)) >= 3  # the form proposes the three areas
    staff = factories.UserFactory(is_staff=True, username="secretariat")
    page.set_viewport_size(LAPTOP)
    log_in(page, staff)
    page.goto(f"{live_server.url}/review/clusters/{cluster.pk}/labels/")
    page.get_by_role("link", name="Record a Silver audit…").click()
    page.wait_for_load_state("load")
    expect(page.get_by_text("The second benchmarking came within the Silver window.")).to_be_visible()

    fill_audit(page, unmet="R11")
    page.screenshot(path=os.path.join(screenshot_dir, "silver_audit_form.png"), full_page=True)
    page.get_by_role("button", name="Record the audit").click()
    refusal = "no Silver label: A baseline minimum requirement is not met: R11."
    expect(page.get_by_role("alert")).to_contain_text(refusal)
    audit = SilverAudit.objects.get()
    section = page.locator(f"#audit-{audit.pk}")
    expect(section).to_contain_text("not every baseline requirement met")
    expect(section.get_by_role("row", name="R11")).to_contain_text("No satisfaction survey since 2021.")
    assert not Label.objects.filter(level="silver").exists()

    page.get_by_role("link", name="Record a Silver audit…").click()
    page.wait_for_load_state("load")
    fill_audit(page, unmet=None)
    page.get_by_role("button", name="Record the audit").click()
    expect(page.get_by_role("alert")).to_contain_text("The Silver label is recommended to the EUCLES board.")
    label = factories.board_approves(cluster.label_recommendations.get(level="silver"))  # the board awards it
    page.reload()
    expect(page.locator(f"#label-{label.code}")).to_contain_text("Active")
    expect(page.get_by_text("Survey the participants every year.").last).to_be_visible()
    page.screenshot(path=os.path.join(screenshot_dir, "silver_audits_on_the_label_page.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=os.path.join(screenshot_dir, "silver_audits_on_the_label_page_phone.png"), full_page=True)


def test_a_gold_label_shows_its_score_publicly(page: Page, live_server, transactional_db, reference_data,
                                               screenshot_dir):  # fmt: skip
    staff = factories.UserFactory(is_staff=True, username="secretariat")
    scores = {i: Decimal("92") for i in active_gold_indicators()}
    scores[active_gold_indicators()[0]] = Decimal("71.5")
    cluster = factories.approved_interview(
        cluster__name="Øresund Life Science Cluster", cluster__country="DK", cluster__eligible=True
    ).cluster
    outcome = gold_assessment_record(
        cluster=cluster,
        first_assessor=factories.ExpertFactory(), second_assessor=factories.ExpertFactory(),
        assessed_on=datetime.date(2026, 3, 2), scores=scores, user=staff,
    )  # fmt: skip
    label = factories.board_approves(outcome.recommendation)
    for viewport, name in ((LAPTOP, "gold_label_public.png"), (PHONE, "gold_label_public_phone.png")):
        page.set_viewport_size(viewport)
        page.goto(f"{live_server.url}/labels/{label.code}/")
        expect(page.get_by_role("status")).to_contain_text("Active")
        expect(page.locator(".gold-score")).to_contain_text("91.34 %")
        page.screenshot(path=os.path.join(screenshot_dir, name), full_page=True)
    page.get_by_role("link", name="Printable certificate").click()
    expect(page.locator("article.certificate")).to_contain_text("91.34 %")
