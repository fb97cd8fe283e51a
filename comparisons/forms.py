"""The comparison's filters (read from the query: a comparison is a link) and the name to save it under."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries as all_countries

from benchmarking.models import Label
from benchmarking.selectors.public_status import PublicStatus
from clusters.models import Cluster, ComparativePortfolio
from comparisons.filters import LIST_FIELDS, GroupFilters
from comparisons.models import Region, SizeBand
from comparisons.services import NAME_MAX

FIRST_YEAR = 2008  # the first ECEI benchmarkings


class ComparisonForm(forms.Form):
    """Every filter is optional; filters of one kind are alternatives, different kinds all apply."""

    catalogue = forms.TypedChoiceField(label=gettext_lazy("Catalogue version"), coerce=int, required=False)
    regions = forms.TypedMultipleChoiceField(
        label=gettext_lazy("European regions"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    countries = forms.MultipleChoiceField(
        label=gettext_lazy("Countries"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=gettext_lazy("Ctrl-click (Cmd-click) to choose several."),
    )
    portfolios = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Comparative portfolios"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    bands = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Size"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    levels = forms.MultipleChoiceField(
        label=gettext_lazy("Current label level"), required=False, widget=forms.CheckboxSelectMultiple
    )
    statuses = forms.MultipleChoiceField(
        label=gettext_lazy("Current label status"), required=False, widget=forms.CheckboxSelectMultiple
    )
    years = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Benchmarked in"), coerce=int, required=False, widget=forms.SelectMultiple(attrs={"size": 4})
    )

    def __init__(self, *args, catalogues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["catalogue"].choices = [("", _("Latest benchmarked"))] + [
            (c.pk, f"v{c.version} – {c.title}") for c in catalogues
        ]
        self.fields["regions"].choices = [(r.pk, r.name) for r in Region.objects.all()]
        present = set(Cluster.objects.values_list("country", flat=True).distinct())
        self.fields["countries"].choices = [(code, name) for code, name in all_countries if code in present]
        self.fields["portfolios"].choices = list(ComparativePortfolio.objects.values_list("pk", "name"))
        self.fields["bands"].choices = [(b.pk, str(b)) for b in SizeBand.objects.all()]
        self.fields["levels"].choices = Label.Level.choices
        self.fields["statuses"].choices = [(code, _(name)) for code, name in PublicStatus.CHOICES]
        this_year = timezone.localdate().year
        self.fields["years"].choices = [(y, str(y)) for y in range(this_year, FIRST_YEAR - 1, -1)]

    def group_filters(self) -> GroupFilters:
        data = {name: self.cleaned_data.get(name) or [] for name in LIST_FIELDS}
        return GroupFilters(**data, catalogue=self.cleaned_data.get("catalogue") or None)


def form_data(filters: GroupFilters) -> dict:
    """A saved group's filters as the form's data (to show and refill the form)."""
    data = {name: getattr(filters, name) for name in LIST_FIELDS}
    data["catalogue"] = filters.catalogue or ""
    return data


class SaveForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of the group"), max_length=NAME_MAX)
