"""The report's charts, drawn on the server as inline SVG: the same in the page and the PDF,
without JavaScript, and readable in greyscale print.

Shapes, not colours, carry the meaning: the quartile box is a hatched grey bar with a dark
outline, the median a thick vertical line, the cluster a black diamond with a white edge.
Every chart has a text alternative (role="img" and aria-label). A report's snapshot is laid out
with these charts by benchmarking/report_layout.py.
"""

from collections.abc import Callable

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ecei_site.numbers import figure, rank_figure

WIDTH = 240
ROW_HEIGHT = 22
PAD = 8  # keeps a marker at either end of the scale fully visible
INK = "#111"
BOX = "#c8c8c8"


Write = Callable[[float | None], str]  # a figure in words (ecei_site.numbers.figure)


def fmt(x: float | None) -> str:
    """A figure (a share, a tick of a scale) in the reader's language: ecei_site.numbers.figure."""
    return figure(x)


def scale_for(stats: list[dict], own: float | None) -> tuple[float, float]:
    """A common scale for one indicator's groups: the quartile boxes and the cluster's value, padded."""
    points = [s[k] for s in stats for k in ("q1", "q3")] + ([own] if own is not None else [])
    if not points:
        return 0.0, 1.0
    low, high = min(points), max(points)
    margin = (high - low) * 0.1 or max(abs(high) * 0.1, 1.0)
    return low - margin, high + margin


def _x(value: float, scale: tuple[float, float]) -> float:
    low, high = scale
    return round(PAD + (value - low) / (high - low) * (WIDTH - 2 * PAD), 1)


def _diamond(x: float, y: float, r: float = 6) -> str:
    return (
        f'<path d="M{x} {y - r} L{x + r} {y} L{x} {y + r} L{x - r} {y} Z" '
        f'fill="{INK}" stroke="#fff" stroke-width="1.5"/>'
    )


def _hatch(x1: float, x2: float, top: float, bottom: float) -> str:
    """Diagonal strokes inside the box, drawn as lines so that no shared <pattern> id is needed."""
    lines, step = [], 5
    start = x1 - (bottom - top)
    while start < x2:
        a = max(start, x1 - (bottom - top))
        lines.append((a, bottom, a + (bottom - top), top))
        start += step
    segments = []
    for xa, ya, xb, yb in lines:
        # Clip each 45° stroke to the box horizontally.
        if xa < x1:
            ya -= x1 - xa
            xa = x1
        if xb > x2:
            yb += xb - x2
            xb = x2
        if xa < xb:
            segments.append(f"M{xa:.1f} {ya:.1f}L{xb:.1f} {yb:.1f}")
    return f'<path d="{" ".join(segments)}" stroke="#777" stroke-width="0.8"/>' if segments else ""


def quartile_bar(
    stats: dict, own: float | None, scale: tuple[float, float], *, label: str, write: Write = fmt
) -> SafeString:
    """One group's quartile box and median, and the cluster's value as a diamond."""
    x1, xm, x3 = _x(stats["q1"], scale), _x(stats["median"], scale), _x(stats["q3"], scale)
    mid, top, bottom = ROW_HEIGHT / 2, 4, ROW_HEIGHT - 4
    description = _("%(group)s: lower quartile %(q1)s, median %(median)s, upper quartile %(q3)s") % {
        "group": label,
        "q1": write(stats["q1"]),
        "median": write(stats["median"]),
        "q3": write(stats["q3"]),
    }
    description += (
        _("; this cluster %(value)s") % {"value": write(own)} if own is not None else _("; no value for this cluster")
    )
    parts = [
        f'<line x1="{PAD}" y1="{mid}" x2="{WIDTH - PAD}" y2="{mid}" stroke="#999" stroke-width="1"/>',
        f'<rect x="{x1}" y="{top}" width="{max(x3 - x1, 1)}" height="{bottom - top}" fill="{BOX}" '
        f'stroke="{INK}" stroke-width="1"/>',
        _hatch(x1, x3, top, bottom),
        f'<line x1="{xm}" y1="{top - 2}" x2="{xm}" y2="{bottom + 2}" stroke="{INK}" stroke-width="3"/>',
    ]
    if own is not None:
        parts.append(_diamond(_x(min(max(own, scale[0]), scale[1]), scale), mid))
    return _svg(WIDTH, ROW_HEIGHT, description, "".join(parts))


