"""Interview capture in a real browser, JavaScript on: what an expert sees and never loses.

Each test here is about one thing that went wrong during a call (issue 10).
"""

import datetime
import os
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from benchmarking.models import Answer, Indicator, Interview
from benchmarking.tests.interview_helpers import valid_value
from tests import factories

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}
NBSP = "\u00a0"


@pytest.fixture
def expert(transactional_db, reference_data):
    return factories.ExpertFactory(user__first_name="Eva", user__last_name="Expert")


@pytest.fixture
def interview(expert):
    return factories.InterviewFactory(expert=expert, cluster__name="Cluster of Wood")


@pytest.fixture
def at_step(page: Page, live_server, log_in, expert, interview):
    """Log the expert in and open one step of the interview, at laptop size."""

    def at_step(code: str) -> Page:
        page.set_viewport_size(LAPTOP)
        if "Log out" not in page.content():
            log_in(page, expert.user)
        page.goto(f"{live_server.url}/interviews/{interview.pk}/step/{code}/")
        expect(page.get_by_role("heading", level=2).first).to_contain_text(f"{code}.")
        return page

    return at_step


def wait_for(page: Page, seen: list) -> list:
    """Wait (on a busy machine too) until a dialog handler has recorded something in `seen`."""
    for _ in range(150):
        if seen:
            return seen
        page.wait_for_timeout(100)
    return seen


def store(interview, code: str, **fields) -> Answer:
    indicator = Indicator.objects.get(catalogue=interview.catalogue, code=code)
    return Answer.objects.create(interview=interview, indicator=indicator, **fields)


def fill_valid(page: Page, interview, code: str) -> None:
    """Type a plausible answer to every indicator of step `code`, as the server tests do."""
    for indicator in Indicator.objects.filter(catalogue=interview.catalogue, category__code=code):
        for name, value in valid_value(indicator).items():
            field = page.locator(f"[name='{name}']")
            if isinstance(value, list):
                for option in value:
                    page.locator(f"[name='{name}'][value='{option}']").check()
            elif field.first.get_attribute("type") == "radio":
                page.locator(f"[name='{name}'][value='{value}']").check()
            else:
                field.fill(value)


def test_save_and_continue_moves_on_to_the_next_step(at_step, interview):
    page = at_step("E")
    fill_valid(page, interview, "E")
    page.get_by_role("button", name="Save and continue to F").click()
    expect(page.get_by_role("heading", name="F. Achievements and recognition of the cluster")).to_be_visible()
    expect(page).to_have_url(f"{page.url.split('/interviews/')[0]}/interviews/{interview.pk}/step/F/")
    assert Answer.objects.filter(interview=interview, indicator__category__code="E").count() == 3


def test_saved_numbers_come_back_as_they_were_typed(at_step, interview):
    store(interview, "A1", number=Decimal("1997"))
    store(interview, "C1", number=Decimal("350000"))
    store(interview, "C3", number=Decimal("0.5"))
    store(interview, "B6", number=Decimal("80"))
    store(interview, "A5", parts={"SMEs": 50, "large companies": 10, "universities": 2, "research institutes": 2,
                                  "public bodies": 1, "other": 0})
    page = at_step("C")
    expect(page.locator("#id_C1-value")).to_have_value("350000")
    expect(page.locator("#id_C3-value")).to_have_value("0.5")
    page = at_step("B")
    expect(page.locator("#id_B6-value")).to_have_value("80")
    page = at_step("A")
    expect(page.locator("#id_A1-value")).to_have_value("1997")
    expect(page.locator("#id_A5-part_0")).to_have_value("50")
    page.get_by_role("link", name="Summary", exact=True).click()
    summary = page.locator(".summary-table")
    expect(summary.filter(has_text="C1")).to_contain_text(f"350,000{NBSP}EUR")
    expect(summary.filter(has_text="C3")).to_contain_text(f"0.5{NBSP}years")
    expect(summary.filter(has_text="A5")).to_contain_text("SMEs: 50")
    assert "E+" not in page.locator("main").inner_text()


