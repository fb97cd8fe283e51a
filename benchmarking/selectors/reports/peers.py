"""The peers a report compares with, and their statistics.

Peers are other clusters, each counted once with its latest approved interview on the
report's catalogue version. Their comparable values are kept as PeerValue rows by
services.peer_values; the pool reads the rows of a group, sorted by the database, and
summarises each group once; a cluster is never its own peer.
"""

import bisect
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils.translation import gettext as _

from benchmarking.kinds import MISSING, kind_of
from benchmarking.models import (
    Catalogue,
    Indicator,
    Interview,
    Label,
    PeerValue,
    RecommendationRule,
)
from benchmarking.selectors import statistics
from clusters.models import Cluster

GROUPS = RecommendationRule.Group  # portfolio, country, all, excellence: one vocabulary
ROLE = PeerValue.Role


ANSWER_FIELDS = ("number", "boolean", "choice", "selected", "parts", "missing_reason")


def latest_approved_interviews(catalogue: Catalogue | None = None):
    """Each cluster's latest approved interview on each catalogue version (by date, then id), or
    on `catalogue` only: the interviews whose values the reports compare, as a queryset."""
    approved = Interview.objects.filter(status=Interview.Status.APPROVED)
    if catalogue is not None:
        approved = approved.filter(catalogue=catalogue)
    later = approved.filter(cluster=OuterRef("cluster"), catalogue=OuterRef("catalogue")).filter(
        Q(date__gt=OuterRef("date")) | Q(date=OuterRef("date"), pk__gt=OuterRef("pk"))
    )
    return approved.filter(~Exists(later))


def gold_clusters(today):
    """Clusters holding a valid Gold label today (the one validity rule, in SQL): the excellence group."""
    return Label.objects.filter(level=Label.Level.GOLD).valid_on(today).values_list("cluster_id", flat=True)


def is_option_indicator(indicator: Indicator) -> bool:
    """Its statistic counts the options chosen (yes/no, one or several of a list), not numbers."""
    return kind_of(indicator).counts_options


def comparable_value(indicator: Indicator, row: dict | None):
    """The value a statistic uses: a float, 'yes'/'no', an option, a list of options, or a dict of parts."""
    if row is None or row["missing_reason"]:
        return MISSING
    return kind_of(indicator).comparable(indicator, row)


def series_values(indicator: Indicator, value) -> dict:
    """The numeric series an answer feeds: the number itself, or each part (and, for counts,
    each part's share of the total, e.g. the share of SMEs among the participants)."""
    return {} if value is MISSING else kind_of(indicator).series(indicator, value)


@dataclass
class GroupData:
    """One comparison group's stored values: how many members, sorted numbers, counted options."""

    size: int = 0
    numbers: dict[tuple[str, str], list[float]] = field(default_factory=dict)
    options: dict[str, tuple[Counter, int]] = field(default_factory=dict)  # code -> (counted options, answering)


@dataclass
class OwnValues:
    """A cluster's own stored values: left out of every group it belongs to."""

    member: bool = False  # it has an approved interview on the catalogue
    numbers: dict[tuple[str, str], float] = field(default_factory=dict)
    options: dict[str, list[str]] = field(default_factory=dict)  # answered code -> options chosen


