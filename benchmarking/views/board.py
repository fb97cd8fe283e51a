"""The EUCLES board's screens: the recommendations waiting (decided in a batch), one
recommendation with the interview's summary, and the decisions taken. Rules: services/board.py."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from benchmarking.forms.board import BoardBatchForm, BoardDecisionUndoForm
from benchmarking.models import LabelRecommendation
from benchmarking.permissions import board_required, secretariat_required
from benchmarking.rules.board import board_decision_refusal, board_decision_refusals
from benchmarking.selectors.board import (
    pending_recommendations,
    recent_decisions,
    recommendation_for_board,
    with_eligibility,
)
from benchmarking.selectors.interviews import interview_sheet, interview_summary
from benchmarking.services.board import BatchRefused, BoardError, board_decide
from benchmarking.services.board_undo import board_decision_undo, board_decision_undo_refusal


@board_required
@require_http_methods(["GET", "POST"])
def board_pending(request):
    """The recommendations waiting, each with its eligibility; one date and meeting for the batch."""
    recommendations = list(pending_recommendations())
    form = BoardBatchForm(
        request.POST or None,
        recommendations=recommendations,
        initial={"decided_on": timezone.localdate()},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                decided = board_decide(
                    decisions=form.decisions,
                    decided_on=form.cleaned_data["decided_on"],
                    meeting=form.cleaned_data["meeting"],
                    user=request.user,
                )
            except BatchRefused as exc:
                form.add_refusals(meeting=exc.meeting, lines=exc.lines)
            else:
                count = len(decided)
                messages.success(
                    request,
                    ngettext(
                        "%(count)d decision of the board is recorded.",
                        "%(count)d decisions of the board are recorded.",
                        count,
                    )
                    % {"count": count},
                )
                return redirect("benchmarking:board_decided")
        status = 400
    rows = with_eligibility(recommendations)
    refusals = board_decision_refusals(user=request.user, recommendations=recommendations)  # shown before they try
    fields = {r.pk: (form[f"decision_{r.pk}"], form[f"note_{r.pk}"]) for r in recommendations}
    context = {
        "form": form,
        "rows": [(row, *fields[row.recommendation.pk], refusals.get(row.recommendation.pk)) for row in rows],
    }
    return render(request, "benchmarking/board/pending.html", context, status=status)


@board_required
@require_GET
def board_recommendation(request, pk):
    """One recommendation with everything behind it: eligibility and the interview's answers."""
    recommendation = recommendation_for_board(pk)
    row = with_eligibility([recommendation])[0]
    interview = recommendation.interview
    summary = interview_summary(interview_sheet(interview)) if interview else []
    context = {
        "row": row,
        "recommendation": recommendation,
        "summary": summary,
        "refusal": board_decision_refusal(user=request.user, recommendation=recommendation),
        "history": recommendation.history.select_related("history_user").order_by("-history_date"),
    }
    return render(request, "benchmarking/board/recommendation.html", context)


@board_required
@require_GET
def board_decided(request):
    return render(request, "benchmarking/board/decided.html", {"decisions": recent_decisions()})


@secretariat_required
@require_http_methods(["GET", "POST"])
def board_decision_undo_view(request, pk):
    """The secretariat undoes a decision of the board taken in error, with a reason."""
    recommendation = get_object_or_404(
        LabelRecommendation.objects.select_related("cluster", "label", "interview", "decided_by"), pk=pk
    )
    refusal = board_decision_undo_refusal(user=request.user, recommendation=recommendation)
    form = BoardDecisionUndoForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 409 if refusal else 400
        if not refusal and form.is_valid():
            try:
                board_decision_undo(
                    recommendation=recommendation, reason=form.cleaned_data["reason"], user=request.user
                )
            except BoardError as exc:
                form.add_error(None, str(exc))
                status = 409
            else:
                messages.success(
                    request, _("The board's decision is undone: the recommendation waits for the board again.")
                )
                if recommendation.interview_id:
                    return redirect("benchmarking:review_interview", pk=recommendation.interview_id)
                return redirect("benchmarking:cluster_labels", pk=recommendation.cluster_id)
    context = {"recommendation": recommendation, "form": form, "refusal": refusal}
    return render(request, "benchmarking/board/undo.html", context, status=status)
