from django.shortcuts import get_object_or_404, render

from benchmarking.models import Label


def label_verify(request):
    return render(request, "benchmarking/label_verify.html", {})


def label_public(request, code):
    label = get_object_or_404(Label.objects.select_related("cluster"), code=code)
    return render(request, "benchmarking/label_public.html", {"label": label})
