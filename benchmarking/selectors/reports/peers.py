"""The peers a report compares with, and their statistics.

Peers are other clusters, each counted once with its latest approved interview on the
report's catalogue version. Their comparable values are kept as PeerValue rows, and summed
up per group as sorted arrays (PeerGroupValues), by services.peer_values; the pool reads a
report's groups in one query and summarises each group once; a cluster is never its own peer.
The groups as one cluster sees them, and their statistics, are in peer_groups.py.
"""

import bisect
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q

from benchmarking.kinds import MISSING, VALUE_COLUMNS, kind_of
from benchmarking.models import (
    Catalogue,
    Indicator,
    Interview,
    Label,
    PeerGroupValues,
    RecommendationRule,
)
from benchmarking.selectors import statistics
from benchmarking.selectors.reports.stored_groups import (
    MemberValues,
    StoredGroup,
    excellence_apply,
    excellence_changes,
    member_values_of,
    read_stored_groups,
)
from clusters.models import Cluster

GROUPS = RecommendationRule.Group  # portfolio, country, all, excellence: one vocabulary


ANSWER_FIELDS = (*VALUE_COLUMNS, "missing_reason")


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
    """One comparison group's stored values: how many members, sorted numbers, counted options.

    Every report in the group sees it without its own cluster's values (PeerGroup), but most of
    what a report reads of it is the same for many clusters: `kept` holds those summaries, by
    what they depend on, for the next report (seed_demo issues thousands from one pool). The
    summaries are shared, never changed.
    """

    size: int = 0
    numbers: dict[tuple[str, str], list[float]] = field(default_factory=dict)
    options: dict[str, tuple[Counter, int]] = field(default_factory=dict)  # code -> (counted options, answering)
    kept: dict = field(default_factory=dict, repr=False, compare=False)

    def quartiles(self, key: tuple[str, str], values: Sequence[float]) -> tuple[float, float, float]:
        """statistics.rounded_quartiles of the `key` numbers as one cluster sees them (`values`):
        the same for every cluster whose left-out value lies between the same positions read."""
        shape = values.quartile_shape() if isinstance(values, SortedWithout) else None
        memo = ("quartiles", key, shape)
        if memo not in self.kept:
            self.kept[memo] = statistics.rounded_quartiles(values)
        return self.kept[memo]


@dataclass
class OwnValues:
    """A cluster's own stored values: left out of every group it belongs to."""

    member: bool = False  # it has an approved interview on the catalogue
    numbers: dict[tuple[str, str], float] = field(default_factory=dict)
    options: dict[str, list[str]] = field(default_factory=dict)  # answered code -> options chosen


