"""Labels: public verification and certificate; the secretariat's label screens (Silver audits and
Gold assessments are views/silver_gold.py)."""

import dataclasses
from collections.abc import Callable
from typing import NamedTuple

import segno
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from activity.selectors import cluster_timeline, object_timeline
from activity.views import timeline_for
from benchmarking.forms.labels import LabelStatusForm, VerifyForm
from benchmarking.models import Label
from benchmarking.permissions import secretariat_required
from benchmarking.rules.label_periods import LabelError
from benchmarking.selectors.board import declined_recommendations
from benchmarking.selectors.labels import (
    cluster_label_history,
    label_status,
    normalise_code,
    public_label,
    staff_labels,
)
from benchmarking.selectors.public_status import cluster_current_label
from benchmarking.services import labels as label_services
from benchmarking.services.board_undo import board_decision_undo_refusal
from clusters.models import Cluster

# --- Public ---------------------------------------------------------------------------------


def _not_found(request, code: str):
    return render(request, "benchmarking/labels/not_found.html", {"code": code, "form": VerifyForm()}, status=404)


@require_GET
def label_verify(request):
    """One field; a code given in the query string leads to the label's page."""
    if "code" not in request.GET:
        return render(request, "benchmarking/label_verify.html", {"form": VerifyForm()})
    form = VerifyForm(request.GET)
    if not form.is_valid():
        return render(request, "benchmarking/label_verify.html", {"form": form})
    code = form.cleaned_data["code"]
    if public_label(code) is None:
        return _not_found(request, code)
    return redirect("benchmarking:label_public", code=code)


def _label_or_redirect(request, code: str, view_name: str):
    """The label, or a redirect to the canonical spelling of its code, or None (not found)."""
    canonical = normalise_code(code)
    if canonical != code:
        return None, redirect(view_name, code=canonical)
    return public_label(code), None


@require_GET
def label_public(request, code):
    label, response = _label_or_redirect(request, code, "benchmarking:label_public")
    if response:
        return response
    if label is None:
        return _not_found(request, code)
    context = {"label": label, "status": label_status(label), "current": cluster_current_label(label.cluster)}
    return render(request, "benchmarking/label_public.html", context)


def verification_url(label: Label) -> str:
    """The absolute address a certificate's QR code and text point to."""
    return settings.SITE_URL.rstrip("/") + reverse("benchmarking:label_public", kwargs={"code": label.code})


def qr_svg(url: str) -> str:
    """An inline SVG QR code (segno writes only the path and the viewBox, no XML prologue)."""
    qr = segno.make(url, error="m")
    return qr.svg_inline(scale=4, border=2, dark="#000", light="#fff", omitsize=True, title=url)


@require_GET
def label_certificate(request, code):
    label, response = _label_or_redirect(request, code, "benchmarking:label_certificate")
    if response:
        return response
    if label is None:
        return _not_found(request, code)
    url = verification_url(label)
    context = {
        "label": label,
        "status": label_status(label),
        "current": cluster_current_label(label.cluster),
        "url": url,
        "qr": mark_safe(qr_svg(url)),  # noqa: S308
    }
    return render(request, "benchmarking/labels/certificate.html", context)


# --- The secretariat: label lists and history ---------------------------------------------------------

class StatusAction(NamedTuple):
    """A label action of the secretariat, with its words (each a whole translated sentence). Its
    refusal decides both whether the button is shown and whether the service acts."""

    service: Callable
    refusal: Callable
    verb: str
    submit: str
    css_class: str
    done: str  # a message with %(code)s


