"""The individual report as a page and a PDF, its re-issue, the expert's recommendations,
and the cluster managers' "My cluster" page.

Someone else's report is a 404, like a report that does not exist.
"""

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from benchmarking.charts import laid_out
from benchmarking.forms.reports import ExpertRecommendationsForm
from benchmarking.models import ExpertRecommendation, Interview
from benchmarking.permissions import is_own_interview, is_secretariat
from benchmarking.selectors.reports import get_report_for_user, managed_clusters
from benchmarking.services.reports import (
    ReportError,
    expert_recommendations_save,
    may_write_recommendations,
    report_issue,
)

STATIC_DIR = Path(settings.BASE_DIR) / "static"


def _context(report) -> dict:
    return {"report": report, "r": laid_out(report.snapshot)}


@login_required
def report_detail(request, code):
    report = get_report_for_user(request.user, code)
    return render(request, "benchmarking/reports/detail.html", _context(report))


@login_required
def report_pdf(request, code):
    report = get_report_for_user(request.user, code)
    html = render_to_string("benchmarking/reports/pdf.html", _context(report), request=request)
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ECEI-report-{report.code}.pdf"'
    return response


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


@require_POST
@login_required
def report_reissue(request, code):
    report = get_report_for_user(request.user, code)
    if not is_secretariat(request.user):
        raise Http404("No such report.")
    new = report_issue(interview=report.interview, user=request.user)
    messages.success(request, f"Report {new.code} issued with today's comparison groups; {report.code} is unchanged.")
    return redirect(new)


@login_required
def my_cluster(request):
    clusters = managed_clusters(request.user)
    return render(request, "benchmarking/reports/my_cluster.html", {"clusters": clusters})


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
            messages.success(request, "Recommendations saved. They appear in the report issued on approval.")
            return redirect("benchmarking:interview_recommendations", pk=interview.pk)
    status = 200 if request.method == "GET" or may_write else 403
    return render(
        request,
        "benchmarking/reports/recommendations.html",
        {"interview": interview, "form": form, "may_write": may_write},
        status=status,
    )
