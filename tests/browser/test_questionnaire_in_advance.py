"""The questionnaire in advance (issue 16), the whole path in a real browser with JavaScript on:
the expert invites, the manager follows the e-mailed link, fills two steps and marks the
questionnaire ready, the expert accepts a step's proposals at once, changes one value,
accepts others one by one (click and Alt+A), submits, and the history shows each source."""

import os
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from benchmarking.models import Answer, Interview
from tests import factories

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
LINK = re.compile(r"(https?://\S+/questionnaire/invitation/\S+/)")


def shoot(page: Page, screenshot_dir: str, name: str, *, full_page: bool = False) -> None:
    page.screenshot(path=os.path.join(screenshot_dir, f"questionnaire_{name}.png"), full_page=full_page)


def shoot_both(page: Page, screenshot_dir: str, name: str) -> None:
    """The page at laptop width and at phone width (390 px)."""
    shoot(page, screenshot_dir, f"{name}_desktop")
    page.set_viewport_size(PHONE)
    shoot(page, screenshot_dir, f"{name}_phone", full_page=True)
    page.set_viewport_size(LAPTOP)


@pytest.fixture
def interview(transactional_db, reference_data):
    """Today's interview with every answer but those of steps E and F, which the manager prepares."""
    expert = factories.ExpertFactory(user__first_name="Eva", user__last_name="Expert")
    cluster = factories.ClusterFactory(name="Basque Energy Cluster", country="ES", region="Basque Country")
    interview = factories.InterviewFactory(expert=expert, cluster=cluster, date=timezone.localdate())
    factories.answer_all(interview)
    Answer.objects.filter(interview=interview, indicator__category__code__in=["E", "F"]).delete()
    return interview


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()


