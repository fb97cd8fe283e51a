"""Portfolio names in each language (django-modeltranslation); see benchmarking/translation.py."""

from modeltranslation.translator import TranslationOptions, register

from clusters.models import ComparativePortfolio


@register(ComparativePortfolio)
class ComparativePortfolioTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("en",)
