"""The report snapshot: the state of the database on the day of issue, as plain JSON.

A report is a document: the page and the PDF are drawn from this JSON alone, so a report
opened years later shows the same numbers whatever was benchmarked since. One path builds
it, for one report (build_snapshot) and for many (latest_snapshots, seed_demo), from the
stored peer values (peers.PeerPool).
"""

import datetime
from collections import Counter
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from benchmarking.kinds import KINDS, kind_of
from benchmarking.models import Catalogue, Indicator, Interview
from benchmarking.selectors import statistics
from benchmarking.selectors.reports.inputs import (
    AnswerRow,
    ReportInputs,
    active_rules,
    catalogue_indicators,
    load_report_inputs,
    load_reports_inputs,
)
from benchmarking.selectors.reports.peer_groups import (
    PeerGroup,
    number_stats,
    option_counted,
    option_stats,
    peer_groups,
)
from benchmarking.selectors.reports.peers import (
    ANSWER_FIELDS,
    GROUPS,
    MISSING,
    PeerPool,
    comparable_value,
    is_option_indicator,
    latest_approved_interviews,
    load_peer_pool,
    series_values,
)
from benchmarking.selectors.reports.rules import RuleMatch, matching_rules, recommendations
from benchmarking.selectors.reports.texts import IndicatorText, LanguageTexts, ReportTexts
from ecei_site.forking import ordered_map
from ecei_site.numbers import keeping
from ecei_site.translated import SOURCE_LANGUAGE

# 2: figures rounded half up, years whole, typed numbers grouped (report_layout.ROUNDING_SCHEMA); the
# reports issued as schema 1 keep the text they were issued with.
SNAPSHOT_SCHEMA = 2
# Every report is written in each of these at issue (settings.MODELTRANSLATION_LANGUAGES).
REPORT_LANGUAGES = settings.MODELTRANSLATION_LANGUAGES
# interview.get_mode_display() without its per-call work (three times per report).
MODE_LABELS = dict(Interview.Mode.choices)


def _group_header(group: PeerGroup, words: LanguageTexts) -> dict:
    """A group's header in the words' language: the same for every cluster of the portfolio and
    country with as many peers in the group, so kept with the words (shared, never changed)."""
    cluster = group.cluster
    memo = ("group", group.key, group.size, group.minimum, cluster.portfolio_id, str(cluster.country))
    if memo not in words.kept:
        words.kept[memo] = _header(group)
    return words.kept[memo]


def _header(group: PeerGroup) -> dict:
    minimum = group.minimum
    reason = ""
    if not group.is_shown:
        reason = ngettext(
            "Not shown: %(n)s other cluster in this group has an approved benchmarking on this catalogue "
            "version; at least %(minimum)s are needed so that no cluster's values can be inferred.",
            "Not shown: %(n)s other clusters in this group have an approved benchmarking on this catalogue "
            "version; at least %(minimum)s are needed so that no cluster's values can be inferred.",
            group.size,
        ) % {"n": group.size, "minimum": minimum}
    return {"key": group.key, "title": group.title, "n": group.size, "shown": group.is_shown, "reason": reason}


@dataclass
class _Compared:
    """An indicator's own value and its groups' numbers: the same in every language of a report,
    so computed once and shared by them (the JSON is written per language all the same)."""

    own_missing: bool
    chosen: list | None = None  # counted options: the options the cluster chose
    counted: dict | None = None  # counted options: each group's counts (option_counted), by group key
    series: list[tuple[str, float | None, dict]] = field(default_factory=list)  # (name, own, stats per group)


@dataclass
class _ReportNumbers:
    """What a report's languages share: each indicator's _Compared, the rules that apply, and
    the cluster's answers by indicator id."""

    indicators: dict[int, _Compared] = field(default_factory=dict)
    answers: dict[int, AnswerRow] | None = None
    rules: list[RuleMatch] | None = None


