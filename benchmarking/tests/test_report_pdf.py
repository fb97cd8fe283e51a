"""The PDF of an issued report is rendered once and stored; later requests serve the stored file,
read back through the site's storage (this server's disk, or the database every server shares)."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from benchmarking.documents.report_pdf import report_pdf_name
from benchmarking.models import Report
from benchmarking.services.reports import report_issue
from ecei_site.models import StoredFile
from ecei_site.shared_state import file_storage_config
from tests import factories


@pytest.fixture(params=["local", "database"])
def storage(request, settings):
    """FILE_STORAGE: each test runs with the PDFs on this server's disk and in the database."""
    settings.STORAGES = {**settings.STORAGES, "default": file_storage_config(request.param)}
    return request.param


@pytest.fixture
def report(reference_data, staff_user):
    return report_issue(interview=factories.approved_interview(), user=staff_user)


def _pdf(client, report) -> bytes:
    response = client.get(reverse("benchmarking:report_pdf", args=[report.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="ECEI-report-{report.code}.pdf"'
    return b"".join(response.streaming_content)


def _stored(name: str) -> bytes:
    with default_storage.open(name) as file:
        return file.read()


def test_the_first_request_stores_the_pdf_and_later_ones_serve_the_stored_file(
    client, report, staff_user, storage, settings
):
    client.force_login(staff_user)
    name = report_pdf_name(report)
    assert not default_storage.exists(name)

    first = _pdf(client, report)
    assert first.startswith(b"%PDF") and _stored(name) == first

    # Prove the second answer is the stored file, not a new rendering: change the file, not the report.
    default_storage.delete(name)
    default_storage.save(name, ContentFile(first + b"%stored"))
    assert _pdf(client, report) == first + b"%stored"
    assert default_storage.listdir("reports") == ([], [name.removeprefix("reports/")]), "nothing else is left"

    on_disk = settings.MEDIA_ROOT / name
    if storage == "database":  # not on this server's disk: any server that shares the database reads it
        assert not on_disk.exists() and StoredFile.objects.get(name=name).size == len(first) + len(b"%stored")
    else:
        assert on_disk.read_bytes() == first + b"%stored" and on_disk.stat().st_mode & 0o777 == 0o640


def test_a_reissued_report_gets_its_own_file(client, report, staff_user, storage):
    client.force_login(staff_user)
    _pdf(client, report)
    reissued = report_issue(interview=report.interview, user=staff_user)
    _pdf(client, reissued)
    assert report_pdf_name(reissued) != report_pdf_name(report)
    assert default_storage.exists(report_pdf_name(report)) and default_storage.exists(report_pdf_name(reissued))


def test_two_first_requests_at_once_leave_one_file(report, storage):
    """The second to store finds the name taken (the unique name, or the link into place): its copy goes."""
    from benchmarking.documents.report_pdf import _store

    name = report_pdf_name(report)
    _store(name, b"%PDF first")
    _store(name, b"%PDF second")
    assert _stored(name) == b"%PDF first"
    assert default_storage.listdir("reports")[1] == [name.removeprefix("reports/")]


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
    assert report_pdf_name(other) != report_pdf_name(report)


def test_a_code_that_cannot_name_a_file_is_refused(report):
    with pytest.raises(ValueError, match="cannot name a file"):
        report_pdf_name(Report(code="../../etc/passwd", issued_at=report.issued_at, snapshot={}))
