from django.shortcuts import get_object_or_404, render

from clusters.models import Cluster


def overview(request):
    return render(request, "clusters/overview.html", {})


def cluster_list(request):
    clusters = Cluster.objects.select_related("portfolio")[:50]
    return render(request, "clusters/cluster_list.html", {"clusters": clusters})


def cluster_detail(request, slug):
    cluster = get_object_or_404(Cluster, slug=slug)
    return render(request, "clusters/cluster_detail.html", {"cluster": cluster})
