"""The variables of a catalogue version: one column per indicator, or per part.

This is the one place that says which variables an indicator has and what a missing value
writes; each kind's cells (benchmarking.kinds: `cells`, `form_input`) say how its value
becomes cells and cells become form input. The codebook documents these variables, the
analysis export writes them, and the legacy import reads them, so an exported file can be
imported again.

- numbers (year, integer, decimal, percent, money): the number, e.g. `120`, `0.5`;
- yes/no: `1` or `0`;
- choice: the option's code, its position in the catalogue's list from 1 (`2` = the
  second option);
- multi: the codes of the chosen options, separated by `;` (`1;3`);
- counts and shares: one variable per part, named `<code>_<part number>` (`A5_1`);
- a missing value: its code (`NA`, `UNK`, `ND`) in every variable of the indicator.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext

from benchmarking.kinds import kind_of
from benchmarking.models import Answer, Indicator

MISSING_CODES = {
    Answer.MissingReason.NOT_APPLICABLE: "NA",
    Answer.MissingReason.UNKNOWN: "UNK",
    Answer.MissingReason.NOT_DISCLOSED: "ND",
}
MISSING_REASONS = {code: reason for reason, code in MISSING_CODES.items()}


def missing_codes_text() -> str:
    """The missing-value codes as the codebook prints them: `NA, Not applicable | ...`."""
    return " | ".join(f"{code}, {reason.label}" for reason, code in MISSING_CODES.items())


@dataclass(frozen=True)
class Variable:
    name: str
    indicator: Indicator
    part: str | None = None  # the part's name, for counts and shares

    @property
    def label(self) -> str:
        return f"{self.indicator.wording}: {self.part}" if self.part else self.indicator.wording


def indicator_variables(indicator: Indicator) -> list[Variable]:
    parts = kind_of(indicator).variable_parts(indicator)
    if parts == [None]:
        return [Variable(indicator.code, indicator)]
    return [Variable(f"{indicator.code}_{i}", indicator, part) for i, part in enumerate(parts, 1)]


def catalogue_variables(indicators: Iterable[Indicator]) -> list[Variable]:
    """The variables of the indicators, in the catalogue's order."""
    return [variable for indicator in indicators for variable in indicator_variables(indicator)]


def encode(indicator: Indicator, answer, variables: list[Variable] | None = None) -> dict[str, str]:
    """The cells of one answer (an Answer, or anything with its columns), by variable name.

    `variables` are the indicator's, when the caller has them already (exports of many rows).
    """
    variables = variables or indicator_variables(indicator)
    if answer is None:
        return {v.name: "" for v in variables}
    if answer.missing_reason:
        return {v.name: MISSING_CODES[answer.missing_reason] for v in variables}
    cells = kind_of(indicator).cells(indicator, answer)
    return {variable.name: cell for variable, cell in zip(variables, cells, strict=True)}


def value_labels(indicator: Indicator) -> str:
    """Codes with their meaning, as REDCap's data dictionary writes them: `1, association | 2, ...`."""
    return kind_of(indicator).value_labels(indicator)


class CellError(ValueError):
    """A cell that cannot be read as the indicator's kind; the message says why."""

    def __init__(self, variable: str, value: str, reason: str):
        self.variable, self.value, self.reason = variable, value, reason
        super().__init__(reason)


def decode(indicator: Indicator, cells: Mapping[str, str]) -> dict | None:
    """Form input for one indicator from its cells; None when every cell is empty.

    The result is what the interview step's sub-form for this kind expects (its prefix
    left out), so that the form's own validation (bounds, shares summing to 100, a value
    or a reason) judges imported answers exactly as typed ones.
    """
    variables = indicator_variables(indicator)
    texts = {v.name: (cells.get(v.name) or "").strip() for v in variables}
    if not any(texts.values()):
        return None
    codes = {t for t in texts.values() if t in MISSING_REASONS}
    if codes:
        if len(codes) > 1 or any(t not in MISSING_REASONS for t in texts.values()):
            name = variables[0].name
            raise CellError(
                name, texts[name], gettext("a missing-value code must fill every part of the indicator alone")
            )
        return {"missing_reason": MISSING_REASONS[codes.pop()]}
    try:
        return kind_of(indicator).form_input(indicator, [texts[v.name] for v in variables])
    except ValueError as error:  # only one-variable kinds refuse a cell
        name = variables[0].name
        raise CellError(name, texts[name], str(error)) from error
