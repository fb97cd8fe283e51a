"""Reading translated catalogue data in queries (django-modeltranslation).

On an instance, `portfolio.name` already gives the reader's language with English as the
fallback. Across a relation in a query (`values("portfolio__name")`, `order_by`) the plain
column holds whichever language was active when the row was saved, so queries name the
language columns instead: `localized("portfolio__name")` for what a reader sees, or
`portfolio__name_en` for data that must not change with the language (exports).
"""

from django.db.models import CharField, F, Value
from django.db.models.functions import Coalesce, NullIf
from modeltranslation.utils import get_language

SOURCE_LANGUAGE = "en"


def localized(path: str, language: str | None = None):
    """`path` in the reader's language, or English where that translation is empty."""
    language = language or get_language()
    english = F(f"{path}_{SOURCE_LANGUAGE}")
    if language == SOURCE_LANGUAGE:
        return english
    return Coalesce(NullIf(F(f"{path}_{language}"), Value("")), english, output_field=CharField())


def source(path: str) -> str:
    """The English column of `path`: for exports and other data that is not a translation."""
    return f"{path}_{SOURCE_LANGUAGE}"


def missing_translations(obj) -> dict[str, list[str]]:
    """Per language, the translated fields of `obj` whose translation is missing (English has
    a text, the language has none; option labels that do not match the options one for one)."""
    from django.conf import settings
    from modeltranslation.translator import translator

    opts = translator.get_options_for_model(type(obj))
    missing = {}
    for language in settings.MODELTRANSLATION_LANGUAGES:
        if language == SOURCE_LANGUAGE:
            continue
        names = []
        for field in opts.fields:
            english = getattr(obj, f"{field}_{SOURCE_LANGUAGE}")
            translated = getattr(obj, f"{field}_{language}")
            if field == "option_labels":
                if obj.options and len(translated or []) != len(obj.options):
                    names.append("options")
            elif field == "kind_labels":
                if obj.kinds and len(translated or []) != len(obj.kinds):
                    names.append("kinds")
            elif english and not translated:
                names.append(field.replace("_", " "))
        if names:
            missing[language] = names
    return missing


def missing_translations_text(obj) -> str:
    """`es: help text, unit; de: wording`, or an empty string when nothing is missing."""
    return "; ".join(f"{language}: {', '.join(names)}" for language, names in missing_translations(obj).items())


def translated_history(*models) -> None:
    """Give each model's history the language columns modeltranslation added to the model
    (`wording_en`, `wording_es`, `wording_de`, ...), so that an edit of any language is kept
    with its old and new text, and the admin's history shows it.

    django-simple-history builds a model's history when the model class is made, before the
    app's translation.py adds those columns; each translation.py calls this once it has
    registered its models. The columns are plain copies of the model's (migrations create
    them: benchmarking 0016, clusters 0009). The history compares the language columns, not
    the plain one (`wording`), which holds whichever language was active when the row was
    saved: comparing it would report a change whenever two editors work in two languages."""
    from django.utils.module_loading import import_string
    from modeltranslation.fields import TranslationField

    for model in models:
        history = model.history.model
        present = {f.name for f in history._meta.local_fields}
        translated = [f for f in model._meta.local_fields if isinstance(f, TranslationField)]
        for field in translated:
            if field.name not in present:
                _name, path, args, kwargs = field.deconstruct()
                kwargs.pop("unique", None)  # a history holds many rows of one object
                kwargs.pop("db_index", None)
                import_string(path)(*args, **kwargs).contribute_to_class(history, field.name)
        originals = {f.translated_field.name for f in translated}
        kept = [f for f in history.tracked_fields if f.name not in originals and f not in translated]
        history.tracked_fields = kept + translated
