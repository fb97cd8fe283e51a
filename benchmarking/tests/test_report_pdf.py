"""The PDF of an issued report is rendered once and stored; later requests serve the stored file."""

import datetime

import pytest
from django.urls import reverse

from benchmarking.models import Report
from benchmarking.services.report_pdf import report_pdf_path
from benchmarking.services.reports import report_issue
from tests import factories


@pytest.fixture
def report(reference_data, staff_user):
    return report_issue(interview=factories.approved_interview(), user=staff_user)


def _pdf(client, report) -> bytes:
    response = client.get(reverse("benchmarking:report_pdf", args=[report.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="ECEI-report-{report.code}.pdf"'
    return b"".join(response.streaming_content)


def test_the_first_request_stores_the_pdf_and_later_ones_serve_the_stored_file(client, report, staff_user):
    client.force_login(staff_user)
    path = report_pdf_path(report)
    assert not path.exists()

    first = _pdf(client, report)
    assert first.startswith(b"%PDF") and path.read_bytes() == first

    # Prove the second answer is the file, not a new rendering: change the file, not the report.
    path.write_bytes(first + b"%stored")
    assert _pdf(client, report) == first + b"%stored"
    assert [p.name for p in path.parent.iterdir()] == [path.name], "no temporary file is left behind"


def test_a_reissued_report_gets_its_own_file(client, report, staff_user):
    client.force_login(staff_user)
    _pdf(client, report)
    reissued = report_issue(interview=report.interview, user=staff_user)
    _pdf(client, reissued)
    assert report_pdf_path(reissued) != report_pdf_path(report)
    assert report_pdf_path(report).exists() and report_pdf_path(reissued).exists()


def test_the_stored_file_is_still_only_for_those_who_may_read_the_report(client, report, staff_user, plain_user):
    client.force_login(staff_user)
    _pdf(client, report)
    client.force_login(plain_user)
    assert client.get(reverse("benchmarking:report_pdf", args=[report.code])).status_code == 404
    client.logout()
    assert client.get(reverse("benchmarking:report_pdf", args=[report.code])).status_code == 302


def test_a_code_reused_after_a_restore_never_gets_the_older_report_s_file(report):
    """A restore from an older backup can hand a code out again, to a different report."""
    other = Report(code=report.code, issued_at=report.issued_at + datetime.timedelta(days=1), snapshot=report.snapshot)
    assert report_pdf_path(other) != report_pdf_path(report)


def test_a_code_that_cannot_name_a_file_is_refused(report):
    with pytest.raises(ValueError, match="cannot name a file"):
        report_pdf_path(Report(code="../../etc/passwd", issued_at=report.issued_at, snapshot={}))
