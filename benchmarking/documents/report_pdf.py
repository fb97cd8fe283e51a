"""The PDF of an issued report: rendered once, then served from the stored file.

An issued report never changes (a re-issue is a new report with its own code), so its PDF
is rendered with WeasyPrint on the first request (a few seconds) and kept in the site's
storage (STORAGES["default"]: this server's MEDIA_ROOT, or the database every app server
shares) as reports/<code>-<language>-<fingerprint>.pdf; later requests, on any server that
shares the storage, read it. The fingerprint (of the issue time) keeps a
report that reuses a code after a restore from an older backup from ever getting another
report's file. The storages write a file whole under its name, so a concurrent request never
reads half a PDF. The files need no backup: a missing one is rendered again from the snapshot
in the database.
"""

import hashlib
import json
import re
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import translation

from benchmarking.models import Report
from benchmarking.report_layout import laid_out

STATIC_DIR = Path(settings.BASE_DIR) / "static"
SAFE_CODE = re.compile(r"^[A-Za-z0-9_-]+$")


def _language(language: str | None) -> str:
    """One of the site's languages (the PDF is stored once per language)."""
    return translation.get_supported_language_variant(language or settings.LANGUAGE_CODE)


def report_pdf_name(report: Report, language: str | None = None) -> str:
    """The PDF's name in the storage."""
    if not SAFE_CODE.match(report.code):  # the code becomes a file name
        raise ValueError(f"Report code {report.code!r} cannot name a file.")
    language = _language(language)
    # Not the snapshot: the stored file is found without reading the report's document.
    content = json.dumps([report.code, report.issued_at.isoformat(), language])
    fingerprint = hashlib.sha256(content.encode()).hexdigest()[:16]
    return f"reports/{report.code}-{language}-{fingerprint}.pdf"


def report_pdf_stored(report: Report, language: str | None = None) -> File:
    """The report's PDF in `language`, open for reading from the storage, rendered and stored
    first if this is the first request in that language."""
    name = report_pdf_name(report, language)
    try:
        return default_storage.open(name, "rb")
    except FileNotFoundError:
        _store(name, render_pdf(report_pdf_html(report, language)))
        return default_storage.open(name, "rb")


def report_pdf_html(report: Report, language: str | None = None) -> str:
    # No request: the PDF is the same for every reader of a language, so one stored copy serves them all.
    language = _language(language)
    if report.get_deferred_fields() & set(Report.DOCUMENT_FIELDS):  # read only to render
        report = Report.objects.get(pk=report.pk)
    with translation.override(language):
        context = {"report": report, "r": laid_out(report.snapshot_in(language))}
        return render_to_string("benchmarking/reports/pdf.html", context)


def _store(name: str, pdf: bytes) -> None:
    saved = default_storage.save(name, ContentFile(pdf))
    if saved != name:  # another first request stored the same bytes meanwhile: keep theirs
        default_storage.delete(saved)


def render_pdf(html: str) -> bytes:
    # Imported here: loading pango is slow and only PDFs need it.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    class StaticFilesOnly(URLFetcher):
        """The report's stylesheet comes from the static directory on disk, never from the network;
        a missing file stops the rendering instead of producing an unstyled PDF."""

        def __init__(self):
            super().__init__(allowed_protocols={"file"}, fail_on_errors=True)

        def fetch(self, url, headers=None):
            path = Path(url.removeprefix("file://").split("?")[0]).resolve()
            if STATIC_DIR.resolve() not in path.parents:
                raise ValueError(f"The report PDF reads static files only, not {url}")
            return super().fetch(url, headers)

    return HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=StaticFilesOnly()).write_pdf()
