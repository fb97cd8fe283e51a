"""The secretariat approves an interview in a real browser; the new label verifies; its certificate's QR code scans."""

import io
import os

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Page, expect

from benchmarking.models import Interview, Label
from tests import factories

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 900}


@pytest.fixture
def submitted_interview(transactional_db, reference_data):
    interview = factories.InterviewFactory(
        status=Interview.Status.SUBMITTED,
        cluster__name="Clúster Automotriz de Querétaro",
        cluster__country="MX",
        cluster__eligible=True,
    )
    factories.answer_all(interview)
    interview.answers.filter(indicator__code="B4").update(accepted_warnings=["B4 (6) is above B3 (5)."])
    return interview


def test_the_secretariat_approves_and_the_label_verifies(page: Page, live_server, log_in, submitted_interview,
                                                         screenshot_dir, settings):  # fmt: skip
    settings.SITE_URL = live_server.url
    staff = factories.UserFactory(is_staff=True, username="secretariat", first_name="Sam", last_name="Secretary")
    page.set_viewport_size(LAPTOP)
    log_in(page, staff)

    page.goto(live_server.url + "/review/")
    row = page.get_by_role("row", name="Clúster Automotriz de Querétaro")
    expect(row).to_contain_text("1")  # one accepted warning
    row.get_by_role("link", name="Review").click()
    expect(page.get_by_text("Warning accepted by the expert:")).to_be_visible()
    page.screenshot(path=os.path.join(screenshot_dir, "review_interview.png"), full_page=False)

    page.get_by_role("link", name="Approve and recommend Bronze…").click()
    expect(page.get_by_role("heading", name="Approve and recommend the label")).to_be_visible()
    page.get_by_role("button", name="Approve and recommend the label").click()
    expect(page.get_by_role("alert")).to_contain_text("the Bronze label is recommended to the EUCLES board")
    assert not Label.objects.filter(interview=submitted_interview).exists()

    # The EUCLES board decides: then the label exists.
    page.context.clear_cookies()
    log_in(page, factories.board_member(username="board", first_name="Bea", last_name="Board"))
    page.get_by_role("link", name="EUCLES board").click()
    page.get_by_role("group", name="The board's decision on Clúster Automotriz de Querétaro").get_by_label(
        "Approve", exact=True
    ).check()
    page.get_by_label("Board meeting").fill("Board meeting 2026-11")
    page.get_by_role("button", name="Record the board's decisions").click()
    expect(page.get_by_role("alert")).to_contain_text("1 decision of the board is recorded.")
    label = Label.objects.get(interview=submitted_interview)
    page.get_by_role("link", name=label.code).click()
    expect(page.get_by_role("status")).to_contain_text("Active")
    expect(page.get_by_text("by an accredited ESCA benchmarking expert")).to_be_visible()
    assert str(submitted_interview.expert) not in page.content()

    page.get_by_role("link", name="Printable certificate").click()
    certificate = page.locator("article.certificate")
    expect(certificate).to_contain_text(label.code)
    certificate.screenshot(path=os.path.join(screenshot_dir, "label_certificate.png"))

    qr = page.locator("figure.qr svg")
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())))
    url = f"{live_server.url}/labels/{label.code}/"
    assert [r.text for r in decoded] == [url]
    page.goto(decoded[0].text)
    expect(page.get_by_role("heading", name="Clúster Automotriz de Querétaro")).to_be_visible()
