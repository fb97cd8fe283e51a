"""Every page an expert uses, on a 390 px phone and on a laptop: no sideways scrolling, the
answers on the first screen, the list of interviews readable (issue 10). Screenshots of each
page at both widths are written to the screenshot directory, to be looked at."""

import os

import pytest
from playwright.sync_api import Page, expect

from benchmarking.models import Interview
from tests import factories

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
STEPS = ["A", "B", "C", "D", "E", "F"]


@pytest.fixture
def expert(transactional_db, reference_data):
    return factories.ExpertFactory(user__first_name="Eva", user__last_name="Expert")


@pytest.fixture
def interviews(expert):
    """A draft half answered, and a returned one with a long cluster name."""
    draft = factories.InterviewFactory(expert=expert, cluster__name="Cluster of Wood and Furniture Makers")
    factories.answer_all(draft)
    draft.answers.filter(indicator__category__code__in=["D", "E", "F"]).delete()
    returned = factories.InterviewFactory(
        expert=expert, status=Interview.Status.RETURNED, review_comment="Please check A5 against A4.",
        cluster__name="Asociación de la Industria Automotriz y de Autopartes del Estado de Querétaro",
    )
    factories.answer_all(returned, seed=2)
    return draft, returned


def expert_pages(draft) -> list[tuple[str, str]]:
    base = f"/interviews/{draft.pk}"
    return [
        ("list", "/interviews/"),
        ("new", "/interviews/new/?q=wood"),
        *[(f"step_{code}", f"{base}/step/{code}/") for code in STEPS],
        ("summary", f"{base}/"),
        ("history", f"{base}/history/"),
        ("recommendations", f"{base}/recommendations/"),
    ]


def sideways_overflow(page: Page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.mark.parametrize("size_name, size", [("phone", PHONE), ("laptop", LAPTOP)])
def test_every_expert_page_fits_the_screen(page: Page, live_server, log_in, expert, interviews, screenshot_dir,
                                           size_name, size):
    draft, _returned = interviews
    log_in(page, expert.user)  # at the default width, where "Log out" is not folded away
    page.set_viewport_size(size)
    too_wide = {}
    for name, path in expert_pages(draft):
        page.goto(live_server.url + path)
        expect(page.locator("main h1").first).to_be_visible()
        page.evaluate("window.onbeforeunload = null")
        overflow = sideways_overflow(page)
        if overflow > 0:
            too_wide[name] = overflow
        page.screenshot(path=os.path.join(screenshot_dir, f"expert_{size_name}_{name}.png"), full_page=True)
    assert too_wide == {}, f"pages wider than the screen by so many pixels: {too_wide}"


def test_on_a_phone_the_first_answer_is_on_the_first_screen(page: Page, live_server, log_in, expert, interviews,
                                                            screenshot_dir):
    draft, _returned = interviews
    log_in(page, expert.user)
    page.set_viewport_size(PHONE)
    for code in STEPS:
        page.goto(f"{live_server.url}/interviews/{draft.pk}/step/{code}/")
        first = page.locator(f"#indicator-{code}1")
        box = first.bounding_box()
        assert box["y"] < PHONE["height"] * 0.75, f"step {code}: the first answer starts at {box['y']} px"
        page.screenshot(path=os.path.join(screenshot_dir, f"expert_phone_first_screen_{code}.png"))
        # Every step is still one tap away, and says how far it is.
        nav = page.get_by_role("navigation", name="Steps of the interview")
        for other in STEPS:
            expect(nav.get_by_role("link", name=f"{other}.")).to_be_visible()


def test_on_a_phone_my_interviews_shows_status_progress_and_continue(page: Page, live_server, log_in, expert,
                                                                    interviews):
    log_in(page, expert.user)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/interviews/")
    for row in page.locator(".interview-row").all():
        for part in (row.locator(".interview-status"), row.get_by_text("answered").first,
                     row.get_by_role("link", name="Continue")):
            expect(part).to_be_visible()
            box = part.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert page.locator(".interview-row").count() == 2


def test_the_recommendations_page_is_linked_from_the_interview(page: Page, live_server, log_in, expert, interviews):
    draft, _returned = interviews
    log_in(page, expert.user)
    page.goto(f"{live_server.url}/interviews/{draft.pk}/")
    page.get_by_role("link", name="Recommendations").first.click()
    expect(page.get_by_role("heading", name="Recommendations for Cluster of Wood")).to_be_visible()
