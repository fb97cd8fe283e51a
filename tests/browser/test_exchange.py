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

    # A file full of mistakes: the upload becomes a job (the tests' backend runs it at once);
    # its page lists every error, and nothing is imported.
    page.get_by_label("CSV or XLSX file").set_input_files(FIXTURES / "legacy_benchmarkings_errors.csv")
    page.get_by_role("button", name="Check or import").click()
    expect(page.get_by_role("alert")).to_contain_text("nothing was imported")
    expect(page.locator("table.legacy-errors")).to_contain_text("Must be at most 100.")
    page.screenshot(path=os.path.join(screenshot_dir, "exchange_import_errors_desktop.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=os.path.join(screenshot_dir, "exchange_import_errors_phone.png"), full_page=True)

    # The valid file: checked first (dry run is ticked), then imported from the job's page.
    page.get_by_role("link", name="Import legacy benchmarkings").click()
    page.get_by_label("CSV or XLSX file").set_input_files(FIXTURES / "legacy_benchmarkings_valid.csv")
    expect(page.get_by_label("Only check the file")).to_be_checked()
    page.get_by_role("button", name="Check or import").click()
    expect(page.get_by_role("status")).to_contain_text("is correct: 5 benchmarkings would be imported")
    assert not Interview.objects.exists()
    page.get_by_role("button", name="Import 5 benchmarkings").click()
    expect(page.get_by_role("status")).to_contain_text("Imported 5 benchmarkings")
    page.screenshot(path=os.path.join(screenshot_dir, "exchange_import_done_phone.png"), full_page=True)
    assert Interview.objects.filter(status="approved").count() == 5


def test_a_running_import_shows_its_progress(page: Page, live_server, log_in, secretariat, screenshot_dir):
    """A job the worker has only begun: the bar, the phase and the rows, kept up to date by the
    page's script from the progress JSON (the CSP allows it: no inline script)."""
    from exchange.services.import_jobs import import_job_advance, import_job_create

    job = import_job_create(
        content=(FIXTURES / "legacy_benchmarkings_valid.csv").read_bytes(), filename="history.csv",
        user=secretariat, ask=False,
    )  # fmt: skip
    import_job_advance(job.pk)  # the rows stored; the check not begun
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    log_in(page, secretariat)
    for width, height, name in ((1280, 900, "desktop"), (390, 844, "phone")):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server.url}/imports/legacy/{job.pk}/")
        expect(page.get_by_role("progressbar")).to_be_visible()
        expect(page.locator("[data-counts]")).to_contain_text("0 of 5 rows")
        import_job_advance(job.pk)  # a step of the worker: the script shows it without a reload
        expect(page.locator("[data-counts]")).to_contain_text("5 of 5 rows")
        page.screenshot(path=os.path.join(screenshot_dir, f"exchange_import_progress_{name}.png"), full_page=True)
        job.refresh_from_db()
        job.phase, job.done, job.position = "checking", 0, ""
        job.save()
    assert errors == []
