"""The comparison page, its CSV and PDF, and saved groups. A comparison is a link (its filters
in the query); every one made is recorded by services.comparison_make. Someone else's cluster
is a 404, like a cluster that does not exist."""

import csv
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from benchmarking.documents.report_pdf import render_pdf
from comparisons.filters import GroupFilters
from comparisons.forms import ComparisonForm, SaveForm, form_data
from comparisons.models import Comparison
from comparisons.rules import minimum_group_size, withheld_text
from comparisons.selectors.access import (
    compared_catalogues,
    get_cluster_for_comparison,
    get_saved_for_cluster,
    saved_for,
)
from comparisons.selectors.groups import NotComparable
from comparisons.selectors.layout import laid_out_comparison
from comparisons.selectors.table import comparison_rows
from comparisons.services import ComparisonError, comparison_make, saved_comparison_delete, saved_comparison_save

CHANNEL = Comparison.Channel


def _form(request, cluster, catalogues):
    """The filters from the query, or from a saved group (?saved=<id>); None: nothing asked yet."""
    saved = None
    if request.GET.get("saved"):
        saved = get_saved_for_cluster(cluster, request.GET["saved"] if request.GET["saved"].isdigit() else 0)
        return ComparisonForm(form_data(GroupFilters.from_json(saved.filters)), catalogues=catalogues), saved
    if "compare" in request.GET:
        return ComparisonForm(request.GET, catalogues=catalogues), None
    return ComparisonForm(catalogues=catalogues), None


def _query(filters: GroupFilters) -> str:
    return urlencode({**filters.query(), "compare": "1"}, doseq=True)


def _page(request, cluster, *, status=200, save_form=None, channel=CHANNEL.PAGE):
    catalogues = compared_catalogues(cluster)
    form, saved = _form(request, cluster, catalogues)
    context = {
        "cluster": cluster,
        "form": form,
        "saved": saved,
        "saved_title": saved.title(get_language()) if saved else "",
        "saved_groups": [(s, s.title(get_language())) for s in saved_for(cluster)],
        "save_form": save_form or SaveForm(initial={"name": saved.name} if saved and not saved.is_standard else None),
        "minimum": minimum_group_size(),
        "withheld_text": withheld_text(),
        "catalogues": catalogues,
    }
    if form.is_bound:
        if not form.is_valid():
            return render(request, "comparisons/compare.html", context, status=400), None
        filters = form.group_filters()
        try:
            result = comparison_make(cluster=cluster, user=request.user, filters=filters, channel=channel)
        except NotComparable as error:
            context["not_comparable"] = str(error)
            return render(request, "comparisons/compare.html", context, status=status), None
        context["result"] = result
        context["query"] = _query(result.filters)
        if result.is_shown:
            context["r"] = laid_out_comparison(result.snapshot)
        return None, context
    return render(request, "comparisons/compare.html", context, status=status), None


@require_safe
@login_required
def compare(request, slug):
    cluster = get_cluster_for_comparison(request.user, slug)
    response, context = _page(request, cluster)
    return response or render(request, "comparisons/compare.html", context)


@require_POST
@login_required
def save(request, slug):
    cluster = get_cluster_for_comparison(request.user, slug)
    catalogues = compared_catalogues(cluster)
    form = ComparisonForm(request.POST, catalogues=catalogues)
    save_form = SaveForm(request.POST)
    if form.is_valid() and save_form.is_valid():
        filters = form.group_filters()
        try:
            saved = saved_comparison_save(
                cluster=cluster, user=request.user, name=save_form.cleaned_data["name"], filters=filters
            )
        except ComparisonError as error:
            save_form.add_error("name", str(error))
        else:
            messages.success(
                request,
                _("Group “%(name)s” saved. Open it again here, with the data of the day.") % {"name": saved.name},
            )
            return redirect(reverse("comparisons:compare", args=[cluster.slug]) + f"?saved={saved.pk}")
    context = {
        "cluster": cluster,
        "form": form,
        "save_form": save_form,
        "saved_groups": [(s, s.title(get_language())) for s in saved_for(cluster)],
        "minimum": minimum_group_size(),
        "catalogues": catalogues,
        "hidden": [
            (k, v) for k in request.POST if k not in ("csrfmiddlewaretoken", "name") for v in request.POST.getlist(k)
        ],
    }
    return render(request, "comparisons/compare.html", context, status=400)


@require_POST
@login_required
def delete(request, slug, pk):
    cluster = get_cluster_for_comparison(request.user, slug)
    saved = get_saved_for_cluster(cluster, pk)
    try:
        saved_comparison_delete(saved=saved, user=request.user)
    except ComparisonError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Saved group “%(name)s” deleted.") % {"name": saved.name})
    return redirect("comparisons:compare", slug=cluster.slug)


def _download(request, slug, channel):
    cluster = get_cluster_for_comparison(request.user, slug)
    if "compare" not in request.GET and "saved" not in request.GET:
        return None, cluster, redirect("comparisons:compare", slug=cluster.slug)
    response, context = _page(request, cluster, channel=channel)
    if response is not None:
        return None, cluster, response
    if not context["result"].is_shown:  # refused: the page says why
        return None, cluster, render(request, "comparisons/compare.html", context, status=409)
    return context, cluster, None


@require_safe
@login_required
def download_csv(request, slug):
    context, cluster, response = _download(request, slug, CHANNEL.CSV)
    if response is not None:
        return response
    result = context["result"]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ECEI-comparison-{cluster.slug}.csv"'
    writer = csv.writer(response)
    for row in comparison_rows(result, withheld=withheld_text()):
        writer.writerow(row)
    return response


@require_safe
@login_required
def download_pdf(request, slug):
    context, cluster, response = _download(request, slug, CHANNEL.PDF)
    if response is not None:
        return response
    html = render_to_string("comparisons/pdf.html", context)
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="ECEI-comparison-{cluster.slug}.pdf"'
    return response
