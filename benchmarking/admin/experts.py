"""Experts and their conflicts of interest (edited here: reference data)."""

from django.contrib import admin
from django.db.models import Q
from django.utils import timezone

from benchmarking.models import ConflictOfInterest, Expert
from ecei_site.admin_history import HistoryAdmin


class ConflictOfInterestInline(admin.TabularInline):
    model = ConflictOfInterest
    extra = 0
    autocomplete_fields = ["cluster"]


class AccreditationFilter(admin.SimpleListFilter):
    title = "accreditation"
    parameter_name = "accredited"

    def lookups(self, request, model_admin):
        return [("yes", "Accredited today"), ("no", "Not accredited today")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        current = Q(accredited_from__lte=today, accredited_until__gte=today)
        if self.value() == "yes":
            return queryset.filter(current)
        if self.value() == "no":
            return queryset.exclude(current)
        return queryset


@admin.register(Expert)
class ExpertAdmin(HistoryAdmin):
    list_display = ["__str__", "accreditation_number", "country_name", "languages", "accredited_from"]
    list_display += ["accredited_until"]
    list_filter = [AccreditationFilter, "country"]
    list_select_related = ["user"]
    search_fields = ["user__first_name", "user__last_name", "user__username", "accreditation_number"]
    autocomplete_fields = ["user"]
    inlines = [ConflictOfInterestInline]

    # The country's name from the value itself: the admin's display of a choices field looked it
    # up in the flattened list of 249 countries, row by row (2 of the changelist's 2.4 s, issue 30).
    @admin.display(description="country", ordering="country")
    def country_name(self, obj):
        return obj.country.name


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(HistoryAdmin):
    list_display = ["expert", "cluster", "declared_on"]
    list_select_related = ["expert__user", "cluster"]
    search_fields = ["cluster__name", "expert__user__last_name"]
    autocomplete_fields = ["expert", "cluster"]