def test_input_with_a_warning_survives_a_click_on_another_step(at_step, interview, screenshot_dir):
    page = at_step("A")
    page.locator("#id_A4-value").fill("120")
    counts = ["70", "10", "5", "5", "5", "4"]  # 99: the total differs from A4
    for index, count in enumerate(counts):
        page.locator(f"#id_A5-part_{index}").fill(count)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#indicator-A5 .indicator-warning")).to_contain_text("differs from A4")
    expect(page.locator("#save-state")).to_contain_text("Not saved yet")

    # Staying: the leave warning holds the page with the input as typed.
    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.get_by_role("link", name="B. Cluster management and governance").click()
    assert wait_for(page, dialogs) == ["beforeunload"]
    expect(page.locator("#id_A5-part_5")).to_have_value("4")

    # Leaving anyway: back on the step, the input is offered back from this browser.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("link", name="B. Cluster management and governance").click()
    expect(page.get_by_role("heading", name="B. Cluster management and governance")).to_be_visible()
    page.get_by_role("link", name="A. Structure of the cluster").click()
    expect(page.locator("#save-status")).to_contain_text("Unsaved input")
    page.get_by_role("button", name="Restore it").click()
    assert [page.locator(f"#id_A5-part_{i}").input_value() for i in range(6)] == counts
    expect(page.locator("#save-state")).to_contain_text("Not saved yet")  # restored is not saved
    page.screenshot(path=os.path.join(screenshot_dir, "entry_restored_after_warning.png"))
    assert Answer.objects.filter(interview=interview, indicator__code="A5").count() == 0


def test_the_focused_field_is_never_hidden_under_the_save_bar(at_step):
    page = at_step("D")
    page.locator("#id_D1-value_0").focus()
    hidden = []
    for _ in range(30):
        page.keyboard.press("Tab")
        page.wait_for_timeout(100)  # Bootstrap scrolls smoothly: look once it has settled
        box = page.evaluate(
            """() => { const el = document.activeElement;
                       if (!el.closest('#step-form') || el.closest('.step-actions')) return null;
                       const bar = document.querySelector('.step-actions').getBoundingClientRect();
                       const r = el.getBoundingClientRect();
                       return {id: el.id, bottom: r.bottom, barTop: bar.top}; }"""
        )
        if box and box["bottom"] > box["barTop"]:
            hidden.append(box["id"])
    assert hidden == []


def test_the_mouse_wheel_scrolls_the_page_and_leaves_numbers_alone(at_step):
    page = at_step("D")
    field = page.locator("#id_D3-value")
    field.fill("250")
    field.hover()
    for _ in range(3):
        page.mouse.wheel(0, -100)
        page.wait_for_timeout(100)
    expect(field).to_have_value("250")


def test_words_units_and_totals_read_right(at_step, interview):
    store(interview, "B3", number=Decimal(1))
    store(interview, "D6", number=Decimal(1))
    store(interview, "B5", number=Decimal(20))
    store(interview, "A7", parts={"joined": 12, "left": 3})
    page = at_step("A")
    expect(page.locator("#indicator-A7")).not_to_contain_text("Total")
    expect(page.locator("#indicator-A5")).to_contain_text("Total")
    page.get_by_role("link", name="Summary", exact=True).click()
    rows = page.locator(".summary-table tr")
    expect(rows.filter(has_text="B3")).to_contain_text(f"1{NBSP}person")
    expect(rows.filter(has_text="B3")).not_to_contain_text("persons")
    expect(rows.filter(has_text="D6")).to_contain_text(f"1{NBSP}activity")
    assert f"20{NBSP}%" in rows.filter(has_text="B5").inner_text()  # number and sign never part
    expect(rows.filter(has_text="A7")).to_contain_text("joined: 12; left: 3")
    expect(rows.filter(has_text="A7")).not_to_contain_text("total")


def test_a_lost_connection_is_explained_in_words(at_step):
    page = at_step("E")
    page.locator("#id_E1-value").fill("30")
    page.route("**/step/E/", lambda route: route.abort() if route.request.method == "POST" else route.continue_())
    page.get_by_role("button", name="Save", exact=True).click()
    status = page.locator("#save-status")
    expect(status).to_contain_text("Not saved: the server could not be reached")
    expect(status).not_to_contain_text("Failed to fetch")
    expect(page.locator("#id_E1-value")).to_have_value("30")


