"""The PDF's layout (issue 27): headings stay with what follows them and no page holds a line or
two spilled over from the page before. Read with pdftotext (poppler-utils), page by page."""

import shutil
import subprocess
from decimal import Decimal

import pytest

from benchmarking.documents.report_pdf import render_pdf, report_pdf_html
from benchmarking.services.reports import report_issue
from clusters.models import ComparativePortfolio
from tests import factories

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"),
]

# The running head (report code and cluster) and the foot (page number, initiative) are on every page.
MARGIN_LINES = ("Page ", "European Cluster Excellence Initiative")
FEWEST_LINES = 6  # of content on any page after the cover


@pytest.fixture
def v1_report(reference_data):
    """A v1 report with its peers (charts and tables in every category), in English."""
    ict = ComparativePortfolio.objects.get(slug="ict")
    for n in range(8):
        factories.approved_interview(cluster=factories.ClusterFactory(portfolio=ict), seed=n, maturity=0.2 + n / 10)
    cluster = factories.ClusterFactory(portfolio=ict, name="Bavarian Software Cluster")
    interview = factories.approved_interview(cluster=cluster, seed=42, values={"B4": Decimal("1.5")})
    return report_issue(interview=interview, user=None)


def pages_of(pdf: bytes, tmp_path) -> list[list[str]]:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [[line for line in page.splitlines() if line.strip()] for page in text.split("\f")[:-1]]


def content_lines(page: list[str], report) -> list[str]:
    return [
        line for line in page
        if not any(mark in line for mark in MARGIN_LINES) and not line.strip().startswith(report.code)
    ]  # fmt: skip


def test_no_page_of_the_pdf_is_nearly_empty(v1_report, tmp_path):
    pages = pages_of(render_pdf(report_pdf_html(v1_report, "en-gb")), tmp_path)
    counts = {number: len(content_lines(page, v1_report)) for number, page in enumerate(pages, start=1)}
    print(f"\nPDF: {len(pages)} pages, content lines per page: {counts}")
    nearly_empty = {number: count for number, count in counts.items() if number > 1 and count < FEWEST_LINES}
    for number in nearly_empty:
        before, page = pages[number - 2][-6:], pages[number - 1]
        print(f"--- page {number - 1} ends:", *before, f"--- page {number}:", *page, sep="\n")
    assert nearly_empty == {}, f"pages with fewer than {FEWEST_LINES} lines: {nearly_empty}"


def test_no_page_ends_with_a_heading(v1_report, tmp_path):
    """An indicator's heading ("A4 Number of ...") is never the last line of a page."""
    pages = pages_of(render_pdf(report_pdf_html(v1_report, "en-gb")), tmp_path)
    codes = [f"{category}{n}" for category in "ABCDEF" for n in range(1, 11)]
    stranded = []
    for number, page in enumerate(pages, start=1):
        lines = content_lines(page, v1_report)
        if lines and lines[-1].split()[0] in codes and "This cluster" not in lines[-1]:
            stranded.append((number, lines[-1].strip()))
    assert stranded == []
