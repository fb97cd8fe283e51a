"""A report's snapshot laid out for the template: the charts (benchmarking/charts.py) and the
table rows of each indicator, in the shown groups' order, with the figures written the way the
snapshot's schema says (no queries). The page and the PDF both read it.
"""

import datetime
from dataclasses import dataclass
from functools import partial

from django.utils.translation import gettext_lazy

from benchmarking.charts import Write, legend, quartile_bar, scale_axis, scale_for, share_bar, standing_strip
from benchmarking.kinds import KINDS, AnswerKind
from ecei_site.numbers import figure, legacy_figure, legacy_rank, rank_figure

# Snapshots of this schema and later write their figures by the rounding rule (half up from
# the decimal value, years whole); earlier ones, issued before it, keep the text they were
# issued with: a report is a document (SNAPSHOT_SCHEMA in selectors.reports.snapshot).
ROUNDING_SCHEMA = 2


@dataclass(frozen=True)
class Figures:
    """How one snapshot writes its figures: `legacy` for the reports issued before the rounding rule."""

    legacy: bool = False

    @classmethod
    def of(cls, snapshot: dict) -> "Figures":
        return cls(legacy=snapshot.get("schema", 1) < ROUNDING_SCHEMA)

    def writer(self, kind: AnswerKind) -> Write:
        """Quartiles, medians and the cluster's value of an indicator of this kind."""
        if self.legacy:
            return partial(legacy_figure, grouping=kind.grouping)
        return kind.figure

    def rank(self, value: float | None) -> str:
        return legacy_rank(value) if self.legacy else rank_figure(value)

    def score(self, value: float | None) -> str:
        """A rank turned so that right is better (the standing strip)."""
        return legacy_figure(value) if self.legacy else rank_figure(value)


GROUP_SHORT = {
    "portfolio": gettext_lazy("Portfolio"),
    "country": gettext_lazy("Country"),
    "all": gettext_lazy("All clusters"),
    "excellence": gettext_lazy("Excellence (Gold)"),
}


def _stats_text(stats: dict, write: Write, figures: Figures) -> dict:
    return {
        "q1": write(stats["q1"]),
        "median": write(stats["median"]),
        "q3": write(stats["q3"]),
        "rank": figures.rank(stats["rank"]),
    }


TREND_SYMBOLS = {
    "improved": "▲",
    "declined": "▼",
    "unchanged": "=",
    "changed": "◆",
    "not_comparable": "–",
    "question_changed": "≠",
}


def _series_rows(series: dict, groups: list[dict], kind: AnswerKind, figures: Figures) -> dict:
    write = figures.writer(kind)
    stats = [series["groups"][g["key"]] for g in groups if series["groups"].get(g["key"])]
    scale = scale_for(stats, series["own"])
    rows = []
    for g in groups:
        s = series["groups"].get(g["key"])
        rows.append(
            {
                "group": g,
                "short": GROUP_SHORT.get(g["key"], g["title"]),
                "stats": s,
                "text": _stats_text(s, write, figures) if s else None,
                "chart": quartile_bar(s, series["own"], scale, label=g["title"], write=write) if s else None,
            }
        )
    axis = scale_axis(scale, write=write) if stats else None
    return {**series, "own_text": write(series["own"]), "rows": rows, "axis": axis}


def _distribution_rows(distribution: dict, groups: list[dict]) -> dict:
    per_group = [(g, distribution["groups"].get(g["key"])) for g in groups]
    options = next((d["rows"] for _, d in per_group if d), [])
    rows = []
    for n, option in enumerate(o["option"] for o in options):
        is_own = option in distribution["own"]
        cells = []
        for _g, d in per_group:
            row = d["rows"][n] if d and n < len(d["rows"]) else None
            cells.append(
                {
                    "row": row,
                    "bar": share_bar(row["share"], is_own=is_own) if row else None,
                    # Whole percent, half up (as Django's floatformat:0 wrote them before).
                    "share": figure(row["share"], whole=True) if row else None,
                }
            )
        label = next((o.get("label") for o in options if o["option"] == option), None) or option
        rows.append({"option": option, "label": label, "is_own": is_own, "cells": cells})
    footer = [d for _, d in per_group]
    return {**distribution, "rows": rows, "footer": footer}


def laid_out(snapshot: dict) -> dict:
    """The snapshot with charts and table rows added, in the shown groups' order (no queries)."""
    shown = [{**g, "short": GROUP_SHORT.get(g["key"], g["title"])} for g in snapshot["groups"] if g["shown"]]
    figures = Figures.of(snapshot)
    categories = []
    for category in snapshot["categories"]:
        indicators = []
        for entry in category["indicators"]:
            entry = dict(entry)
            if "series" in entry:
                kind = KINDS[entry["kind"]]  # years: no 2,016, no 1994.5
                entry["series"] = [_series_rows(s, shown, kind, figures) for s in entry["series"]]
            else:
                entry["distribution"] = _distribution_rows(entry["distribution"], shown)
            indicators.append(entry)
        standing = category.get("standing")
        if standing:
            standing = {**standing, "chart": standing_strip(standing["points"], write=figures.score)}
        categories.append({**category, "indicators": indicators, "standing": standing})
    progress = snapshot.get("progress")
    if progress:
        progress = {
            **progress,
            "rows": [{**r, "symbol": TREND_SYMBOLS.get(r["trend"], "")} for r in progress["rows"]],
        }
    dates = {
        "issued_on_date": _date(snapshot.get("issued_on")),
        "interview_date": _date(snapshot["interview"].get("date")),
        "previous_date": _date(progress["previous_date"]) if progress else None,
    }
    return {
        **snapshot,
        **dates,
        "shown_groups": shown,
        "categories": categories,
        "progress": progress,
        "legend": legend(),
    }


def _date(text: str | None) -> datetime.date | None:
    """A snapshot's ISO date as a date, so that the template writes it in the reader's format."""
    return datetime.date.fromisoformat(text) if text else None
