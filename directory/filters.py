"""The filters of the public list, shared by the HTML page and its exports.

Every filter lives in the query string (?country=MX&portfolio=ict&status=valid&q=...&sort=-valid_until),
so a filtered list is a shareable URL. A bad value is reported on the form and ignored;
the other filters still apply.
"""

import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Layout, Row, Submit
from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country

from benchmarking.selectors.public_status import PublicStatus
from clusters.models import ComparativePortfolio
from directory.selectors import SORT_KEYS, listed_countries, order_public_clusters, status_filter

SORT_CHOICES = [(key, key) for key in SORT_KEYS] + [(f"-{key}", f"-{key}") for key in SORT_KEYS]
DEFAULT_SORT = "name"


class ClusterFilterForm(forms.Form):
    """The filter form, laid out for crispy: one row on a wide screen, stacked on a phone."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_action = reverse("clusters:list")
        self.helper.form_class = "filter-form mb-3"
        self.helper.attrs = {"aria-label": _("Filter the clusters")}
        clear = gettext("Clear filters")
        self.helper.layout = Layout(
            Row(
                Column("q", css_class="col-12 col-md-6 col-lg-3"),
                Column("country", css_class="col-12 col-md-6 col-lg-3"),
                Column("portfolio", css_class="col-12 col-md-6 col-lg-3"),
                Column("status", css_class="col-12 col-md-6 col-lg-3"),
            ),
            "sort",
            Submit("", _("Show clusters"), css_class="me-2"),
            HTML(format_html('<a class="btn btn-link" href="{}">{}</a>', reverse("clusters:list"), clear)),
        )


class PublicClusterFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name contains"), method="filter_name")
    country = django_filters.ChoiceFilter(label=_("Country"), empty_label=_("All countries"))
    portfolio = django_filters.ModelChoiceFilter(
        label=_("Comparative portfolio"),
        queryset=ComparativePortfolio.objects.all(),
        to_field_name="slug",
        empty_label=_("All portfolios"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Label"),
        choices=[(key, _(text)) for key, text in PublicStatus.CHOICES],  # marked in PublicStatus
        method="filter_status",
        empty_label=_("Valid or not"),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort order"), choices=SORT_CHOICES, method="filter_sort", widget=forms.HiddenInput
    )

    class Meta:
        form = ClusterFilterForm
        fields = ["q", "country", "portfolio", "status", "sort"]

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and data.get("country"):
            # ?country=mx works as well as ?country=MX.
            data = data.copy()
            data["country"] = data["country"].strip().upper()
        super().__init__(data, *args, **kwargs)
        # Only the countries that have listed clusters; read once per request.
        self.filters["country"].extra["choices"] = listed_countries()

    def filter_name(self, queryset, name, value):
        return queryset.search(value)

    def filter_status(self, queryset, name, value):
        return queryset.filter(status_filter(value))

    def filter_sort(self, queryset, name, value):
        return order_public_clusters(queryset, value.lstrip("-"), descending=value.startswith("-"))

    # --- What the page needs to know about the applied filters -----------------------

    def applied(self, name: str):
        """The valid value of one filter, or None when it is absent or was rejected."""
        if not self.is_bound or name in self.errors:
            return None
        return self.form.cleaned_data.get(name) or None

    @property
    def selected_country(self) -> Country | None:
        code = self.applied("country")
        return Country(code) if code else None

    @property
    def selected_portfolio(self) -> ComparativePortfolio | None:
        return self.applied("portfolio")

    @property
    def current_sort(self) -> str:
        return self.applied("sort") or DEFAULT_SORT

    def heading(self) -> str:
        """ "Benchmarked clusters in Mexico", the page's title and the table's caption."""
        country, portfolio = self.selected_country, self.selected_portfolio
        names = {"country": country and country.name, "portfolio": portfolio and portfolio.name}
        if country and portfolio:
            return gettext("Benchmarked clusters in %(country)s, comparative portfolio %(portfolio)s") % names
        if country:
            return gettext("Benchmarked clusters in %(country)s") % names
        if portfolio:
            return gettext("Benchmarked clusters in the comparative portfolio %(portfolio)s") % names
        return gettext("Benchmarked clusters")
