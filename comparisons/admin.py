"""The secretariat's side of comparisons: regions and size bands (data), standard groups, and
every comparison made (read-only: who, when, for which cluster, with which filters)."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from comparisons.models import Comparison, Region, SavedComparison, SizeBand
from ecei_site.admin_history import HistoryAdmin, ReadOnlyAdmin


@admin.register(Region)
class RegionAdmin(TranslationAdmin, HistoryAdmin):
    list_display = ["name", "countries", "order"]


@admin.register(SizeBand)
class SizeBandAdmin(TranslationAdmin, HistoryAdmin):
    list_display = ["measure", "name", "indicator_code", "lower", "upper", "order"]
    list_filter = ["measure"]


@admin.register(SavedComparison)
class SavedComparisonAdmin(HistoryAdmin):
    """Standard groups (no cluster) are offered to every cluster; a manager's own are listed too."""

    list_display = ["name", "cluster", "is_standard", "created_by", "created_at"]
    list_filter = [("cluster", admin.EmptyFieldListFilter)]
    list_select_related = ["cluster", "created_by"]
    search_fields = ["name", "cluster__name"]
    raw_id_fields = ["cluster"]
    readonly_fields = ["created_by", "created_at"]

    @admin.display(boolean=True, description="standard group")
    def is_standard(self, saved):
        return saved.is_standard

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Comparison)
class ComparisonAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["created_at", "cluster", "user", "channel", "outcome", "group_size", "withheld", "filters"]
    list_filter = ["outcome", "channel", "created_at"]
    list_select_related = ["cluster", "user"]
    search_fields = ["cluster__name", "user__username"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Comparison._meta.fields]
