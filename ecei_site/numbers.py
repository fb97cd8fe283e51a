"""Numbers as the reader's language writes them: 1,234.5 in English, 1.234,5 in German.

A figure (a quartile, a median, a rank, a share, a score) is written by `figure` alone: rounded
half up from its decimal value (4.175 -> 4.18, not 4.17 as the binary float would round), at
most two decimals, or whole (ranks, years), then grouped as the reader's language groups
(settings.FORMAT_MODULE_PATH). `parse_number` reads a number typed in the reader's language
and refuses what could mean two numbers.
"""

import re
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats
from django.utils.translation import gettext

FIGURE_PLACES = 2  # decimals of a figure at most (quartiles, medians, shares, scores)


def plain_number(value) -> str:
    """A number without trailing zeros or exponent, as typed and exported: 120, 0.5, 1500000."""
    return f"{Decimal(str(value)).normalize():f}"


def decimal_of(value) -> Decimal:
    """The decimal a number stands for: a float by its shortest repr (4.175, not
    4.17499999999999982236431605997495353221893310546875)."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def rounded(value, places: int = FIGURE_PLACES) -> Decimal:
    """Rounded half up (away from zero: -4.175 -> -4.18, as 4.175 -> 4.18) to `places` decimals."""
    number = decimal_of(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return number if number else Decimal(0)  # never "-0"


def figure(value, *, whole: bool = False, grouping: bool = True) -> str:
    """A figure as the reader's language writes it: rounded half up to two decimals (`whole`:
    to a whole number), trailing zeros dropped, thousands grouped unless `grouping` is False
    (years). None is a dash."""
    if value is None:
        return "–"
    return localized_number(plain_number(rounded(value, 0 if whole else FIGURE_PLACES)), grouping=grouping)


def rank_figure(value) -> str:
    """A percentile rank as a whole number, rounded half up (12.5 -> 13, 37.5 -> 38)."""
    return figure(value, whole=True)


def legacy_figure(value, *, grouping: bool = True) -> str:
    """How figures were written before the rounding rule (binary floats, ties to even): kept
    only for the reports issued then (snapshot schema 1), which are documents and keep their
    text. Never use it for anything new: use `figure`."""
    if value is None:
        return "–"
    text = f"{round(value)}" if abs(value - round(value)) < 1e-9 else f"{value:.2f}".rstrip("0").rstrip(".")
    return localized_number(text, grouping=grouping)


def legacy_rank(value) -> str:
    """How ranks were written before the rounding rule (ties to even); see legacy_figure."""
    return "–" if value is None else f"{round(value)}"


# The words of numbers kept by the caller of `keeping` (one language, one block of work).
_kept: ContextVar[dict | None] = ContextVar("kept_numbers", default=None)
KEPT_MAX = 100_000  # numbers per dict at most: a few MB


@contextmanager
def keeping(words: dict):
    """Within the block, localized_number keeps what it writes in `words`, which the caller
    keeps for one language (the active one throughout): the reports that seed_demo issues write
    the same few thousand numbers a million times, each costing a lookup of the formats."""
    token = _kept.set(words)
    try:
        yield
    finally:
        _kept.reset(token)


def localized_number(value, *, grouping: bool = False) -> str:
    """`value` (a number or its plain text) with the active language's separators, keeping
    exactly the decimals it has: 0.5 stays one decimal, 350000 none."""
    kept = _kept.get()
    if kept is None:
        return _localized_number(str(value), grouping)
    key = (str(value), grouping)
    text = kept.get(key)
    if text is None:
        text = _localized_number(key[0], grouping)
        if len(kept) < KEPT_MAX:
            kept[key] = text
    return text


def _localized_number(value: str, grouping: bool) -> str:
    number = Decimal(value)
    places = max(0, -number.as_tuple().exponent)
    return formats.number_format(number, decimal_pos=places, use_l10n=True, force_grouping=grouping)


# --- Reading a number typed in the reader's language ---------------------------------------

SPACES = " \u00a0\u202f"  # a space, a no-break space, a narrow no-break space: digit groups anywhere
NBSP = "\u00a0"


class NumberRefused(ValueError):
    """A typed number that cannot be read, or could be read two ways; the message says how to write it."""


def separators() -> tuple[str, str]:
    """The active language's decimal separator and the separators it groups thousands with:
    its own, spaces, and a point where the comma is the decimal separator (350.000 in Spanish)."""
    decimal, group = formats.get_format("DECIMAL_SEPARATOR"), formats.get_format("THOUSAND_SEPARATOR")
    groups = {group, *SPACES} | ({"."} if decimal == "," else set())
    return decimal, "".join(sorted(groups - {decimal, ""}))


def _integer_digits(text: str, groups: str) -> str | None:
    """The digits of an integer part written plainly or in groups of three; None if neither."""
    if text.isdigit() and text.isascii():
        return text
    for sep in groups:
        if re.fullmatch(rf"[1-9][0-9]{{0,2}}(?:{re.escape(sep)}[0-9]{{3}})+", text):  # 0,125 groups nothing
            return text.replace(sep, "")
    return None


def parse_number(text: str) -> Decimal:
    """A number typed in the active language: 350,000 and 1,234.5 in English, 350.000 and
    1.234,5 in German, 350 000 in any language. NumberRefused says why a text is refused:
    not a number as the language writes it (1,5 in English, where a comma groups thousands),
    or one that could mean two numbers (350.000 in English: 350 with three decimals, or
    350 thousand as German writes it)."""
    decimal, groups = separators()
    stripped = text.strip()
    sign, unsigned = "", stripped
    if unsigned[:1] in ("+", "-", "\u2212"):
        sign, unsigned = ("" if unsigned[0] == "+" else "-"), unsigned[1:].strip()
    integer, has_decimal, fraction = unsigned.partition(decimal)
    digits = _integer_digits(integer, groups) if integer else ("0" if has_decimal else None)
    if digits is None or (has_decimal and not (fraction.isdigit() and fraction.isascii())):
        raise NumberRefused(_refusal(stripped, decimal))
    if has_decimal and len(fraction) == 3 and integer.isdigit() and len(integer) <= 3 and integer.strip("0"):
        # 350.000 in English, 350,000 in German: as the other writes it, 350 thousand.
        raise NumberRefused(_ambiguous(stripped, integer, fraction))
    return Decimal(f"{sign}{digits}.{fraction}" if has_decimal else f"{sign}{digits}")


def _refusal(text: str, decimal: str) -> str:
    return gettext(
        "“%(text)s” cannot be read as a number here. Write it for example as %(large)s or %(small)s: "
        "“%(decimal)s” before the decimals, thousands grouped in threes or not at all."
    ) % {"text": text, "large": figure(350000), "small": figure(Decimal("1.5")), "decimal": decimal}


def _ambiguous(text: str, integer: str, fraction: str) -> str:
    return gettext(
        "“%(text)s” could mean %(small)s (with decimals) or %(large)s (in thousands). "
        "Write %(large_plain)s or %(large)s for the larger number, %(small)s for the smaller."
    ) % {
        "text": text,
        "small": localized_number(plain_number(Decimal(f"{integer}.{fraction}"))),
        "large": f"{integer}{NBSP}{fraction}",
        "large_plain": f"{integer}{fraction}",
    }
