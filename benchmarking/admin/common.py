"""What the benchmarking admins share: choices read once per request, read-only inlines, the
column of missing translations."""

from django.contrib import admin

from ecei_site.admin_history import ReadOnlyAdmin
from ecei_site.translated import missing_translations_text


class SharedChoicesMixin:
    """Evaluate each foreign-key select's choices once per request, not once per inline row.

    Without this an inline of 36 indicators runs one query per row and select, so the page's
    query count grows with the catalogue.
    """

    shared_choice_fields: tuple[str, ...] = ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name in self.shared_choice_fields and field is not None:
            cache = request.__dict__.setdefault("_shared_admin_choices", {})
            key = (type(self).__name__, db_field.name)
            if key not in cache:
                cache[key] = list(field.choices)
            field.choices = cache[key]
        return field


class ReadOnlyInline(ReadOnlyAdmin):
    extra = 0
    can_delete = False


class MissingTranslationsColumn:
    """A list column naming the Spanish and German texts still missing (they show in English)."""

    @admin.display(description="translations missing")
    def translations_missing(self, obj):
        return missing_translations_text(obj) or "-"
