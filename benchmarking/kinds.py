"""One home per indicator kind: what an answer of each kind is, everywhere it is used.

Each kind (Indicator.Kind) is one class: its interview form and the browser behaviour the
form states, its unit and hard bounds, the Answer columns a value fills (demo, imports), how
an answer reads ("120 participants"), the value the report's statistics compare and the
number series it feeds, how the charts write its numbers, how the rules and the report read
its options, the value the progress section compares, how the printed questionnaire asks
for it, and its cells in the analysis export and the legacy import. Forms, selectors,
progress, charts, exchange, templates, the script and the demo ask `kind_of(indicator)`
instead of naming a kind. Adding a kind is one class here (and its choice in
Indicator.Kind); benchmarking/tests/test_kinds.py checks that every kind is here and that
no module outside this one names a particular kind.
"""

from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from benchmarking.models import Indicator
from ecei_site.numbers import figure, localized_number, plain_number

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


def option_code(indicator: Indicator, option: str) -> str:
    """An option's code in the exports: its position in the catalogue's list, from 1."""
    return str(indicator.options.index(option) + 1) if option in indicator.options else option


def option_of_code(indicator: Indicator, code: str) -> str:
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

    kind: str
    form_name: str  # its sub-form in benchmarking.forms.interviews
    counts_options = False  # the report counts the options chosen instead of summarising numbers
    grouping = True  # 12,000 is written with a thousands separator
    whole_figures = False  # its quartiles and medians are written as whole numbers (years)
    is_number = False  # one number: rules compare it with thresholds, the report ranks it
    has_parts = False  # a number per part (the indicator's options): one export variable each
    several = False  # several of the options may be chosen
    bounds = (None, None)  # hard bounds of the kind itself, beside the indicator's own
    # How the printed questionnaire asks for it: "line" (a line and the unit), "parts" (a
    # table), "options" (a box per option), "yes_or_no" (two boxes).
    sheet = "line"
    # Data attributes of the answer's card: what the interview script does with it, so that
    # the script does not know the kinds.
    card_data: dict[str, str] = {}

    def unit(self, indicator: Indicator) -> str:
        return indicator.unit

    def written(self, value) -> str:
        """A number of this kind as typed (an answer, a bound), in the reader's language."""
        return number_text(value, grouping=self.grouping)

    def figure(self, value) -> str:
        """A figure computed from answers of this kind (a quartile, a median), in the reader's
        language: rounded half up (ecei_site.numbers.figure), whole for years."""
        return figure(value, whole=self.whole_figures, grouping=self.grouping)

    def hard_bounds(self, indicator: Indicator) -> tuple:
        """The bounds the interview form enforces: the indicator's, within the kind's own."""
        lower, upper = indicator.min_value, indicator.max_value
        kind_lower, kind_upper = self.bounds
        if kind_lower is not None:
            lower = kind_lower if lower is None else max(lower, kind_lower)
        if kind_upper is not None:
            upper = kind_upper if upper is None else min(upper, kind_upper)
        return lower, upper

    def option_text(self, indicator: Indicator, option: str) -> str:
        """An option as the reader of a report sees it."""
        return indicator.option_label(option)

    def answer_fields(self, value) -> dict:
        """The Answer columns that hold a (not missing) value of this kind."""
        raise NotImplementedError

    def comparable(self, indicator: Indicator, row: dict):
        """The value the report's statistics use, from an answer row's columns, or MISSING."""
        raise NotImplementedError

    def series(self, indicator: Indicator, value) -> dict[str, float]:
        """The numeric series a comparable value feeds (none for counted options)."""
        return {}

    def series_names(self, indicator: Indicator) -> list[str]:
        """Every series the report shows for the indicator, in order."""
        return []

    def report_options(self, indicator: Indicator) -> list[str]:
        """The options a distribution lists, in order."""
        return list(indicator.options)

    def format(self, indicator: Indicator, answer) -> str:
        """The answer's value in words ("" when it holds none)."""
        raise NotImplementedError

    def progress_value(self, indicator: Indicator, answer) -> Decimal | None:
        """A number to compare across two benchmarkings, or None (see selectors.progress)."""
        return None

    # The analysis export and the legacy import (exchange.variables) ------------------------

    def variable_parts(self, indicator: Indicator) -> list[str | None]:
        """The part each export variable holds; [None]: one variable for the whole answer."""
        return [None]

    def cells(self, indicator: Indicator, answer) -> list[str]:
        """The answer's value (not missing) as export cells, one per variable."""
        raise NotImplementedError

    def form_input(self, indicator: Indicator, texts: list[str]) -> dict:
        """The form input that export cells (one per variable, not all empty) stand for; a
        ValueError says why a cell cannot be read. The form then judges it as typed."""
        return {"value": texts[0]}

    def value_labels(self, indicator: Indicator) -> str:
        """Its codes with their meaning, as the codebook writes them: `1, Yes | 0, No`."""
        return ""

    def export_label(self, indicator: Indicator, answer) -> str:
        """The value in words in the long export (English, like every export)."""
        return ""


