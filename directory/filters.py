"""The filters of the public list, shared by the HTML page and its exports.

Every filter lives in the query string (?country=MX&portfolio=ict&status=valid&q=...&sort=-valid_until),
so a filtered list is a shareable URL. A bad value is reported on the form and ignored;
the other filters still apply.
"""

from dataclasses import dataclass

import django_filters
from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country

from benchmarking.selectors.public_status import PublicStatus
from clusters.models import ComparativePortfolio
from directory.selectors import SORT_KEYS, listed_countries, order_public_clusters, status_filter

SORT_CHOICES = [(key, key) for key in SORT_KEYS] + [(f"-{key}", f"-{key}") for key in SORT_KEYS]
DEFAULT_SORT = "name"


# The visible filters, in the form's row (one row on a wide screen, stacked on a phone).
VISIBLE_FILTERS = ("q", "country", "portfolio", "status")


@dataclass(frozen=True)
class FilterControl:
    """One visible filter as templates/clusters/filter_form.html writes it: its label, its
    control (input or select) as HTML, and its errors."""

    id: str
    label: str
    control: SafeString
    errors: list[str]


class ClusterFilterForm(forms.Form):
    """The filter form, written by a plain template (clusters/filter_form.html) with the markup
    crispy-forms' Bootstrap 5 pack wrote for it (the same ids, classes, labels and ARIA
    attributes; directory/tests/test_filter_form.py compares the two). Crispy rendered each
    option of the country and portfolio selects through a template of its own: 12-24 % of a list
    page (issue 30); here the controls are a few format_html calls."""

    def controls(self) -> list[FilterControl]:
        return [self._control(self[name]) for name in VISIBLE_FILTERS]

    def sort_input(self) -> SafeString:
        bound = self["sort"]
        value = bound.field.widget.format_value(bound.value())
        return _input("hidden", bound, value, {})

    def _control(self, bound: forms.BoundField) -> FilterControl:
        errors = list(bound.errors)
        invalid = {"aria-invalid": "true", "aria-describedby": f"{bound.auto_id}_error"} if errors else {}
        widget = bound.field.widget
        if isinstance(widget, forms.Select):
            control = _select(bound, widget.format_value(bound.value()), invalid)
        else:
            control = _input("text", bound, widget.format_value(bound.value()), invalid, css="textinput form-control")
        return FilterControl(bound.auto_id, str(bound.label), control, errors)


def _attributes(attrs: dict) -> SafeString:
    return format_html_join("", ' {}="{}"', attrs.items())


def _input(kind: str, bound: forms.BoundField, value: str | None, invalid: dict, *, css: str = "") -> SafeString:
    """An <input> as Django's widget writes it (no value attribute when empty)."""
    attrs = {"type": kind, "name": bound.html_name}
    if value is not None:
        attrs["value"] = value
    if css:
        attrs["class"] = f"{css} is-invalid" if invalid else css
    return format_html("<input{}>", _attributes({**attrs, **invalid, "id": bound.auto_id}))


def _select(bound: forms.BoundField, chosen: list[str], invalid: dict) -> SafeString:
    """A <select> as Django's Select writes it: the first option whose value was chosen is selected."""
    css = "select form-select is-invalid" if invalid else "select form-select"
    attrs = {"name": bound.html_name, "class": css, **invalid, "id": bound.auto_id}
    options, selected = [], False
    for value, label in bound.field.choices:
        value = str(value)
        mark = not selected and value in chosen
        selected = selected or mark
        options.append((value, mark_safe(" selected") if mark else "", label))
    written = format_html_join(" ", '<option value="{}"{}>{}</option>', options)
    return format_html("<select{}> {}\n</select>", _attributes(attrs), written)


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
