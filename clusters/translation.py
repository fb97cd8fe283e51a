"""Portfolio names in each language (django-modeltranslation); see benchmarking/translation.py."""

from modeltranslation.translator import TranslationOptions, register

from clusters.models import ComparativePortfolio
from ecei_site.translated import translated_history


@register(ComparativePortfolio)
class ComparativePortfolioTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("en",)


translated_history(ComparativePortfolio)  # its history keeps every language's old and new name