@dataclass
class PeerPool:
    """The stored groups (PeerGroupValues) of one catalogue version, read when first needed.

    A report's four groups come in one query, decoded from their sorted arrays; the groups then
    serve every report issued from the pool (seed_demo issues thousands from one). The
    excellence group is stored as of the last refresh: the clusters that gained or lost a valid
    Gold label since are read with the reported cluster's own values and applied here, in
    memory (a report writes nothing).
    """

    catalogue: Catalogue
    indicators: list[Indicator]
    today: object
    _groups: dict = field(default_factory=dict)
    _gold: set[int] | None = None
    _batch: tuple[set[int], dict[int, MemberValues]] = field(default_factory=lambda: (set(), {}))

    def preload_own_values(self, cluster_ids: list[int]) -> None:
        """The own values of the clusters of the next reports, in one query instead of one per
        report (a bulk issue's batch); they replace the previous batch's, so memory stays flat."""
        self._batch = (set(cluster_ids), self._member_values(cluster_ids))

    def read_every_group(self) -> None:
        """Every stored group of the catalogue, at once (2-3 queries): a bulk issue reads them all
        sooner or later, and read before its workers fork, they share the arrays instead of each
        decoding a copy of its own (at 100,000 clusters, a catalogue's groups take 200 MB)."""
        keys = [(GROUPS.ALL, None), (GROUPS.EXCELLENCE, None)]
        for kind, key in PeerGroupValues.objects.filter(catalogue=self.catalogue).values_list("kind", "key"):
            if kind == GROUPS.PORTFOLIO:
                keys.append((kind, int(key)))  # as peer_groups asks for them: the portfolio's id
            elif kind == GROUPS.COUNTRY:
                keys.append((kind, key))
        self.read(keys, cluster_id=None)

    def group(self, key: tuple) -> GroupData:
        if key not in self._groups:
            self.read([key], cluster_id=None)
        return self._groups[key]

    def is_member(self, key: tuple, own: OwnValues, cluster: Cluster) -> bool:
        """Whether the cluster counts in the group: its stored keys are its own portfolio and country."""
        if not own.member:
            return False
        if key[0] == GROUPS.EXCELLENCE:
            return cluster.pk in self.gold()
        return True

    def gold(self) -> set[int]:
        if self._gold is None:
            self._gold = set(gold_clusters(self.today))
        return self._gold

    def read(self, keys: list[tuple], cluster_id: int | None) -> OwnValues:
        """Read the groups of `keys` not read yet (1 query; the excellence group also today's Gold
        holders, 1 query) and the cluster's own values with those of the clusters entering or
        leaving the excellence group since it was stored (1 query)."""
        missing = [key for key in keys if key not in self._groups]
        stored = {}
        if missing:
            wanted = Q()
            for kind, value in missing:
                wanted |= Q(kind=kind, key="" if value is None else str(value))
            # Kept decoded by the process between reports, shared: read, never changed.
            stored = read_stored_groups(PeerGroupValues.objects.filter(wanted, catalogue=self.catalogue))
        changes: tuple[list[int], list[int]] = ([], [])
        if (GROUPS.EXCELLENCE, None) in missing:
            excellence = stored.get((GROUPS.EXCELLENCE, "")) or StoredGroup()
            changes = excellence_changes(excellence, self.gold())
            if changes[0] or changes[1]:  # brought to today's Gold holders in memory: on a copy
                excellence = stored[(GROUPS.EXCELLENCE, "")] = excellence.copy()
        values = {}
        preloaded = cluster_id in self._batch[0]
        wanted_clusters = [*([] if cluster_id is None or preloaded else [cluster_id]), *changes[0], *changes[1]]
        if wanted_clusters:
            values = self._member_values(wanted_clusters)
        if preloaded and cluster_id in self._batch[1]:
            values[cluster_id] = self._batch[1][cluster_id]
        if (GROUPS.EXCELLENCE, None) in missing:
            excellence_apply(excellence, *changes, values)  # as of today, in memory only
        for kind, value in missing:
            self._groups[(kind, value)] = self._group_data(stored.get((kind, "" if value is None else str(value))))
        return self._own(values.get(cluster_id))

    def _member_values(self, cluster_ids: list[int]) -> dict[int, MemberValues]:
        return member_values_of(self.catalogue.pk, cluster_ids)

    def _group_data(self, group: StoredGroup | None) -> GroupData:
        if group is None:
            return GroupData()
        code = {i.pk: i.code for i in self.indicators}
        return GroupData(
            size=group.size,
            numbers={(code[pk], series): values for (pk, series), values in group.numbers.items()},
            options={code[pk]: (counts, answering) for pk, (answering, counts) in group.options.items()},
        )

    def _own(self, member: MemberValues | None) -> OwnValues:
        own = OwnValues()
        if member is None:
            return own
        code = {i.pk: i.code for i in self.indicators}
        own.member = True
        own.numbers = {(code[pk], series): number for (pk, series), number in member.numbers}
        own.options = {code[pk]: [] for pk in member.answered}
        for pk, option in member.chosen:
            own.options[code[pk]].append(option)
        return own

    def own_values(self, cluster_id: int) -> OwnValues:
        """The cluster's stored values on this catalogue (1 query)."""
        return self._own(self._member_values([cluster_id]).get(cluster_id))


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

    def quartile_shape(self) -> int:
        """How many of the positions that quartiles read lie before the skipped element: two views
        of one list with the same shape read the same elements, so they have the same quartiles."""
        return bisect.bisect_left(statistics.quartile_reads(len(self)), self.skip)


def without_one(ordered: list[float], value) -> Sequence[float]:
    """`ordered` with one occurrence of `value` left out."""
    if value is None:
        return ordered
    index = bisect.bisect_left(ordered, value)
    if index < len(ordered) and ordered[index] == value:
        return SortedWithout(ordered, index)
    return ordered
