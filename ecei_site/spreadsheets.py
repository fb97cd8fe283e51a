"""Spreadsheet files in and out: formulas never run (CSV injection), every imported row is
fully validated, foreign keys by readable values."""

import math

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.utils.translation import gettext as _
from import_export.forms import ImportForm
from import_export.widgets import ForeignKeyWidget

from ecei_site.uploads import (
    UnreadableFile,
    missing_columns_refusal,
    read_csv_rows,
    separator_refusal,
    upload_text,
)

SEPARATOR_OF_FORMAT = {"csv": ",", "tsv": "\t"}

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


class TableImportForm(ImportForm):
    """The admin's import form (django-import-export) for every ImportMixin admin: a file the
    chosen format cannot read, or without the columns the import needs, is refused next to
    the file field with a message in words (ecei_site.uploads), not the library's exception name."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.formats, self.resources = formats, resources

    def clean(self):
        cleaned = super().clean()
        upload, index = cleaned.get("import_file"), cleaned.get("format")
        if upload is None or not index:
            return cleaned
        resource = self.resources[int(cleaned.get("resource") or 0)]()
        required = [resource.fields[name].column_name for name in resource.get_import_id_fields()]
        try:
            header = table_header(upload.read(), upload.name, self.formats[int(index)](encoding="utf-8-sig"))
            refusal = missing_columns_refusal(header, required, upload.name)
        except UnreadableFile as exc:
            refusal = str(exc)
        finally:
            upload.seek(0)  # the admin reads it again
        if refusal:
            self.add_error("import_file", refusal)
        return cleaned


def table_header(content: bytes, filename: str, input_format) -> list[str]:
    """The column names of an uploaded file in `input_format`, or UnreadableFile saying why not."""
    title = input_format.get_title()
    data = content
    if not input_format.is_binary():
        data = upload_text(content, filename)
        if title in SEPARATOR_OF_FORMAT:
            refusal = separator_refusal(data, filename, SEPARATOR_OF_FORMAT[title])
            if refusal:
                raise UnreadableFile(refusal)
            for _row in read_csv_rows(data, SEPARATOR_OF_FORMAT[title], filename):
                pass  # a line the csv module cannot parse is refused with its number
    try:
        dataset = input_format.create_dataset(data)
    except Exception as exc:  # each format's library raises its own kinds for a file it cannot read
        raise UnreadableFile(
            _("%(file)s cannot be read as %(format)s. Check that the format chosen matches the file.")
            % {"file": filename, "format": title}
        ) from exc
    return [str(name) for name in (dataset.headers or [])]