def _compared(indicator: Indicator, row: dict | None, shown: list[PeerGroup]) -> _Compared:
    own = comparable_value(indicator, row)
    if is_option_indicator(indicator):
        chosen = [] if own is MISSING else (own if isinstance(own, list) else [own])
        return _Compared(own is MISSING, chosen=chosen)
    own_series = series_values(indicator, own)
    series = [
        (name, own_series.get(name), {g.key: number_stats(g, indicator, name, own_series.get(name)) for g in shown})
        for name in kind_of(indicator).series_names(indicator)
    ]
    return _Compared(own is MISSING, series=series)


def _indicator_snapshot(indicator: IndicatorText, row: dict | None, shown: list[PeerGroup], compared: dict,
                        own: str) -> dict:  # fmt: skip
    """One indicator's entry in the active language; `compared` keeps the report's _Compared by
    indicator id, `own` is the answer in words."""
    if indicator.pk not in compared:
        compared[indicator.pk] = _compared(indicator, row, shown)
    numbers = compared[indicator.pk]
    entry = {
        "code": indicator.code,
        "wording": indicator.wording,
        "kind": indicator.kind,
        "unit": indicator.unit,
        "direction": indicator.direction,
        "own": own,
        "own_missing": numbers.own_missing,
    }
    if numbers.chosen is not None:
        if numbers.counted is None:
            numbers.counted = {g.key: option_counted(g, indicator) for g in shown}
        entry["distribution"] = {
            "own": numbers.chosen,
            "multi": kind_of(indicator).several,
            "groups": {g.key: option_stats(g, indicator, numbers.counted[g.key]) for g in shown},
        }
        return entry
    entry["series"] = [
        {"name": name, "label": indicator.series_label(name), "own": own, "groups": stats}
        for name, own, stats in numbers.series
    ]
    return entry


def category_standing(indicators: list[dict], groups: list[dict]) -> dict | None:
    """Where the cluster stands in a category against the portfolio group (or all clusters)."""
    shown = [g["key"] for g in groups if g["shown"]]
    reference = next((k for k in (GROUPS.PORTFOLIO, GROUPS.ALL) if k in shown), None)
    if reference is None:
        return None
    standing = standing_in(indicators, reference)
    if standing is None:
        return None
    title = next(g["title"] for g in groups if g["key"] == reference)
    return {"group": reference, "group_title": title, **standing}


def standing_in(indicators: list[dict], key: str) -> dict | None:
    """The cluster's rank on each directed number indicator in group `key`, turned so that higher
    is always better, and how many fall in the best and the weakest quarter. The report's groups
    and a comparison's chosen group (comparisons.selectors.layout) read this one rule."""
    points = []
    for entry in indicators:
        if entry["direction"] == Indicator.Direction.NEUTRAL or not KINDS[entry["kind"]].is_number:
            continue
        stats = entry["series"][0]["groups"].get(key)
        if stats and stats["rank"] is not None:
            score = stats["rank"] if entry["direction"] == Indicator.Direction.HIGHER else 100 - stats["rank"]
            # Four decimals, as the ranks are stored: a score rounded to one first would be rounded
            # twice when it is written whole (87.45 -> 87.5 -> 88).
            points.append({"code": entry["code"], "score": round(score, 4)})
    if not points:
        return None
    upper = sum(1 for p in points if p["score"] >= 75)
    lower = sum(1 for p in points if p["score"] < 25)
    text = ngettext(
        "%(upper)s of %(n)s compared indicator in the best quarter, %(lower)s in the weakest quarter, "
        "%(between)s in between.",
        "%(upper)s of %(n)s compared indicators in the best quarter, %(lower)s in the weakest quarter, "
        "%(between)s in between.",
        len(points),
    ) % {"upper": upper, "n": len(points), "lower": lower, "between": len(points) - upper - lower}
    return {"points": points, "upper": upper, "lower": lower, "text": text}


