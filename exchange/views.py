"""The secretariat's data in and out: codebooks, the analysis export, the legacy import (thin views)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods, require_safe

from benchmarking.models import Catalogue
from benchmarking.permissions import secretariat_required
from exchange import analysis, codebook
from exchange.files import Sheet, csv_response, xlsx_response
from exchange.forms import AnalysisExportForm, LegacyImportForm
from exchange.legacy_files import LegacyFileError
from exchange.services.legacy_import import legacy_import

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


@secretariat_required
@require_http_methods(["GET", "HEAD", "POST"])
def legacy_import_page(request: HttpRequest) -> HttpResponse:
    """Upload a legacy file: a dry run lists every error; a clean file can then be imported."""
    form = LegacyImportForm(request.POST or None, request.FILES or None)
    result = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = legacy_import(
                    content=upload.read(), filename=upload.name, user=request.user,
                    dry_run=form.cleaned_data["dry_run"],
                )
            except LegacyFileError as exc:
                form.add_error("file", str(exc))
        if not form.is_valid() or (result and result.errors):
            status = 400
    return render(request, "exchange/legacy_import.html", {"form": form, "result": result}, status=status)
