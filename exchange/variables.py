"""The variables of a catalogue version: one column per indicator, or per part.

This is the one place that says how an answer becomes cells and cells become an answer.
The codebook documents these variables, the analysis export writes them, and the legacy
import reads them, so an exported file can be imported again.

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
from decimal import Decimal

from django.utils.translation import gettext

from benchmarking.models import Answer, Indicator

MISSING_CODES = {
    Answer.MissingReason.NOT_APPLICABLE: "NA",
    Answer.MissingReason.UNKNOWN: "UNK",
    Answer.MissingReason.NOT_DISCLOSED: "ND",
}
MISSING_REASONS = {code: reason for reason, code in MISSING_CODES.items()}
MULTI_SEPARATOR = ";"


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
    if indicator.has_parts:
        return [Variable(f"{indicator.code}_{i}", indicator, part) for i, part in enumerate(indicator.options, 1)]
    return [Variable(indicator.code, indicator)]


def catalogue_variables(indicators: Iterable[Indicator]) -> list[Variable]:
    """The variables of the indicators, in the catalogue's order."""
    return [variable for indicator in indicators for variable in indicator_variables(indicator)]


def number_text(value) -> str:
    """A number without trailing zeros or exponent: 120, 0.5, 1500000."""
    return f"{Decimal(str(value)).normalize():f}"


def option_code(indicator: Indicator, option: str) -> str:
    return str(indicator.options.index(option) + 1) if option in indicator.options else option


def encode(indicator: Indicator, answer, variables: list[Variable] | None = None) -> dict[str, str]:
    """The cells of one answer (an Answer, or anything with its columns), by variable name.

    `variables` are the indicator's, when the caller has them already (exports of many rows).
    """
    variables = variables or indicator_variables(indicator)
    if answer is None:
        return {v.name: "" for v in variables}
    if answer.missing_reason:
        return {v.name: MISSING_CODES[answer.missing_reason] for v in variables}
    kind = indicator.kind
    if indicator.has_parts:
        parts = answer.parts or {}
        return {v.name: number_text(parts[v.part]) if v.part in parts else "" for v in variables}
    if kind in Indicator.NUMBER_KINDS:
        value = "" if answer.number is None else number_text(answer.number)
    elif kind == Indicator.Kind.YES_NO:
        value = "" if answer.boolean is None else ("1" if answer.boolean else "0")
    elif kind == Indicator.Kind.CHOICE:
        value = option_code(indicator, answer.choice) if answer.choice else ""
    else:
        value = MULTI_SEPARATOR.join(option_code(indicator, o) for o in answer.selected or [])
    return {indicator.code: value}


def value_labels(indicator: Indicator) -> str:
    """Options with their codes, as REDCap's data dictionary writes them: `1, association | 2, ...`."""
    if indicator.has_options:
        return " | ".join(f"{i}, {option}" for i, option in enumerate(indicator.options, 1))
    if indicator.kind == Indicator.Kind.YES_NO:
        return "1, Yes | 0, No"
    return ""


class CellError(ValueError):
    """A cell that cannot be read as the indicator's kind; the message says why."""

    def __init__(self, variable: str, value: str, reason: str):
        self.variable, self.value, self.reason = variable, value, reason
        super().__init__(reason)


def _option(indicator: Indicator, variable: str, code: str) -> str:
    if code.isdigit() and 1 <= int(code) <= len(indicator.options):
        return indicator.options[int(code) - 1]
    if code in indicator.options:  # the option's words are accepted too
        return code
    raise CellError(
        variable,
        code,
        gettext("not an option code of %(code)s (1 to %(n)s)") % {"code": indicator.code, "n": len(indicator.options)},
    )


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
    kind = indicator.kind
    if indicator.has_parts:
        return {f"part_{i}": texts[v.name] for i, v in enumerate(variables)}
    name, text = indicator.code, texts[indicator.code]
    if kind in Indicator.NUMBER_KINDS:
        return {"value": text}  # the form says whether it is a number within bounds
    if kind == Indicator.Kind.YES_NO:
        value = {"1": "yes", "0": "no", "yes": "yes", "no": "no"}.get(text.lower())
        if value is None:
            raise CellError(name, text, gettext("not 1 (yes) or 0 (no)"))
        return {"value": value}
    if kind == Indicator.Kind.CHOICE:
        return {"value": _option(indicator, name, text)}
    return {"value": [_option(indicator, name, code.strip()) for code in text.split(MULTI_SEPARATOR) if code.strip()]}