def _progress_rows(inputs: ReportInputs, words: LanguageTexts, own: dict[int, str]) -> dict | None:
    """`own`: the cluster's answers in words by indicator id (the "after" of each row)."""
    if inputs.previous is None:
        return None
    rows = [
        {
            "code": change.indicator.code,
            "wording": words.of(change.indicator).wording,
            "before": words.answer(words.of(change.before_indicator), change.previous),
            "after": own[change.indicator.pk],
            "trend": str(change.trend),
            "trend_label": words.trend_labels[change.trend],
        }
        for change in inputs.changes
    ]
    counts = Counter(r["trend"] for r in rows)
    dropped = [
        {"code": old.code, "wording": words.of(old).wording, "before": words.answer(words.of(old), answer)}
        for old, answer in inputs.dropped
    ]
    return {
        "previous_date": inputs.previous.date.isoformat(),
        "rows": rows,
        "counts": dict(counts),
        "dropped": dropped,
    }


def snapshot_from(
    inputs: ReportInputs,
    groups: list[PeerGroup],
    *,
    today,
    texts: ReportTexts | None = None,
    numbers: _ReportNumbers | None = None,
) -> dict:
    """The report as JSON in the active language, from its inputs and its peer groups (no queries).
    `texts`: the catalogue's words, kept from one language or report to the next; `numbers`:
    the report's numbers, kept from one language to the next."""
    words = (texts or ReportTexts()).active()
    with keeping(words.numbers):
        return _snapshot(inputs, groups, today, words, numbers or _ReportNumbers())


def _snapshot(inputs: ReportInputs, groups: list[PeerGroup], today, words: LanguageTexts, numbers: _ReportNumbers):
    if numbers.rules is None:
        numbers.rules = matching_rules(inputs, groups)
    if numbers.answers is None:
        numbers.answers = {pk: AnswerRow._make(row[f] for f in ANSWER_FIELDS) for pk, row in inputs.own_rows.items()}
    shown = [g for g in groups if g.is_shown]
    own = {}  # the answers in words, by indicator id
    interview, cluster = inputs.interview, inputs.interview.cluster
    headers = [_group_header(g, words) for g in groups]
    found = recommendations(inputs, groups, numbers.rules, kept=words.kept)
    categories = []
    for indicator in inputs.indicators:
        category = indicator.category
        if not categories or categories[-1]["id"] != category.pk:
            categories.append(
                {
                    "id": category.pk,
                    "code": category.code,
                    "title": words.title(category),
                    "indicators": [],
                    "recommendations": found.get(category.pk, []),
                    "expert_recommendation": inputs.expert_recommendations.get(category.pk, ""),
                }
            )
        text, row = words.of(indicator), inputs.own_rows.get(indicator.pk)
        own[indicator.pk] = words.answer(text, numbers.answers.get(indicator.pk))
        entry = _indicator_snapshot(text, row, shown, numbers.indicators, own[indicator.pk])
        categories[-1]["indicators"].append(entry)
    for category in categories:
        category["standing"] = category_standing(category["indicators"], headers)
    return {
        "schema": SNAPSHOT_SCHEMA,
        "issued_on": today.isoformat(),
        "cluster": {
            "name": cluster.name,
            "country": str(cluster.country.name),
            "region": cluster.region,
            "portfolio": cluster.portfolio.name,
            "organisation": cluster.organisation_name,
        },
        "interview": {
            "date": interview.date.isoformat(),
            "expert": str(interview.expert),
            "mode": str(MODE_LABELS.get(interview.mode, interview.mode)),
            "interviewee": f"{interview.interviewee_name}, {interview.interviewee_role}",
        },
        "catalogue": {"version": interview.catalogue.version, "title": interview.catalogue.title},
        "method": {
            "min_group_size": settings.ECEI_REPORT_MIN_GROUP_SIZE,
            "quartiles": _(statistics.QUARTILE_METHOD),
            "rank": _(statistics.RANK_METHOD),
        },
        "groups": headers,
        "categories": categories,
        "progress": _progress_rows(inputs, words, own),
    }


