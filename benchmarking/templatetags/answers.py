"""Template filters for what is stored with an answer."""

from django import template

from benchmarking.kinds import AnswerKind, kind_of
from benchmarking.services.interviews import translated_warning as _translated_warning

register = template.Library()


@register.filter
def translated_warning(text: str) -> str:
    """A confirmed soft warning (stored in English) in the reader's language."""
    return _translated_warning(text)


@register.filter
def answer_kind(indicator) -> AnswerKind:
    """What the indicator's kind of answer is (benchmarking.kinds), for a template to ask."""
    return kind_of(indicator)


@register.filter
def answer_unit(indicator) -> str:
    """The unit an answer to the indicator is given in ("%", "EUR", "participants")."""
    return kind_of(indicator).unit(indicator)
