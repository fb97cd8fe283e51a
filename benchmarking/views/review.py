"""The secretariat's review: the queue, the review page and the four decisions.

Each decision has its own page, which is the confirmation step: it says what will happen
(the label approval creates, who is e-mailed) before the POST does it.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from activity.selectors import interview_timeline
from activity.views import timeline_for
from benchmarking.forms.review import ApproveForm, EligibilityFactsForm, RejectForm, ReopenForm, ReturnForm
from benchmarking.models import Interview
from benchmarking.permissions import is_own_interview, secretariat_required
from benchmarking.rules.eligibility import eligibility
from benchmarking.rules.people import reviewer_refusal
from benchmarking.selectors.interviews import interview_sheet, interview_summary
from benchmarking.selectors.review import approval_preview, recently_decided, review_queue
from benchmarking.services.board_undo import board_decision_undo_refusal
from benchmarking.services.eligibility import FACT_FIELDS, EligibilityError, eligibility_facts_record
from benchmarking.services.review import (
    ReviewError,
    interview_approve,
    interview_reject,
    interview_reopen,
    interview_return,
)

TABS = {"queue": gettext_lazy("Awaiting review"), "decided": gettext_lazy("Returned and recently decided")}


def _interview(pk) -> Interview:
    return get_object_or_404(Interview.objects.select_related("cluster", "expert__user", "catalogue"), pk=pk)


def _decidable(request, pk, *, status: str) -> Interview:
    """The interview, if it is in `status` and the user did not conduct it (four eyes)."""
    interview = _interview(pk)
    if is_own_interview(request.user, interview):
        raise PermissionDenied("You conducted this interview; another member of the secretariat must decide.")
    if interview.status != status:
        messages.error(request, f"This interview is {interview.get_status_display().lower()}; that is not possible.")
    return interview


@secretariat_required
@require_GET
def review_queue_view(request):
    tab = request.GET.get("tab") if request.GET.get("tab") in TABS else "queue"
    interviews = review_queue() if tab == "queue" else recently_decided()
    return render(request, "benchmarking/review/queue.html", {"interviews": interviews, "tab": tab, "tabs": TABS})


@secretariat_required
@require_GET
def review_interview(request, pk):
    """Everything the reviewer judges on: answers and accepted warnings, eligibility, the label;
    and, beside each answer, a box for a comment to return the interview with."""
    return _review_page(request, _interview(pk))


def _facts_form(cluster, data=None) -> EligibilityFactsForm:
    initial = {name: getattr(cluster, name) for name in FACT_FIELDS} | {"stamp": cluster.updated_at.isoformat()}
    return EligibilityFactsForm(data, initial=initial)


def _review_page(request, interview, *, rows=None, return_form=None, facts_form=None, status: int = 200):
    rows = rows if rows is not None else interview_summary(interview_sheet(interview))
    criteria = eligibility(interview)
    own = is_own_interview(request.user, interview)
    refusal = reviewer_refusal(user=request.user, interview=interview)  # four eyes, conflicts of interest
    may_return = interview.status == Interview.Status.SUBMITTED and refusal is None
    if may_return and return_form is None:
        return_form = ReturnForm(rows=rows, initial={"version": interview.version})
    # Each answer with its comment box (None when the interview cannot be returned).
    boxes = [
        (category, [(row, return_form[f"on_{row.indicator.code}"] if may_return else None) for row in category_rows])
        for category, category_rows in rows
    ]
    context = {
        "interview": interview,
        "timeline": timeline_for(request, interview_timeline(interview)),
        "summary": boxes,
        "return_form": return_form if may_return else None,
        "criteria": criteria,
        "eligible": all(c.met for c in criteria),
        "preview": approval_preview(interview) if interview.status == Interview.Status.SUBMITTED else None,
        "own": own,
        "refusal": refusal,
        "labels": interview.labels.all(),
        "recommendations": [
            (r, board_decision_undo_refusal(user=request.user, recommendation=r) is None)
            for r in interview.label_recommendations.select_related("decided_by", "label")
        ],
        "facts_form": None if refusal else (facts_form or _facts_form(interview.cluster)),
    }
    return render(request, "benchmarking/review/interview.html", context, status=status)


def _decision_page(request, interview, form, *, template: str, status: int = 200, **extra):
    context = {"interview": interview, "form": form, **extra}
    return render(request, f"benchmarking/review/{template}", context, status=status)


def _refused(request, interview, form, exc: ReviewError, template: str, **extra):
    form.add_error(None, str(exc))
    return _decision_page(request, interview, form, template=template, status=409, **extra)


@secretariat_required
@require_http_methods(["GET", "POST"])
def review_approve(request, pk):
    interview = _decidable(request, pk, status=Interview.Status.SUBMITTED)
    extra = {"preview": approval_preview(interview), "criteria": eligibility(interview)}
    form = ApproveForm(request.POST or None, initial={"version": interview.version})
    if request.method == "POST" and form.is_valid():
        try:
            approval = interview_approve(
                interview=interview, user=request.user, expected_version=form.cleaned_data["version"]
            )
        except ReviewError as exc:
            return _refused(request, interview, form, exc, "approve.html", **extra)
        if approval.reinstated:
            messages.success(
                request, _("Approved again: the label %(code)s is reinstated.") % {"code": approval.reinstated.code}
            )
            return redirect("benchmarking:label_staff", code=approval.reinstated.code)
        messages.success(
            request,
            _(
                "Approved. The report is being issued and mailed; the %(level)s label is recommended to the "
                "EUCLES board."
            )
            % {"level": approval.recommendation.get_level_display()},
        )
        return redirect("benchmarking:review_interview", pk=interview.pk)
    return _decision_page(request, interview, form, template="approve.html", **extra)


@secretariat_required
@require_http_methods(["GET", "POST"])
def review_return(request, pk):
    """Return with the comments written beside the answers on the review page, in one step."""
    interview = _decidable(request, pk, status=Interview.Status.SUBMITTED)
    rows = interview_summary(interview_sheet(interview))
    if request.method == "GET":
        return _review_page(request, interview, rows=rows)
    form = ReturnForm(request.POST, rows=rows, initial={"version": interview.version})
    if form.is_valid():
        try:
            interview_return(
                interview=interview,
                user=request.user,
                comment=form.cleaned_data["comment"],
                answer_comments=form.answer_comments,
                expected_version=form.cleaned_data["version"],
            )
        except ReviewError as exc:
            form.add_error(None, str(exc))
            return _review_page(request, interview, rows=rows, return_form=form, status=409)
        messages.success(request, f"Returned to {interview.expert}, who has been e-mailed.")
        return redirect("benchmarking:review_queue")
    return _review_page(request, interview, rows=rows, return_form=form)


@secretariat_required
@require_http_methods(["GET", "POST"])
def review_reject(request, pk):
    interview = _decidable(request, pk, status=Interview.Status.SUBMITTED)
    form = RejectForm(request.POST or None, initial={"version": interview.version})
    if request.method == "POST" and form.is_valid():
        try:
            interview_reject(
                interview=interview,
                user=request.user,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except ReviewError as exc:
            return _refused(request, interview, form, exc, "reject.html")
        messages.success(request, f"Rejected. {interview.expert} has been e-mailed.")
        return redirect("benchmarking:review_queue")
    return _decision_page(request, interview, form, template="reject.html")


@secretariat_required
@require_http_methods(["GET", "POST"])
def review_reopen(request, pk):
    interview = _interview(pk)
    if interview.status != Interview.Status.APPROVED:
        messages.error(request, "Only an approved interview can be reopened.")
    form = ReopenForm(request.POST or None, initial={"version": interview.version})
    extra = {"labels": interview.labels.all()}
    if request.method == "POST" and form.is_valid():
        try:
            interview_reopen(
                interview=interview,
                user=request.user,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except ReviewError as exc:
            return _refused(request, interview, form, exc, "reopen.html", **extra)
        messages.success(request, _("Reopened: the interview is back in the review queue and its label is suspended."))
        return redirect("benchmarking:review_interview", pk=interview.pk)
    return _decision_page(request, interview, form, template="reopen.html", **extra)


@secretariat_required
@require_POST
def review_eligibility(request, pk):
    """Record the cluster's eligibility facts from the review page (ECCP validation or a waiver,
    English website, collaboration with public bodies)."""
    interview = _interview(pk)
    if reviewer_refusal(user=request.user, interview=interview):  # four eyes, conflicts of interest
        raise PermissionDenied("You conducted this interview or declared a conflict of interest with its cluster.")
    form = _facts_form(interview.cluster, request.POST)
    if form.is_valid():
        facts = {name: form.cleaned_data[name] for name in FACT_FIELDS}
        try:
            eligibility_facts_record(
                cluster=interview.cluster, user=request.user, expected_updated_at=form.cleaned_data["stamp"], **facts
            )
        except EligibilityError as exc:
            for field, message in exc.refusals.items():
                form.add_error(field, message)
        else:
            messages.success(
                request, _("The eligibility facts of %(cluster)s are recorded.") % {"cluster": interview.cluster}
            )
            return redirect(reverse("benchmarking:review_interview", kwargs={"pk": interview.pk}) + "#eligibility")
    return _review_page(request, interview, facts_form=form, status=400)
