"""Forms for interview capture.

A step is the sub-forms of one category's indicators: one sub-form class per answer kind,
each with a prefix of the indicator code ("A4-value"). Each sub-form validates its own
input (type, hard bounds, shares summing to 100, a value *or* a reason); the soft warnings
come from `services.interviews.answer_warnings`, so each rule lives in one place.
"""

import hashlib
import re
from decimal import Decimal
from types import SimpleNamespace

from crispy_forms.bootstrap import AppendedText, InlineCheckboxes, InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Div, Field, Layout, Row
from django import forms
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_lazy

from benchmarking.kinds import kind_of
from benchmarking.models import Answer, Indicator, Interview
from benchmarking.rules.answer_warnings import answer_warnings, translated_warning, warning_token
from benchmarking.selectors.interviews import format_answer
from clusters.models import Cluster
from ecei_site.numbers import NumberRefused, localized_number, parse_number, plain_number, separators

MISSING_CHOICES = [("", "—"), *Answer.MissingReason.choices]
EMPTY_VALUE = {"number": None, "boolean": None, "choice": "", "selected": None, "parts": None}


class Raw:
    """A crispy layout piece that outputs ready-made, already escaped HTML.

    crispy's own HTML() compiles its text as a template, which must never happen to text
    that contains user input (comments, warnings).
    """

    def __init__(self, html: str):
        self.html = html

    def render(self, form, context, template_pack=None, **kwargs):
        return self.html


def _number_widget(*, whole: bool, css_class: str) -> forms.TextInput:
    """A text box for a number: a phone shows its number pad, and unlike <input type=number>
    the mouse wheel and the arrow keys never change the value, nor does the browser drop
    input it cannot parse ("1,5"): what was typed stays there for the form to judge."""
    return forms.TextInput(
        attrs={"class": css_class, "inputmode": "numeric" if whole else "decimal", "autocomplete": "off",
               "spellcheck": "false"}
    )


def _file_number(value):
    """A number from a data file (the legacy import): plain, or with a decimal comma and digit-group
    spaces as spreadsheets write them ("1,5", "350 000")."""
    if isinstance(value, str):
        value = re.sub(r"[\s\u00a0\u202f]", "", value)
        if "," in value and "." not in value:
            value = value.replace(",", ".")
    return value


def _typed_number(value, *, from_file: bool):
    """What a number field holds: a Decimal read as the reader's language writes numbers
    (ecei_site.numbers.parse_number: 350,000 in English, 350.000 in German), or, from a data
    file, as the file writes them."""
    if from_file:
        return _file_number(value)
    if isinstance(value, str) and value.strip():
        try:
            return parse_number(value)
        except NumberRefused as refused:
            raise forms.ValidationError(str(refused), code="invalid") from refused
    return value


class WholeNumberField(forms.IntegerField):
    from_file = False  # set by a form built for the legacy import

    def to_python(self, value):
        return super().to_python(_typed_number(value, from_file=self.from_file))


class NumberField(forms.DecimalField):
    from_file = False

    def to_python(self, value):
        return super().to_python(_typed_number(value, from_file=self.from_file))


def typed(value) -> str | None:
    """A stored number as a number field shows it to be typed again: 0,5 in German, never grouped
    (350000 reads the same in every language)."""
    return None if value is None else localized_number(plain_number(value))


def _json_number(value: Decimal):
    """Parts are stored as JSON numbers: whole numbers as int, others as float."""
    return int(value) if value == value.to_integral_value() else float(value)


# --- One sub-form per indicator ------------------------------------------------------------


