"""One home per indicator kind: what an answer of each kind is, everywhere it is used.

Each kind (Indicator.Kind) is one class: its interview form, the Answer columns a value
fills (demo, imports), how an answer reads ("120 participants"), the value the report's
statistics compare and the number series it feeds, how the charts write its numbers, and
the value the progress section compares. Forms, selectors, progress, charts and the demo
ask `kind_of(indicator)` instead of branching on the kind. Adding a kind is one class here
(and its choice in Indicator.Kind); tests/test_kinds.py checks that every kind is here.
"""

from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from benchmarking.models import Indicator
from ecei_site.numbers import localized_number

NBSP = "\u00a0"  # keeps "20 %" and "120 participants" on one line
MISSING = object()  # a missing-value reason (or no answer row): excluded from statistics, counted


def number_text(value) -> str:
    """A number as the expert typed it: 350000, 0.5 (0,5 in German), 1997; never 3.5E+5."""
    if value is None:
        return ""
    return localized_number(f"{Decimal(str(value)).normalize():f}")


def with_unit(value, unit: str) -> str:
    """ "1 person", "2 persons", "0.5 years": the unit in the singular for exactly one."""
    if not unit:
        return number_text(value)
    # English units are written in the plural ("persons"); other languages' units stay as written.
    if Decimal(str(value)) == 1 and unit.islower() and translation.get_language().startswith("en"):
        unit = unit[:-3] + "y" if unit.endswith("ies") else unit.removesuffix("s")
    return f"{number_text(value)}{NBSP}{unit}"


class AnswerKind:
    """The behaviour every kind has; each subclass fills in its own."""

    kind: str
    form_name: str  # its sub-form in benchmarking.forms.interviews
    counts_options = False  # the report counts the options chosen instead of summarising numbers
    grouping = True  # the charts write 12,000 with a thousands separator

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


class NumberKind(AnswerKind):
    form_name = "NumberForm"
    whole = False  # typed without decimals
    decimal_places = 4
    bounds = (None, None)  # hard bounds of the kind itself, beside the indicator's own
    latest_is_interview_year = False  # no later than the year of the interview

    def unit(self, indicator: Indicator) -> str:
        return indicator.unit

    def answer_fields(self, value) -> dict:
        return {"number": Decimal(value)}

    def comparable(self, indicator, row):
        return MISSING if row["number"] is None else float(row["number"])

    def series(self, indicator, value):
        return {"": value}

    def series_names(self, indicator):
        return [""]

    def format(self, indicator, answer):
        return "" if answer.number is None else with_unit(answer.number, self.unit(indicator))

    def progress_value(self, indicator, answer):
        return answer.number


class YearKind(NumberKind):
    kind = Indicator.Kind.YEAR
    grouping = False  # 2,016 is not a year
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


class ChoiceKind(AnswerKind):
    kind = Indicator.Kind.CHOICE
    form_name = "ChoiceForm"
    counts_options = True

    def answer_fields(self, value):
        return {"choice": value}

    def comparable(self, indicator, row):
        return row["choice"] or MISSING

    def format(self, indicator, answer):
        return indicator.option_label(answer.choice)

    def progress_value(self, indicator, answer):
        # Its position in the (ordered) option list.
        return Decimal(indicator.options.index(answer.choice)) if answer.choice in indicator.options else None


class MultiKind(AnswerKind):
    kind = Indicator.Kind.MULTI
    form_name = "MultiForm"
    counts_options = True

    def answer_fields(self, value):
        return {"selected": list(value)}

    def comparable(self, indicator, row):
        return MISSING if row["selected"] is None else list(row["selected"])

    def format(self, indicator, answer):
        return "; ".join(indicator.option_label(option) for option in answer.selected or [])

    def progress_value(self, indicator, answer):
        return None if answer.selected is None else Decimal(len(answer.selected))


class PartsKind(AnswerKind):
    form_name = "PartsForm"
    suffix = ""
    sum_is_100 = False  # the parts are shares of a whole

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
        if not indicator.parts_add_up:
            return parts
        total = sum(Decimal(str(v)) for v in answer.parts.values())
        return _("%(parts)s (total %(total)s)") % {"parts": parts, "total": f"{number_text(total)}{self.suffix}"}


class CountsKind(PartsKind):
    kind = Indicator.Kind.COUNTS

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
    sum_is_100 = True
    # Shares have no better or worse: no progress value.


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