class NumberKind(AnswerKind):
    form_name = "NumberForm"
    is_number = True
    whole = False  # typed without decimals
    decimal_places = 4
    latest_is_interview_year = False  # no later than the year of the interview

    def answer_fields(self, value) -> dict:
        return {"number": Decimal(value)}

    def comparable(self, indicator, row):
        return MISSING if row["number"] is None else float(row["number"])

    def series(self, indicator, value):
        return {"": value}

    def series_names(self, indicator):
        return [""]

    def format(self, indicator, answer):
        return "" if answer.number is None else with_unit(answer.number, self.unit(indicator), grouping=self.grouping)

    def progress_value(self, indicator, answer):
        return answer.number

    def cells(self, indicator, answer):
        return ["" if answer.number is None else plain_number(answer.number)]


class YearKind(NumberKind):
    kind = Indicator.Kind.YEAR
    grouping = False  # 2,016 is not a year
    whole_figures = True  # a median year of 1994.5 is no year
    whole = True
    latest_is_interview_year = True

    def unit(self, indicator):
        return ""


class IntegerKind(NumberKind):
    kind = Indicator.Kind.INTEGER
    whole = True


class DecimalKind(NumberKind):
    kind = Indicator.Kind.DECIMAL


class PercentKind(NumberKind):
    kind = Indicator.Kind.PERCENT
    decimal_places = 2
    bounds = (0, 100)

    def unit(self, indicator):
        return "%"


class MoneyKind(NumberKind):
    kind = Indicator.Kind.MONEY
    decimal_places = 2

    def unit(self, indicator):
        return "EUR"


class YesNoKind(AnswerKind):
    kind = Indicator.Kind.YES_NO
    form_name = "YesNoForm"
    counts_options = True
    sheet = "yes_or_no"

    def answer_fields(self, value):
        return {"boolean": bool(value)}

    def comparable(self, indicator, row):
        return MISSING if row["boolean"] is None else ("yes" if row["boolean"] else "no")

    def report_options(self, indicator):
        return ["yes", "no"]

    def format(self, indicator, answer):
        if answer.boolean is None:
            return ""
        return _("Yes") if answer.boolean else _("No")

    def progress_value(self, indicator, answer):
        return None if answer.boolean is None else Decimal(int(answer.boolean))

    def option_text(self, indicator, option):
        return {"yes": _("yes"), "no": _("no")}.get(option, option)

    def cells(self, indicator, answer):
        return ["" if answer.boolean is None else ("1" if answer.boolean else "0")]

    def form_input(self, indicator, texts):
        value = {"1": "yes", "0": "no", "yes": "yes", "no": "no"}.get(texts[0].lower())
        if value is None:
            raise ValueError(_("not 1 (yes) or 0 (no)"))
        return {"value": value}

    def value_labels(self, indicator):
        return "1, Yes | 0, No"

    def export_label(self, indicator, answer):
        return "Yes" if answer.boolean else "No"


class OptionsKind(AnswerKind):
    """One or several of the indicator's options."""

    counts_options = True
    sheet = "options"

    def value_labels(self, indicator):
        return " | ".join(f"{i}, {option}" for i, option in enumerate(indicator.options, 1))


class ChoiceKind(OptionsKind):
    kind = Indicator.Kind.CHOICE
    form_name = "ChoiceForm"

    def answer_fields(self, value):
        return {"choice": value}

    def comparable(self, indicator, row):
        return row["choice"] or MISSING

    def format(self, indicator, answer):
        return indicator.option_label(answer.choice)

    def progress_value(self, indicator, answer):
        # Its position in the (ordered) option list.
        return Decimal(indicator.options.index(answer.choice)) if answer.choice in indicator.options else None

    def cells(self, indicator, answer):
        return [option_code(indicator, answer.choice) if answer.choice else ""]

    def form_input(self, indicator, texts):
        return {"value": option_of_code(indicator, texts[0])}

    def export_label(self, indicator, answer):
        return answer.choice


