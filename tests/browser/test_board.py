"""The EUCLES board decides on a batch in a real browser: one approved, one declined; the approved label is public.

Also the screenshots of the review page's eligibility (with the ECCP / waiver form) and of the
board's screen, at laptop width and on a phone (390 px).
"""

import os

import pytest
from playwright.sync_api import Page, expect

from benchmarking.models import Interview, Label, LabelRecommendation
from benchmarking.services.review import interview_approve
from tests import factories

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def recommendations(transactional_db, reference_data):
    """Two approved interviews whose Bronze labels wait for the board, reviewed by the secretariat."""
    staff = factories.UserFactory(is_staff=True, username="secretariat", first_name="Sam", last_name="Secretary")
    names = ["Clúster Automotriz de Querétaro", "Aerospace Valley Cluster"]
    waiting = []
    for name in names:
        interview = factories.InterviewFactory(
            status=Interview.Status.SUBMITTED, cluster__name=name, cluster__country="MX", cluster__eligible=True
        )
        factories.answer_all(interview)
        waiting.append(interview_approve(interview=interview, user=staff).recommendation)
    return waiting


def test_the_board_approves_one_and_declines_one(page: Page, live_server, log_in, recommendations, screenshot_dir):
    approved, declined = recommendations
    board = factories.board_member(username="board", first_name="Bea", last_name="Board")
    page.set_viewport_size(LAPTOP)
    log_in(page, board)
    page.get_by_role("link", name="EUCLES board").click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("heading", name="Label recommendations for the EUCLES board")).to_be_visible()
    page.screenshot(path=os.path.join(screenshot_dir, "board_batch.png"), full_page=True)

    first = page.get_by_role("group", name=f"The board's decision on {approved.cluster.name}")
    first.get_by_label("Approve", exact=True).check()
    second = page.get_by_role("group", name=f"The board's decision on {declined.cluster.name}")
    second.get_by_label("Decline", exact=True).check()
    second.get_by_label("Note (required to decline)").fill("No visible activity on the English website.")
    page.get_by_label("Board meeting").fill("EUCLES board meeting November 2026")
    page.get_by_role("button", name="Record the board's decisions").click()

    expect(page.get_by_role("alert")).to_contain_text("2 decisions of the board are recorded.")
    table = page.get_by_role("table")
    expect(table).to_contain_text("Approved by the board")
    expect(table).to_contain_text("Declined by the board")
    expect(table).to_contain_text("No visible activity on the English website.")
    page.screenshot(path=os.path.join(screenshot_dir, "board_decided.png"), full_page=True)

    declined.refresh_from_db()
    assert declined.status == LabelRecommendation.Status.DECLINED and declined.label is None
    label = Label.objects.get()
    page.get_by_role("link", name=label.code).click()
    expect(page.get_by_role("heading", name=approved.cluster.name)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Active")
    expect(page.get_by_text("EUCLES, with ESCA as operational partner")).to_be_visible()


def test_the_board_screen_on_a_phone(page: Page, live_server, log_in, recommendations, screenshot_dir):
    log_in(page, factories.board_member(username="board"))  # the phone's menu hides "Log out"
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/board/")
    page.wait_for_load_state("load")
    expect(page.get_by_role("button", name="Record the board's decisions")).to_be_visible()
    page.screenshot(path=os.path.join(screenshot_dir, "board_batch_phone.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]  # nothing wider than the phone


@pytest.mark.parametrize(
    ("size", "name"), [(LAPTOP, "review_eligibility.png"), (PHONE, "review_eligibility_phone.png")]
)
def test_the_review_page_records_a_waiver(page: Page, live_server, log_in, transactional_db, reference_data,
                                          screenshot_dir, size, name):  # fmt: skip
    interview = factories.InterviewFactory(status=Interview.Status.SUBMITTED, cluster__name="Cluster Without Facts")
    factories.answer_all(interview)
    staff = factories.UserFactory(is_staff=True, username="secretariat")
    log_in(page, staff)
    page.set_viewport_size(size)
    page.goto(f"{live_server.url}/review/interviews/{interview.pk}/")
    page.wait_for_load_state("load")
    expect(page.get_by_text("Not met:").first).to_be_visible()
    page.locator("#eligibility").scroll_into_view_if_needed()
    page.screenshot(path=os.path.join(screenshot_dir, name), full_page=True)

    page.get_by_label("Or: criteria waived because").select_option(label="Social-economy cluster")
    page.get_by_label("Waiver details").fill("Member of the national social-economy network.")
    page.get_by_role("button", name="Record the eligibility facts").click()
    expect(page.get_by_role("alert")).to_contain_text("The eligibility facts of Cluster Without Facts are recorded.")
    expect(page.get_by_text("Waived:").first).to_be_visible()
    expect(page.get_by_role("link", name="Approve and recommend Bronze…")).to_be_visible()


def test_the_secretariat_undoes_an_approval(page: Page, live_server, log_in, recommendations, screenshot_dir):
    """From the review page: "Undo the board's decision…", a reason, "Undo the decision"; the label is withdrawn."""
    from benchmarking.services.board import board_decide_one

    approved = recommendations[0]
    board = factories.board_member(username="board")
    label = board_decide_one(
        recommendation=approved, approve=True, decided_on=approved.recommended_at.date(), meeting="Board 2026-11",
        user=board,
    ).label  # fmt: skip
    staff = approved.recommended_by
    page.set_viewport_size(LAPTOP)
    log_in(page, staff)
    page.goto(f"{live_server.url}/review/interviews/{approved.interview_id}/")
    page.get_by_role("link", name="Undo the board's decision…").click()
    expect(
        page.get_by_role("heading", name=f"Undo the board's decision on the Bronze label for {approved.cluster.name}")
    ).to_be_visible()
    page.get_by_role("button", name="Undo the decision").click()  # no reason yet: said next to the field
    expect(page.locator("#reason-error")).to_contain_text("Say why the decision is undone")
    page.get_by_label("Why is the decision undone?").fill("The minutes record a decline: approved by mistake.")
    page.screenshot(path=os.path.join(screenshot_dir, "board_undo_desktop.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=os.path.join(screenshot_dir, "board_undo_phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size(LAPTOP)
    page.get_by_role("button", name="Undo the decision").click()
    expect(page.get_by_role("alert")).to_contain_text("The board's decision is undone")
    label.refresh_from_db()
    approved.refresh_from_db()
    assert (label.status, approved.status) == ("withdrawn", "pending")
