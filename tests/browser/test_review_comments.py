"""The secretariat comments beside the answers on the review page and returns the interview in
one step; the expert finds each comment next to the answer (issue 10)."""

import os

import pytest
from playwright.sync_api import Page, expect

from benchmarking.models import Interview
from tests import factories

pytestmark = pytest.mark.browser


def test_the_secretariat_returns_with_comments_beside_the_answers(page: Page, live_server, log_in, transactional_db,
                                                                  reference_data, screenshot_dir):
    reviewer = factories.UserFactory(is_staff=True, username="sec", first_name="Sam")
    interview = factories.answer_all(
        factories.InterviewFactory(status=Interview.Status.SUBMITTED, cluster__name="Cluster of Wood")
    )
    log_in(page, reviewer)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/review/interviews/{interview.pk}/")
    page.get_by_label("Comment for the expert on B4").fill("Above the headcount in B3?")
    page.get_by_label("Comment for the expert on C1").fill("Is this the whole budget?")
    page.locator("#answer-B4").scroll_into_view_if_needed()
    page.screenshot(path=os.path.join(screenshot_dir, "review_comment_beside_answer.png"))
    page.get_by_role("button", name="Return to the expert with these comments").click()
    # The general comment is required: nothing is lost when it is missing.
    expect(page.get_by_text("Write a comment for the expert.")).to_be_visible()
    expect(page.get_by_label("Comment for the expert on B4")).to_have_value("Above the headcount in B3?")
    page.get_by_label("General comment for the expert").fill("Two questions on B and C, see there.")
    page.screenshot(path=os.path.join(screenshot_dir, "review_return_general_comment.png"))
    page.get_by_role("button", name="Return to the expert with these comments").click()
    expect(page.get_by_role("alert").filter(has_text="Returned to")).to_be_visible()
    interview.refresh_from_db()
    assert interview.status == Interview.Status.RETURNED
    assert interview.answers.get(indicator__code="B4").review_comment == "Above the headcount in B3?"

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/review/interviews/{interview.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    page.screenshot(path=os.path.join(screenshot_dir, "review_phone.png"), full_page=True)

    # The expert sees the comments beside the answers.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, interview.expert.user)
    page.goto(f"{live_server.url}/interviews/{interview.pk}/step/B/")
    expect(page.locator("#indicator-B4")).to_contain_text("Reviewer: Above the headcount in B3?")
    expect(page.get_by_role("note").filter(has_text="Returned by the secretariat")).to_contain_text("Two questions")
