"""One home per indicator kind: what an answer of each kind is, everywhere it is used.

Each kind is one class: its value column, its interview form fields and the browser
behaviour the form states, its unit and hard bounds, how an answer reads ("120
participants"), the value the report's statistics compare and the number series it feeds,
how the charts write its numbers, how the rules and the report read its options, the value
the progress section compares, the template of its printed sheet, and its cells in the
analysis export and the legacy import. Forms, selectors, progress, charts, exchange,
templates, the script and the demo ask `kind_of(indicator)` instead of naming a kind; the
lists of answer value columns (services, selectors, exchange, admin, API) and
Indicator.Kind's choices are read from the registry below.

Adding a kind:
- that keeps its value in an existing column (number, boolean, choice, selected, parts):
  one class here, added to KINDS (benchmarking/tests/test_kinds.py defines one in a test
  and follows it from the form to the report), and a migration for Indicator.kind's new
  choice (makemigrations writes it).
- with a column of its own (a "date" kind, say): the class names its `column` and `empty`
  value, and the column is one field of benchmarking.models.AnswerValue with its migration
  (Answer and Proposal, and their histories, get it). The value columns of the services,
  selectors, exports, admin and API, the "a value or a reason" constraint and
  AnswerValue.is_answered read VALUE_COLUMNS. What the column's Python value is (a date) is
  the class's business: its form field, how it reads, what the report compares.

benchmarking/tests/test_kinds.py checks that every kind is here and that no module outside
this package names a particular kind or writes out the list of value columns.
"""

from benchmarking.kinds.base import (
    MISSING,
    MULTI_SEPARATOR,
    NBSP,
    AnswerKind,
    number_text,
    option_code,
    option_of_code,
    with_unit,
)
from benchmarking.kinds.numbers import DecimalKind, IntegerKind, MoneyKind, NumberKind, PercentKind, YearKind
from benchmarking.kinds.options import ChoiceKind, MultiKind, OptionsKind, YesNoKind
from benchmarking.kinds.parts import CountsKind, PartsKind, SharesKind

KIND_MAX_LENGTH = 30  # Indicator.kind's column: a kind's name is at most this long

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


def kind_of(indicator) -> AnswerKind:
    return KINDS[indicator.kind]


def kind_choices(kinds: dict[str, AnswerKind] | None = None) -> list[tuple[str, tuple[str, str]]]:
    """Indicator.Kind's members: YEAR = "year", "Year", ... in the registry's order."""
    return [(name.upper(), (name, kind.label)) for name, kind in (kinds or KINDS).items()]


def value_columns(kinds: dict[str, AnswerKind] | None = None) -> dict[str, object]:
    """Each AnswerValue column a kind keeps its value in, with its value when it holds none, in
    the registry's order (number, boolean, choice, selected, parts)."""
    columns = {}
    for kind in (kinds or KINDS).values():
        columns.setdefault(kind.column, kind.empty)
    return columns


# The answer's value columns, and an answer that holds none (a reason alone, or nothing).
EMPTY_VALUE: dict[str, object] = value_columns()
VALUE_COLUMNS: tuple[str, ...] = tuple(EMPTY_VALUE)

__all__ = [
    "EMPTY_VALUE",
    "KIND_MAX_LENGTH",
    "KINDS",
    "MISSING",
    "MULTI_SEPARATOR",
    "NBSP",
    "VALUE_COLUMNS",
    "AnswerKind",
    "ChoiceKind",
    "CountsKind",
    "DecimalKind",
    "IntegerKind",
    "MoneyKind",
    "MultiKind",
    "NumberKind",
    "OptionsKind",
    "PartsKind",
    "PercentKind",
    "SharesKind",
    "YearKind",
    "YesNoKind",
    "kind_choices",
    "kind_of",
    "number_text",
    "option_code",
    "option_of_code",
    "value_columns",
    "with_unit",
]
