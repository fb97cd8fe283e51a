"""Forms of the Silver audit and the Gold assessment, with the expert chosen as auditor or
assessor (accredited around the day)."""

import datetime

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.layout import Div, Fieldset
from django import forms
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from benchmarking.forms.labels import form_helper
from benchmarking.limits import COMMENT_MAX_LENGTH
from benchmarking.models import Expert, Indicator
from benchmarking.rules.people import gold_assessor_refusal
from benchmarking.rules.silver import (
    IMPROVEMENT_AREAS_REQUIRED,
    Finding,
    silver_audit_auditor_refusal,
    silver_audit_date_refusal,
)


class ExpertSelect(forms.Select):
    """A list of experts that a search box narrows (static/js/expert-picker.js) and that shows
    only the experts accredited on the day in the form's date field: each option carries its
    accreditation period. Without JavaScript it is a plain list, checked on submit."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        expert = getattr(value, "instance", None)
        if expert is not None:
            option["attrs"]["data-from"] = expert.accredited_from.isoformat()
            option["attrs"]["data-until"] = expert.accredited_until.isoformat()
        return option

    def render(self, name, value, attrs=None, renderer=None):
        select = super().render(name, value, attrs, renderer)
        box_id = f"{(attrs or {}).get('id') or 'id_' + name}-search"
        search = format_html(
            '<input type="search" id="{}" class="form-control form-control-sm mb-1 expert-search" hidden '
            'autocomplete="off" placeholder="{}" aria-label="{}">',
            box_id,
            _("Search: name, country or number"),
            _("Search the experts by name, country or accreditation number"),
        )
        return search + select


class ExpertChoiceField(forms.ModelChoiceField):
    widget = ExpertSelect

    def label_from_instance(self, obj):
        return f"{obj} · {obj.country.name} ({obj.accreditation_number})"


def _experts():
    return Expert.objects.select_related("user").order_by("user__last_name", "user__first_name", "pk")


def _experts_around(day):
    """The experts who may have been accredited on an assessment day near `day` (a year either
    side): the list the page narrows to the chosen day."""
    year = datetime.timedelta(days=366)
    return _experts().filter(accredited_from__lte=day + year, accredited_until__gte=day - year)


class SilverAuditForm(forms.Form):
    """The on-site audit: the finding on each baseline requirement, the report with its
    recommendations and the three areas of improvement, each referring to an indicator."""

    RECOMMENDATION_FIELDS = 5

    auditor = ExpertChoiceField(
        label=_("Auditor"),
        queryset=Expert.objects.none(),
        help_text=_(
            "An accredited expert on the audit day, with no conflict of interest, who conducted neither "
            "benchmarking (four eyes)."
        ),
    )
    audited_on = forms.DateField(label=_("Audit date"), widget=forms.DateInput(attrs={"type": "date"}))
    report = forms.CharField(
        label=_("Audit report"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=COMMENT_MAX_LENGTH,
        help_text=_("A short report of the audit for the cluster management."),
    )

    def __init__(self, *args, cluster=None, requirements=(), indicators=(), candidates=(), **kwargs):
        """`requirements`: the baseline requirements to check; `indicators`: those an area may refer
        to; `candidates`: the proposed ones, pre-selected."""
        super().__init__(*args, **kwargs)
        self.cluster = cluster
        self.fields["auditor"].queryset = _experts()
        self.fields["audited_on"].widget.attrs["data-experts-on"] = "true"  # the list follows this date
        self.requirements = list(requirements)
        checks = [self._requirement_fields(requirement) for requirement in self.requirements]
        recommendations = []
        for n in range(1, self.RECOMMENDATION_FIELDS + 1):
            self.fields[f"recommendation{n}"] = forms.CharField(
                label=_("Recommendation %(n)s") % {"n": n},
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=COMMENT_MAX_LENGTH,
                required=n == 1,
            )
            recommendations.append(f"recommendation{n}")
        areas = self._area_fields(indicators, candidates)
        self.helper = form_helper(
            self,
            "auditor",
            "audited_on",
            Fieldset(_("Baseline minimum requirements"), *checks, css_id="requirements"),
            Fieldset(_("Audit report"), "report", *recommendations),
            *areas,
            submit=_("Record the audit"),
        )

    def _requirement_fields(self, requirement) -> Div:
        met, note = f"met_{requirement.code}", f"note_{requirement.code}"
        self.fields[met] = forms.TypedChoiceField(
            label=f"{requirement.code} {requirement.text}",
            choices=[("yes", _("Met")), ("no", _("Not met"))],
            coerce=lambda v: v == "yes",
            widget=forms.RadioSelect,
            help_text=requirement.evidence,
        )
        self.fields[note] = forms.CharField(
            label=_("Note on %(code)s") % {"code": requirement.code},
            required=False,
            max_length=COMMENT_MAX_LENGTH,
            help_text=_("Required when the requirement is not met."),
        )
        return Div(InlineRadios(met), note, css_class="border-bottom mb-3")

    def _area_fields(self, indicators, candidates) -> list[Fieldset]:
        proposed = list(candidates)
        area_fields = []
        for n in range(1, IMPROVEMENT_AREAS_REQUIRED + 1):
            initial = proposed[n - 1].pk if len(proposed) >= n else None
            self.fields[f"area{n}_indicator"] = forms.ModelChoiceField(
                label=_("Area %(n)s: indicator") % {"n": n},
                queryset=Indicator.objects.filter(pk__in=[i.pk for i in indicators]),
                initial=initial,
            )
            self.fields[f"area{n}_description"] = forms.CharField(
                label=_("Area %(n)s: what improved and how") % {"n": n},
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=COMMENT_MAX_LENGTH,
            )
            legend = _("Area of improvement %(n)s") % {"n": n}
            area_fields.append(Fieldset(legend, f"area{n}_indicator", f"area{n}_description"))
        return area_fields

    def clean_audited_on(self):
        day = self.cleaned_data["audited_on"]
        refusal = silver_audit_date_refusal(self.cluster, day) if self.cluster else None
        if refusal:
            raise forms.ValidationError(refusal)
        return day

    def clean(self):
        cleaned = super().clean()
        auditor, day = cleaned.get("auditor"), cleaned.get("audited_on")
        if auditor and day and self.cluster:
            refusal = silver_audit_auditor_refusal(cluster=self.cluster, auditor=auditor, audited_on=day)
            if refusal:
                self.add_error("auditor", refusal)
        for requirement in self.requirements:
            met, note = f"met_{requirement.code}", f"note_{requirement.code}"
            if cleaned.get(met) is False and not cleaned.get(note, "").strip():
                self.add_error(note, _("Say why the requirement is not met."))
        chosen = [cleaned.get(f"area{n}_indicator") for n in range(1, IMPROVEMENT_AREAS_REQUIRED + 1)]
        if all(chosen) and len(set(chosen)) != len(chosen):
            raise forms.ValidationError(_("Each area of improvement must refer to a different indicator."))
        return cleaned

    @property
    def findings(self) -> list[Finding]:
        return [
            Finding(requirement, self.cleaned_data[f"met_{r}"], self.cleaned_data[f"note_{r}"])
            for requirement in self.requirements
            for r in [requirement.code]
        ]

    @property
    def recommendations(self) -> list[str]:
        return [self.cleaned_data[f"recommendation{n}"] for n in range(1, self.RECOMMENDATION_FIELDS + 1)]

    @property
    def areas(self) -> list[tuple[Indicator, str]]:
        return [
            (self.cleaned_data[f"area{n}_indicator"], self.cleaned_data[f"area{n}_description"])
            for n in range(1, IMPROVEMENT_AREAS_REQUIRED + 1)
        ]

    @property
    def audit_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("auditor", "audited_on", "report")}


class GoldAssessmentForm(forms.Form):
    """The two assessors (accredited experts), the date and a score per indicator of the active
    Gold indicator set.

    The overall score and "passed" are not fields: the service computes them from the scores.
    """

    first_assessor = ExpertChoiceField(label=_("First assessor"), queryset=Expert.objects.none())
    second_assessor = ExpertChoiceField(label=_("Second assessor"), queryset=Expert.objects.none())
    assessed_on = forms.DateField(
        label=_("Assessment date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, cluster=None, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.cluster = cluster
        day = self._day()
        self.fields["assessed_on"].initial = timezone.localdate()
        self.fields["assessed_on"].widget.attrs["data-experts-on"] = "true"  # the lists follow this date
        for name in ("first_assessor", "second_assessor"):
            self.fields[name].queryset = _experts_around(day)
            self.fields[name].help_text = _("An accredited expert on the assessment day, with no conflict of interest.")
        self.indicators = list(indicators)
        groups: dict[str, list[str]] = {}
        for indicator in self.indicators:
            name = f"score_{indicator.code}"
            self.fields[name] = forms.DecimalField(
                label=f"{indicator.code} {indicator.wording}",
                min_value=0,
                max_value=100,
                max_digits=5,
                decimal_places=2,
                help_text=_("Score in %%. Threshold: %(threshold)s %%.")
                % {"threshold": f"{indicator.threshold.normalize():f}"},
            )
            groups.setdefault(indicator.area, []).append(name)
        areas = [Fieldset(area, *names) for area, names in groups.items()]
        self.helper = form_helper(
            self, "assessed_on", "first_assessor", "second_assessor", *areas, submit=_("Record the assessment")
        )

    def _day(self):
        """The assessment day as typed (the experts offered are those of that day), else today."""
        try:
            typed = self.data.get(self.add_prefix("assessed_on"))
            return self.fields["assessed_on"].clean(typed) or timezone.localdate()
        except forms.ValidationError:
            return timezone.localdate()

    def clean_assessed_on(self):
        day = self.cleaned_data["assessed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The assessment date cannot be in the future."))
        return day

    def clean(self):
        cleaned = super().clean()
        first, second, day = (cleaned.get(k) for k in ("first_assessor", "second_assessor", "assessed_on"))
        if first and second and first == second:
            self.add_error("second_assessor", _("The two assessors must be different experts."))
        elif day and self.cluster:
            for name, expert in (("first_assessor", first), ("second_assessor", second)):
                refusal = expert and gold_assessor_refusal(expert=expert, cluster=self.cluster, day=day)
                if refusal:
                    self.add_error(name, refusal)
        return cleaned

    @property
    def scores(self) -> dict:
        return {indicator: self.cleaned_data[f"score_{indicator.code}"] for indicator in self.indicators}

    @property
    def assessment_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("first_assessor", "second_assessor", "assessed_on")}
