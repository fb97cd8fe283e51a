"""The individual report as a page and a PDF, its re-issue, the expert's recommendations,
and the cluster managers' "My cluster" page.

Someone else's report is a 404, like a report that does not exist.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from benchmarking.documents.report_page import report_page_stored
from benchmarking.documents.report_pdf import report_pdf_stored
from benchmarking.forms.reports import ExpertRecommendationsForm
from benchmarking.models import ExpertRecommendation, Interview
from benchmarking.permissions import is_own_interview, is_secretariat
from benchmarking.selectors.questionnaire import manager_questionnaires
from benchmarking.selectors.reports import get_report_for_user, managed_clusters
from benchmarking.services.reports import (
    ReportError,
    expert_recommendations_save,
    may_write_recommendations,
    report_issue,
)


@login_required
def report_detail(request, code):
    # Rendered once per report and language, then read from the storage (documents/report_page.py).
    report = get_report_for_user(request.user, code, document=False)
    page = report_page_stored(report, get_language())
    return render(request, "benchmarking/reports/detail.html", {"report": report, "page": page})


@login_required
def report_pdf(request, code):
    # The document is read only to render the PDF the first time (services/report_pdf.py).
    report = get_report_for_user(request.user, code, document=False)
    pdf = report_pdf_stored(report, get_language())
    return FileResponse(pdf, content_type="application/pdf", filename=f"ECEI-report-{report.code}.pdf")


@require_POST
@login_required
def report_reissue(request, code):
    report = get_report_for_user(request.user, code)
    if not is_secretariat(request.user):
        raise Http404("No such report.")
    new = report_issue(interview=report.interview, user=request.user)
    messages.success(
        request,
        _("Report %(new)s issued with today's comparison groups; %(old)s is unchanged.")
        % {"new": new.code, "old": report.code},
    )
    return redirect(new)


@login_required
def my_cluster(request):
    clusters = managed_clusters(request.user)
    context = {"clusters": clusters, "questionnaires": manager_questionnaires(request.user)}
    return render(request, "benchmarking/reports/my_cluster.html", context)


@login_required
def interview_recommendations(request, pk):
    """The expert's own recommendations per category, shown in the report issued on approval."""
    interview = get_object_or_404(Interview.objects.select_related("cluster", "expert", "catalogue"), pk=pk)
    if not (is_secretariat(request.user) or is_own_interview(request.user, interview)):
        raise Http404("No such interview.")
    categories = list(interview.catalogue.categories.order_by("order"))
    saved = dict(ExpertRecommendation.objects.filter(interview=interview).values_list("category_id", "text"))
    may_write = may_write_recommendations(request.user, interview)
    form = ExpertRecommendationsForm(
        request.POST if request.method == "POST" else None, interview=interview, categories=categories, saved=saved
    )
    if request.method == "POST" and may_write and form.is_valid():
        try:
            expert_recommendations_save(interview=interview, texts=form.texts(), user=request.user)
        except ReportError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Recommendations saved. They appear in the report issued on approval."))
            return redirect("benchmarking:interview_recommendations", pk=interview.pk)
    status = 200 if request.method == "GET" or may_write else 403
    return render(
        request,
        "benchmarking/reports/recommendations.html",
        {"interview": interview, "form": form, "may_write": may_write},
        status=status,
    )
