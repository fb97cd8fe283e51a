"""Forms for labels: verification, status changes, Silver audits and Gold assessments."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Fieldset, Layout, Submit
from django import forms
from django.utils import timezone

from benchmarking.limits import COMMENT_MAX_LENGTH, REASON_MAX_LENGTH
from benchmarking.models import Indicator
from benchmarking.selectors.labels import normalise_code
from benchmarking.services.silver_gold import IMPROVEMENT_AREAS_REQUIRED, silver_audit_date_refusal


def _helper(form, *fields, submit: str, css_class: str = "btn-primary", method: str = "post") -> FormHelper:
    helper = FormHelper(form)
    helper.form_method = method
    helper.layout = Layout(*fields)
    helper.add_input(Submit("submit", submit, css_class=css_class))
    return helper


class VerifyForm(forms.Form):
    code = forms.CharField(
        label="Label code",
        max_length=40,
        help_text="As printed on the certificate, for example MEX001201605B. Case and spaces do not matter.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(self, Field("code", autocomplete="off"), submit="Verify", method="get")
        self.helper.form_tag = True

    def clean_code(self):
        code = normalise_code(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError("Enter a label code.")
        return code


class LabelStatusForm(forms.Form):
    """The reason for suspending, reinstating or withdrawing a label."""

    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX_LENGTH,
        help_text=f"Shown in the label's history. At most {REASON_MAX_LENGTH} characters.",
    )

    def __init__(self, *args, submit: str = "Confirm", css_class: str = "btn-primary", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(self, Field("reason"), submit=submit, css_class=css_class)

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Give a reason.")
        return reason


class SilverAuditForm(forms.Form):
    """The on-site audit and its three areas of improvement, each referring to an indicator."""

    auditor = forms.CharField(max_length=200)
    audited_on = forms.DateField(label="Audit date", widget=forms.DateInput(attrs={"type": "date"}))
    passed = forms.TypedChoiceField(
        label="Result",
        choices=[("yes", "Passed"), ("no", "Not passed")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, cluster=None, indicators=(), candidates=(), **kwargs):
        """`indicators`: those an area may refer to; `candidates`: the proposed ones, pre-selected."""
        super().__init__(*args, **kwargs)
        self.cluster = cluster
        proposed = list(candidates)
        area_fields = []
        for n in range(1, IMPROVEMENT_AREAS_REQUIRED + 1):
            initial = proposed[n - 1].pk if len(proposed) >= n else None
            self.fields[f"area{n}_indicator"] = forms.ModelChoiceField(
                label=f"Area {n}: indicator",
                queryset=Indicator.objects.filter(pk__in=[i.pk for i in indicators]),
                initial=initial,
            )
            self.fields[f"area{n}_description"] = forms.CharField(
                label=f"Area {n}: what improved and how",
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=COMMENT_MAX_LENGTH,
            )
            area_fields.append(Fieldset(f"Area of improvement {n}", f"area{n}_indicator", f"area{n}_description"))
        self.helper = _helper(self, "auditor", "audited_on", Field("passed"), *area_fields, submit="Record the audit")

    def clean_audited_on(self):
        day = self.cleaned_data["audited_on"]
        refusal = silver_audit_date_refusal(self.cluster, day) if self.cluster else None
        if refusal:
            raise forms.ValidationError(refusal)
        return day

    def clean(self):
        cleaned = super().clean()
        chosen = [cleaned.get(f"area{n}_indicator") for n in range(1, IMPROVEMENT_AREAS_REQUIRED + 1)]
        if all(chosen) and len(set(chosen)) != len(chosen):
            raise forms.ValidationError("Each area of improvement must refer to a different indicator.")
        return cleaned

    @property
    def areas(self) -> list[tuple[Indicator, str]]:
        return [
            (self.cleaned_data[f"area{n}_indicator"], self.cleaned_data[f"area{n}_description"])
            for n in range(1, IMPROVEMENT_AREAS_REQUIRED + 1)
        ]


class GoldAssessmentForm(forms.Form):
    """The two assessors, the date and a score per indicator of the active Gold indicator set.

    The overall score and "passed" are not fields: the service computes them from the scores.
    """

    first_assessor = forms.CharField(max_length=200)
    second_assessor = forms.CharField(max_length=200)
    assessed_on = forms.DateField(label="Assessment date", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
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
                help_text=f"Score in %. Threshold: {indicator.threshold.normalize():f} %.",
            )
            groups.setdefault(indicator.area, []).append(name)
        areas = [Fieldset(area, *names) for area, names in groups.items()]
        self.helper = _helper(
            self,
            "first_assessor",
            "second_assessor",
            "assessed_on",
            *areas,
            submit="Record the assessment",
        )

    def clean_assessed_on(self):
        day = self.cleaned_data["assessed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The assessment date cannot be in the future.")
        return day

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("first_assessor", ""), cleaned.get("second_assessor", "")
        if first and second and first.strip().casefold() == second.strip().casefold():
            self.add_error("second_assessor", "The two assessors must be different people.")
        return cleaned

    @property
    def scores(self) -> dict:
        return {indicator: self.cleaned_data[f"score_{indicator.code}"] for indicator in self.indicators}

    @property
    def assessment_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("first_assessor", "second_assessor", "assessed_on")}
