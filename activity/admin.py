"""The action log in the admin: listed, filtered, searched and exported; never added, changed or deleted."""

import json

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.text import Truncator
from import_export import resources
from import_export.admin import ExportMixin
from import_export.fields import Field

from activity.actions import action_choices, action_label
from activity.models import ActionLog
from ecei_site.admin_history import ReadOnlyAdmin
from ecei_site.admin_paging import EstimatedCountPaginator
from ecei_site.spreadsheets import SpreadsheetSafeExportMixin


class ActionFilter(admin.SimpleListFilter):
    """The actions by their names (the codes stay in the address)."""

    title = "action"
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return action_choices()

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


class ActionLogResource(SpreadsheetSafeExportMixin, resources.ModelResource):
    """One row per action: its code and name, the object, the cluster, who, when, the reason and data."""

    action_name = Field(column_name="action_name")
    object_type = Field(column_name="object_type")
    user = Field(attribute="user__username", column_name="user")
    cluster = Field(attribute="cluster__slug", column_name="cluster")
    data = Field(column_name="data")

    class Meta:
        model = ActionLog
        fields = ["id", "created_at", "action", "action_name", "object_type", "object_id", "object_repr",
                  "cluster", "user", "reason", "data"]  # fmt: skip
        export_order = fields

    def dehydrate_action_name(self, log: ActionLog) -> str:
        return action_label(log.action)

    def dehydrate_object_type(self, log: ActionLog) -> str:
        return ContentType.objects.get_for_id(log.content_type_id).model

    def dehydrate_data(self, log: ActionLog) -> str:
        return json.dumps(log.data, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)


@admin.register(ActionLog)
class ActionLogAdmin(ReadOnlyAdmin, ExportMixin, admin.ModelAdmin):
    """Written only by the services (activity.services.log_action), in the transaction of their write."""

    resource_classes = [ActionLogResource]
    list_display = ["created_at", "action_name", "object_type", "object_repr", "cluster", "user", "short_reason"]
    list_filter = [ActionFilter, ("user", admin.RelatedOnlyFieldListFilter), "created_at"]
    list_select_related = ["user", "cluster"]
    search_fields = ["action", "object_repr", "reason", "user__username", "user__last_name", "cluster__name"]
    date_hierarchy = "created_at"
    # One row per write: the largest table after the answers. No count of the whole table
    # (ecei_site.admin_paging); the default order (-created_at, -pk) is the index actionlog_time.
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    readonly_fields = ["created_at", "action", "action_name", "content_type", "object_id", "object_repr",
                       "cluster", "user", "reason", "data"]  # fmt: skip
    fields = readonly_fields

    @admin.display(description="action", ordering="action")
    def action_name(self, log: ActionLog) -> str:
        return action_label(log.action)

    @admin.display(description="object")
    def object_type(self, log: ActionLog) -> str:
        model = ContentType.objects.get_for_id(log.content_type_id).model_class()
        return model._meta.verbose_name if model else ""

    @admin.display(description="reason")
    def short_reason(self, log: ActionLog) -> str:
        return Truncator(log.reason).chars(80)  # the list's column; the whole reason on the entry's page
