"""Small presentation helpers for the public database's templates."""

from urllib.parse import urlsplit

from django import template
from django.utils.translation import pgettext_lazy

from clusters.validators import is_http_url

register = template.Library()

STATUS_WORDS = {
    "valid": pgettext_lazy("label status", "valid"),
    "upcoming": pgettext_lazy("label status", "not yet valid"),
    "expired": pgettext_lazy("label status", "expired"),
    "suspended": pgettext_lazy("label status", "suspended"),
    "withdrawn": pgettext_lazy("label status", "withdrawn"),
}


@register.filter
def http_url(url: str) -> str:
    """The address if it may be a link (http or https), else "": see clusters/validators.py."""
    return url if is_http_url(url) else ""


@register.filter
def website_host(url: str) -> str:
    """ "https://www.example.org/en/" → "www.example.org": short enough for a table cell."""
    return urlsplit(url).netloc or url


@register.inclusion_tag("clusters/_status.html")
def label_status(status: str) -> dict:
    """The status as a word and a symbol, so it never depends on colour alone."""
    return {"status": status, "word": STATUS_WORDS.get(status, status), "is_valid": status == "valid"}


@register.filter
def get_param(query, name: str) -> str:
    """One value of a query string (a QueryDict), for messages about a rejected filter."""
    return query.get(name, "")
