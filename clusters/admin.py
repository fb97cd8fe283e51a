from django.contrib import admin
from django.db.models import Count
from import_export import resources
from import_export.admin import ImportExportModelAdmin
from import_export.fields import Field
from modeltranslation.admin import TranslationAdmin

from benchmarking.services.peer_values import peer_values_refresh
from clusters.models import Cluster, ComparativePortfolio
from ecei_site.admin_history import HistoryAdmin
from ecei_site.spreadsheets import (
    ExistingObjectWidget,
    FullValidationMixin,
    SpreadsheetSafeExportMixin,
    TableImportForm,
)
from ecei_site.translated import missing_translations_text


@admin.register(ComparativePortfolio)
class ComparativePortfolioAdmin(TranslationAdmin, HistoryAdmin):
    list_display = ["name", "slug", "cluster_count", "translations_missing"]
    search_fields = ["name_en", "name_es", "name_de"]
    prepopulated_fields = {"slug": ["name_en"]}

    @admin.display(description="translations missing")
    def translations_missing(self, obj):
        return missing_translations_text(obj) or "-"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(cluster_count=Count("clusters"))

    @admin.display(description="clusters", ordering="cluster_count")
    def cluster_count(self, obj):
        return obj.cluster_count


class ClusterResource(FullValidationMixin, SpreadsheetSafeExportMixin, resources.ModelResource):
    """Import and export of clusters, the portfolio by its slug; every row fully validated."""

    portfolio = Field(
        attribute="portfolio", column_name="portfolio", widget=ExistingObjectWidget(ComparativePortfolio, "slug")
    )

    class Meta:
        model = Cluster
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "name",
            "country",
            "region",
            "website",
            "eccp_profile_url",
            "portfolio",
            "organisation_name",
            "contact_email",
            "description",
        ]
        skip_unchanged = True
        clean_model_instances = True

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        if not kwargs.get("dry_run"):
            peer_values_refresh([instance.pk])  # its portfolio or country may have changed


@admin.register(Cluster)
class ClusterAdmin(ImportExportModelAdmin, HistoryAdmin):
    resource_classes = [ClusterResource]
    import_form_class = TableImportForm
    list_display = ["name", "country", "region", "portfolio", "website", "updated_at"]
    list_filter = ["portfolio", "country"]
    list_select_related = ["portfolio"]
    search_fields = ["name", "name_folded", "organisation_name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["managers"]
    readonly_fields = ["created_at", "updated_at"]
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["name", "slug", "portfolio", "country", "region"]}),
        ("Online", {"fields": ["website", "eccp_profile_url"]}),
        ("Cluster management", {"fields": ["organisation_name", "contact_email", "description", "managers"]}),
        ("Record", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"portfolio", "country"} & set(form.changed_data):
            peer_values_refresh([obj.pk])  # the groups its report values are counted in
