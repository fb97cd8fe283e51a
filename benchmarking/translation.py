"""The catalogue is translatable data (django-modeltranslation): each field below has a column
per language (`wording_en`, `wording_es`, `wording_de`), edited in the admin and loaded by
the fixtures. Reading `indicator.wording` gives the reader's language, or English when that
translation is missing. Codes, kinds, bounds and the options' keys stay one for all languages:
answers store the English option, `option_labels` only changes what a reader sees."""

from modeltranslation.translator import TranslationOptions, register

from benchmarking.models import (
    BaselineRequirement,
    BaselineRequirementSet,
    Catalogue,
    Category,
    EligibilityCriterion,
    GoldIndicator,
    GoldIndicatorSet,
    Indicator,
    RecommendationRule,
)
from ecei_site.translated import translated_history


@register(Catalogue)
class CatalogueTranslation(TranslationOptions):
    fields = ("title",)
    required_languages = ("en",)


@register(Category)
class CategoryTranslation(TranslationOptions):
    fields = ("title",)
    required_languages = ("en",)


@register(Indicator)
class IndicatorTranslation(TranslationOptions):
    fields = ("wording", "help_text", "unit", "option_labels")
    required_languages = {"en": ("wording",)}


@register(RecommendationRule)
class RecommendationRuleTranslation(TranslationOptions):
    fields = ("text",)
    required_languages = ("en",)


@register(BaselineRequirementSet)
class BaselineRequirementSetTranslation(TranslationOptions):
    fields = ("title",)
    required_languages = ("en",)


@register(BaselineRequirement)
class BaselineRequirementTranslation(TranslationOptions):
    fields = ("text", "evidence")
    required_languages = {"en": ("text",)}


@register(GoldIndicatorSet)
class GoldIndicatorSetTranslation(TranslationOptions):
    fields = ("title",)
    required_languages = ("en",)


@register(GoldIndicator)
class GoldIndicatorTranslation(TranslationOptions):
    fields = ("area", "wording")
    required_languages = ("en",)


@register(EligibilityCriterion)
class EligibilityCriterionTranslation(TranslationOptions):
    fields = ("name", "kind_labels")
    required_languages = {"en": ("name",)}


# Their histories keep every language's old and new text (the admin shows both).
translated_history(
    BaselineRequirement, BaselineRequirementSet, Catalogue, Category, EligibilityCriterion, GoldIndicator,
    GoldIndicatorSet, Indicator, RecommendationRule,
)  # fmt: skip