def test_the_manager_prepares_and_the_expert_confirms(
    page: Page, live_server, log_in, interview, screenshot_dir, settings
):
    settings.SITE_URL = live_server.url  # the e-mailed links point at the test server
    expert_user = interview.expert.user
    page.set_viewport_size(LAPTOP)

    # The expert invites the cluster's manager.
    log_in(page, expert_user)
    page.goto(f"{live_server.url}/interviews/{interview.pk}/")
    page.get_by_role("link", name="Manager's questionnaire").click()
    page.get_by_label("The manager's e-mail address").fill("ana.ruiz@example.org")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("alert").filter(has_text="Invitation sent to ana.ruiz@example.org.")).to_be_visible()
    expect(page.locator("#invitation-status")).to_contain_text("ana.ruiz@example.org")
    log_out(page)

    # The manager follows the link of the e-mail and creates an account.
    invitation_mail = next(m for m in mail.outbox if m.to == ["ana.ruiz@example.org"])
    link = LINK.search(invitation_mail.body).group(1)
    page.goto(link)
    page.get_by_label("First name").fill("Ana")
    page.get_by_label("Last name").fill("Ruiz")
    shoot(page, screenshot_dir, "accept_desktop")
    page.locator("#id_password1").fill("a-long-enough-pass-31")
    page.get_by_label("Password again").fill("a-long-enough-pass-31")
    page.get_by_role("button", name="Create the account and open the questionnaire").click()
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()

    # Two steps: E completely, F partly (F3 left for the call).
    page.get_by_role("link", name="Edit E").click()
    page.wait_for_load_state("load")
    page.locator("#id_E1-value").fill("60")
    page.locator("#id_E2-value").fill("40")
    page.get_by_label("website", exact=True).check()
    page.get_by_label("newsletter", exact=True).check()
    shoot_both(page, screenshot_dir, "manager_step")
    page.get_by_role("button", name="Save and continue to F").click()
    expect(page.get_by_role("heading", name=re.compile(r"^F\. "))).to_be_visible()
    page.wait_for_load_state("load")
    page.locator("#id_F1-value").fill("12")
    page.locator("#id_F2-value").fill("3")
    page.get_by_role("button", name="Save and go to the overview").click()
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()
    mail.outbox.clear()
    page.get_by_role("button", name="Ready for the interview").click()
    expect(page.get_by_role("alert").filter(has_text="the expert has been told")).to_be_visible()
    assert [m.to for m in mail.outbox] == [[expert_user.email]]
    assert not Answer.objects.filter(interview=interview, indicator__category__code__in=["E", "F"]).exists()
    page.get_by_role("link", name="Print").click()
    expect(page.get_by_role("heading", name="Benchmarking questionnaire")).to_be_visible()
    expect(page.locator("#q-E1 .q-filled")).to_have_text("60")  # the proposals are printed in
    expect(page.locator("#q-E3 .q-ticked")).to_have_count(2)
    expect(page.locator("#q-F3 .q-filled")).to_have_count(0)  # left for the call: blank
    shoot_both(page, screenshot_dir, "print")
    log_out(page)

    # The expert: step E's proposals at once, one value changed.
    log_in(page, expert_user)
    page.goto(f"{live_server.url}/interviews/{interview.pk}/step/E/")
    page.wait_for_load_state("load")
    expect(page.locator(".proposal")).to_have_count(3)
    expect(page.locator("#proposal-E1")).to_contain_text("60")
    shoot_both(page, screenshot_dir, "expert_step_with_proposals")
    page.get_by_role("button", name="Accept all proposals of this step").click()
    expect(page.locator("#id_E1-value")).to_have_value("60")
    expect(page.get_by_label("newsletter", exact=True)).to_be_checked()
    page.locator("#id_E2-value").fill("45")
    page.get_by_role("button", name="Save and continue to F").click()
    expect(page.get_by_role("heading", name=re.compile(r"^F\. "))).to_be_visible()
    page.wait_for_load_state("load")

    # Step F: one proposal by its key, one by its button, F3 typed by the expert.
    page.locator("#id_F1-value").focus()
    page.keyboard.press("Alt+KeyA")
    expect(page.locator("#id_F1-value")).to_have_value("12")
    page.locator("#proposal-F2").get_by_role("button", name="Accept").click()
    expect(page.locator("#id_F2-value")).to_have_value("3")
    page.locator("#id_F3-value").fill("80")
    page.get_by_role("button", name="Save and continue to the summary").click()
    expect(page.get_by_role("heading", name="Summary")).to_be_visible()
    expect(page.locator("#proposal-E1")).to_contain_text("Confirmed")  # the proposals beside the answers
    expect(page.locator("#proposal-E2")).to_contain_text("Differs from the answer")
    expect(page.locator("#proposal-E2")).to_contain_text("40")
    page.locator("#summary-E").scroll_into_view_if_needed()
    shoot_both(page, screenshot_dir, "summary_with_proposals")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Submit to the secretariat").click()
    expect(page.get_by_role("alert").filter(has_text="Submitted to the secretariat")).to_be_visible()
    interview.refresh_from_db()
    assert interview.status == Interview.Status.SUBMITTED
    sources = dict(
        Answer.objects.filter(interview=interview, indicator__category__code__in=["E", "F"]).values_list(
            "indicator__code", "source"
        )
    )
    assert sources == {
        "E1": "confirmed", "E2": "changed", "E3": "confirmed", "F1": "confirmed", "F2": "confirmed", "F3": "entered",
    }  # fmt: skip

    # The history shows each answer's source.
    page.get_by_role("link", name="History").click()
    rows = page.locator(".history-table tbody tr")  # newest first
    expect(rows.filter(has_text="E1").first).to_contain_text("Proposed by the manager and confirmed")
    expect(rows.filter(has_text="E2").first).to_contain_text("Proposed by the manager, changed by the expert")
    expect(rows.filter(has_text="F3").first).to_contain_text("Entered by the expert")
    shoot_both(page, screenshot_dir, "history_sources")

    # The manager can no longer change anything.
    log_out(page)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("ana.ruiz@example.org")
    page.get_by_label("Password").fill("a-long-enough-pass-31")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="My questionnaire").click()
    expect(page.get_by_role("note").filter(has_text="can no longer be changed")).to_be_visible()
    expect(page.get_by_role("button", name="Ready for the interview")).to_have_count(0)
