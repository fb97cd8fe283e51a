"""Spreadsheet files in and out: formulas never run (CSV injection), every imported row is
fully validated, foreign keys by readable values."""

import math

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from import_export.widgets import ForeignKeyWidget

# A leading =, +, - or @ (or a tab or carriage return before one) starts a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def is_number(text: str) -> bool:
    """Whether a spreadsheet reads the text as a number: "-5", "1e3"; not " 5", "nan" or "-inf"."""
    try:
        number = float(text)
    except ValueError:
        return False
    return text.strip() == text and math.isfinite(number)


def spreadsheet_safe(value):
    """`value` with a leading apostrophe when a spreadsheet would run it (numbers stay numbers)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not is_number(value):
        return "'" + value
    return value


class SpreadsheetSafeExportMixin:
    """For django-import-export resources: every exported text cell through spreadsheet_safe.

    (The library's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only drops a leading "=".)
    """

    def export_field(self, field, instance, **kwargs):
        return spreadsheet_safe(super().export_field(field, instance, **kwargs))


class FullValidationMixin:
    """For django-import-export resources: every row gets the model's full validation plus the
    rules of `row_refusals(instance)` (field → message); a failing row is reported with its
    row number, column, value and reason, and the admin then writes nothing."""

    def row_refusals(self, instance) -> dict[str, str]:
        return {}

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        for field, message in self.row_refusals(instance).items():
            errors.setdefault(field, []).append(ValidationError(message))
        super().validate_instance(instance, errors, validate_unique)


class ExistingObjectWidget(ForeignKeyWidget):
    """A foreign key by a readable column (a slug); an unknown value is a row error in words."""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except ObjectDoesNotExist:
            name = self.model._meta.verbose_name
            raise ValueError(f"No {name} with the {self.field} {value!r}.") from None
