"""Reports: the recommendation rules (editable data) and the issued reports (read only)."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from benchmarking.admin.common import MissingTranslationsColumn
from benchmarking.models import RecommendationRule, Report
from ecei_site.admin_history import HistoryAdmin, ReadOnlyAdmin
from ecei_site.admin_paging import EstimatedCountPaginator


@admin.register(RecommendationRule)
class RecommendationRuleAdmin(MissingTranslationsColumn, TranslationAdmin, HistoryAdmin):
    list_display = [
        "indicator",
        "condition",
        "group",
        "threshold",
        "answer",
        "serves",
        "is_active",
        "translations_missing",
    ]
    list_filter = ["serves", "condition", "group", "is_active", "indicator__catalogue"]
    list_select_related = ["indicator__category"]
    search_fields = ["indicator__code", "text"]
    list_editable = ["is_active"]
    raw_id_fields = ["indicator"]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """An issued report is a document: it is re-issued, never edited or deleted."""

    list_display = ["code", "interview", "version", "issued_at", "issued_by"]
    list_select_related = ["interview__cluster", "issued_by"]
    search_fields = ["code", "interview__cluster__name"]
    # The default order (-issued_at, -id) is the index report_issued_id; no count of the whole table.
    show_full_result_count = False
    paginator = EstimatedCountPaginator

    def get_queryset(self, request):
        # The document (270 KB of JSON a report in three languages) is not shown in the list:
        # decoding it was 90 % of the changelist's time. A report's own page reads it when shown.
        return super().get_queryset(request).defer(*Report.DOCUMENT_FIELDS)
