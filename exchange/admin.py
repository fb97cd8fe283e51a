from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from exchange.models import ImportedBenchmarking


@admin.register(ImportedBenchmarking)
class ImportedBenchmarkingAdmin(admin.ModelAdmin):
    """What came from which file; read only: imports go through the import page or command."""

    list_display = ["report_code", "interview_link", "source_file", "source_row", "imported_at", "imported_by"]
    list_filter = ["source_file"]
    search_fields = ["report_code", "interview__cluster__name", "source_file"]
    list_select_related = ["interview__cluster", "imported_by"]
    change_list_template = "admin/exchange/importedbenchmarking/change_list.html"

    @admin.display(description="interview")
    def interview_link(self, obj):
        url = reverse("benchmarking:review_interview", args=[obj.interview_id])
        return format_html('<a href="{}">{}</a>', url, obj.interview)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
