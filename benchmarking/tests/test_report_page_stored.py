"""The report page is rendered once per report and language and then served from the storage
(documents/report_page.py); a re-issue is a new report with a page of its own. The PDF view finds
a stored PDF without reading the report's document."""

import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarking.documents.report_page import report_page_name
from benchmarking.documents.report_pdf import report_pdf_name
from benchmarking.services.reports import report_issue
from ecei_site.shared_state import file_storage_config
from tests import factories


@pytest.fixture(params=["local", "database"])
def storage(request, settings):
    settings.STORAGES = {**settings.STORAGES, "default": file_storage_config(request.param)}
    return request.param


@pytest.fixture
def report(reference_data, staff_user):
    return report_issue(interview=factories.approved_interview(), user=staff_user)


def _page(client, report, language="en-gb") -> str:
    response = client.get(report.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def _replace(name: str, change) -> None:
    with default_storage.open(name, "rb") as file:
        stored = json.loads(file.read())
    default_storage.delete(name)
    default_storage.save(name, ContentFile(json.dumps(change(stored)).encode()))


def test_the_first_request_stores_the_page_and_later_ones_serve_it(client, report, staff_user, storage):
    client.force_login(staff_user)
    name = report_page_name(report, "en-gb")
    assert not default_storage.exists(name)

    first = _page(client, report)
    assert default_storage.exists(name)
    assert report.code in first and "Hyndman and Fan type 7" in first

    # Prove the next answer is the stored page, not a new rendering: change the file, not the report.
    _replace(name, lambda page: {**page, "body": page["body"] + "<p>stored body</p>"})
    again = _page(client, report)
    assert "<p>stored body</p>" in again
    assert "Re-issue with today&#x27;s groups" in again or "Re-issue with today's groups" in again  # the reader's part


def test_each_language_has_its_own_stored_page(client, report, staff_user):
    client.force_login(staff_user)
    english, spanish = _page(client, report, "en-gb"), _page(client, report, "es")

    assert report_page_name(report, "en-gb") != report_page_name(report, "es")
    assert default_storage.exists(report_page_name(report, "es"))
    assert "Individual benchmarking report" in english and "Individual benchmarking report" not in spanish


def test_a_reissue_is_a_new_page_and_the_old_one_is_kept(client, report, staff_user, storage):
    client.force_login(staff_user)
    _page(client, report)
    _replace(report_page_name(report, "en-gb"), lambda page: {**page, "body": "<p>the old page</p>"})

    reissued = report_issue(interview=report.interview, user=staff_user)

    assert report_page_name(reissued, "en-gb") != report_page_name(report, "en-gb")
    new = _page(client, reissued)
    assert reissued.code in new and "<p>the old page</p>" not in new and "Hyndman and Fan type 7" in new
    assert "<p>the old page</p>" in _page(client, report)  # an issued report never changes


def test_a_stored_pdf_is_found_without_reading_the_report(client, report, staff_user):
    client.force_login(staff_user)
    url = reverse("benchmarking:report_pdf", args=[report.code])
    default_storage.save(report_pdf_name(report), ContentFile(b"%PDF stored"))

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert b"".join(response.streaming_content) == b"%PDF stored"
    report_reads = [q["sql"] for q in queries if 'FROM "benchmarking_report"' in q["sql"]]
    assert report_reads and not [sql for sql in report_reads if '"snapshot"' in sql or '"translations"' in sql]
