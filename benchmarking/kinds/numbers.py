"""Kinds whose answer is one number: a year, a whole number, a decimal, a percent, money."""

from decimal import Decimal

from django.utils.translation import gettext_lazy

from benchmarking.kinds.base import MISSING, AnswerKind, with_unit
from benchmarking.kinds.fields import NumberField, WholeNumberField, number_widget, typed
from ecei_site.numbers import plain_number


class NumberKind(AnswerKind):
    column = "number"
    form_name = "NumberForm"
    is_number = True
    whole = False  # typed without decimals
    decimal_places = 4
    latest_is_interview_year = False  # no later than the year of the interview

    def form_fields(self, indicator):
        if self.whole:
            field = WholeNumberField(required=False, widget=number_widget(whole=True, css_class="text-end"))
        else:
            field = NumberField(
                required=False, max_digits=18, decimal_places=self.decimal_places,
                widget=number_widget(whole=False, css_class="text-end"),
            )  # fmt: skip
        field.label = gettext_lazy("Value")
        return {"value": field}

    def form_columns(self, indicator, cleaned):
        value = cleaned.get("value")
        return {} if value is None else self.answer_fields(value)

    def form_initial(self, indicator, answer):
        return {"value": typed(getattr(answer, self.column))}

    def answer_fields(self, value) -> dict:
        return {self.column: Decimal(value)}

    def comparable(self, indicator, row):
        value = row[self.column]
        return MISSING if value is None else float(value)

    def series(self, indicator, value):
        return {"": value}

    def series_names(self, indicator):
        return [""]

    def format(self, indicator, answer):
        value = getattr(answer, self.column)
        return "" if value is None else with_unit(value, self.unit(indicator), grouping=self.grouping)

    def progress_value(self, indicator, answer):
        return getattr(answer, self.column)

    def cells(self, indicator, answer):
        value = getattr(answer, self.column)
        return ["" if value is None else plain_number(value)]


class YearKind(NumberKind):
    kind = "year"
    label = gettext_lazy("Year")
    grouping = False  # 2,016 is not a year
    whole_figures = True  # a median year of 1994.5 is no year
    whole = True
    latest_is_interview_year = True

    def unit(self, indicator):
        return ""


class IntegerKind(NumberKind):
    kind = "integer"
    label = gettext_lazy("Whole number")
    whole = True


class DecimalKind(NumberKind):
    kind = "decimal"
    label = gettext_lazy("Decimal number")


class PercentKind(NumberKind):
    kind = "percent"
    label = gettext_lazy("Percent")
    decimal_places = 2
    bounds = (0, 100)

    def unit(self, indicator):
        return "%"


class MoneyKind(NumberKind):
    kind = "money"
    label = gettext_lazy("Money (EUR)")
    decimal_places = 2

    def unit(self, indicator):
        return "EUR"