class MultiKind(OptionsKind):
    kind = Indicator.Kind.MULTI
    form_name = "MultiForm"
    several = True
    card_data = {"data-arrow-keys": "checkboxes"}  # arrow keys move through the boxes

    def answer_fields(self, value):
        return {"selected": list(value)}

    def comparable(self, indicator, row):
        return MISSING if row["selected"] is None else list(row["selected"])

    def format(self, indicator, answer):
        return "; ".join(indicator.option_label(option) for option in answer.selected or [])

    def progress_value(self, indicator, answer):
        return None if answer.selected is None else Decimal(len(answer.selected))

    def cells(self, indicator, answer):
        return [MULTI_SEPARATOR.join(option_code(indicator, o) for o in answer.selected or [])]

    def form_input(self, indicator, texts):
        codes = [code.strip() for code in texts[0].split(MULTI_SEPARATOR)]
        return {"value": [option_of_code(indicator, code) for code in codes if code]}

    def export_label(self, indicator, answer):
        return "; ".join(answer.selected or [])


class PartsKind(AnswerKind):
    form_name = "PartsForm"
    has_parts = True
    sheet = "parts"
    bounds = (Decimal(0), None)
    whole = True  # each part typed without decimals
    decimal_places = 0
    suffix = ""
    total: Decimal | None = None  # what the parts must add up to (shares: 100)
    tolerance = Decimal(0)  # how far the typed total may be from it

    def adds_up(self, indicator: Indicator) -> bool:
        """Whether the parts' total means something (the form shows it, the answer reads it)."""
        return self.total is not None

    def hard_bounds(self, indicator):
        # Each part within the kind's bounds alone: a catalogue's min and max speak of one number.
        return self.bounds

    def answer_fields(self, value):
        return {"parts": dict(value)}

    def comparable(self, indicator, row):
        if not row["parts"]:
            return MISSING
        return {part: float(v) for part, v in row["parts"].items() if v is not None}

    def series(self, indicator, value):
        return {part: value[part] for part in indicator.options if part in value}

    def series_names(self, indicator):
        return list(indicator.options)

    def format(self, indicator, answer):
        if not answer.parts:
            return ""
        # In the catalogue's order: PostgreSQL's jsonb does not keep the keys' order.
        names = [o for o in indicator.options if o in answer.parts]
        names += [n for n in answer.parts if n not in names]
        parts = "; ".join(
            f"{indicator.option_label(name)}: {number_text(answer.parts[name])}{self.suffix}" for name in names
        )
        if not self.adds_up(indicator):
            return parts
        total = sum(Decimal(str(v)) for v in answer.parts.values())
        return _("%(parts)s (total %(total)s)") % {"parts": parts, "total": f"{number_text(total)}{self.suffix}"}

    def variable_parts(self, indicator):
        return list(indicator.options)

    def cells(self, indicator, answer):
        parts = answer.parts or {}
        return [plain_number(parts[part]) if part in parts else "" for part in indicator.options]

    def form_input(self, indicator, texts):
        return {f"part_{i}": text for i, text in enumerate(texts)}


class CountsKind(PartsKind):
    kind = Indicator.Kind.COUNTS

    def adds_up(self, indicator):
        # Counts checked against a total (A5 against A4) add up; joined and left (A7) do not.
        return indicator.cross_check == Indicator.CrossCheck.TOTAL_EQUALS

    def series(self, indicator, value):
        series = super().series(indicator, value)
        total = sum(value.values())
        if total > 0:  # each part's share of the total, e.g. the share of SMEs among the participants
            series |= {f"{part}|share": 100.0 * value[part] / total for part in indicator.options if part in value}
        return series

    def series_names(self, indicator):
        return [name for part in indicator.options for name in (part, f"{part}|share")]

    def progress_value(self, indicator, answer):
        if not answer.parts:
            return None
        return sum((Decimal(str(v)) for v in answer.parts.values()), Decimal(0))


class SharesKind(PartsKind):
    kind = Indicator.Kind.SHARES
    suffix = f"{NBSP}%"
    bounds = (Decimal(0), Decimal(100))
    whole = False
    decimal_places = 2
    total = Decimal(100)
    tolerance = Decimal("0.5")
    # Shares have no better or worse: no progress value.

    def unit(self, indicator):
        return "%"


KINDS: dict[str, AnswerKind] = {
    cls.kind: cls()
    for cls in (
        YearKind,
        IntegerKind,
        DecimalKind,
        PercentKind,
        MoneyKind,
        YesNoKind,
        ChoiceKind,
        MultiKind,
        CountsKind,
        SharesKind,
    )
}


def kind_of(indicator: Indicator) -> AnswerKind:
    return KINDS[indicator.kind]
