"""The peers a report compares with, and their statistics.

Peers are other clusters, each counted once with its latest approved interview on the
report's catalogue version. The pool holds each peer's comparable values (one small dict
per cluster) and summarises each comparison group once; a cluster is never its own peer.
"""

import bisect
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from benchmarking.models import (
    Answer,
    Catalogue,
    Indicator,
    Interview,
    Label,
    RecommendationRule,
)
from benchmarking.selectors import statistics
from clusters.models import Cluster

GROUPS = RecommendationRule.Group  # portfolio, country, all, excellence: one vocabulary


ANSWER_FIELDS = ("number", "boolean", "choice", "selected", "parts", "missing_reason")


MISSING = object()  # a missing-value reason (or no answer row): excluded from statistics, counted


def latest_approved_interviews(catalogue: Catalogue):
    """Each cluster's latest approved interview on `catalogue` (by date, then id), as a queryset."""
    approved = Interview.objects.filter(catalogue=catalogue, status=Interview.Status.APPROVED)
    later = approved.filter(cluster=OuterRef("cluster")).filter(
        Q(date__gt=OuterRef("date")) | Q(date=OuterRef("date"), pk__gt=OuterRef("pk"))
    )
    return approved.filter(~Exists(later))


def valid_gold_clusters(today) -> set[int]:
    """Clusters holding a valid Gold label today (Label.is_valid in SQL): the excellence group."""
    return set(Label.objects.filter(level=Label.Level.GOLD).valid_on(today).values_list("cluster_id", flat=True))


def comparable_value(indicator: Indicator, row: dict):
    """The value a statistic uses: a float, 'yes'/'no', an option, a list of options, or a dict of parts."""
    if row is None or row["missing_reason"]:
        return MISSING
    kind = indicator.kind
    if kind in Indicator.NUMBER_KINDS:
        return MISSING if row["number"] is None else float(row["number"])
    if kind == Indicator.Kind.YES_NO:
        return MISSING if row["boolean"] is None else ("yes" if row["boolean"] else "no")
    if kind == Indicator.Kind.CHOICE:
        return row["choice"] or MISSING
    if kind == Indicator.Kind.MULTI:
        return MISSING if row["selected"] is None else list(row["selected"])
    if not row["parts"]:
        return MISSING
    return {part: float(v) for part, v in row["parts"].items() if v is not None}


def series_values(indicator: Indicator, value) -> dict:
    """The numeric series an answer feeds: the number itself, or each part (and, for counts,
    each part's share of the total, e.g. the share of SMEs among the participants)."""
    if value is MISSING:
        return {}
    if indicator.is_number:
        return {"": value}
    if not indicator.has_parts:
        return {}
    series = {part: value[part] for part in indicator.options if part in value}
    if indicator.kind == Indicator.Kind.COUNTS:
        total = sum(value.values())
        if total > 0:
            series |= {f"{part}|share": 100.0 * value[part] / total for part in indicator.options if part in value}
    return series


@dataclass
class GroupData:
    """One comparison group's answers, summarised per indicator: sorted numbers, counted options."""

    clusters: set[int] = field(default_factory=set)
    numbers: dict[tuple[str, str], list[float]] = field(default_factory=dict)
    options: dict[str, tuple[Counter, int]] = field(default_factory=dict)  # code -> (counted options, answering)
    missing: Counter = field(default_factory=Counter)


@dataclass
class PeerPool:
    """Every cluster's latest approved answers on one catalogue, grouped for comparison.

    `values[cluster_id][code]` is a statistic's value (or MISSING). Groups are built on
    first use and then serve every report: seed_demo issues a thousand reports from one pool.
    """

    indicators: list[Indicator]
    clusters: dict[int, dict]  # cluster_id -> {"country": ..., "portfolio_id": ..., "interview_id": ...}
    values: dict[int, dict[str, object]]
    gold: set[int]
    _groups: dict = field(default_factory=dict)

    def members(self, key: tuple) -> set[int]:
        kind, value = key
        if kind == GROUPS.ALL:
            return set(self.clusters)
        if kind == GROUPS.EXCELLENCE:
            return self.gold & set(self.clusters)
        field_name = "portfolio_id" if kind == GROUPS.PORTFOLIO else "country"
        return {pk for pk, meta in self.clusters.items() if meta[field_name] == value}

    def group(self, key: tuple) -> GroupData:
        if key not in self._groups:
            self._groups[key] = self._summarise(self.members(key))
        return self._groups[key]

    def _summarise(self, members: set[int]) -> GroupData:
        data = GroupData(clusters=members)
        for indicator in self.indicators:
            code = indicator.code
            answers = [self.values[pk].get(code, MISSING) for pk in members]
            data.missing[code] = sum(1 for a in answers if a is MISSING)
            given = [a for a in answers if a is not MISSING]
            if indicator.has_options or indicator.kind == Indicator.Kind.YES_NO:
                if indicator.kind == Indicator.Kind.MULTI:
                    data.options[code] = (Counter(o for chosen in given for o in set(chosen)), len(given))
                else:
                    data.options[code] = (Counter(given), len(given))
                continue
            by_series: dict[str, list[float]] = {}
            for answer in given:
                for name, number in series_values(indicator, answer).items():
                    by_series.setdefault(name, []).append(number)
            for name, numbers in by_series.items():
                data.numbers[(code, name)] = sorted(numbers)
        return data


