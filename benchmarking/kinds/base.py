"""What every indicator kind has, and the words and codes its answers are written with."""

from decimal import Decimal
from typing import TYPE_CHECKING

from django import forms
from django.utils import translation
from django.utils.translation import gettext as _

from ecei_site.numbers import figure, localized_number, plain_number

if TYPE_CHECKING:
    from benchmarking.models import Indicator

NBSP = "\u00a0"  # keeps "20 %" and "120 participants" on one line
MISSING = object()  # a missing-value reason (or no answer row): excluded from statistics, counted
MULTI_SEPARATOR = ";"  # between the option codes of one export cell


def number_text(value, *, grouping: bool = True) -> str:
    """A number with exactly the decimals the expert typed, as the reader's language writes it:
    350,000 (350.000 in German), 0.5 (0,5 in German), 1997 (`grouping` False: years); never 3.5E+5."""
    if value is None:
        return ""
    return localized_number(plain_number(value), grouping=grouping)


def with_unit(value, unit: str, *, grouping: bool = True) -> str:
    """ "1 person", "2 persons", "0.5 years": the unit in the singular for exactly one."""
    if not unit:
        return number_text(value, grouping=grouping)
    # English units are written in the plural ("persons"); other languages' units stay as written.
    if Decimal(str(value)) == 1 and unit.islower() and translation.get_language().startswith("en"):
        unit = unit[:-3] + "y" if unit.endswith("ies") else unit.removesuffix("s")
    return f"{number_text(value, grouping=grouping)}{NBSP}{unit}"


def option_code(indicator: "Indicator", option: str) -> str:
    """An option's code in the exports: its position in the catalogue's list, from 1."""
    return str(indicator.options.index(option) + 1) if option in indicator.options else option


def option_of_code(indicator: "Indicator", code: str) -> str:
    """The option a code (or the option's own words) names; ValueError with the reason if none."""
    if code.isdigit() and 1 <= int(code) <= len(indicator.options):
        return indicator.options[int(code) - 1]
    if code in indicator.options:  # the option's words are accepted too
        return code
    raise ValueError(
        _("not an option code of %(code)s (1 to %(n)s)") % {"code": indicator.code, "n": len(indicator.options)}
    )


class AnswerKind:
    """The behaviour every kind has; each subclass fills in its own."""

    kind: str  # its value in Indicator.kind (at most 30 characters)
    label = ""  # its name in the catalogue's admin (Indicator.Kind's label)
    # The AnswerValue column its value fills, and that column's value when it holds none. A
    # column is a field of benchmarking.models.AnswerValue: a kind with a new one adds that
    # field (and its migration); every list of value columns is read from the registry.
    column: str
    empty = None
    form_name: str  # its sub-form in benchmarking.forms.indicators: the layout around the fields
    counts_options = False  # the report counts the options chosen instead of summarising numbers
    grouping = True  # 12,000 is written with a thousands separator
    whole_figures = False  # its quartiles and medians are written as whole numbers (years)
    is_number = False  # one number: rules compare it with thresholds, the report ranks it
    has_parts = False  # a number per part (the indicator's options): one export variable each
    several = False  # several of the options may be chosen
    bounds = (None, None)  # hard bounds of the kind itself, beside the indicator's own
    # How the printed questionnaire asks for it (benchmarking/questionnaire/_sheet.html
    # includes it, with `item`, `indicator` and `kind`): a line and the unit by default.
    sheet_template = "benchmarking/questionnaire/sheet/line.html"
    # Data attributes of the answer's card: what the interview script does with it, so that
    # the script does not know the kinds.
    card_data: dict[str, str] = {}

    def unit(self, indicator: "Indicator") -> str:
        return indicator.unit

    def written(self, value) -> str:
        """A number of this kind as typed (an answer, a bound), in the reader's language."""
        return number_text(value, grouping=self.grouping)

    def figure(self, value) -> str:
        """A figure computed from answers of this kind (a quartile, a median), in the reader's
        language: rounded half up (ecei_site.numbers.figure), whole for years."""
        return figure(value, whole=self.whole_figures, grouping=self.grouping)

    def hard_bounds(self, indicator: "Indicator") -> tuple:
        """The bounds the interview form enforces: the indicator's, within the kind's own."""
        lower, upper = indicator.min_value, indicator.max_value
        kind_lower, kind_upper = self.bounds
        if kind_lower is not None:
            lower = kind_lower if lower is None else max(lower, kind_lower)
        if kind_upper is not None:
            upper = kind_upper if upper is None else min(upper, kind_upper)
        return lower, upper

    def option_text(self, indicator: "Indicator", option: str) -> str:
        """An option as the reader of a report sees it."""
        return indicator.option_label(option)

    # The interview form (benchmarking.forms.indicators lays the fields out and checks them) ----

    def form_fields(self, indicator: "Indicator") -> dict[str, forms.Field]:
        """The fields that take a value of this kind (not required: a reason may replace it)."""
        raise NotImplementedError

    def form_columns(self, indicator: "Indicator", cleaned: dict) -> dict:
        """The Answer value columns for the cleaned input; {} when no value was given."""
        value = cleaned.get("value")
        return {} if value in (None, "", []) else self.answer_fields(value)

    def form_initial(self, indicator: "Indicator", answer) -> dict:
        """The form's initial input for a stored answer's value."""
        return {"value": getattr(answer, self.column)}

    # The answer, its statistics and its words ------------------------------------------------

    def answer_fields(self, value) -> dict:
        """The Answer columns that hold a (not missing) value of this kind."""
        return {self.column: value}

    def comparable(self, indicator: "Indicator", row: dict):
        """The value the report's statistics use, from an answer row's columns, or MISSING."""
        raise NotImplementedError

    def series(self, indicator: "Indicator", value) -> dict[str, float]:
        """The numeric series a comparable value feeds (none for counted options)."""
        return {}

    def series_names(self, indicator: "Indicator") -> list[str]:
        """Every series the report shows for the indicator, in order."""
        return []

    def report_options(self, indicator: "Indicator") -> list[str]:
        """The options a distribution lists, in order."""
        return list(indicator.options)

    def format(self, indicator: "Indicator", answer) -> str:
        """The answer's value in words ("" when it holds none)."""
        raise NotImplementedError

    def progress_value(self, indicator: "Indicator", answer) -> Decimal | None:
        """A number to compare across two benchmarkings, or None (see selectors.progress)."""
        return None

    # The analysis export and the legacy import (exchange.variables) ------------------------

    def variable_parts(self, indicator: "Indicator") -> list[str | None]:
        """The part each export variable holds; [None]: one variable for the whole answer."""
        return [None]

    def cells(self, indicator: "Indicator", answer) -> list[str]:
        """The answer's value (not missing) as export cells, one per variable."""
        raise NotImplementedError

    def form_input(self, indicator: "Indicator", texts: list[str]) -> dict:
        """The form input that export cells (one per variable, not all empty) stand for; a
        ValueError says why a cell cannot be read. The form then judges it as typed."""
        return {"value": texts[0]}

    def value_labels(self, indicator: "Indicator") -> str:
        """Its codes with their meaning, as the codebook writes them: `1, Yes | 0, No`."""
        return ""

    def export_label(self, indicator: "Indicator", answer) -> str:
        """The value in words in the long export (English, like every export)."""
        return ""