def scale_axis(scale: tuple[float, float], *, write: Write = fmt) -> SafeString:
    """Tick labels under a column of quartile bars."""
    low, high = scale
    ticks = [low + (high - low) * f for f in (0.1 / 1.2, 0.5, 1.1 / 1.2)]
    parts = [f'<line x1="{PAD}" y1="2" x2="{WIDTH - PAD}" y2="2" stroke="#555"/>']
    for value, anchor in zip(ticks, ("start", "middle", "end"), strict=True):
        x = _x(value, scale)
        parts.append(f'<line x1="{x}" y1="0" x2="{x}" y2="6" stroke="#555"/>')
        parts.append(
            format_html(
                '<text x="{}" y="17" font-size="10" text-anchor="{}" fill="#333">{}</text>',
                x,
                anchor,
                write(value),
            )
        )
    return _svg(
        WIDTH, 20, _("Scale from %(low)s to %(high)s") % {"low": write(ticks[0]), "high": write(ticks[-1])},
        "".join(parts),
    )


def share_bar(share: float, *, is_own: bool) -> SafeString:
    """A share of 0–100 % as a bar; the cluster's own answer is solid black, others outlined grey."""
    width = 100
    fill = INK if is_own else BOX
    inner = (
        f'<rect x="0.5" y="3.5" width="{width}" height="11" fill="#fff" stroke="#999"/>'
        f'<rect x="0.5" y="3.5" width="{share * width / 100:.1f}" height="11" fill="{fill}" stroke="{INK}"/>'
    )
    return _svg(width + 2, 18, f"{fmt(share)} %", inner)


def standing_strip(points: list[dict], *, write: Write = rank_figure) -> SafeString:
    """A category at a glance: each compared indicator's rank (turned so that right is better)
    on a 0–100 line whose weakest and best quarters are marked."""
    width, height = 420, 46
    left, right, line_y = 12, width - 12, 30

    def x(score):
        return round(left + score / 100 * (right - left), 1)

    parts = [
        f'<rect x="{left}" y="{line_y - 6}" width="{x(25) - left}" height="12" fill="#eee" stroke="#999"/>',
        _hatch(left, x(25), line_y - 6, line_y + 6),
        f'<rect x="{x(75)}" y="{line_y - 6}" width="{right - x(75)}" height="12" fill="{BOX}" stroke="#999"/>',
        f'<line x1="{left}" y1="{line_y}" x2="{right}" y2="{line_y}" stroke="#555"/>',
        f'<line x1="{x(50)}" y1="{line_y - 8}" x2="{x(50)}" y2="{line_y + 8}" stroke="#555" stroke-dasharray="2 2"/>',
    ]
    for n, point in enumerate(sorted(points, key=lambda p: p["score"])):
        px = x(point["score"])
        parts.append(_diamond(px, line_y, 5))
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="9" text-anchor="middle" fill="#111">{}</text>',
                px,
                10 if n % 2 == 0 else 19,
                point["code"],
            )
        )
    description = _("Ranks, better to the right: ") + ", ".join(f"{p['code']} {write(p['score'])}" for p in points)
    return _svg(width, height, description, "".join(parts))


def legend() -> SafeString:
    """The key to the quartile bars, shown once before the indicators."""
    stats = {"q1": 3, "median": 5, "q3": 7}
    return quartile_bar(stats, 8.5, (0, 10), label=_("Example"))


def _svg(width: int, height: int, description: str, inner: str) -> SafeString:
    return format_html(
        '<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 {} {}" '
        'role="img" aria-label="{}">{}</svg>',
        width,
        height,
        width,
        height,
        description,
        mark_safe(inner),  # noqa: S308 - built above from numbers and format_html-escaped text
    )
