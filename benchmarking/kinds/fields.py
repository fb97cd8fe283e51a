"""The form fields of numbers, as the interview's answers take them.

A number is typed as the reader's language writes it (350,000 in English, 350.000 in German);
from a data file (the legacy import), as spreadsheets write it. The indicator kinds build their
answer's fields from these (benchmarking.kinds).
"""

import re
from decimal import Decimal

from django import forms

from ecei_site.numbers import NumberRefused, localized_number, parse_number, plain_number


def number_widget(*, whole: bool, css_class: str) -> forms.TextInput:
    """A text box for a number: a phone shows its number pad, and unlike <input type=number>
    the mouse wheel and the arrow keys never change the value, nor does the browser drop
    input it cannot parse ("1,5"): what was typed stays there for the form to judge."""
    return forms.TextInput(
        attrs={"class": css_class, "inputmode": "numeric" if whole else "decimal", "autocomplete": "off",
               "spellcheck": "false"}
    )


def _file_number(value):
    """A number from a data file (the legacy import): plain, or with a decimal comma and digit-group
    spaces as spreadsheets write them ("1,5", "350 000")."""
    if isinstance(value, str):
        value = re.sub(r"[\s\u00a0\u202f]", "", value)
        if "," in value and "." not in value:
            value = value.replace(",", ".")
    return value


def typed_number(value, *, from_file: bool):
    """What a number field holds: a Decimal read as the reader's language writes numbers
    (ecei_site.numbers.parse_number: 350,000 in English, 350.000 in German), or, from a data
    file, as the file writes them."""
    if from_file:
        return _file_number(value)
    if isinstance(value, str) and value.strip():
        try:
            return parse_number(value)
        except NumberRefused as refused:
            raise forms.ValidationError(str(refused), code="invalid") from refused
    return value


class WholeNumberField(forms.IntegerField):
    from_file = False  # set by a form built for the legacy import

    def to_python(self, value):
        return super().to_python(typed_number(value, from_file=self.from_file))


class NumberField(forms.DecimalField):
    from_file = False

    def to_python(self, value):
        return super().to_python(typed_number(value, from_file=self.from_file))


def typed(value) -> str | None:
    """A stored number as a number field shows it to be typed again: 0,5 in German, never grouped
    (350000 reads the same in every language)."""
    return None if value is None else localized_number(plain_number(value))


def json_number(value: Decimal):
    """Parts are stored as JSON numbers: whole numbers as int, others as float."""
    return int(value) if value == value.to_integral_value() else float(value)
