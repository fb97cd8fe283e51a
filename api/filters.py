"""Filters of the secretariat's endpoints (the public clusters use the public list's own)."""

import django_filters
from django_countries import countries

from benchmarking.models import Catalogue, Interview, Report
from clusters.models import ComparativePortfolio
from directory.filters import PublicClusterFilter


class InterviewFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Interview.Status.choices)
    catalogue = django_filters.ModelChoiceFilter(
        queryset=Catalogue.objects.all(), to_field_name="version", help_text="Catalogue version, e.g. 1."
    )
    country = django_filters.ChoiceFilter(field_name="cluster__country", choices=list(countries))
    portfolio = django_filters.ModelChoiceFilter(
        field_name="cluster__portfolio", queryset=ComparativePortfolio.objects.all(), to_field_name="slug"
    )
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Interview
        fields = ["status", "catalogue", "country", "portfolio", "date_from", "date_to"]


class ReportFilter(django_filters.FilterSet):
    cluster = django_filters.CharFilter(field_name="interview__cluster__slug", help_text="The cluster's slug.")
    issued_from = django_filters.DateFilter(field_name="issued_at", lookup_expr="date__gte")
    issued_to = django_filters.DateFilter(field_name="issued_at", lookup_expr="date__lte")

    class Meta:
        model = Report
        fields = ["cluster", "issued_from", "issued_to"]


class ApiClusterFilter(PublicClusterFilter):
    """The public list's filters. Any ISO country is accepted (the page offers only listed
    ones): a country without benchmarked clusters is an empty list, not an error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["country"].extra["choices"] = list(countries)