class IndicatorForm(forms.Form):
    """The answer to one indicator: a value (fields from the subclass), or a reason; a comment."""

    # Out of the Tab path when JavaScript runs (interview.js): Alt+R and Alt+C reach them.
    missing_reason = forms.ChoiceField(
        label=gettext_lazy("Or a reason"), choices=MISSING_CHOICES, required=False,
        widget=forms.Select(attrs={"aria-keyshortcuts": "Alt+R"}),
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment (optional)"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 1, "aria-keyshortcuts": "Alt+C"}),
    )
    # Carries the tokens of the warnings the expert ticked; rendered by hand next to them.
    confirm = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

    def __init__(self, data=None, *, indicator: Indicator, interview: Interview, answer: Answer | None = None,
                 read_only: bool = False, from_file: bool = False):
        self.indicator, self.interview, self.answer = indicator, interview, answer
        initial = self.initial_from(answer) if answer else {}
        super().__init__(data, prefix=indicator.code, initial=initial)
        self.add_value_fields()
        for field in self.fields.values():
            if isinstance(field, NumberField | WholeNumberField):
                field.from_file = from_file  # the legacy import's cells are written plainly
        self.warnings: list[str] = list(answer.accepted_warnings) if answer and not data else []
        self.needs_confirmation = False
        self.saved_display: str | None = None  # after a conflict: what is stored now, if different
        if read_only:
            for field in self.fields.values():
                field.disabled = True

    # What each kind provides --------------------------------------------------------------

    value_inline = False  # a short value that fits next to the reason and the comment

    def add_value_fields(self) -> None:
        raise NotImplementedError

    def value_layout(self) -> list:
        return [Field("value")]

    def value_columns(self, cleaned: dict) -> dict:
        """The Answer value columns for the cleaned input; {} when no value was given."""
        raise NotImplementedError

    def initial_value(self, answer: Answer) -> dict:
        raise NotImplementedError

    # Shared behaviour -------------------------------------------------------------------

    def initial_from(self, answer: Answer) -> dict:
        initial = {"missing_reason": answer.missing_reason, "comment": answer.comment}
        return initial | ({} if answer.missing_reason else self.initial_value(answer))

    def bounds(self) -> tuple[Decimal | None, Decimal | None]:
        return kind_of(self.indicator).hard_bounds(self.indicator)

    def check_bounds(self, name: str, value, lower=None, upper=None) -> None:
        if value is None:
            return
        written = kind_of(self.indicator).written  # 10,000 in English, 10.000 in German; years as 1800
        if lower is not None and value < lower:
            self.add_error(name, gettext("Must be at least %(bound)s.") % {"bound": written(lower)})
        elif upper is not None and value > upper:
            self.add_error(name, gettext("Must be at most %(bound)s.") % {"bound": written(upper)})

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if self.value_columns(cleaned) and cleaned.get("missing_reason"):
            self.add_error(
                "missing_reason", gettext("Give either a value or a reason, not both: clear one of them.")
            )
        return cleaned

    def answer_fields(self) -> dict:
        """The Answer columns to store; only valid once is_valid() is True."""
        cleaned = self.cleaned_data
        return {
            **EMPTY_VALUE,
            **self.value_columns(cleaned),
            "missing_reason": cleaned["missing_reason"],
            "comment": cleaned["comment"].strip(),
            "accepted_warnings": self.warnings,
        }

    def check_warnings(self, other: dict | None) -> None:
        """Compute the soft warnings; the answer is saved only once each one is confirmed."""
        warnings = answer_warnings(indicator=self.indicator, fields=self.answer_fields(), other=other)
        accepted_before = set(self.answer.accepted_warnings) if self.answer else set()
        ticked = set(self.cleaned_data.get("confirm", "").split(","))
        self.warnings = warnings
        self.needs_confirmation = any(w not in accepted_before and warning_token(w) not in ticked for w in warnings)

    @property
    def is_saveable(self) -> bool:
        return self.is_bound and self.is_valid() and not self.needs_confirmation

    # Rendering --------------------------------------------------------------------------

    @property
    def helper(self) -> FormHelper:
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        helper.template = "benchmarking/interviews/_indicator_form.html"
        code = self.indicator.code
        value = Div(*self.value_layout(), css_class="indicator-value")
        if self.value_inline:
            # Short answers share one row with the reason and the comment: less scrolling.
            body = [
                Row(
                    Column(value, css_class="col-md-4"),
                    Column("missing_reason", css_class="col-md-3"),
                    Column("comment", css_class="col-md-5"),
                    css_class="g-2 indicator-extra",
                ),
                Raw(self.notes_html()),
            ]
        else:
            body = [
                value,
                Raw(self.notes_html()),
                Row(
                    Column("missing_reason", css_class="col-md-4"),
                    Column("comment", css_class="col-md-8"),
                    css_class="g-2 indicator-extra",
                ),
            ]
        helper.layout = Layout(
            Div(
                Raw(self.header_html()),
                *body,
                css_class="indicator card card-body mb-3" + (" border-danger" if self.errors else "")
                + (" border-warning" if self.needs_confirmation else ""),
                css_id=f"indicator-{code}",
                data_indicator=code,
                **{name.replace("-", "_"): value for name, value in kind_of(self.indicator).card_data.items()},
            )
        )
        return helper

    def header_html(self) -> str:
        ind = self.indicator
        help_text = format_html('<p class="form-text mt-0 mb-2">{}</p>', ind.help_text) if ind.help_text else ""
        review = ""
        if self.answer and self.answer.review_comment:
            review = format_html(
                '<div class="alert alert-info py-2 mb-2" role="note"><strong>{}</strong> {}</div>',
                gettext("Reviewer:"),
                self.answer.review_comment,
            )
        return format_html(
            '<h2 class="h6 mb-1"><span class="badge text-bg-secondary me-2">{}</span>{}</h2>{}{}',
            ind.code, ind.wording, help_text, review,
        )

    def notes_html(self) -> str:
        """Errors that concern the whole answer, then the soft warnings with their confirm box."""
        errors = ((e,) for e in self.non_field_errors())
        html = format_html_join("", '<div class="alert alert-danger py-2 mb-2" role="alert">{}</div>', errors)
        if self.saved_display is not None:
            html += format_html(
                '<div class="alert alert-secondary py-1 px-2 small mb-2">{} <strong>{}</strong></div>',
                gettext("Saved meanwhile by the other save:"),
                self.saved_display,
            )
        if self.warnings and self.needs_confirmation:
            html += self.confirm_html()
        elif self.warnings:
            html += format_html(
                '<div class="small text-body-secondary mb-2">{} {}</div>',
                gettext("Accepted warning:"),
                " ".join(self.warning_text(w) for w in self.warnings),
            )
        return html

    def warning_text(self, warning: str) -> str:
        """A warning in the reader's language, its numbers grouped unless they are years."""
        return translated_warning(warning, grouping=kind_of(self.indicator).grouping)

    def confirm_html(self) -> str:
        name = self.add_prefix("confirm")
        tokens = ",".join(warning_token(w) for w in self.warnings)
        items = format_html_join("", "<li>{}</li>", ((self.warning_text(w),) for w in self.warnings))
        return format_html(
            '<div class="alert alert-warning py-2 mb-2 indicator-warning" role="alert">'
            '<strong>{}</strong><ul class="mb-1">{}</ul>'
            '<div class="form-check"><input class="form-check-input" type="checkbox" name="{}" value="{}" id="id_{}">'
            '<label class="form-check-label" for="id_{}">{}</label></div></div>',
            gettext("Please check:"), items, name, tokens, name, name,
            gettext("The value is correct: confirm and save it"),
        )


