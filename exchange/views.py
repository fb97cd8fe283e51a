"""The secretariat's data in and out: codebooks, the analysis export, the legacy import (thin views)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from benchmarking.models import Catalogue
from benchmarking.permissions import secretariat_required
from exchange import analysis, codebook
from exchange.files import Sheet, csv_response, xlsx_response
from exchange.forms import AnalysisExportForm, LegacyImportForm
from exchange.models import ImportJob
from exchange.services.import_jobs import (
    ImportJobError,
    import_job_apply,
    import_job_apply_refusal,
    import_job_create,
    import_job_errors,
    import_job_progress,
    import_job_resume,
    import_job_resume_refusal,
)

FORMATS = ("csv", "xlsx")


def _codebook_sheet(catalogue: Catalogue, indicators) -> Sheet:
    return Sheet("Codebook", codebook.COLUMNS, codebook.codebook_rows(catalogue, indicators))


@secretariat_required
@require_safe
def exports_page(request: HttpRequest) -> HttpResponse:
    catalogues = Catalogue.objects.order_by("-published_on")
    return render(request, "exchange/exports.html", {"catalogues": catalogues, "form": AnalysisExportForm()})


@secretariat_required
@require_safe
def codebook_download(request: HttpRequest, version: str, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("Unknown format.")
    catalogue = get_object_or_404(Catalogue, version=version)
    name = f"ecei-codebook-v{catalogue.version}.{fmt}"
    indicators = codebook.catalogue_indicators(catalogue)
    if fmt == "csv":
        return csv_response(name, codebook.COLUMNS, codebook.codebook_rows(catalogue, indicators))
    return xlsx_response(name, [_codebook_sheet(catalogue, indicators)])


@secretariat_required
@require_safe
def analysis_download(request: HttpRequest) -> HttpResponse:
    form = AnalysisExportForm(request.GET)
    if not form.is_valid():
        catalogues = Catalogue.objects.order_by("-published_on")
        return render(request, "exchange/exports.html", {"catalogues": catalogues, "form": form}, status=400)
    spec = form.analysis_filter()
    layout, fmt = form.cleaned_data["layout"], form.cleaned_data["format"]
    indicators = codebook.catalogue_indicators(spec.catalogue)
    if layout == "wide":
        header, rows = analysis.wide_header(indicators), analysis.wide_rows(spec, indicators)
    else:
        header, rows = analysis.LONG_HEADER, analysis.long_rows(spec, indicators)
    name = f"ecei-answers-v{spec.catalogue.version}-{layout}.{fmt}"
    if fmt == "csv":
        return csv_response(name, header, rows)
    return xlsx_response(name, [Sheet("Answers", header, rows), _codebook_sheet(spec.catalogue, indicators)])


RECENT_JOBS = 10


@secretariat_required
@require_http_methods(["GET", "HEAD", "POST"])
def legacy_import_page(request: HttpRequest) -> HttpResponse:
    """Upload a legacy file: the worker checks it (a dry run listing every row's error), then,
    when asked and the file is clean, imports it; the job's page follows both."""
    form = LegacyImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = import_job_create(
            content=upload.read(), filename=upload.name, user=request.user,
            apply_when_clean=not form.cleaned_data["dry_run"],
        )  # fmt: skip
        return redirect("exchange:legacy_import_job", pk=job.pk)
    jobs = ImportJob.objects.select_related("uploaded_by")[:RECENT_JOBS]
    status = 400 if request.method == "POST" else 200
    return render(request, "exchange/legacy_import.html", {"form": form, "jobs": jobs}, status=status)


def _job_context(job: ImportJob) -> dict:
    return {
        "job": job,
        "progress": import_job_progress(job),
        "errors": import_job_errors(job) if not job.running else [],
        "may_apply": import_job_apply_refusal(job) is None,
        "may_resume": import_job_resume_refusal(job) is None,
    }


@secretariat_required
@require_safe
@never_cache
def legacy_import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """One import's progress (a bar the page's script keeps up to date; a reload does too),
    then its outcome: every row's errors, or what was (or would be) imported."""
    job = get_object_or_404(ImportJob.objects.select_related("uploaded_by"), pk=pk)
    return render(request, "exchange/legacy_import_job.html", _job_context(job))


@secretariat_required
@require_safe
@never_cache
def legacy_import_job_progress(request: HttpRequest, pk: int) -> JsonResponse:
    """The job's progress as JSON, for the page's progress bar."""
    job = get_object_or_404(ImportJob, pk=pk)
    return JsonResponse(import_job_progress(job))


def _refused(request: HttpRequest, job: ImportJob, exc: ImportJobError) -> HttpResponse:
    job.refresh_from_db()
    context = {**_job_context(job), "refusal": str(exc)}
    return render(request, "exchange/legacy_import_job.html", context, status=409)


@secretariat_required
@require_POST
def legacy_import_job_apply(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ImportJob, pk=pk)
    try:
        import_job_apply(job=job, user=request.user)
    except ImportJobError as exc:
        return _refused(request, job, exc)
    messages.success(request, _("The import has started; this page shows how far it got."))
    return redirect("exchange:legacy_import_job", pk=job.pk)


@secretariat_required
@require_POST
def legacy_import_job_resume(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ImportJob, pk=pk)
    try:
        import_job_resume(job=job, user=request.user)
    except ImportJobError as exc:
        return _refused(request, job, exc)
    messages.success(request, _("The import goes on after the last batch it completed."))
    return redirect("exchange:legacy_import_job", pk=job.pk)
