"""Names of regions and size bands in each language (a standard group's names: SavedComparison.names)."""

from modeltranslation.translator import TranslationOptions, register

from comparisons.models import Region, SizeBand
from ecei_site.translated import translated_history


@register(Region)
class RegionTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("en",)


@register(SizeBand)
class SizeBandTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("en",)


# Their histories keep every language's old and new name.
translated_history(Region)
translated_history(SizeBand)