class NumberForm(IndicatorForm):
    """Year, whole number, decimal, percent and money: a number with its unit."""

    value_inline = True

    def add_value_fields(self) -> None:
        kind = kind_of(self.indicator)
        if kind.whole:
            field = WholeNumberField(required=False, widget=_number_widget(whole=True, css_class="text-end"))
        else:
            field = NumberField(
                required=False, max_digits=18, decimal_places=kind.decimal_places,
                widget=_number_widget(whole=False, css_class="text-end"),
            )
        field.label = gettext_lazy("Value")
        self.fields["value"] = field

    def clean_value(self):
        value = self.cleaned_data.get("value")
        year = self.interview.date.year
        if value is not None and kind_of(self.indicator).latest_is_interview_year and value > year:
            raise forms.ValidationError(gettext("The year cannot be after the interview (%(year)s).") % {"year": year})
        return value

    def clean(self):
        self.check_bounds("value", self.cleaned_data.get("value"), *self.bounds())
        return super().clean()

    def unit(self) -> str:
        return kind_of(self.indicator).unit(self.indicator)

    def value_layout(self) -> list:
        unit = self.unit()
        field = AppendedText("value", unit) if unit else Field("value")
        return [field]

    def value_columns(self, cleaned):
        value = cleaned.get("value")
        return {} if value is None else {"number": Decimal(value)}

    def initial_value(self, answer):
        return {"value": typed(answer.number)}


