"""The secretariat's data pages in a browser: exports, and the legacy import's check then import."""

import datetime
import os
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from benchmarking.models import Interview
from tests import factories

pytestmark = pytest.mark.browser

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


@pytest.fixture
def secretariat(transactional_db, reference_data):
    for number in ("ESCA-0001", "ESCA-0002"):
        factories.ExpertFactory(accreditation_number=number, accredited_from=datetime.date(2010, 6, 1))
    return factories.UserFactory(is_staff=True, username="secretariat")


def test_the_secretariat_checks_then_imports_a_legacy_file(page: Page, live_server, log_in, secretariat,
                                                           screenshot_dir):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, secretariat)
    page.get_by_role("link", name="Exports").click()
    expect(page.get_by_role("heading", name="Data exports")).to_be_visible()
    page.screenshot(path=os.path.join(screenshot_dir, "exchange_exports_desktop.png"), full_page=True)
    page.get_by_role("link", name="Import legacy benchmarkings").click()

    # A file full of mistakes: every one listed, nothing imported.
    page.get_by_label("CSV or XLSX file").set_input_files(FIXTURES / "legacy_benchmarkings_errors.csv")
    page.get_by_role("button", name="Check or import").click()
    expect(page.get_by_role("alert")).to_contain_text("nothing was imported")
    expect(page.locator("table.legacy-errors")).to_contain_text("Must be at most 100.")
    page.screenshot(path=os.path.join(screenshot_dir, "exchange_import_errors_desktop.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=os.path.join(screenshot_dir, "exchange_import_errors_phone.png"), full_page=True)

    # The valid file: checked first (dry run is ticked), then imported.
    page.get_by_label("CSV or XLSX file").set_input_files(FIXTURES / "legacy_benchmarkings_valid.csv")
    expect(page.get_by_label("Only check the file")).to_be_checked()
    page.get_by_role("button", name="Check or import").click()
    expect(page.get_by_role("status")).to_contain_text("is correct: 5 benchmarkings would be imported")
    assert not Interview.objects.exists()
    page.get_by_label("CSV or XLSX file").set_input_files(FIXTURES / "legacy_benchmarkings_valid.csv")
    page.get_by_label("Only check the file").uncheck()
    page.get_by_role("button", name="Check or import").click()
    expect(page.get_by_role("status")).to_contain_text("Imported 5 benchmarkings")
    page.screenshot(path=os.path.join(screenshot_dir, "exchange_import_done_phone.png"), full_page=True)
    assert Interview.objects.filter(status="approved").count() == 5
