"""Template filters for what is stored with an answer."""

from django import template

from benchmarking.services.interviews import translated_warning as _translated_warning

register = template.Library()


@register.filter
def translated_warning(text: str) -> str:
    """A confirmed soft warning (stored in English) in the reader's language."""
    return _translated_warning(text)
