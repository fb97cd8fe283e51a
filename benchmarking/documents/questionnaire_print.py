"""The questionnaire of an interview's catalogue version, to print or download as PDF
(issue 16), for managers who prepare on paper. Rendered in the reader's language.

When the manager has proposed answers, they are printed into it (values on the lines and in
the tables, boxes ticked, comments below the question); an indicator without a proposal
stays blank, and so does the whole form before the manager proposes anything.
"""

from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import translation

from benchmarking.documents.report_pdf import render_pdf
from benchmarking.kinds import kind_of
from benchmarking.models import Answer, Indicator, Interview, Proposal
from benchmarking.selectors.interviews import interview_sheet
from benchmarking.selectors.questionnaire import proposals_by_indicator


@dataclass
class PrintedItem:
    """One question of the printed form, filled with the manager's proposal where there is one."""

    indicator: Indicator
    proposal: Proposal | None = None
    value: str = ""  # a number, on the line
    parts: list[tuple[str, str]] = field(default_factory=list)  # (part, value or "")
    options: list[tuple[str, bool]] = field(default_factory=list)  # (option, ticked)
    yes_no: list[tuple[str, bool]] = field(default_factory=list)
    reasons: list[tuple[str, bool]] = field(default_factory=list)

    @property
    def comment(self) -> str:
        return self.proposal.comment if self.proposal else ""


def printed_item(indicator: Indicator, proposal: Proposal | None) -> PrintedItem:
    if proposal is not None and not (proposal.is_answered or proposal.comment):
        proposal = None
    p = proposal
    parts = (p.parts if p else None) or {}
    selected = set((p.selected if p else None) or []) | ({p.choice} if p and p.choice else set())
    item = PrintedItem(indicator=indicator, proposal=p)
    if p is not None and p.number is not None:
        item.value = kind_of(indicator).written(p.number)
    # What the kind's sheet (its sheet_template) prints: a number per part, or the options ticked.
    if kind_of(indicator).has_parts:
        item.parts = [(label, kind_of(indicator).written(parts.get(key))) for key, label in indicator.option_choices()]
    else:
        item.options = [(label, key in selected) for key, label in indicator.option_choices()]
    boolean = p.boolean if p else None
    item.yes_no = [(translation.gettext("Yes"), boolean is True), (translation.gettext("No"), boolean is False)]
    reason = p.missing_reason if p else ""
    item.reasons = [(label, value == reason) for value, label in Answer.MissingReason.choices]
    return item


def questionnaire_context(interview: Interview) -> dict:
    sheet = interview_sheet(interview)
    proposals = proposals_by_indicator(interview)
    steps = [
        (category, [printed_item(i, proposals.get(i.pk)) for i in sheet.indicators_of(category)])
        for category in sheet.categories
    ]
    proposed = [item.proposal for _category, items in steps for item in items if item.proposal]
    return {
        "interview": interview,
        "catalogue": interview.catalogue,
        "steps": steps,
        "proposed": len(proposed),
        "proposed_at": max((p.updated_at for p in proposed), default=None),
    }


def questionnaire_pdf(interview: Interview, language: str) -> bytes:
    """The PDF, rendered on request (a few pages; proposals change until the interview)."""
    with translation.override(language):
        html = render_to_string("benchmarking/questionnaire/pdf.html", questionnaire_context(interview))
    return render_pdf(html)
