"""The public database of benchmarked clusters: overview, list, exports, cluster page."""

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from activity.selectors import cluster_timeline
from activity.views import timeline_for
from directory import exports, selectors
from directory.filters import PublicClusterFilter
from directory.table import list_columns
from ecei_site.paging import SeekPaginator

# Same as the admin's cluster changelist, which the benchmark compares against.
PAGE_SIZE = 50


def _filtered(request: HttpRequest) -> PublicClusterFilter:
    return PublicClusterFilter(request.GET, queryset=selectors.public_clusters())


@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    return render(request, "clusters/overview.html", {"overview": selectors.overview()})


@require_safe
def cluster_list(request: HttpRequest) -> HttpResponse:
    filterset = _filtered(request)
    paginator = SeekPaginator(filterset.qs, PAGE_SIZE, version=selectors.public_list_version)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "page_numbers": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "columns": list_columns(filterset, request.GET),
    }
    return render(request, "clusters/cluster_list.html", context)


@require_safe
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    return exports.csv_response(_filtered(request).qs, request)


@require_safe
def export_json(request: HttpRequest) -> StreamingHttpResponse:
    return exports.json_response(_filtered(request).qs, request)


@require_safe
def cluster_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = selectors.public_cluster_page(slug)
    timeline = timeline_for(request, cluster_timeline(page.cluster))  # the secretariat's only
    return render(request, "clusters/cluster_detail.html", {"page": page, "timeline": timeline})
