"""Template filters for what is stored with an answer."""

from django import template

from benchmarking.kinds import AnswerKind, kind_of
from benchmarking.rules.answer_warnings import translated_warning as _translated_warning

register = template.Library()


@register.filter
def translated_warning(text: str, indicator=None) -> str:
    """A confirmed soft warning (stored in English) in the reader's language; `indicator`: the
    answer's, whose kind says whether its numbers are grouped (not years)."""
    grouping = kind_of(indicator).grouping if indicator is not None else True
    return _translated_warning(text, grouping=grouping)


@register.filter
def answer_kind(indicator) -> AnswerKind:
    """What the indicator's kind of answer is (benchmarking.kinds), for a template to ask."""
    return kind_of(indicator)


@register.filter
def answer_unit(indicator) -> str:
    """The unit an answer to the indicator is given in ("%", "EUR", "participants")."""
    return kind_of(indicator).unit(indicator)
