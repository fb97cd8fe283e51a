"""Forms for interview capture: starting an interview, moving its date, and a step.

A step is the sub-forms of one category's indicators (benchmarking.forms.indicators), with
the version of the interview the page was built from.
"""

import hashlib
from types import SimpleNamespace

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from benchmarking.forms.indicators import SUB_FORMS, ChoiceForm, IndicatorForm, indicator_form_class
from benchmarking.models import Indicator, Interview
from benchmarking.selectors.interviews import format_answer
from clusters.models import Cluster

__all__ = [  # the sub-forms, read from here as before the split
    "SUB_FORMS",
    "ChoiceForm",
    "IndicatorForm",
    "InterviewDateForm",
    "InterviewStartForm",
    "InterviewStepForm",
    "StepVersionForm",
    "indicator_form_class",
]


# --- A step: the sub-forms of one category ---------------------------------------------------


class StepVersionForm(forms.Form):
    """The interview version the page was built from: a stale one is refused on save.

    `base` holds a short fingerprint of each stored answer the page showed, so that after a
    refused save only the answers the other save changed are pointed out.
    """

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    base = forms.CharField(required=False, max_length=4000, widget=forms.HiddenInput)


def answer_fingerprint(indicator: Indicator, answer) -> str:
    return hashlib.sha256(format_answer(indicator, answer).encode()).hexdigest()[:8]


class InterviewStepForm:
    def __init__(self, data=None, *, sheet, category, read_only: bool = False):
        self.sheet, self.category = sheet, category
        interview = sheet.interview
        self.forms = [
            indicator_form_class(indicator)(
                data, indicator=indicator, interview=interview, answer=sheet.answers.get(indicator.pk),
                read_only=read_only,
            )
            for indicator in sheet.indicators_of(category)
        ]
        self.version_form = StepVersionForm(data, initial=self._version_initial(interview.version, sheet.answers))

    def _version_initial(self, version: int, answers: dict) -> dict:
        base = ";".join(
            f"{form.indicator.code}={answer_fingerprint(form.indicator, answers.get(form.indicator.pk))}"
            for form in self.forms
        )
        return {"version": version, "base": base}

    @property
    def expected_version(self) -> int | None:
        return self.version_form.cleaned_data["version"] if self.version_form.is_valid() else None

    @property
    def base_fingerprints(self) -> dict[str, str]:
        if not self.version_form.is_valid():
            return {}
        pairs = (item.partition("=") for item in self.version_form.cleaned_data["base"].split(";") if item)
        return {code: fingerprint for code, _, fingerprint in pairs}

    def validate(self) -> None:
        """Validate every answer, then the soft warnings, which may compare two answers."""
        valid = {form.indicator.pk: form for form in self.forms if form.is_valid()}
        for form in valid.values():
            form.check_warnings(self._other_fields(form.indicator, valid))

    def _other_fields(self, indicator: Indicator, valid: dict) -> dict | None:
        target = indicator.cross_check_with_id
        if target is None:
            return None
        if target in valid:
            return valid[target].answer_fields()
        if any(form.indicator.pk == target for form in self.forms):
            return None  # typed in this step but invalid: nothing reliable to compare with
        stored = self.sheet.answers.get(target)
        return {"number": stored.number} if stored and not stored.missing_reason else None

    def saveable_values(self) -> dict[Indicator, dict]:
        return {form.indicator: form.answer_fields() for form in self.forms if form.is_saveable}

    @property
    def problems(self) -> list[IndicatorForm]:
        return [form for form in self.forms if form.is_bound and not form.is_saveable]

    def show_saved_answers(self) -> None:
        """After a refused save: point out the answers the other save changed, where they now
        differ from the input (the page's fingerprints tell which ones it changed)."""
        base = self.base_fingerprints
        for form in self.forms:
            stored = self.sheet.answers.get(form.indicator.pk)
            if base.get(form.indicator.code) == answer_fingerprint(form.indicator, stored):
                continue  # unchanged since the page was built: the other save did not touch it
            saved = format_answer(form.indicator, stored) or gettext("no answer")
            mine = format_answer(form.indicator, SimpleNamespace(**form.answer_fields())) if form.is_valid() else None
            if (mine or gettext("no answer")) != saved:
                form.saved_display = saved

    def show_version(self, version: int, answers: dict) -> None:
        """After a save, or to let a refused input be re-applied: the page carries `version`
        and the fingerprints of the stored `answers`."""
        self.version_form = StepVersionForm(initial=self._version_initial(version, answers))


# --- Starting an interview -------------------------------------------------------------------


class InterviewStartForm(forms.ModelForm):
    cluster = forms.ModelChoiceField(
        queryset=Cluster.objects.all(), widget=forms.HiddenInput,
        error_messages={
            "required": gettext_lazy("Choose the cluster."),
            "invalid_choice": gettext_lazy("Choose a cluster from the list."),
        },
    )

    class Meta:
        model = Interview
        fields = ["cluster", "date", "mode", "interviewee_name", "interviewee_role"]
        # A date input needs the ISO format, whatever the site's display format.
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), "mode": forms.RadioSelect}
        labels = {
            "date": gettext_lazy("Interview date"),
            "mode": gettext_lazy("Mode"),
            "interviewee_name": gettext_lazy("Interviewee's name"),
            "interviewee_role": gettext_lazy("Interviewee's role"),
        }

    def __init__(self, *args, cluster_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Most interviews are entered on the day, during the call.
        self.fields["date"].initial = timezone.localdate()
        if cluster_choices is not None:
            # Without JavaScript: the server-side search results, as radio buttons.
            self.fields["cluster"].widget = forms.RadioSelect(
                choices=[(c.pk, f"{c.name} ({c.country.name})") for c in cluster_choices]
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(Column("date", css_class="col-sm-6"), Column(InlineRadios("mode"), css_class="col-sm-6")),
            Row(Column("interviewee_name", css_class="col-sm-6"), Column("interviewee_role", css_class="col-sm-6")),
        )


class InterviewDateForm(forms.Form):
    """A new date for an open interview, with the version the page was built from."""

    date = forms.DateField(
        label=gettext_lazy("Interview date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": gettext_lazy("Give the new interview date."),
            "invalid": gettext_lazy("Enter the date as a date (for example 2019-11-15)."),
        },
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
