"""The secretariat records a Silver audit or a Gold assessment from a cluster's label page."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from benchmarking.forms.silver_gold import GoldAssessmentForm, SilverAuditForm
from benchmarking.models import Indicator, Label
from benchmarking.permissions import secretariat_required
from benchmarking.rules.gold import active_gold_indicators
from benchmarking.rules.silver import active_baseline_requirements, last_two_benchmarkings, silver_window_refusal
from benchmarking.selectors.progress import improved_indicators
from benchmarking.services.silver_gold import AuditError, gold_assessment_record, silver_audit_record
from clusters.models import Cluster


def _silver_context(cluster: Cluster) -> dict:
    previous, latest = last_two_benchmarkings(cluster)
    candidates = improved_indicators(previous, latest) if previous and latest else []
    catalogue = latest.catalogue_id if latest else None
    indicators = Indicator.objects.filter(catalogue=catalogue).order_by("category__order", "order") if latest else []
    return {
        "previous": previous,
        "latest": latest,
        "window_refusal": silver_window_refusal(previous and previous.date, latest and latest.date),
        "candidates": candidates,
        "indicators": list(indicators),
        "requirements": active_baseline_requirements(),
    }


def _outcome_message(request, outcome, level: str) -> None:
    if outcome.recommendation:
        messages.success(
            request, _("Recorded. The %(level)s label is recommended to the EUCLES board.") % {"level": level}
        )
    else:
        messages.warning(
            request,
            _("Recorded, but no %(level)s label: %(reasons)s") % {"level": level, "reasons": " ".join(outcome.reasons)},
        )


@secretariat_required
@require_http_methods(["GET", "POST"])
def silver_audit_new(request, pk):
    cluster = get_object_or_404(Cluster, pk=pk)
    context = _silver_context(cluster)
    form = SilverAuditForm(
        request.POST or None,
        cluster=cluster,
        requirements=context["requirements"],
        indicators=context["indicators"],
        candidates=context["candidates"],
    )
    if request.method == "POST" and not context["requirements"]:
        form.add_error(None, _("No set of baseline minimum requirements is active; activate one in the admin."))
    elif request.method == "POST" and form.is_valid():
        try:
            outcome = silver_audit_record(
                cluster=cluster,
                user=request.user,
                findings=form.findings,
                recommendations=form.recommendations,
                areas=form.areas,
                **form.audit_fields,
            )
        except AuditError as exc:
            form.add_error(None, str(exc))
        else:
            _outcome_message(request, outcome, Label.Level.SILVER.label)
            return redirect(
                f"{reverse('benchmarking:cluster_labels', kwargs={'pk': cluster.pk})}#audit-{outcome.record.pk}"
            )
    return render(request, "benchmarking/labels/silver.html", {"cluster": cluster, "form": form, **context})


@secretariat_required
@require_http_methods(["GET", "POST"])
def gold_assessment_new(request, pk):
    cluster = get_object_or_404(Cluster, pk=pk)
    indicators = active_gold_indicators()
    form = GoldAssessmentForm(request.POST or None, cluster=cluster, indicators=indicators)
    if request.method == "POST" and not indicators:
        form.add_error(None, _("No Gold indicator set is active; the secretariat must activate one in the admin."))
    elif request.method == "POST" and form.is_valid():
        try:
            outcome = gold_assessment_record(
                cluster=cluster, user=request.user, scores=form.scores, **form.assessment_fields
            )
        except AuditError as exc:
            form.add_error(None, str(exc))
        else:
            _outcome_message(request, outcome, Label.Level.GOLD.label)
            return redirect(
                f"{reverse('benchmarking:cluster_labels', kwargs={'pk': cluster.pk})}#assessment-{outcome.record.pk}"
            )
    context = {"cluster": cluster, "form": form, "indicators": indicators, "min_score": settings.ECEI_GOLD_MIN_SCORE}
    return render(request, "benchmarking/labels/gold.html", context)