def test_no_version_numbers_on_the_step(at_step):
    page = at_step("E")
    page.locator("#id_E1-value").fill("30")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("alert").filter(has_text="Saved E.")).to_be_visible()
    assert "version" not in page.locator("main").inner_text().lower()


def test_a_new_interview_is_dated_today(page: Page, live_server, log_in, expert):
    log_in(page, expert.user)
    page.goto(live_server.url + "/interviews/new/")
    expect(page.get_by_label("Interview date")).to_have_value(timezone.localdate().isoformat())


def test_submitting_asks_for_confirmation(at_step, interview):
    factories.answer_all(interview)
    page = at_step("F")
    page.get_by_role("link", name="Summary", exact=True).click()
    messages = []
    page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Submit to the secretariat").click()
    assert wait_for(page, messages) and "no longer change it" in messages[0]
    interview.refresh_from_db()
    assert interview.status == Interview.Status.DRAFT

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Submit to the secretariat").click()
    expect(page.get_by_role("alert").filter(has_text="Submitted to the secretariat")).to_be_visible()
    interview.refresh_from_db()
    assert interview.status == Interview.Status.SUBMITTED


def test_a_start_date_in_the_past_is_kept(page: Page, live_server, log_in, expert):
    """The default is only a default: a typed date is what is stored."""
    factories.ClusterFactory(name="Bavarian Wood Cluster")
    log_in(page, expert.user)
    page.goto(live_server.url + "/interviews/new/?q=wood")
    page.get_by_label("Bavarian Wood Cluster").check()
    day = timezone.localdate() - datetime.timedelta(days=3)
    page.get_by_label("Interview date").fill(day.isoformat())
    page.get_by_label("Interviewee's name").fill("Ana")
    page.get_by_label("Interviewee's role").fill("Manager")
    page.get_by_role("button", name="Start the interview").click()
    expect(page.get_by_role("heading", name="A. Structure of the cluster")).to_be_visible()
    assert Interview.objects.get(cluster__name="Bavarian Wood Cluster").date == day


def test_a_conflict_marks_only_what_the_other_save_changed(at_step, interview):
    page = at_step("E")
    other_tab = page.context.new_page()
    other_tab.goto(page.url)
    other_tab.locator("#id_E1-value").fill("70")
    other_tab.get_by_role("button", name="Save", exact=True).click()
    expect(other_tab.get_by_role("alert").filter(has_text="Saved E.")).to_be_visible()

    page.locator("#id_E1-value").fill("30")
    page.locator("#id_E2-value").fill("40")  # the other save left E2 alone
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#conflict-alert")).to_be_visible()
    expect(page.locator("#indicator-E1")).to_contain_text("Saved meanwhile by the other save: 70")
    expect(page.locator("#indicator-E2")).not_to_contain_text("Saved meanwhile")
    expect(page.locator("#id_E2-value")).to_have_value("40")
    expect(page.locator("#save-state")).to_contain_text("Not saved yet")


def test_reason_and_comment_are_off_the_tab_path_unless_switched_on(at_step):
    page = at_step("E")
    expect(page.locator("#id_E1-value")).to_be_focused()  # the step starts at its first answer
    page.keyboard.press("Tab")
    expect(page.locator("#id_E2-value")).to_be_focused()
    page.keyboard.press("Alt+C")
    expect(page.locator("#id_E2-comment")).to_be_focused()
    page.keyboard.type("from the survey")
    page.keyboard.press("Alt+R")
    expect(page.locator("#id_E2-missing_reason")).to_be_focused()

    page.get_by_label("Tab also stops at reasons and comments").check()
    page.locator("#id_E1-value").focus()
    page.keyboard.press("Tab")
    expect(page.locator("#id_E1-missing_reason")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#id_E1-comment")).to_be_focused()
    page.evaluate("window.onbeforeunload = null")
    page.reload()  # the choice is remembered
    expect(page.get_by_label("Tab also stops at reasons and comments")).to_be_checked()
