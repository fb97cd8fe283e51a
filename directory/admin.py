"""The secretariat's admin of cluster records. A cluster is saved and deleted through
benchmarking's cluster service (benchmarking/services/clusters.py): a change of its portfolio or
country moves its peer values. Portfolios, which nothing of benchmarking follows, are
administered in clusters/admin.py."""

from django.contrib import admin
from import_export import resources
from import_export.admin import ImportExportModelAdmin
from import_export.fields import Field

from benchmarking.services.clusters import cluster_delete, cluster_save
from clusters.models import Cluster, ComparativePortfolio
from ecei_site.admin_history import HistoryAdmin
from ecei_site.spreadsheets import (
    ExistingObjectWidget,
    FullValidationMixin,
    SpreadsheetSafeExportMixin,
    TableImportForm,
)


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

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.user = kwargs.get("user")

    def do_instance_save(self, instance, is_create):
        # The one door for a cluster's record: its peer values follow a change of portfolio or country.
        cluster_save(cluster=instance, user=self.user, reason="Imported in the admin")


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
        cluster_save(cluster=obj, user=request.user)

    def delete_model(self, request, obj):
        cluster_delete(cluster=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for cluster in queryset:
            cluster_delete(cluster=cluster, user=request.user)
