"""The statistics' charts, drawn on the server as inline SVG like the report's
(benchmarking/charts.py): no JavaScript, readable in greyscale print. Each chart has a text
alternative and a table beside it with the same figures; shapes (hatching, outline) tell the
levels apart, not colour alone."""

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ecei_site.numbers import figure

INK = "#111"
# Bronze, Silver, Gold: fill, stroke pattern (hatched, dotted, solid) so that print tells them apart.
LEVEL_STYLE = [("#b07a4f", "hatch"), ("#c9ced4", "dots"), ("#d9a900", "solid")]
BAR = 16
GAP = 6
LABEL_W = 150
PLOT_W = 330
NUMBER_W = 54


def level_names() -> list[str]:
    return [_("Bronze"), _("Silver"), _("Gold")]


def _texture(kind: str, x: float, y: float, w: float, h: float) -> str:
    if w < 2 or kind == "solid":
        return ""
    if kind == "hatch":
        strokes = []
        step = 5
        start = x - h
        while start < x + w:
            x1, y1, x2, y2 = start, y + h, start + h, y
            if x1 < x:
                y1 -= x - x1
                x1 = x
            if x2 > x + w:
                y2 += x2 - (x + w)
                x2 = x + w
            if x1 < x2:
                strokes.append(f"M{x1:.1f} {y1:.1f}L{x2:.1f} {y2:.1f}")
            start += step
        return f'<path d="{" ".join(strokes)}" stroke="#4a2a12" stroke-width="0.8"/>' if strokes else ""
    dots = []
    for dx in range(3, int(w) - 1, 5):
        for dy in (h / 3, 2 * h / 3):
            dots.append(f'<circle cx="{x + dx:.1f}" cy="{y + dy:.1f}" r="0.9" fill="#333"/>')
    return "".join(dots)


def _svg(width: float, height: float, description: str, inner: str) -> SafeString:
    return format_html(
        '<svg class="chart stats-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
        'width="100%" preserveAspectRatio="xMinYMin meet" role="img" aria-label="{}">{}</svg>',
        width,
        height,
        description,
        mark_safe(inner),  # noqa: S308 - numbers and format_html-escaped text only
    )


def stacked_bars(rows: list[tuple[str, list[int]]], *, description: str) -> SafeString:
    """One horizontal bar per row, stacked Bronze, Silver, Gold, with the row's total after it."""
    top = max((sum(values) for _, values in rows), default=0) or 1
    width = LABEL_W + PLOT_W + NUMBER_W
    legend_h = 24
    height = legend_h + len(rows) * (BAR + GAP)
    parts = [_legend()]
    for n, (name, values) in enumerate(rows):
        y = legend_h + n * (BAR + GAP)
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="11" text-anchor="end" fill="{}">{}</text>',
                LABEL_W - 6, y + BAR - 4, INK, name[:24],
            )
        )
        x = LABEL_W
        for value, (fill, texture) in zip(values, LEVEL_STYLE, strict=True):
            w = value / top * PLOT_W
            if w > 0:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{BAR}" fill="{fill}" '
                    f'stroke="{INK}" stroke-width="0.6"/>'
                )
                parts.append(_texture(texture, x, y, w, BAR))
            x += w
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="11" fill="{}">{}</text>', x + 4, y + BAR - 4, INK, figure(sum(values))
            )
        )
    return _svg(width, height, description, "".join(parts))


def share_bars(rows: list[tuple[str, float | None]], *, description: str) -> SafeString:
    """One horizontal bar per row: a share of 0-100 %, on a frame of the whole."""
    width = LABEL_W + PLOT_W + NUMBER_W
    height = len(rows) * (BAR + GAP)
    parts = []
    for n, (name, share) in enumerate(rows):
        y = n * (BAR + GAP)
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="11" text-anchor="end" fill="{}">{}</text>',
                LABEL_W - 6, y + BAR - 4, INK, name[:24],
            )
        )
        parts.append(
            f'<rect x="{LABEL_W}" y="{y}" width="{PLOT_W}" height="{BAR}" fill="#fff" stroke="#999" '
            'stroke-width="0.6"/>'
        )
        w = (share or 0) / 100 * PLOT_W
        if w > 0:
            parts.append(f'<rect x="{LABEL_W}" y="{y}" width="{w:.1f}" height="{BAR}" fill="#3d5a80" stroke="{INK}" '
                         'stroke-width="0.6"/>')
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="11" fill="{}">{} %</text>',
                LABEL_W + PLOT_W + 4, y + BAR - 4, INK, figure(share, whole=True),
            )
        )
    return _svg(width, height, description, "".join(parts))


def _legend() -> str:
    parts, x = [], LABEL_W
    for name, (fill, texture) in zip(level_names(), LEVEL_STYLE, strict=True):
        parts.append(f'<rect x="{x}" y="4" width="22" height="12" fill="{fill}" stroke="{INK}" stroke-width="0.6"/>')
        parts.append(_texture(texture, x, 4, 22, 12))
        parts.append(format_html('<text x="{}" y="14" font-size="11" fill="{}">{}</text>', x + 27, INK, name))
        x += 100
    return "".join(parts)
