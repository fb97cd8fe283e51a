"""Interview capture in a real browser at laptop size: start, fill a step, warnings, conflicts."""

import datetime
import os

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from benchmarking.models import Answer, Interview
from tests import factories

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}


def shoot(page: Page, screenshot_dir: str, name: str, *, full_page: bool = False) -> None:
    page.screenshot(path=os.path.join(screenshot_dir, f"interview_{name}.png"), full_page=full_page)


@pytest.fixture
def expert(transactional_db, reference_data):
    return factories.ExpertFactory(user__first_name="Eva", user__last_name="Expert")


def test_an_expert_starts_an_interview_and_fills_a_step(page: Page, live_server, log_in, expert, screenshot_dir):
    cluster = factories.ClusterFactory(name="Clúster Automotriz de Querétaro", country="MX", region="Querétaro")
    factories.ClusterFactory(name="Bavarian Wood Cluster")
    page.set_viewport_size(LAPTOP)
    log_in(page, expert.user)
    expect(page.get_by_role("heading", name="My interviews")).to_be_visible()

    # Start: the autocomplete finds the cluster without its accents.
    page.get_by_role("link", name="Start a new interview").click()
    page.get_by_role("combobox", name="Cluster").fill("queretaro")
    option = page.get_by_role("option", name="Clúster Automotriz de Querétaro")
    expect(option).to_be_visible(timeout=15_000)  # the live server's first request can be slow
    shoot(page, screenshot_dir, "start_autocomplete")
    option.click()
    expect(page.locator("#cluster-chosen")).to_contain_text("Clúster Automotriz de Querétaro (Mexico)")
    page.get_by_label("Interview date").fill((timezone.localdate() - datetime.timedelta(days=1)).isoformat())
    page.get_by_label("On site").check()
    page.get_by_label("Interviewee's name").fill("Ana Pérez")
    page.get_by_label("Interviewee's role").fill("Cluster manager")
    page.get_by_role("button", name="Start the interview").click()
    expect(page.get_by_role("heading", name="A. Structure of the cluster")).to_be_visible()
    interview = Interview.objects.get(cluster=cluster)

    # Step A: numbers, a choice, counts whose total differs from A4, shares with a running total.
    page.locator("#id_A1-value").fill("2005")
    page.get_by_label("association", exact=True).check()
    page.get_by_label("industry", exact=True).check()
    page.locator("#id_A4-value").fill("120")
    for index, count in enumerate([70, 10, 5, 5, 5, 5]):
        page.locator(f"#id_A5-part_{index}").fill(str(count))
    a6 = page.locator("#indicator-A6")
    page.locator("#id_A6-part_0").fill("70")
    page.locator("#id_A6-part_1").fill("20")
    expect(a6.locator(".parts-total")).to_have_text("90")
    expect(a6.locator(".parts-total-note")).to_have_text("10 % still to assign")
    a6.scroll_into_view_if_needed()
    shoot(page, screenshot_dir, "step_shares_running_total")
    page.locator("#id_A6-part_2").fill("10")
    expect(a6.locator(".parts-total-note")).to_have_text("✓ adds up to 100 %")
    page.locator("#id_A7-part_0").fill("12")
    page.locator("#id_A7-part_1").fill("3")
    page.locator("#id_A8-missing_reason").select_option("unknown")
    page.get_by_role("button", name="Save", exact=True).click()

    # The warning comes back with a confirm box; the rest of the step is saved.
    warning = page.locator("#indicator-A5 .indicator-warning")
    expect(warning).to_contain_text("The total of A5 (100) differs from A4 (120).")
    expect(page.locator("#problems-alert")).to_contain_text("A5")
    expect(page.locator("#id_A5-part_0")).to_have_value("70")
    warning.scroll_into_view_if_needed()
    shoot(page, screenshot_dir, "step_warning")
    warning.get_by_label("The value is correct").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("alert").filter(has_text="Saved A.")).to_be_visible()
    a5 = Answer.objects.get(interview=interview, indicator__code="A5")
    assert a5.accepted_warnings == ["The total of A5 (100) differs from A4 (120)."]
    assert Answer.objects.get(interview=interview, indicator__code="A8").missing_reason == "unknown"
    expect(page.locator(".step-nav")).to_contain_text("8/8")
    expect(page.get_by_role("button", name="Save", exact=True)).to_be_enabled()
    page.mouse.move(0, 0)
    shoot(page, screenshot_dir, "step_saved")
    shoot(page, screenshot_dir, "step_saved_full", full_page=True)


def test_two_pages_saving_the_same_interview_conflict(page: Page, live_server, log_in, expert, screenshot_dir):
    interview = factories.InterviewFactory(expert=expert)
    page.set_viewport_size(LAPTOP)
    log_in(page, expert.user)
    expect(page.get_by_role("heading", name="My interviews")).to_be_visible()
    other_tab = page.context.new_page()
    other_tab.set_viewport_size(LAPTOP)
    url = f"{live_server.url}/interviews/{interview.pk}/step/E/"
    page.goto(url)
    other_tab.goto(url)

    other_tab.locator("#id_E1-value").fill("70")
    other_tab.get_by_role("button", name="Save", exact=True).click()
    expect(other_tab.get_by_role("alert").filter(has_text="Saved E.")).to_be_visible()

    page.locator("#id_E1-value").fill("30")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#conflict-alert")).to_contain_text("changed in another tab or by another person")
    expect(page.locator("#id_E1-value")).to_have_value("30")
    expect(page.locator("#indicator-E1")).to_contain_text("Saved meanwhile by the other save: 70 %")
    shoot(page, screenshot_dir, "conflict")
    assert Answer.objects.get(interview=interview, indicator__code="E1").number == 70

    # A failed network leaves the input on the page and says so.
    page.route("**/step/E/", lambda route: route.abort() if route.request.method == "POST" else route.continue_())
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#save-status")).to_contain_text("Not saved")
    expect(page.locator("#id_E1-value")).to_have_value("30")
    shoot(page, screenshot_dir, "network_failure")
    page.unroute("**/step/E/")

    # The expert re-applies the refused input deliberately.
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("alert").filter(has_text="Saved E.")).to_be_visible()
    assert Answer.objects.get(interview=interview, indicator__code="E1").number == 30

    # A draft kept in the browser is offered back after a reload.
    page.locator("#id_E2-value").fill("44")
    page.evaluate("window.onbeforeunload = null")
    page.reload()
    expect(page.locator("#save-status")).to_contain_text("Unsaved input")
    page.get_by_role("button", name="Restore it").click()
    expect(page.locator("#id_E2-value")).to_have_value("44")
    shoot(page, screenshot_dir, "draft_restored")


def test_the_autocomplete_finds_what_was_typed_before_its_script_ran(page: Page, live_server, log_in, expert):
    """On a slow line the expert types before interview.js arrives; the search still runs."""
    factories.ClusterFactory(name="Clúster Automotriz de Querétaro", country="MX", region="Querétaro")
    log_in(page, expert.user)
    held = []
    page.route("**/static/js/interview.js", lambda route: held.append(route))

    page.goto(live_server.url + "/interviews/new/", wait_until="commit")  # the held script blocks "load"
    page.get_by_role("combobox", name="Cluster").fill("queretaro")
    page.wait_for_timeout(300)  # the script is still held back: nothing can have searched yet
    expect(page.locator("#cluster-results [role=option]")).to_have_count(0)
    assert held, "the page did not ask for interview.js"
    held[0].continue_()

    expect(page.get_by_role("option", name="Clúster Automotriz de Querétaro")).to_be_visible(timeout=15_000)
