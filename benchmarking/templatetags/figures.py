"""Figures in templates, written the one way (ecei_site.numbers.figure): rounded half up,
at most two decimals, grouped as the reader's language groups thousands."""

from django import template

from ecei_site.numbers import figure as _figure

register = template.Library()


@register.filter
def figure(value, places: str = "") -> str:
    """`{{ score|figure }}`: 79.5 -> "79.5", 350000 -> "350,000"; `{{ n|figure:"whole" }}`: 12.5 -> "13"."""
    if value is None or value == "":
        return ""
    return _figure(value, whole=places == "whole")