STATUS_ACTIONS = {
    "suspend": StatusAction(
        label_services.label_suspend, label_services.label_suspend_refusal,
        gettext_lazy("Suspend"), gettext_lazy("Suspend the label"),
        "btn-warning", gettext_lazy("The label %(code)s is suspended."),
    ),
    "reinstate": StatusAction(
        label_services.label_reinstate, label_services.label_reinstate_refusal,
        gettext_lazy("Reinstate"), gettext_lazy("Reinstate the label"),
        "btn-success", gettext_lazy("The label %(code)s is reinstated."),
    ),
    "withdraw": StatusAction(
        label_services.label_withdraw, label_services.label_withdraw_refusal,
        gettext_lazy("Withdraw"), gettext_lazy("Withdraw the label"),
        "btn-danger", gettext_lazy("The label %(code)s is withdrawn."),
    ),
}  # fmt: skip


@secretariat_required
@require_GET
def label_list(request):
    search = request.GET.get("q", "").strip()
    page = Paginator(staff_labels(search), 50).get_page(request.GET.get("page"))
    rows = [(label, label_status(label)) for label in page]
    return render(request, "benchmarking/labels/list.html", {"page": page, "rows": rows, "q": search})


@secretariat_required
@require_GET
def label_staff(request, code):
    """One label for the secretariat: its terms, its actions and its timeline."""
    label = get_object_or_404(
        Label.objects.select_related("cluster", "interview", "renews", "recommendation"), code=code
    )
    context = {
        "label": label,
        "status": label_status(label),
        "actions": _allowed_actions(label, request.user),
        "timeline": timeline_for(request, object_timeline(label)),
    }
    return render(request, "benchmarking/labels/label.html", context)


def _allowed_actions(label, user) -> frozenset[str]:
    """The actions the rules allow on `label` now (the same refusals the services ask): a button
    is shown only where its action would be taken."""
    allowed = {name for name, action in STATUS_ACTIONS.items() if action.refusal(label=label) is None}
    recommendation = getattr(label, "recommendation", None)
    if recommendation is not None and board_decision_undo_refusal(user=user, recommendation=recommendation) is None:
        allowed.add("undo")
    return frozenset(allowed)


def _with_actions(record, user):
    return dataclasses.replace(record, actions=_allowed_actions(record.label, user))


@secretariat_required
@require_GET
def cluster_labels(request, pk):
    """A cluster's complete label history, with the Silver and Gold entry points."""
    cluster = get_object_or_404(Cluster, pk=pk)
    context = {
        "cluster": cluster,
        "records": [_with_actions(record, request.user) for record in cluster_label_history(cluster)],
        "declined": declined_recommendations(cluster),
        "audits": cluster.silver_audits.select_related("auditor__user").prefetch_related(
            "areas__indicator", "checks__requirement", "recommendations"
        ),
        "assessments": cluster.gold_assessments.select_related(
            "first_assessor__user", "second_assessor__user", "indicator_set"
        ).prefetch_related("scores__indicator"),
        "timeline": timeline_for(request, cluster_timeline(cluster)),
    }
    return render(request, "benchmarking/labels/cluster.html", context)


@secretariat_required
@require_http_methods(["GET", "POST"])
def label_status_change(request, code, action):
    label = get_object_or_404(Label.objects.select_related("cluster"), code=code)
    if action not in STATUS_ACTIONS:
        return _not_found(request, code)
    chosen = STATUS_ACTIONS[action]
    refusal = chosen.refusal(label=label)
    form = LabelStatusForm(request.POST or None, submit=chosen.submit, css_class=chosen.css_class)
    status = 200
    if refusal:  # no form where the rules refuse the action; a POST is refused the same way
        context = {"label": label, "status": label_status(label), "refusal": refusal, "verb": chosen.verb}
        return render(
            request, "benchmarking/labels/status_change.html", context | {"action": action},
            status=409 if request.method == "POST" else 200,
        )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            chosen.service(label=label, reason=form.cleaned_data["reason"], user=request.user)
        except LabelError as exc:
            form.add_error(None, str(exc))
            status = 409
        else:
            messages.success(request, chosen.done % {"code": label.code})
            return redirect("benchmarking:label_staff", code=label.code)
    context = {"label": label, "status": label_status(label), "form": form, "verb": chosen.verb, "action": action}
    return render(request, "benchmarking/labels/status_change.html", context, status=status)
