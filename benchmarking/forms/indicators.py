"""The answer to one indicator in an interview step: one sub-form class per answer kind.

Each sub-form has the prefix of its indicator's code ("A4-value") and validates its own input
(type, hard bounds, shares summing to 100, a value *or* a reason); the soft warnings come from
`services.interviews.answer_warnings`, so each rule lives in one place. The card's header, its
notes and the table of parts are templates (benchmarking/interviews/_indicator_*.html).
"""

import copy
from decimal import Decimal

from crispy_forms.bootstrap import AppendedText, InlineCheckboxes, InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Div, Field, Layout, Row
from django import forms
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_lazy

from benchmarking.kinds import EMPTY_VALUE, kind_of
from benchmarking.kinds.fields import NumberField, WholeNumberField, typed, typed_number
from benchmarking.models import Answer, Indicator, Interview
from benchmarking.rules.answer_warnings import answer_warnings, translated_warning, warning_token
from ecei_site.numbers import separators

MISSING_CHOICES = [("", "—"), *Answer.MissingReason.choices]


class Rendered:
    """A crispy layout piece rendered from a template, with the form and `context`.

    crispy's own HTML() compiles its text as a template, which must never happen to text
    that contains user input (comments, warnings); a template file escapes what it shows.
    """

    def __init__(self, template_name: str, **context):
        self.template_name, self.context = template_name, context

    def render(self, form, context, template_pack=None, **kwargs):
        html = render_to_string(self.template_name, {"form": form, **self.context}).strip()
        return mark_safe(html)  # noqa: S308 - a template's output, escaped by the template


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

    def bound_again(self, data, *, interview: Interview) -> "IndicatorForm":
        """A form like this one bound to `data` for `interview`: the same fields (shared, not
        copied), judged afresh by the same clean methods.

        A form's fields hold no input, they only judge it; building a form (copying its fields,
        reading the options in the reader's language) cost three times its judging. The legacy
        import builds one form per indicator and binds each of thousands of rows to a copy.
        What Django's Form.__init__ keeps of the last input is cleared here
        (exchange/tests/test_import_forms.py checks the verdicts against forms built afresh)."""
        form = copy.copy(self)
        form.data, form.is_bound, form.interview, form.answer = data, True, interview, None
        form._errors, form._bound_fields_cache = None, {}
        for computed in ("cleaned_data", "changed_data"):
            form.__dict__.pop(computed, None)
        form.warnings, form.needs_confirmation, form.saved_display = [], False, None
        return form

    # What the kind provides (benchmarking.kinds): the fields, the columns they fill ------------

    value_inline = False  # a short value that fits next to the reason and the comment

    def add_value_fields(self) -> None:
        self.fields.update(kind_of(self.indicator).form_fields(self.indicator))

    def value_layout(self) -> list:
        return [Field("value")]

    def value_columns(self, cleaned: dict) -> dict:
        """The Answer value columns for the cleaned input; {} when no value was given."""
        return kind_of(self.indicator).form_columns(self.indicator, cleaned)

    def initial_value(self, answer: Answer) -> dict:
        return kind_of(self.indicator).form_initial(self.indicator, answer)

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
                Rendered("benchmarking/interviews/_indicator_notes.html"),
            ]
        else:
            body = [
                value,
                Rendered("benchmarking/interviews/_indicator_notes.html"),
                Row(
                    Column("missing_reason", css_class="col-md-4"),
                    Column("comment", css_class="col-md-8"),
                    css_class="g-2 indicator-extra",
                ),
            ]
        helper.layout = Layout(
            Div(
                Rendered("benchmarking/interviews/_indicator_header.html"),
                *body,
                css_class="indicator card card-body mb-3" + (" border-danger" if self.errors else "")
                + (" border-warning" if self.needs_confirmation else ""),
                css_id=f"indicator-{code}",
                data_indicator=code,
                **{name.replace("-", "_"): value for name, value in kind_of(self.indicator).card_data.items()},
            )
        )
        return helper

    def warning_text(self, warning: str) -> str:
        """A warning in the reader's language, its numbers grouped unless they are years."""
        return translated_warning(warning, grouping=kind_of(self.indicator).grouping)

    @property
    def warning_texts(self) -> list[str]:
        return [self.warning_text(w) for w in self.warnings]

    @property
    def confirm_name(self) -> str:
        """The box that confirms the warnings: it carries their tokens (the `confirm` field)."""
        return self.add_prefix("confirm")

    @property
    def confirm_tokens(self) -> str:
        return ",".join(warning_token(w) for w in self.warnings)


# --- The layout around a kind's fields, and the checks across them ---------------------------


class FieldForm(IndicatorForm):
    """A kind's own field as it renders, beside the reason and the comment (a date, say)."""

    value_inline = True


class NumberForm(IndicatorForm):
    """Year, whole number, decimal, percent and money: a number with its unit."""

    value_inline = True

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


class YesNoForm(IndicatorForm):
    value_inline = True

    def value_layout(self):
        return [InlineRadios("value")]


class ChoiceForm(IndicatorForm):
    def value_layout(self):
        return [InlineRadios("value")]


class MultiForm(IndicatorForm):
    def value_layout(self):
        return [InlineCheckboxes("value")]


class PartsForm(IndicatorForm):
    """Counts (a whole number per part) and shares (a percent per part, summing to 100)."""

    @property
    def part_names(self) -> list[tuple[str, str]]:
        return kind_of(self.indicator).part_names(self.indicator)

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

    def value_layout(self):
        return [Rendered("benchmarking/interviews/_parts_table.html", table=self.table())]

    def table(self) -> dict:
        """A small table of the parts, with their running total where it means something."""
        kind = kind_of(self.indicator)
        unit = kind.unit(self.indicator)
        of_a_total = kind.total is not None  # shares: each part in the unit; the browser checks the total
        return {
            "of_a_total": of_a_total,
            "total": kind.total,
            "tolerance": kind.tolerance,
            # The script adds the parts up as the reader's language writes numbers (1.500 in German).
            "decimal": separators()[0],
            "heading": unit.capitalize() if unit else gettext("Value"),
            "rows": [self.row(name, part) for name, part in self.part_names],
            "suffix": unit if of_a_total else "",
            "adds_up": kind.adds_up(self.indicator),
            "typed_total": typed(self.typed_total()),
            # Here, not in the template: a template's {% translate %} reads "%" as "%%".
            "total_suffix": gettext(" % of 100 %") if of_a_total else "",
        }

    def row(self, name: str, part: str) -> dict:
        bound = self[name]
        if bound.errors:
            bound.field.widget.attrs["class"] += " is-invalid"
        return {"field": bound, "label": self.indicator.option_label(part)}

    def typed_total(self) -> Decimal:
        total = Decimal(0)
        for name, _ in self.part_names:
            try:
                total += Decimal(str(typed_number(self[name].value(), from_file=False) or 0))
            except (ArithmeticError, forms.ValidationError):
                pass  # not a number: the field shows its own error
        return total


SUB_FORMS = {form.__name__: form for form in (FieldForm, NumberForm, YesNoForm, ChoiceForm, MultiForm, PartsForm)}


def indicator_form_class(indicator: Indicator) -> type[IndicatorForm]:
    """The sub-form that takes an answer to `indicator`: its kind names it (benchmarking.kinds)."""
    return SUB_FORMS[kind_of(indicator).form_name]
