"""The secretariat suspends a label in a real browser and finds the action on the label's timeline,
with its whole reason; the timelines at desktop and phone width, in English and German."""

import os
import re

import pytest
from playwright.sync_api import Page, expect

from benchmarking.models import Interview
from benchmarking.services.review import interview_reopen
from tests import factories

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
REASON = (
    "A complaint from two member companies says the reported membership is inflated; the label is "
    "suspended until the secretariat has checked the member list against the company registry."
)


@pytest.fixture
def label(transactional_db, reference_data):
    """A Bronze label awarded through the services: approved by the secretariat, then by the board."""
    reviewer = factories.UserFactory(username="reviewer", first_name="Rita", last_name="Reviewer", is_staff=True)
    interview = factories.answer_all(
        factories.InterviewFactory(
            status=Interview.Status.SUBMITTED, cluster__name="Clúster Automotriz de Querétaro",
            cluster__country="MX", cluster__eligible=True,
        )  # fmt: skip
    )
    return factories.approve_and_award(interview=interview, user=reviewer, meeting="Board meeting 2026-11")


def switch_to(page: Page, language_name: str, code: str) -> None:
    page.wait_for_load_state("load")
    if page.get_by_role("button", name=re.compile("navigation", re.I)).is_visible():
        page.get_by_role("button", name=re.compile("navigation", re.I)).click()
    page.locator("#language-select").select_option(label=language_name)
    expect(page.locator("html")).to_have_attribute("lang", code)


def shoot(page: Page, directory: str, name: str) -> None:
    page.locator("#timeline").scroll_into_view_if_needed()
    page.screenshot(path=os.path.join(directory, f"{name}.png"), full_page=False)


def test_a_suspension_appears_on_the_labels_timeline(page: Page, live_server, log_in, label, screenshot_dir):
    staff = factories.UserFactory(username="secretariat", first_name="Sam", last_name="Secretary", is_staff=True)
    page.set_viewport_size(DESKTOP)
    log_in(page, staff)
    page.goto(f"{live_server.url}/review/labels/{label.code}/")
    page.get_by_role("link", name="Suspend…").click()
    page.get_by_label("Reason").fill(REASON)
    page.get_by_role("button", name="Suspend the label").click()

    timeline = page.locator("#timeline")
    expect(page.get_by_role("heading", name=re.compile(label.code))).to_be_visible()
    first = timeline.locator(".timeline-entry").first
    expect(first).to_contain_text("Label suspended")
    expect(first).to_contain_text("Sam Secretary")
    expect(first).to_contain_text(REASON)  # whole, not cut at 100 characters
    expect(first).to_contain_text("Active")
    expect(timeline.locator(".timeline-entry").nth(1)).to_contain_text("Label awarded")
    shoot(page, screenshot_dir, "timeline_label_en_1280")

    # The cluster's timeline gathers its interview's, recommendation's and label's actions.
    interview_reopen(interview=label.interview, user=staff, reason="The membership figures are checked again.")
    page.goto(f"{live_server.url}/review/clusters/{label.cluster_id}/labels/")
    expect(timeline).to_contain_text("Interview reopened")
    expect(timeline).to_contain_text("Decided by the board")
    page.locator("#timeline-action").select_option(label="Label suspended")
    page.get_by_role("button", name="Filter").click()
    expect(timeline.locator(".timeline-entry")).to_have_count(1)  # the reopening finds it suspended already
    shoot(page, screenshot_dir, "timeline_cluster_filtered_en_1280")

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/review/interviews/{label.interview_id}/")
    expect(timeline).to_contain_text("Interview reopened")
    shoot(page, screenshot_dir, "timeline_review_en_390")

    switch_to(page, "Deutsch", "de")
    page.goto(f"{live_server.url}/review/labels/{label.code}/")
    expect(timeline.get_by_role("heading")).to_contain_text("Verlauf")
    expect(timeline.locator(".timeline-entry").first).to_contain_text("Label ausgesetzt")
    expect(timeline.locator(".timeline-entry").first).to_contain_text("Aktiv")
    shoot(page, screenshot_dir, "timeline_label_de_390")
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/review/clusters/{label.cluster_id}/labels/")
    expect(timeline).to_contain_text("Vom Vorstand entschieden")
    shoot(page, screenshot_dir, "timeline_cluster_de_1280")