class YesNoForm(IndicatorForm):
    value_inline = True

    def add_value_fields(self) -> None:
        self.fields["value"] = forms.ChoiceField(
            label=gettext_lazy("Answer"),
            required=False,
            choices=[("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))],
            widget=forms.RadioSelect,
        )

    def value_layout(self):
        return [InlineRadios("value")]

    def value_columns(self, cleaned):
        value = cleaned.get("value")
        return {"boolean": value == "yes"} if value else {}

    def initial_value(self, answer):
        return {"value": "" if answer.boolean is None else ("yes" if answer.boolean else "no")}


class ChoiceForm(IndicatorForm):
    def add_value_fields(self) -> None:
        self.fields["value"] = forms.ChoiceField(
            label=gettext_lazy("Answer"),
            required=False,
            choices=self.indicator.option_choices(),
            widget=forms.RadioSelect,
        )

    def value_layout(self):
        return [InlineRadios("value")]

    def value_columns(self, cleaned):
        return {"choice": cleaned["value"]} if cleaned.get("value") else {}

    def initial_value(self, answer):
        return {"value": answer.choice}


class MultiForm(IndicatorForm):
    def add_value_fields(self) -> None:
        self.fields["value"] = forms.MultipleChoiceField(
            label=gettext_lazy("Tick all that apply"), required=False, choices=self.indicator.option_choices(),
            widget=forms.CheckboxSelectMultiple,
        )

    def value_layout(self):
        return [InlineCheckboxes("value")]

    def value_columns(self, cleaned):
        return {"selected": list(cleaned["value"])} if cleaned.get("value") else {}

    def initial_value(self, answer):
        return {"value": answer.selected or []}


class PartsForm(IndicatorForm):
    """Counts (a whole number per part) and shares (a percent per part, summing to 100)."""

    def add_value_fields(self) -> None:
        kind = kind_of(self.indicator)
        for index, part in enumerate(self.indicator.options):
            widget = _number_widget(whole=kind.whole, css_class="form-control form-control-sm text-end part-input")
            if kind.whole:
                field = WholeNumberField(widget=widget)
            else:
                field = NumberField(max_digits=5, decimal_places=kind.decimal_places, widget=widget)
            field.required = False
            field.label = self.indicator.option_label(part)
            self.fields[f"part_{index}"] = field

    @property
    def part_names(self) -> list[tuple[str, str]]:
        return [(f"part_{i}", part) for i, part in enumerate(self.indicator.options)]

    def clean(self):
        for name, _ in self.part_names:
            self.check_bounds(name, self.cleaned_data.get(name), *self.bounds())
        cleaned = super().clean()
        if self.errors:
            return cleaned
        given = [cleaned.get(name) for name, _ in self.part_names]
        kind = kind_of(self.indicator)
        if any(v is not None for v in given) and any(v is None for v in given):
            self.add_error(None, gettext("Fill in every part (0 where there is none), or leave them all empty."))
        elif kind.total is not None and given and given[0] is not None:
            total = sum(given)
            if abs(total - kind.total) > kind.tolerance:
                self.add_error(
                    None,
                    gettext("The shares add up to %(total)s %%; they must add up to 100 %%.")
                    % {"total": kind.written(total)},
                )
        return cleaned

    def value_columns(self, cleaned):
        given = {part: cleaned.get(name) for name, part in self.part_names}
        if any(v is None for v in given.values()):
            return {}
        return {"parts": {part: _json_number(Decimal(v)) for part, v in given.items()}}

    def initial_value(self, answer):
        parts = answer.parts or {}
        return {name: typed(parts.get(part)) for name, part in self.part_names}

    def value_layout(self):
        return [Raw(self.table_html())]

    def table_html(self) -> str:
        """A small table of the parts, with their running total where it means something."""
        kind = kind_of(self.indicator)
        unit = kind.unit(self.indicator)
        of_a_total = kind.total is not None  # shares: each part in the unit; the browser checks the total
        rows = [self.row_html(name, part, unit if of_a_total else "") for name, part in self.part_names]
        total = ""
        if kind.adds_up(self.indicator):
            total = format_html(
                '<tfoot><tr><th scope="row">{}</th><td class="text-end">'
                '<output class="parts-total fw-semibold" aria-live="polite">{}</output>{}</td></tr></tfoot>',
                gettext("Total"),
                typed(self.typed_total()),
                gettext(" % of 100 %") if of_a_total else "",
            )
        checked = format_html(' data-total="{}" data-tolerance="{}"', kind.total, kind.tolerance) if of_a_total else ""
        # The script adds the parts up as the reader's language writes numbers (1.500 in German).
        checked += format_html(' data-decimal="{}"', separators()[0])
        return format_html(
            '<table class="table table-sm align-middle parts-table mb-2"{}>'
            '<thead><tr><th scope="col">{}</th><th scope="col" class="parts-col">{}</th></tr></thead>'
            "<tbody>{}</tbody>{}</table>",
            checked,
            gettext("Part"),
            unit.capitalize() if unit else gettext("Value"),
            mark_safe("".join(rows)),  # noqa: S308 - each row is built by format_html
            total,
        )

    def row_html(self, name: str, part: str, suffix: str) -> str:
        bound = self[name]
        if bound.errors:
            bound.field.widget.attrs["class"] += " is-invalid"
        widget = bound.as_widget()
        if suffix:
            widget = format_html(
                '<div class="input-group input-group-sm">{}<span class="input-group-text">{}</span></div>',
                widget,
                suffix,
            )
        errors = format_html_join("", '<div class="invalid-feedback d-block">{}</div>', ((e,) for e in bound.errors))
        return format_html(
            '<tr><th scope="row" class="fw-normal"><label for="{}">{}</label></th><td>{}{}</td></tr>',
            bound.id_for_label, self.indicator.option_label(part), widget, errors,
        )

    def typed_total(self) -> Decimal:
        total = Decimal(0)
        for name, _ in self.part_names:
            try:
                total += Decimal(str(_typed_number(self[name].value(), from_file=False) or 0))
            except (ArithmeticError, forms.ValidationError):
                pass  # not a number: the field shows its own error
        return total


SUB_FORMS = {form.__name__: form for form in (NumberForm, YesNoForm, ChoiceForm, MultiForm, PartsForm)}


def indicator_form_class(indicator: Indicator) -> type[IndicatorForm]:
    """The sub-form that takes an answer to `indicator`: its kind names it (benchmarking.kinds)."""
    return SUB_FORMS[kind_of(indicator).form_name]


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
