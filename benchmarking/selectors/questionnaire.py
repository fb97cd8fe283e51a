"""Reads for the questionnaire in advance (issue 16): the manager's access, their proposals,
and the proposals shown beside the expert's fields."""

import json
from dataclasses import dataclass

from django.http import Http404

from benchmarking.models import ManagerInvitation, Proposal
from benchmarking.selectors.interviews import InterviewSheet, format_answer, get_interview_for_user, interview_sheet


def get_invitation_for_manager(user, pk) -> ManagerInvitation:
    """The standing invitation that links `user` to interview `pk`. Else 404: the manager sees
    that interview's questionnaire and nothing else."""
    if not user.is_authenticated:
        raise Http404("No such questionnaire.")
    invitations = ManagerInvitation.objects.select_related(
        "interview__cluster", "interview__catalogue", "interview__expert__user"
    )
    invitation = invitations.filter(interview_id=pk, manager=user, revoked_at__isnull=True).first()
    if invitation is None:
        raise Http404("No such questionnaire.")
    return invitation


def get_questionnaire_interview_for_user(user, pk):
    """The interview whose blank questionnaire `user` may print: its expert, the secretariat,
    or its invited manager. Else 404."""
    try:
        return get_interview_for_user(user, pk)
    except Http404:
        return get_invitation_for_manager(user, pk).interview


def manager_questionnaires(user) -> list[ManagerInvitation]:
    """The questionnaires `user` took up and still holds (not revoked), newest interview first:
    "My cluster" points to them."""
    if not user.is_authenticated:
        return []
    return list(
        ManagerInvitation.objects.filter(manager=user, revoked_at__isnull=True)
        .select_related("interview__cluster", "interview__expert__user")
        .order_by("-interview__date", "-pk")
    )


def live_invitation(interview) -> ManagerInvitation | None:
    return interview.invitations.filter(revoked_at__isnull=True).select_related("manager").first()


def proposal_sheet(interview) -> InterviewSheet:
    """The interview's sheet with the manager's proposals in the place of the answers, for
    the manager's step forms (four queries)."""
    sheet = interview_sheet(interview)
    sheet.answers = proposals_by_indicator(interview)
    return sheet


def proposals_by_indicator(interview) -> dict[int, Proposal]:
    return {p.indicator_id: p for p in Proposal.objects.filter(interview=interview)}


@dataclass
class ShownProposal:
    """A proposal beside the expert's field: its words, and the input values that accept it."""

    display: str
    comment: str
    inputs: str  # JSON: {input name: value or list of values}
    matches_answer: bool


def shown_proposals(step, proposals: dict[int, Proposal]) -> dict[str, ShownProposal]:
    """The answered proposals of a step's indicators, by indicator code."""
    shown = {}
    for form in step.forms:
        proposal = proposals.get(form.indicator.pk)
        if proposal is None or not proposal.is_answered:
            continue
        initial = form.initial_from(proposal)
        inputs = {form.add_prefix(name): _input_value(value) for name, value in initial.items() if name != "comment"}
        answer = step.sheet.answers.get(form.indicator.pk)
        display = format_answer(form.indicator, proposal)
        shown[form.indicator.code] = ShownProposal(
            display=display,
            comment=proposal.comment,
            inputs=json.dumps(inputs),
            matches_answer=answer is not None and format_answer(form.indicator, answer) == display,
        )
    return shown


def _input_value(value):
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return str(value)


@dataclass
class SummaryProposal:
    """A proposal on the summary page: its words, the manager's comment, and whether the
    expert's answer says the same (None: not answered yet)."""

    display: str
    comment: str
    matches_answer: bool | None


def with_proposals(summary, interview) -> int:
    """Put the manager's proposals beside the rows of `summary` (interview_summary) that have
    one (one query); return how many rows have one."""
    proposals = proposals_by_indicator(interview)
    shown = 0
    for _category, rows in summary:
        for row in rows:
            proposal = proposals.get(row.indicator.pk)
            if proposal is None or not (proposal.is_answered or proposal.comment):
                continue
            display = format_answer(row.indicator, proposal)
            matches = (row.display == display) if row.is_answered else None
            row.proposal = SummaryProposal(display=display, comment=proposal.comment, matches_answer=matches)
            shown += 1
    return shown
