"""Numbers as the reader's language writes them: 1,234.5 in English, 1.234,5 in German."""

from decimal import Decimal

from django.utils import formats


def plain_number(value) -> str:
    """A number without trailing zeros or exponent, as typed and exported: 120, 0.5, 1500000."""
    return f"{Decimal(str(value)).normalize():f}"


def localized_number(value, *, grouping: bool = False) -> str:
    """`value` (a number or its plain text) with the active language's separators, keeping
    exactly the decimals it has: 0.5 stays one decimal, 350000 none."""
    number = Decimal(str(value))
    places = max(0, -number.as_tuple().exponent)
    return formats.number_format(number, decimal_pos=places, use_l10n=True, force_grouping=grouping)
