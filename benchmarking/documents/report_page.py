"""The report page's HTML, rendered once per report and language, then served from the storage.

An issued report never changes (a re-issue is a new report with its own code), and its page was
rebuilt on every request: 565 KiB of HTML, 122-131 ms, its chart layout and template rendering
(issue 30). As its PDF (documents/report_pdf.py), the parts of the page that are the same for
every reader of a language (the facts, the contents, the report itself: everything the snapshot
gives) are rendered on the first request and kept in the site's storage as
reports/<code>-<language>-<fingerprint>.html.json; the parts that are the reader's (the buttons,
the re-issue form with its CSRF token) and the site's frame are rendered per request.

The fingerprint is of the report (code, issue time: a code reused after a restore never gets
another report's page) and of what renders it (the templates, the chart layout, the translations):
a release that changes them renders the pages again, the files left behind need no backup.
"""

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import translation

from benchmarking.documents.report_pdf import SAFE_CODE
from benchmarking.models import Report
from benchmarking.report_layout import laid_out

PART = "<!--ecei:part-->"
RENDERED_BY = [
    "templates/benchmarking/reports/_stored_page.html",
    "templates/benchmarking/reports/_report.html",
    "benchmarking/charts.py",
    "benchmarking/report_layout.py",
    "benchmarking/templatetags/figures.py",
    "locale/de/LC_MESSAGES/django.po",
    "locale/es/LC_MESSAGES/django.po",
]


@dataclass(frozen=True)
class StoredPage:
    cluster_name: str
    facts: str
    contents: str
    body: str


@cache
def _renderer_fingerprint() -> str:
    digest = hashlib.sha256()
    for name in RENDERED_BY:
        digest.update((Path(settings.BASE_DIR) / name).read_bytes())
    return digest.hexdigest()[:16]


def report_page_name(report: Report, language: str) -> str:
    """The stored page's name; reads only the report's code and issue time (not its snapshot)."""
    if not SAFE_CODE.match(report.code):
        raise ValueError(f"Report code {report.code!r} cannot name a file.")
    language = translation.get_supported_language_variant(language)
    content = json.dumps([report.code, report.issued_at.isoformat(), language, _renderer_fingerprint()])
    return f"reports/{report.code}-{language}-{hashlib.sha256(content.encode()).hexdigest()[:16]}.html.json"


def report_page_stored(report: Report, language: str) -> StoredPage:
    """The report's page parts in `language`: read from the storage, or rendered from the
    snapshot and stored first. `report` may come without its document (Report.DOCUMENT_FIELDS
    deferred): it is read only when the page is rendered."""
    name = report_page_name(report, language)
    try:
        with default_storage.open(name, "rb") as file:
            return StoredPage(**json.loads(file.read()))
    except FileNotFoundError:
        page = _render(report, language)
        saved = default_storage.save(name, ContentFile(json.dumps(page.__dict__).encode()))
        if saved != name:  # another first request stored the same page meanwhile: keep theirs
            default_storage.delete(saved)
        return page


def _render(report: Report, language: str) -> StoredPage:
    language = translation.get_supported_language_variant(language)
    if report.get_deferred_fields() & set(Report.DOCUMENT_FIELDS):
        report = Report.objects.select_related("interview__cluster").get(pk=report.pk)
    with translation.override(language):
        r = laid_out(report.snapshot_in(language))
        facts, contents, body = render_to_string(
            "benchmarking/reports/_stored_page.html", {"report": report, "r": r}
        ).split(PART)
        return StoredPage(cluster_name=str(r["cluster"]["name"]), facts=facts, contents=contents, body=body)
