"""A label's live badge: a small SVG for a cluster's own website, naming the level, the status
today and the end of validity, linking to the label's verification page. Words carry the status,
colour only repeats it (white text on dark fills, contrast above 4.5:1)."""

import hashlib
from xml.sax.saxutils import escape, quoteattr

from django.utils import formats, translation
from django.utils.translation import gettext as _

from benchmarking.models import Label

FONT = "Verdana,DejaVu Sans,sans-serif"
CHAR = 6.6  # mean advance of an 11 px character, generous for capitals and accents
LEFT_FILL = "#343a40"
LEVEL_FILLS = {"bronze": "#7a4419", "silver": "#4d5660", "gold": "#6b4f00"}
STATUS_FILLS = {"suspended": "#8a4b00", "withdrawn": "#9b1c1c", "expired": "#5c636a", "upcoming": "#1f5f8b"}
LANGUAGES = ("en", "de", "es")


def badge_words(label: Label, status: str) -> tuple[str, str]:
    """(left, right): "ECEI Gold label", "valid until 25 July 2027" in the active language."""
    left = _("ECEI %(level)s label") % {"level": label.get_level_display()}
    until = formats.date_format(label.valid_until, "DATE_FORMAT")
    right = {
        "active": _("valid until %(day)s") % {"day": until},
        "upcoming": _("valid from %(day)s") % {"day": formats.date_format(label.valid_from, "DATE_FORMAT")},
        "expired": _("expired on %(day)s") % {"day": until},
        "suspended": _("suspended"),
        "withdrawn": _("withdrawn"),
    }[status]
    return left, right


def badge_svg(label: Label, *, language: str, link: str) -> str:
    with translation.override(language):
        status = label.live_status()
        left, right = badge_words(label, status)
        title = _("%(left)s: %(right)s. Verify: %(link)s") % {"left": left, "right": right, "link": link}
    fill = LEVEL_FILLS[label.level] if status == "active" else STATUS_FILLS[status]
    left_w = round(len(left) * CHAR + 20)
    right_w = round(len(right) * CHAR + 20)
    width, height = left_w + right_w, 22
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label={quoteattr(title)} data-status="{status}">'
        f"<title>{escape(title)}</title>"
        f'<a xlink:href={quoteattr(link)} href={quoteattr(link)} target="_top">'
        f'<rect width="{left_w}" height="{height}" rx="3" fill="{LEFT_FILL}"/>'
        f'<rect x="{left_w}" width="{right_w}" height="{height}" rx="3" fill="{fill}"/>'
        f'<rect x="{left_w - 3}" width="6" height="{height}" fill="{fill}"/>'
        f'<g fill="#fff" font-family="{FONT}" font-size="11" text-anchor="middle">'
        f'<text x="{left_w / 2}" y="15">{escape(left)}</text>'
        f'<text x="{left_w + right_w / 2}" y="15">{escape(right)}</text>'
        "</g></a></svg>"
    )


def etag_of(svg: str) -> str:
    return '"' + hashlib.sha256(svg.encode()).hexdigest()[:32] + '"'
