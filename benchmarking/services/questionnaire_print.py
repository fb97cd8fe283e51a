"""The blank questionnaire of an interview's catalogue version, to print or download as PDF
(issue 16), for managers who prepare on paper. Rendered in the reader's language."""

from django.template.loader import render_to_string
from django.utils import translation

from benchmarking.models import Answer, Interview
from benchmarking.selectors.interviews import interview_sheet
from benchmarking.services.report_pdf import render_pdf


def questionnaire_context(interview: Interview) -> dict:
    sheet = interview_sheet(interview)
    return {
        "interview": interview,
        "catalogue": interview.catalogue,
        "steps": [(category, sheet.indicators_of(category)) for category in sheet.categories],
        "reasons": Answer.MissingReason.choices,
    }


def questionnaire_pdf(interview: Interview, language: str) -> bytes:
    """The PDF, rendered on request: a few pages, and no answers in it to keep."""
    with translation.override(language):
        html = render_to_string("benchmarking/questionnaire/pdf.html", questionnaire_context(interview))
    return render_pdf(html)
