"""Labels: read, imported from the earlier database, their status changed by actions that ask for a
reason; the reminders sent and the board's recommendations, read only."""

from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import resources
from import_export.admin import ImportExportMixin
from import_export.fields import Field

from benchmarking.limits import REASON_MAX_LENGTH
from benchmarking.models import Label, LabelRecommendation, LabelReminder
from benchmarking.selectors.labels import label_status
from benchmarking.services import labels as label_services
from clusters.models import Cluster
from ecei_site.admin_history import HistoryAdmin, ReadOnlyAdmin
from ecei_site.admin_paging import EstimatedCountPaginator
from ecei_site.spreadsheets import (
    ExistingObjectWidget,
    FullValidationMixin,
    SpreadsheetSafeExportMixin,
    TableImportForm,
)


def _reason_help() -> str:
    return gettext("Shown in the label's history. At most %(n)s characters.") % {"n": REASON_MAX_LENGTH}


class ReasonForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX_LENGTH,
        help_text=lazy(_reason_help, str)(),  # translated when shown
        label=_("Reason"),
    )


@dataclass(frozen=True)
class LabelActionTexts:
    """What a label action says: whole sentences, since word order differs between languages."""

    description: str  # in the actions menu
    title: str  # of the confirmation page
    confirm: str  # its button
    done: str  # afterwards, with %(n)s


SUSPEND_TEXTS = LabelActionTexts(
    _("Suspend the selected labels (asks for a reason)"),
    _("Labels to be suspended"),
    _("Confirm: suspend"),
    _("Labels suspended: %(n)s."),
)
REINSTATE_TEXTS = LabelActionTexts(
    _("Reinstate the selected labels (asks for a reason)"),
    _("Labels to be reinstated"),
    _("Confirm: reinstate"),
    _("Labels reinstated: %(n)s."),
)
WITHDRAW_TEXTS = LabelActionTexts(
    _("Withdraw the selected labels (asks for a reason)"),
    _("Labels to be withdrawn"),
    _("Confirm: withdraw"),
    _("Labels withdrawn: %(n)s."),
)


def _label_status_action(service, name: str, texts: LabelActionTexts):
    """An admin action that asks for a reason on an intermediate page, then applies `service`."""

    def action(modeladmin, request, queryset):
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            done = 0
            for label in queryset:
                try:
                    service(label=label, reason=form.cleaned_data["reason"], user=request.user)
                    done += 1
                except label_services.LabelError as exc:
                    modeladmin.message_user(request, f"{label.code}: {exc}", messages.WARNING)
            modeladmin.message_user(request, texts.done % {"n": done}, messages.SUCCESS)
            return None
        return TemplateResponse(
            request,
            "admin/benchmarking/label/status_action.html",
            {
                **modeladmin.admin_site.each_context(request),
                "title": texts.title,
                "confirm": texts.confirm,
                "labels": queryset,
                "form": form,
                "action": request.POST["action"],
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
                "opts": modeladmin.model._meta,
            },
        )

    action.__name__ = f"{name}_labels"
    action.short_description = texts.description
    return action


class LiveStatusFilter(admin.SimpleListFilter):
    title = "live status"
    parameter_name = "live"

    def lookups(self, request, model_admin):
        return [("valid", "Valid today"), ("upcoming", "Not yet valid"), ("expired", "Expired")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "valid":
            return queryset.valid_on(today)
        if self.value() == "upcoming":
            return queryset.upcoming_on(today)
        if self.value() == "expired":
            return queryset.expired_on(today)
        return queryset


class LabelResource(FullValidationMixin, SpreadsheetSafeExportMixin, resources.ModelResource):
    """Labels of the earlier database, each row checked by services/labels.imported_label_refusals."""

    cluster = Field(attribute="cluster", column_name="cluster", widget=ExistingObjectWidget(Cluster, "slug"))

    class Meta:
        model = Label
        import_id_fields = ["code"]
        fields = [
            "code",
            "cluster",
            "level",
            "benchmarked_on",
            "awarded_on",
            "valid_from",
            "valid_until",
            "status",
            "source",
        ]
        clean_model_instances = True

    def row_refusals(self, instance) -> dict[str, str]:
        return label_services.imported_label_refusals(instance)

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.user = kwargs.get("user")

    def do_instance_save(self, instance, is_create):
        # The label service's door: the same refusals, the cluster's public facts refreshed.
        label_services.label_import(label=instance, user=self.user)


@admin.register(Label)
class LabelAdmin(ReadOnlyAdmin, ImportExportMixin, HistoryAdmin):
    """Labels are awarded only by the services (approval, Silver audit, Gold assessment) or by
    the import, which applies the same rules; their status changes through the actions."""

    resource_classes = [LabelResource]
    import_form_class = TableImportForm
    list_display = ["code", "cluster", "level", "valid_from", "valid_until", "status", "live_status_display", "source"]
    list_filter = [LiveStatusFilter, "level", "status", "source"]
    list_select_related = ["cluster"]
    search_fields = ["code", "cluster__name"]
    date_hierarchy = "valid_until"
    # The default order (-valid_until, -id) is the index label_valid_until_id; no count of the whole table.
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    actions = [
        _label_status_action(label_services.label_suspend, "suspended", SUSPEND_TEXTS),
        _label_status_action(label_services.label_reinstate, "reinstated", REINSTATE_TEXTS),
        _label_status_action(label_services.label_withdraw, "withdrawn", WITHDRAW_TEXTS),
    ]

    @admin.display(description="today")
    def live_status_display(self, obj):
        return label_status(obj).word


@admin.register(LabelReminder)
class LabelReminderAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Written by the daily job; the record that stops a reminder going out twice."""

    list_display = ["label", "kind", "sent_at", "recipients"]
    list_filter = ["kind"]
    list_select_related = ["label"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    search_fields = ["label__code"]


@admin.register(LabelRecommendation)
class LabelRecommendationAdmin(ReadOnlyAdmin, HistoryAdmin):
    """Recommended by the secretariat's approval, audit or assessment; decided by the EUCLES board on
    its own screen (/board/), where the four-eyes rule applies: shown here, never edited."""

    list_display = ["cluster", "level", "benchmarked_on", "status", "decided_on", "meeting", "decided_by", "label"]
    list_filter = ["status", "level"]
    list_select_related = ["cluster", "decided_by", "label"]
    # The default order (recommended_at, id) is the index recommendation_time_id; no count of the whole table.
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    search_fields = ["cluster__name", "meeting", "label__code"]
