"""The catalogue's words in the reader's language, resolved once per indicator and language.

A report is written in every language of the site, and seed_demo writes thousands of
reports on one catalogue. Reading an indicator's wording, unit and option labels through
modeltranslation's fields on every use (each read looks up the active language and its
fallbacks) cost more than the statistics did. ReportTexts keeps them per language.
"""

from django.utils import translation
from django.utils.translation import gettext as _

from benchmarking.models import Category, Indicator
from benchmarking.selectors.interviews import format_answer
from benchmarking.selectors.progress import Trend
from ecei_site.numbers import keeping


class IndicatorText:
    """An indicator as a reader in one language sees it: its translated fields read once.

    Everything else (code, kind, options, direction, ...) is the indicator's own, so the kinds
    format an answer with it as they would with the indicator (kinds.AnswerKind.format).
    """

    def __init__(self, indicator: Indicator, language: str):
        """Read in `language`, which must be active."""
        self.indicator, self.language = indicator, language
        # The fields a report reads most, copied (the rest goes through __getattr__).
        self.pk, self.code, self.kind, self.options = indicator.pk, indicator.code, indicator.kind, indicator.options
        self.direction, self.category_id = indicator.direction, indicator.category_id
        self.wording = indicator.wording
        self.help_text = indicator.help_text
        self.unit = indicator.unit
        self.option_labels = indicator.option_labels
        self._choices = indicator.option_choices()
        self._labels = dict(self._choices)
        self._series_labels: dict[str, str] = {}

    def __getattr__(self, name):
        # Only for what __init__ did not set: the indicator's fields that no language changes.
        return getattr(self.indicator, name)

    def option_choices(self) -> list[tuple[str, str]]:
        return list(self._choices)

    def option_label(self, option: str) -> str:
        return self._labels.get(option, option)

    def series_label(self, name: str) -> str:
        """A statistics series as the report titles it: the unit, a part, or a part's share."""
        if name not in self._series_labels:
            self._series_labels[name] = self._series_label(name)
        return self._series_labels[name]

    def _series_label(self, name: str) -> str:
        if name == "":
            return self.unit
        part, _sep, share = name.partition("|")
        label = self.option_label(part)
        return _("%(part)s, share of the total (%%)") % {"part": label} if share else label


ANSWERS_KEPT = 200_000  # about 40 MB of words per language at most


def _hashable(answer) -> tuple:
    """An AnswerRow's columns as a key: equal keys read the same (numbers are written
    normalised, 1.0 as 1; the parts in their order, which the words follow)."""
    return (
        answer.number,
        answer.boolean,
        answer.choice,
        None if answer.selected is None else tuple(answer.selected),
        None if answer.parts is None else tuple(answer.parts.items()),
        answer.missing_reason,
    )


class LanguageTexts:
    """The words of a report in one language: each indicator's IndicatorText, made on first use
    and kept, and the fixed words a report repeats."""

    def __init__(self, language: str):
        with translation.override(language):
            self.not_answered = _("(not answered)")
            self.trend_labels = {trend.value: str(trend.label) for trend in Trend}
        self.language = language
        self._indicators: dict[int, IndicatorText] = {}
        self._answers: dict[tuple, str] = {}
        self._titles: dict[int, str] = {}
        self.numbers: dict = {}  # numbers in words (ecei_site.numbers.keeping)
        self.kept: dict = {}  # what a snapshot writes alike for many reports, e.g. a group's header

    def answer(self, indicator: IndicatorText, answer) -> str:
        """An answer (an AnswerRow, or None) in words, as format_answer writes it in this language.

        Answers repeat from report to report (a hundred distinct headcounts among ten thousand
        clusters, a few hundred distinct lists of options, parts a third of the time), so their
        words are kept, up to ANSWERS_KEPT of them.
        """
        if answer is None:
            return self.not_answered
        key = (indicator.pk, *_hashable(answer))
        text = self._answers.get(key)
        if text is None:
            with translation.override(self.language), keeping(self.numbers):
                text = format_answer(indicator, answer) or self.not_answered
            if len(self._answers) < ANSWERS_KEPT:
                self._answers[key] = text
        return text

    def title(self, category: Category) -> str:
        """A category's title in this language."""
        title = self._titles.get(category.pk)
        if title is None:
            with translation.override(self.language):
                title = self._titles[category.pk] = category.title
        return title

    def of(self, indicator: Indicator) -> IndicatorText:
        text = self._indicators.get(indicator.pk)
        if text is None:
            with translation.override(self.language):
                text = self._indicators[indicator.pk] = IndicatorText(indicator, self.language)
        return text


class ReportTexts:
    """The words of reports in each language, kept: for one report's languages, or for all of
    seed_demo's reports."""

    def __init__(self):
        self._languages: dict[str, LanguageTexts] = {}

    def active(self) -> LanguageTexts:
        """The words in the active language."""
        language = translation.get_language()
        if language not in self._languages:
            self._languages[language] = LanguageTexts(language)
        return self._languages[language]
