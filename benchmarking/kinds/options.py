"""Kinds whose answer is chosen: yes or no, one of a list, several of a list."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from benchmarking.kinds.base import MISSING, MULTI_SEPARATOR, AnswerKind, option_code, option_of_code


class YesNoKind(AnswerKind):
    kind = "yes_no"
    label = gettext_lazy("Yes / no")
    column = "boolean"
    form_name = "YesNoForm"
    counts_options = True
    sheet_template = "benchmarking/questionnaire/sheet/yes_or_no.html"

    def form_fields(self, indicator):
        return {
            "value": forms.ChoiceField(
                label=gettext_lazy("Answer"),
                required=False,
                choices=[("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))],
                widget=forms.RadioSelect,
            )
        }

    def form_columns(self, indicator, cleaned):
        value = cleaned.get("value")
        return {self.column: value == "yes"} if value else {}

    def form_initial(self, indicator, answer):
        value = getattr(answer, self.column)
        return {"value": "" if value is None else ("yes" if value else "no")}

    def answer_fields(self, value):
        return {self.column: bool(value)}

    def comparable(self, indicator, row):
        value = row[self.column]
        return MISSING if value is None else ("yes" if value else "no")

    def report_options(self, indicator):
        return ["yes", "no"]

    def format(self, indicator, answer):
        value = getattr(answer, self.column)
        if value is None:
            return ""
        return _("Yes") if value else _("No")

    def progress_value(self, indicator, answer):
        value = getattr(answer, self.column)
        return None if value is None else Decimal(int(value))

    def option_text(self, indicator, option):
        return {"yes": _("yes"), "no": _("no")}.get(option, option)

    def cells(self, indicator, answer):
        value = getattr(answer, self.column)
        return ["" if value is None else ("1" if value else "0")]

    def form_input(self, indicator, texts):
        value = {"1": "yes", "0": "no", "yes": "yes", "no": "no"}.get(texts[0].lower())
        if value is None:
            raise ValueError(_("not 1 (yes) or 0 (no)"))
        return {"value": value}

    def value_labels(self, indicator):
        return "1, Yes | 0, No"

    def export_label(self, indicator, answer):
        return "Yes" if getattr(answer, self.column) else "No"


class OptionsKind(AnswerKind):
    """One or several of the indicator's options."""

    counts_options = True
    sheet_template = "benchmarking/questionnaire/sheet/options.html"

    def value_labels(self, indicator):
        return " | ".join(f"{i}, {option}" for i, option in enumerate(indicator.options, 1))


class ChoiceKind(OptionsKind):
    kind = "choice"
    label = gettext_lazy("One of a list")
    column = "choice"
    empty = ""
    form_name = "ChoiceForm"

    def form_fields(self, indicator):
        return {
            "value": forms.ChoiceField(
                label=gettext_lazy("Answer"), required=False, choices=indicator.option_choices(),
                widget=forms.RadioSelect,
            )
        }  # fmt: skip

    def form_columns(self, indicator, cleaned):
        return {self.column: cleaned["value"]} if cleaned.get("value") else {}

    def comparable(self, indicator, row):
        return row[self.column] or MISSING

    def format(self, indicator, answer):
        return indicator.option_label(getattr(answer, self.column))

    def progress_value(self, indicator, answer):
        # Its position in the (ordered) option list.
        choice = getattr(answer, self.column)
        return Decimal(indicator.options.index(choice)) if choice in indicator.options else None

    def cells(self, indicator, answer):
        choice = getattr(answer, self.column)
        return [option_code(indicator, choice) if choice else ""]

    def form_input(self, indicator, texts):
        return {"value": option_of_code(indicator, texts[0])}

    def export_label(self, indicator, answer):
        return getattr(answer, self.column)


class MultiKind(OptionsKind):
    kind = "multi"
    label = gettext_lazy("Several of a list")
    column = "selected"
    form_name = "MultiForm"
    several = True
    card_data = {"data-arrow-keys": "checkboxes"}  # arrow keys move through the boxes

    def form_fields(self, indicator):
        return {
            "value": forms.MultipleChoiceField(
                label=gettext_lazy("Tick all that apply"), required=False, choices=indicator.option_choices(),
                widget=forms.CheckboxSelectMultiple,
            )
        }  # fmt: skip

    def form_columns(self, indicator, cleaned):
        return {self.column: list(cleaned["value"])} if cleaned.get("value") else {}

    def form_initial(self, indicator, answer):
        return {"value": getattr(answer, self.column) or []}

    def answer_fields(self, value):
        return {self.column: list(value)}

    def comparable(self, indicator, row):
        value = row[self.column]
        return MISSING if value is None else list(value)

    def format(self, indicator, answer):
        return "; ".join(indicator.option_label(option) for option in getattr(answer, self.column) or [])

    def progress_value(self, indicator, answer):
        value = getattr(answer, self.column)
        return None if value is None else Decimal(len(value))

    def cells(self, indicator, answer):
        return [MULTI_SEPARATOR.join(option_code(indicator, o) for o in getattr(answer, self.column) or [])]

    def form_input(self, indicator, texts):
        codes = [code.strip() for code in texts[0].split(MULTI_SEPARATOR)]
        return {"value": [option_of_code(indicator, code) for code in codes if code]}

    def export_label(self, indicator, answer):
        return "; ".join(getattr(answer, self.column) or [])