def snapshots_from(inputs: ReportInputs, pool: PeerPool, *, today, texts: ReportTexts | None = None) -> dict[str, dict]:
    """The snapshot written in each language of the site, from the same inputs: the numbers are
    computed once (the groups keep them), the words are the reader's."""
    texts = texts or ReportTexts()
    groups = peer_groups(pool, inputs.interview.cluster)
    snapshots, numbers = {}, _ReportNumbers()
    for language in REPORT_LANGUAGES:
        with translation.override(language):
            snapshots[language] = snapshot_from(inputs, groups, today=today, texts=texts, numbers=numbers)
    return snapshots


def build_snapshots(interview: Interview, *, today=None) -> dict[str, dict]:
    """The snapshots of `interview`'s report as of today, per language, in a fixed number of queries."""
    today = today or timezone.localdate()
    inputs = load_report_inputs(interview)
    pool = load_peer_pool(inputs.interview.catalogue, inputs.indicators, today=today)
    return snapshots_from(inputs, pool, today=today)


def build_snapshot(interview: Interview, *, today=None) -> dict:
    """The English snapshot of `interview`'s report as of today, in a fixed number of queries."""
    today = today or timezone.localdate()
    inputs = load_report_inputs(interview)
    pool = load_peer_pool(inputs.interview.catalogue, inputs.indicators, today=today)
    with translation.override(SOURCE_LANGUAGE):
        return snapshot_from(inputs, peer_groups(pool, inputs.interview.cluster), today=today)


def latest_snapshots(
    catalogue: Catalogue,
    *,
    today=None,
    batch: int = 50,
    jobs: int = 1,
    skip: Collection[int] = (),
    prepare: Callable[[Interview, dict[str, dict]], Any] | None = None,
) -> Iterator:
    """The snapshots of every cluster's latest approved interview on `catalogue` (but those in
    `skip`), in the interviews' order: (interview, snapshots by language), or what
    `prepare(interview, snapshots)` makes of them.

    The same path as a single report (load_reports_inputs, snapshots_from) over one peer pool
    and one set of the catalogue's words; the inputs are loaded `batch` interviews at a time
    (a few queries per batch), so memory stays flat however many clusters there are. With
    `jobs` > 1 the batches are built in forked processes (ecei_site.forking; small batches, so
    that no process is left with a long last one while the others wait), `prepare` with
    them: give it the work that should be shared out too, such as encoding the JSON, and let
    it return something small.
    """
    today = today or timezone.localdate()
    indicators = catalogue_indicators(catalogue)
    pool = load_peer_pool(catalogue, indicators, today=today)
    pool.read_every_group()
    batches = _SnapshotBatches(
        pool=pool,
        indicators=indicators,
        rules=active_rules(catalogue),
        today=today,
        prepare=prepare or (lambda interview, snapshots: (interview, snapshots)),
    )
    skip = set(skip)
    latest = latest_approved_interviews(catalogue).order_by("pk").values_list("pk", flat=True)
    ids = [pk for pk in latest if pk not in skip]
    chunks = [ids[start : start + batch] for start in range(0, len(ids), batch)]
    for prepared in ordered_map(batches.build, chunks, jobs=jobs):
        yield from prepared


@dataclass
class _SnapshotBatches:
    """What every batch of a bulk issue shares: read once (in the parent, before any fork)."""

    pool: PeerPool
    indicators: list[Indicator]
    rules: list
    today: datetime.date
    prepare: Callable
    texts: ReportTexts = field(default_factory=ReportTexts)

    def build(self, interview_ids: list[int]) -> list:
        catalogues = {self.pool.catalogue.pk: self.indicators}
        inputs = load_reports_inputs(interview_ids, indicators=self.indicators, rules=self.rules, catalogues=catalogues)
        self.pool.preload_own_values([each.interview.cluster_id for each in inputs])
        return [
            self.prepare(each.interview, snapshots_from(each, self.pool, today=self.today, texts=self.texts))
            for each in inputs
        ]
