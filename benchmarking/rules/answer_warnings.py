"""The soft warnings on an answer (domain.md: plausible ranges and cross-checks of the catalogue):
which apply, and how a stored one reads in the reader's language. The expert may confirm them;
they never block a save."""

import functools
import hashlib
import re
from collections.abc import Mapping
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from benchmarking.models import Indicator
from ecei_site.numbers import localized_number, plain_number

# A warning the expert confirmed is stored with the answer (Answer.accepted_warnings) as
# written here, in English: a confirmation then holds whatever language the page is read in,
# and the confirm box's token stays the same. `translated_warning` translates at display.
WARNING_TOO_LOW = gettext_noop("%(value)s is unusually low for %(code)s (expected at least %(bound)s).")
WARNING_TOO_HIGH = gettext_noop("%(value)s is unusually high for %(code)s (expected at most %(bound)s).")
WARNING_TOTAL = gettext_noop("The total of %(code)s (%(value)s) differs from %(other)s (%(other_value)s).")
WARNING_ABOVE = gettext_noop("%(code)s (%(value)s) is above %(other)s (%(other_value)s).")
WARNINGS = (WARNING_TOO_LOW, WARNING_TOO_HIGH, WARNING_TOTAL, WARNING_ABOVE)


@functools.cache
def _warning_pattern(template: str) -> re.Pattern:
    return re.compile(re.sub(r"%\\\((\w+)\\\)s", r"(?P<\1>.+?)", re.escape(template)))


def translated_warning(text: str, *, grouping: bool = True) -> str:
    """A stored warning in the reader's language, its numbers written as the language writes
    them (`grouping` False: years); a text of another origin is shown as it is."""
    for template in WARNINGS:
        match = _warning_pattern(template).fullmatch(text)
        if match:
            values = {name: _number_words(value, grouping) for name, value in match.groupdict().items()}
            return _(template) % values
    return text


def _number_words(text: str, grouping: bool) -> str:
    """A number of a stored warning (written plainly: 10000, 99.5) in the reader's language."""
    try:
        return localized_number(plain_number(text), grouping=grouping)
    except ArithmeticError:  # a code (A4), not a number
        return text


def warning_token(message: str) -> str:
    """A short, stable id of a warning text: the confirm checkbox carries it."""
    return hashlib.sha256(message.encode()).hexdigest()[:12]


def _fmt(number) -> str:
    number = Decimal(str(number)).normalize()
    return f"{number:f}"


def answer_warnings(*, indicator: Indicator, fields: Mapping, other: Mapping | None) -> list[str]:
    """The soft warnings for one answer: plausible-range and cross-check rules of the catalogue.

    `fields` are the Answer columns about to be saved; `other` those of the indicator named
    by `indicator.cross_check_with` (from this step's input or the stored answer), if any.
    """
    if fields.get("missing_reason"):
        return []
    warnings = []
    number = fields.get("number")
    if number is not None and indicator.soft_min is not None and number < indicator.soft_min:
        warnings.append(
            WARNING_TOO_LOW % {"value": _fmt(number), "code": indicator.code, "bound": _fmt(indicator.soft_min)}
        )
    if number is not None and indicator.soft_max is not None and number > indicator.soft_max:
        warnings.append(
            WARNING_TOO_HIGH % {"value": _fmt(number), "code": indicator.code, "bound": _fmt(indicator.soft_max)}
        )
    other_number = (other or {}).get("number")
    target = indicator.cross_check_with
    if target is None or other_number is None:
        return warnings
    if indicator.cross_check == Indicator.CrossCheck.TOTAL_EQUALS and fields.get("parts"):
        total = sum(Decimal(str(v)) for v in fields["parts"].values())
        if total != other_number:
            values = {"code": indicator.code, "value": _fmt(total), "other": target.code}
            warnings.append(WARNING_TOTAL % {**values, "other_value": _fmt(other_number)})
    if indicator.cross_check == Indicator.CrossCheck.NOT_ABOVE and number is not None and number > other_number:
        warnings.append(
            WARNING_ABOVE
            % {"code": indicator.code, "value": _fmt(number), "other": target.code, "other_value": _fmt(other_number)}
        )
    return warnings
