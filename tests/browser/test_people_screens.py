"""Screens that tell what they know (issue 24), in a real browser at 1280 px and on a phone (390 px):
the review page with a waiver keeps each criterion's facts and says why the label renews nothing;
the board's card of a Silver renewal names the label it renews and the audit; a cluster's label
page offers only the actions the rules allow."""

import datetime
import os

import pytest
from playwright.sync_api import Page, expect

from benchmarking.models import Interview, Label
from benchmarking.rules.dates import add_months
from benchmarking.rules.silver import Finding, active_baseline_requirements
from benchmarking.selectors.progress import improved_indicators
from benchmarking.services.silver_gold import silver_audit_record
from tests import factories

pytestmark = pytest.mark.browser

SIZES = [({"width": 1280, "height": 900}, ""), ({"width": 390, "height": 844}, "_phone")]
D = datetime.date


@pytest.fixture
def world(transactional_db, reference_data):
    """A waived cluster whose last label expired in 2019 (its interview waits for review), and a
    cluster whose Silver renewal waits for the board."""
    staff = factories.UserFactory(is_staff=True, username="secretariat", first_name="Sam", last_name="Secretary")
    waived = factories.ClusterFactory(
        name="Social Economy Cluster Navarra", country="ES", eligibility_waiver="social_economy",
        eligibility_waiver_note="Member of the national social-economy network.",
    )  # fmt: skip
    factories.LabelFactory(cluster=waived, code="ESP004201705B", benchmarked_on=D(2017, 5, 3), awarded_on=D(2017, 6, 1),
                           valid_from=D(2017, 5, 3), valid_until=D(2019, 5, 3))  # fmt: skip
    interview = factories.answer_all(
        factories.InterviewFactory(status=Interview.Status.SUBMITTED, cluster=waived), A4=127, B4=4
    )
    baltic = factories.ClusterFactory(name="Baltic Maritime Cluster", country="LT", eligible=True)
    first = factories.approved_interview(cluster=baltic, date=D(2024, 1, 10), maturity=0.3)
    second = factories.approved_interview(cluster=baltic, date=add_months(first.date, 20), maturity=0.9)
    factories.LabelFactory(
        cluster=baltic, level="silver", code="LTU001202310S", benchmarked_on=D(2023, 10, 20),
        awarded_on=D(2023, 11, 1), valid_from=D(2023, 10, 20), valid_until=D(2025, 10, 20),
    )  # fmt: skip
    auditor = factories.ExpertFactory(user__first_name="Ana", user__last_name="Auditora")
    silver_audit_record(
        cluster=baltic, auditor=auditor, audited_on=D(2025, 10, 1),
        findings=[Finding(r, True) for r in active_baseline_requirements()],
        report="A half-day audit.", recommendations=["Survey the members yearly."],
        areas=[(i, "Better than before.") for i in improved_indicators(first, second)[:3]], user=staff,
    )  # fmt: skip
    return {"staff": staff, "interview": interview, "waived": waived, "baltic": baltic}


def shoot(page: Page, screenshot_dir: str, name: str) -> None:
    page.screenshot(path=os.path.join(screenshot_dir, f"{name}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.mark.parametrize(("size", "suffix"), SIZES)
def test_the_review_page_with_a_waiver(page: Page, live_server, log_in, world, screenshot_dir, size, suffix):
    log_in(page, world["staff"])
    page.set_viewport_size(size)
    page.goto(f"{live_server.url}/review/interviews/{world['interview'].pk}/")
    page.wait_for_load_state("load")
    criteria = page.locator(".criteria")
    expect(criteria).to_contain_text("127 participants (met without the waiver)")
    expect(criteria).to_contain_text("4 FTE (met without the waiver)")
    expect(page.locator(".label-preview")).to_contain_text(
        "last label ESP004201705B expired on 3 May 2019, more than a year ago: a first label"
    )
    shoot(page, screenshot_dir, f"people_review_waiver{suffix}")


@pytest.mark.parametrize(("size", "suffix"), SIZES)
def test_the_board_card_of_a_silver_renewal(page: Page, live_server, log_in, world, screenshot_dir, size, suffix):
    log_in(page, factories.board_member(username="board", first_name="Bea", last_name="Board"))
    page.set_viewport_size(size)
    page.goto(live_server.url + "/board/")
    page.wait_for_load_state("load")
    card = page.locator(".board-recommendation").filter(has_text="Baltic Maritime Cluster")
    expect(card).to_contain_text("Audited on")
    expect(card).to_contain_text("by Ana Auditora")
    expect(card.locator(".renews")).to_contain_text("Silver label LTU001202310S (valid until 20 October 2025)")
    shoot(page, screenshot_dir, f"people_board_silver{suffix}")


@pytest.mark.parametrize(("size", "suffix"), SIZES)
def test_the_label_page_offers_only_what_the_rules_allow(
    page: Page, live_server, log_in, world, screenshot_dir, size, suffix
):
    waived = world["waived"]
    factories.LabelFactory(
        cluster=waived, code="ESP005202512B", benchmarked_on=D(2025, 12, 1),
        awarded_on=D(2025, 12, 10), valid_from=D(2025, 12, 1), valid_until=D(2027, 12, 1),
    )  # fmt: skip
    factories.LabelFactory(cluster=waived, code="ESP003201501B", status=Label.Status.WITHDRAWN,
                           status_reason="Evidence not confirmed.", benchmarked_on=D(2015, 1, 5),
                           awarded_on=D(2015, 2, 1), valid_from=D(2015, 1, 5), valid_until=D(2017, 1, 5))  # fmt: skip
    log_in(page, world["staff"])
    page.set_viewport_size(size)
    page.goto(f"{live_server.url}/review/clusters/{waived.pk}/labels/")
    page.wait_for_load_state("load")
    valid, expired, withdrawn = (page.locator(f"#label-{code}") for code in
                                 ("ESP005202512B", "ESP004201705B", "ESP003201501B"))  # fmt: skip
    expect(valid.get_by_role("link", name="Suspend…")).to_be_visible()
    expect(valid.get_by_role("link", name="Withdraw…")).to_be_visible()
    for over in (expired, withdrawn):
        expect(over.get_by_role("link")).to_have_count(2)  # the label's own page (its code) and the public page
    shoot(page, screenshot_dir, f"people_label_actions{suffix}")
    page.goto(f"{live_server.url}/review/labels/ESP003201501B/reinstate/")
    expect(page.get_by_role("alert")).to_contain_text("a withdrawn label is never reinstated")
    expect(page.get_by_role("textbox")).to_have_count(0)
