"""The admin of comparative portfolios. The admin of clusters is directory/admin.py: a cluster is
saved through benchmarking's cluster service, and clusters imports nothing of benchmarking."""

from django.contrib import admin
from django.db.models import Count
from modeltranslation.admin import TranslationAdmin

from clusters.models import ComparativePortfolio
from ecei_site.admin_history import HistoryAdmin
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
