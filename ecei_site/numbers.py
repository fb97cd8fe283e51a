"""Numbers as the reader's language writes them: 1,234.5 in English, 1.234,5 in German."""

from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal

from django.utils import formats


def plain_number(value) -> str:
    """A number without trailing zeros or exponent, as typed and exported: 120, 0.5, 1500000."""
    return f"{Decimal(str(value)).normalize():f}"


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