def load_peer_pool(catalogue: Catalogue, indicators: list[Indicator], *, today) -> PeerPool:
    """The pool of every cluster's latest approved interview on `catalogue` (3 queries).

    The answers are streamed in chunks and only their statistic values are kept, so the
    pool holds one small dict per cluster, never the answer rows.
    """
    latest = latest_approved_interviews(catalogue)
    clusters = {
        row["cluster_id"]: {
            "country": row["cluster__country"],
            "portfolio_id": row["cluster__portfolio_id"],
            "interview_id": row["pk"],
        }
        for row in latest.values("pk", "cluster_id", "cluster__country", "cluster__portfolio_id")
    }
    cluster_of = {meta["interview_id"]: pk for pk, meta in clusters.items()}
    by_id = {i.pk: i for i in indicators}
    codes = [i.code for i in indicators]
    values = {pk: dict.fromkeys(codes, MISSING) for pk in clusters}
    answers = (
        Answer.objects.filter(interview__in=latest, indicator__in=list(by_id))
        .values("interview_id", "indicator_id", *ANSWER_FIELDS)
        .iterator(chunk_size=5000)
    )
    for row in answers:
        indicator = by_id[row["indicator_id"]]
        values[cluster_of[row["interview_id"]]][indicator.code] = comparable_value(indicator, row)
    return PeerPool(indicators=indicators, clusters=clusters, values=values, gold=valid_gold_clusters(today))


class SortedWithout(Sequence):
    """A sorted list seen without one of its elements, without copying it: the cluster is never
    its own peer, and seed_demo issues a thousand reports from the same sorted lists."""

    def __init__(self, ordered: list[float], skip: int | None):
        self.ordered, self.skip = ordered, skip

    def __len__(self):
        return len(self.ordered) - (self.skip is not None)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self.ordered[index + (self.skip is not None and index >= self.skip)]

    def percentile_rank(self, value: float) -> float:
        """statistics.percentile_rank_sorted by bisecting the full list, then leaving the skipped value out."""
        below = bisect.bisect_left(self.ordered, value)
        equal = bisect.bisect_right(self.ordered, value) - below
        skipped = self.ordered[self.skip]
        below -= skipped < value
        equal -= skipped == value
        return statistics.mid_rank(below, equal, len(self))


def _without(ordered: list[float], value) -> Sequence[float]:
    """`ordered` with one occurrence of `value` left out."""
    if value is None:
        return ordered
    index = bisect.bisect_left(ordered, value)
    if index < len(ordered) and ordered[index] == value:
        return SortedWithout(ordered, index)
    return ordered


@dataclass
class PeerGroup:
    """A comparison group seen from one cluster: the group's data minus that cluster's own answers."""

    key: str
    title: str
    data: GroupData
    excluded: dict[str, object]  # the cluster's own pool values if it is a member, else {}
    size: int

    @property
    def is_shown(self) -> bool:
        return self.size >= settings.ECEI_REPORT_MIN_GROUP_SIZE

    def numbers(self, indicator: Indicator, series: str) -> list[float]:
        ordered = self.data.numbers.get((indicator.code, series), [])
        own = series_values(indicator, self.excluded.get(indicator.code, MISSING)).get(series)
        return _without(ordered, own)

    def option_counts(self, indicator: Indicator) -> tuple[Counter, int]:
        """The group's counted answers to an option indicator, and how many answered, without the cluster."""
        counts, answering = self.data.options.get(indicator.code, (Counter(), 0))
        own = self.excluded.get(indicator.code, MISSING)
        if own is MISSING:
            return counts, answering
        counts = counts.copy()
        counts.subtract(set(own) if indicator.kind == Indicator.Kind.MULTI else [own])
        return counts, answering - 1


def peer_groups(pool: PeerPool, cluster: Cluster) -> list[PeerGroup]:
    """The four comparison groups of domain.md, in the report's order."""
    keys = [
        (
            GROUPS.PORTFOLIO,
            cluster.portfolio_id,
            _("Same comparative portfolio: %(portfolio)s") % {"portfolio": cluster.portfolio.name},
        ),
        (GROUPS.COUNTRY, str(cluster.country), _("Same country: %(country)s") % {"country": cluster.country.name}),
        (GROUPS.ALL, None, _("All benchmarked clusters")),
        (GROUPS.EXCELLENCE, None, _("Excellence group: clusters holding a valid Gold label")),
    ]
    groups = []
    for kind, value, title in keys:
        data = pool.group((kind, value))
        is_member = cluster.pk in data.clusters
        excluded = pool.values[cluster.pk] if is_member else {}
        groups.append(PeerGroup(str(kind), title, data, excluded, len(data.clusters) - is_member))
    return groups


def number_stats(group: PeerGroup, indicator: Indicator, series: str, own: float | None) -> dict | None:
    """n, quartiles and rank, or None when fewer peers answered than the minimum group size."""
    values = group.numbers(indicator, series)
    if len(values) < settings.ECEI_REPORT_MIN_GROUP_SIZE:
        return None
    rank = values.percentile_rank(own) if isinstance(values, SortedWithout) and own is not None else None
    return statistics.number_summary(values, own, missing=group.size - len(values), rank=rank)


def option_stats(group: PeerGroup, indicator: Indicator) -> dict | None:
    counts, answering = group.option_counts(indicator)
    if answering < settings.ECEI_REPORT_MIN_GROUP_SIZE:
        return None
    multi = indicator.kind == Indicator.Kind.MULTI
    options = ["yes", "no"] if indicator.kind == Indicator.Kind.YES_NO else indicator.options
    rows = statistics.distribution_from_counts(counts, answering, options, extra=not multi)
    for row in rows:
        row["label"] = option_text(indicator, row["option"])
    return {"n": answering, "missing": group.size - answering, "rows": rows}


def option_text(indicator: Indicator, option: str) -> str:
    """An option as the reader sees it; yes and no of a yes/no indicator in their language."""
    if indicator.kind == Indicator.Kind.YES_NO:
        return {"yes": _("yes"), "no": _("no")}.get(option, option)
    return indicator.option_label(option)
