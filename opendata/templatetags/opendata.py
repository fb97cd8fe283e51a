from dataclasses import dataclass

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from opendata import badges, credentials

register = template.Library()


@dataclass(frozen=True)
class BadgeSnippet:
    badge_url: str  # absolute, for the copied HTML
    preview_url: str  # this site's own path, for the page's preview
    alt: str
    html: str


@register.simple_tag
def badge_snippet(label) -> BadgeSnippet:
    """The badge's address in the reader's language and the HTML a cluster copies into its site."""
    language = get_language() if get_language() in badges.LANGUAGES else "en"
    path = reverse("opendata:badge", kwargs={"code": label.code}) + f"?lang={language}"
    url = credentials.absolute(path)
    alt = _("ECEI %(level)s label %(code)s: verify it") % {"level": label.get_level_display(), "code": label.code}
    html = format_html('<a href="{}"><img src="{}" alt="{}" height="22"></a>', credentials.label_url(label), url, alt)
    return BadgeSnippet(badge_url=url, preview_url=path, alt=alt, html=str(html))