@dataclass
class PeerPool:
    """The stored peer values (PeerValue) of one catalogue version, read a group at a time.

    A group is read on first use (2 queries) and then serves every report: seed_demo
    issues thousands of reports from one pool, a single report reads its four groups.
    """

    catalogue: Catalogue
    indicators: list[Indicator]
    today: object
    _groups: dict = field(default_factory=dict)
    _gold: set[int] | None = None

    def _rows(self, key: tuple):
        kind, value = key
        rows = PeerValue.objects.filter(catalogue=self.catalogue)
        if kind == GROUPS.PORTFOLIO:
            return rows.filter(portfolio_id=value)
        if kind == GROUPS.COUNTRY:
            return rows.filter(country=value)
        if kind == GROUPS.EXCELLENCE:
            # Read by cluster (index peer_cluster): the catalogue compared as an expression, so
            # that SQLite does not walk every row of the catalogue (peer_all) to find a few hundred.
            of_catalogue = PeerValue.objects.alias(of_catalogue=F("catalogue_id") + 0)
            return of_catalogue.filter(of_catalogue=self.catalogue.pk, cluster_id__in=gold_clusters(self.today))
        return rows

    def group(self, key: tuple) -> GroupData:
        if key not in self._groups:
            self._groups[key] = self._load(key)
        return self._groups[key]

    def is_member(self, key: tuple, own: OwnValues, cluster: Cluster) -> bool:
        """Whether the cluster counts in the group: its stored keys are its own portfolio and country."""
        if not own.member:
            return False
        if key[0] == GROUPS.EXCELLENCE:
            if self._gold is None:
                self._gold = set(gold_clusters(self.today))
            return cluster.pk in self._gold
        return True

    def _load(self, key: tuple) -> GroupData:
        code = {i.pk: i.code for i in self.indicators}
        rows = self._rows(key)
        data = GroupData()
        numbers = (
            rows.filter(role=ROLE.NUMBER)
            .order_by("indicator_id", "series", "number")
            .values_list("indicator_id", "series", "number")
        )
        for (indicator_id, series), values in groupby(numbers.iterator(chunk_size=20000), key=itemgetter(0, 1)):
            data.numbers[(code[indicator_id], series)] = [number for _i, _s, number in values]
        counted = (
            rows.exclude(role=ROLE.NUMBER)
            .values_list("role", "indicator_id", "series")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for role, indicator_id, series, n in counted:
            if role == ROLE.MEMBER:
                data.size = n
                continue
            counts, answering = data.options.get(code[indicator_id], (Counter(), 0))
            if role == ROLE.ANSWERED:
                answering = n
            else:
                counts[series] = n
            data.options[code[indicator_id]] = (counts, answering)
        return data

    def own_values(self, cluster_id: int) -> OwnValues:
        """The cluster's stored values on this catalogue (1 query)."""
        code = {i.pk: i.code for i in self.indicators}
        own = OwnValues()
        rows = PeerValue.objects.filter(catalogue=self.catalogue, cluster_id=cluster_id)
        for role, indicator_id, series, number in rows.values_list("role", "indicator_id", "series", "number"):
            if role == ROLE.MEMBER:
                own.member = True
            elif role == ROLE.NUMBER:
                own.numbers[(code[indicator_id], series)] = number
            else:
                chosen = own.options.setdefault(code[indicator_id], [])
                if role == ROLE.OPTION:
                    chosen.append(series)
        return own


def load_peer_pool(catalogue: Catalogue, indicators: list[Indicator], *, today) -> PeerPool:
    """The stored peers of `catalogue` as of `today` (no query until a group is read)."""
    return PeerPool(catalogue=catalogue, indicators=indicators, today=today)


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
    """A comparison group seen from one cluster: the group's data minus that cluster's own values.

    Its numbers are computed once and shared by the report's languages; its title is in the
    language active when it is read.
    """

    key: str
    cluster: Cluster
    data: GroupData
    excluded: OwnValues  # the cluster's own values if it is a member, else empty
    size: int
    _stats: dict = field(default_factory=dict)

    @property
    def title(self) -> str:
        return group_title(self.key, self.cluster)

    @property
    def is_shown(self) -> bool:
        return self.size >= settings.ECEI_REPORT_MIN_GROUP_SIZE

    def numbers(self, indicator: Indicator, series: str) -> Sequence[float]:
        ordered = self.data.numbers.get((indicator.code, series), [])
        return _without(ordered, self.excluded.numbers.get((indicator.code, series)))

    def option_counts(self, indicator: Indicator) -> tuple[Counter, int]:
        """The group's counted answers to an option indicator, and how many answered, without the cluster."""
        counts, answering = self.data.options.get(indicator.code, (Counter(), 0))
        own = self.excluded.options.get(indicator.code)
        if own is None:
            return counts, answering
        counts = counts.copy()
        counts.subtract(own)
        return counts, answering - 1


def group_title(key: str, cluster: Cluster) -> str:
    """A group's title in the active language."""
    if key == GROUPS.PORTFOLIO:
        return _("Same comparative portfolio: %(portfolio)s") % {"portfolio": cluster.portfolio.name}
    if key == GROUPS.COUNTRY:
        return _("Same country: %(country)s") % {"country": cluster.country.name}
    if key == GROUPS.ALL:
        return _("All benchmarked clusters")
    return _("Excellence group: clusters holding a valid Gold label")


def peer_groups(pool: PeerPool, cluster: Cluster) -> list[PeerGroup]:
    """The four comparison groups of domain.md, in the report's order."""
    keys = [
        (GROUPS.PORTFOLIO, cluster.portfolio_id),
        (GROUPS.COUNTRY, str(cluster.country)),
        (GROUPS.ALL, None),
        (GROUPS.EXCELLENCE, None),
    ]
    own = pool.own_values(cluster.pk)
    groups = []
    for key in keys:
        data = pool.group(key)
        is_member = pool.is_member(key, own, cluster)
        excluded = own if is_member else OwnValues()
        groups.append(PeerGroup(str(key[0]), cluster, data, excluded, data.size - is_member))
    return groups


def number_stats(group: PeerGroup, indicator: Indicator, series: str, own: float | None) -> dict | None:
    """n, quartiles and rank, or None when fewer peers answered than the minimum group size."""
    memo = ("number", indicator.code, series, own)
    if memo not in group._stats:
        group._stats[memo] = _number_stats(group, indicator, series, own)
    return group._stats[memo]


def _number_stats(group: PeerGroup, indicator: Indicator, series: str, own: float | None) -> dict | None:
    values = group.numbers(indicator, series)
    if len(values) < settings.ECEI_REPORT_MIN_GROUP_SIZE:
        return None
    rank = values.percentile_rank(own) if isinstance(values, SortedWithout) and own is not None else None
    return statistics.number_summary(values, own, missing=group.size - len(values), rank=rank)


def option_stats(group: PeerGroup, indicator: Indicator) -> dict | None:
    """The distribution of an option indicator; the counts once, the labels in the active language."""
    memo = ("options", indicator.code)
    if memo not in group._stats:
        group._stats[memo] = _option_counts(group, indicator)
    counted = group._stats[memo]
    if counted is None:
        return None
    rows = [row | {"label": option_text(indicator, row["option"])} for row in counted["rows"]]
    return counted | {"rows": rows}


def _option_counts(group: PeerGroup, indicator: Indicator) -> dict | None:
    counts, answering = group.option_counts(indicator)
    if answering < settings.ECEI_REPORT_MIN_GROUP_SIZE:
        return None
    kind = kind_of(indicator)
    options = kind.report_options(indicator)
    rows = statistics.distribution_from_counts(counts, answering, options, extra=not kind.several)
    return {"n": answering, "missing": group.size - answering, "rows": rows}


def option_text(indicator: Indicator, option: str) -> str:
    """An option as the reader sees it; yes and no of a yes/no indicator in their language."""
    return kind_of(indicator).option_text(indicator, option)
