"""A comparison group's values as kept between reports (PeerGroupValues), in memory.

Each number series is a sorted float64 array (stdlib `array`: 8 bytes a value, decoded from
the stored bytes at memcpy speed; `bisect` and indexing work on it). The stored bytes are
compressed (zlib, fastest level): sorted answers repeat and compress 10 to 80 times, and a
report reading the "all clusters" group of 100,000 clusters (37 MB of float64) would spend
most of its time moving bytes from the database, more so from PostgreSQL, which sends them
as hexadecimal text. A member's values go in
with `bisect.insort` and out by bisection, so one approval changes the stored groups in place
instead of re-reading every member's rows. The rows of one member are its PeerValue rows:
what goes in is exactly what a rebuild from those rows would hold.
"""

import bisect
import sys
import threading
import zlib
from array import array
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import BinaryField, Case, F, QuerySet, Value, When

from benchmarking.models import PeerGroupValues, PeerValue

ROLE = PeerValue.Role
MEMBER_FIELDS = ("cluster_id", "portfolio_id", "country", "role", "indicator_id", "series", "number")


def _floats(data) -> array:
    values = array("d")
    values.frombytes(data)
    if sys.byteorder == "big":  # stored little-endian, whatever the machine
        values.byteswap()
    return values


def _ids(data) -> array:
    ids = array("q")
    ids.frombytes(data)
    if sys.byteorder == "big":
        ids.byteswap()
    return ids


def _bytes(values: array) -> bytes:
    if sys.byteorder == "big":
        values = array(values.typecode, values)
        values.byteswap()
    return values.tobytes()


class StoreMismatch(ValueError):
    """A stored group no longer matches the PeerValue rows (they changed past peer_values_refresh,
    e.g. deleted by cascade with their interview): the refresh rebuilds the catalogue's groups."""


@dataclass
class MemberValues:
    """One cluster's PeerValue rows on a catalogue: its group keys and the values it adds."""

    cluster_id: int
    portfolio_id: int = 0
    country: str = ""
    numbers: list[tuple[tuple[int, str], float]] = field(default_factory=list)
    answered: list[int] = field(default_factory=list)  # option indicators answered
    chosen: list[tuple[int, str]] = field(default_factory=list)  # (indicator, option) chosen

    def take(self, role: str, indicator_id: int | None, series: str, number: float | None) -> None:
        """One of the member's PeerValue rows: the one place that reads what a row's role means
        (the MEMBER row adds nothing but the member itself)."""
        if role == ROLE.NUMBER:
            self.numbers.append(((indicator_id, series), float(number)))
        elif role == ROLE.ANSWERED:
            self.answered.append(indicator_id)
        elif role == ROLE.OPTION:
            self.chosen.append((indicator_id, series))


def members_from_rows(rows) -> dict[int, dict[int, MemberValues]]:
    """Catalogue -> cluster -> its values, from PeerValue rows as ("catalogue_id", *MEMBER_FIELDS) tuples."""
    found: dict[int, dict[int, MemberValues]] = {}
    for catalogue_id, cluster_id, portfolio_id, country, *value in rows:
        member = found.setdefault(catalogue_id, {}).get(cluster_id)
        if member is None:
            member = found[catalogue_id][cluster_id] = MemberValues(cluster_id, portfolio_id, country)
        member.take(*value)
    return found


def members_in_order(rows) -> Iterator[MemberValues]:
    """Each member of PeerValue rows given as MEMBER_FIELDS tuples in cluster order, one at a time:
    a rebuild holds one member's values, never a catalogue's rows (a gigabyte at 100,000 clusters)."""
    member = None
    for cluster_id, portfolio_id, country, *value in rows:
        if member is None or member.cluster_id != cluster_id:
            if member is not None:
                yield member
            member = MemberValues(cluster_id, portfolio_id, country)
        member.take(*value)
    if member is not None:
        yield member


def member_values(rows) -> dict[int, dict[int, MemberValues]]:
    """members_from_rows of a PeerValue queryset."""
    return members_from_rows(rows.values_list("catalogue_id", *MEMBER_FIELDS))


@dataclass
class StoredGroup:
    """A group's members and values: sorted ids, sorted number series, counted options."""

    members: array = field(default_factory=lambda: array("q"))
    numbers: dict[tuple[int, str], array] = field(default_factory=dict)
    options: dict[int, tuple[int, Counter]] = field(default_factory=dict)  # indicator -> (answering, counts)
    outside: set[int] = field(default_factory=set)  # excellence: Gold holders without values (PeerGroupValues)

    @property
    def size(self) -> int:
        return len(self.members)

    def __contains__(self, cluster_id: int) -> bool:
        index = bisect.bisect_left(self.members, cluster_id)
        return index < len(self.members) and self.members[index] == cluster_id

    def add(self, member: MemberValues) -> None:
        if member.cluster_id in self:
            raise StoreMismatch(f"cluster {member.cluster_id} is in the stored group already")
        bisect.insort(self.members, member.cluster_id)
        for key, number in member.numbers:
            if key not in self.numbers:
                self.numbers[key] = array("d")
            bisect.insort(self.numbers[key], number)
        for indicator_id in member.answered:
            answering, counts = self.options.get(indicator_id, (0, Counter()))
            self.options[indicator_id] = (answering + 1, counts)
        for indicator_id, option in member.chosen:
            self.options[indicator_id][1][option] += 1

    def remove(self, member: MemberValues) -> None:
        """Take out the values `member` added (the same rows)."""
        _take(self.members, member.cluster_id)
        for key, number in member.numbers:
            _take(self.numbers[key], number)
            if not self.numbers[key]:
                del self.numbers[key]
        for indicator_id, option in member.chosen:
            counts = self.options[indicator_id][1]
            counts[option] -= 1
            if not counts[option]:
                del counts[option]
        for indicator_id in member.answered:
            answering, counts = self.options[indicator_id]
            if answering == 1:
                del self.options[indicator_id]
            else:
                self.options[indicator_id] = (answering - 1, counts)

    def as_decoded(self) -> "StoredGroup":
        """What StoredGroup.decode of this group's encode() gives (the series and options in the
        stored order, arrays of their own), without compressing and decompressing the arrays."""
        return StoredGroup(
            array("q", self.members),
            {key: array("d", self.numbers[key]) for key in sorted(self.numbers)},
            {
                pk: (answering, Counter(dict(sorted(counts.items()))))
                for pk, (answering, counts) in sorted(self.options.items())
            },
            set(self.outside),
        )

    def copy(self) -> "StoredGroup":
        return StoredGroup(
            array("q", self.members),
            {key: array("d", values) for key, values in self.numbers.items()},
            {key: (answering, counts.copy()) for key, (answering, counts) in self.options.items()},
            set(self.outside),
        )

    @classmethod
    def decode(cls, row: PeerGroupValues) -> "StoredGroup":
        numbers, start = {}, 0
        everything = _floats(zlib.decompress(row.numbers) if row.numbers else b"")
        for indicator_id, series, count in row.series:
            numbers[(indicator_id, series)] = everything[start : start + count]
            start += count
        options = {int(pk): (answering, Counter(counts)) for pk, (answering, counts) in row.options.items()}
        return cls(_ids(row.members), numbers, options, set(_ids(row.outside)))

    def encode(self) -> dict:
        """The stored fields (PeerGroupValues): series in a fixed order, so equal groups store equal bytes."""
        keys = sorted(self.numbers)
        everything = array("d")
        for key in keys:
            everything.extend(self.numbers[key])
        options = sorted(self.options.items())
        return {
            "size": self.size,
            "members": _bytes(self.members),
            "series": [[pk, series, len(self.numbers[(pk, series)])] for pk, series in keys],
            "numbers": zlib.compress(_bytes(everything), 1),
            "options": {str(pk): [answering, dict(sorted(counts.items()))] for pk, (answering, counts) in options},
            "outside": _bytes(array("q", sorted(self.outside))),
        }


class GroupBuilder:
    """A group rebuilt from all its members, sorted once at the end (StoredGroup.add keeps the
    arrays sorted at every member, for the few members a refresh changes)."""

    def __init__(self):
        self.members = array("q")
        self.numbers: dict[tuple[int, str], array] = defaultdict(lambda: array("d"))
        self.answering: Counter = Counter()
        self.counts: dict[int, Counter] = defaultdict(Counter)

    def add(self, member: MemberValues) -> None:
        self.members.append(member.cluster_id)
        for key, number in member.numbers:
            self.numbers[key].append(number)
        self.answering.update(member.answered)
        for indicator_id, option in member.chosen:
            self.counts[indicator_id][option] += 1

    def stored_group(self) -> StoredGroup:
        group = StoredGroup()
        group.members = array("q", sorted(self.members))
        group.numbers = {key: array("d", sorted(values)) for key, values in self.numbers.items()}
        for indicator_id in self.answering.keys() | self.counts.keys():
            group.options[indicator_id] = (self.answering[indicator_id], self.counts.get(indicator_id, Counter()))
        return group


def _take(values: array, value) -> None:
    index = bisect.bisect_left(values, value)
    if index == len(values) or values[index] != value:
        raise StoreMismatch(f"{value!r} is not in the stored group: the store no longer matches its PeerValue rows")
    del values[index]


def excellence_changes(group: StoredGroup, gold: set[int]) -> tuple[list[int], list[int]]:
    """The members that no longer hold a valid Gold label, and the Gold holders not yet in the
    group, leaving out those known to have no values on its catalogue (`outside`)."""
    members = set(group.members)
    return sorted(members - gold), sorted(gold - members - group.outside)


def excellence_apply(group: StoredGroup, leaving: list[int], entering: list[int], values: dict[int, MemberValues]):
    """Bring the excellence group to today's Gold holders, from the current values of the clusters
    that changed (a member's values are its current PeerValue rows: every refresh updates the group)."""
    for cluster_id in leaving:
        if cluster_id not in values:
            raise StoreMismatch(f"cluster {cluster_id} of the excellence group has no values")
        group.remove(values[cluster_id])
    for cluster_id in entering:
        if cluster_id in values:
            group.add(values[cluster_id])
        else:
            group.outside.add(cluster_id)


def member_values_of(catalogue_id: int, cluster_ids: list[int]) -> dict[int, MemberValues]:
    """The current values of these clusters on the catalogue (1 query, index peer_cluster)."""
    rows = PeerValue.objects.filter(catalogue_id=catalogue_id, cluster_id__in=cluster_ids)
    return member_values(rows).get(catalogue_id, {})


# --- Decoded groups kept in the process (issue 30) ----------------------------------------------


class DecodedGroups:
    """Groups decoded from their stored rows, kept under the row's version (PeerGroupValues.version,
    new at every write), one version a group (a newer one replaces the older: the versions a query
    names stay as few as the groups), least recently used first out past `budget` bytes of arrays.

    At 100,000 clusters a report spent 47 % of its time reading the "all clusters" group's
    compressed arrays from the database and 37 % decompressing them (2.56 million floats); the
    groups change only when a refresh writes them, which gives them a new version: a report then
    reads the new arrays, never the old ones. The kept groups are shared: read them, never change
    them (StoredGroup.copy() first).
    """

    def __init__(self, budget: int):
        self.budget = budget
        self._groups: OrderedDict[str, tuple[StoredGroup, int]] = OrderedDict()
        self._slots: dict[tuple, str] = {}  # (catalogue, kind, key) -> its kept version
        self._size = 0
        self._lock = threading.Lock()  # gunicorn's threads share the process

    def versions(self) -> list[str]:
        with self._lock:
            return list(self._groups)

    def get(self, version: str) -> StoredGroup | None:
        with self._lock:
            kept = self._groups.get(version)
            if kept is None:
                return None
            self._groups.move_to_end(version)
            return kept[0]

    def put(self, slot: tuple, version: str, group: StoredGroup) -> None:
        size = 8 * (len(group.members) + sum(len(values) for values in group.numbers.values()))
        if not version or size > self.budget:
            return
        with self._lock:
            if version in self._groups:
                return
            if (older := self._slots.get(slot)) in self._groups:
                self._size -= self._groups.pop(older)[1]
            self._slots[slot] = version
            self._groups[version] = (group, size)
            self._size += size
            while self._size > self.budget:
                _, (_, dropped) = self._groups.popitem(last=False)
                self._size -= dropped

    def clear(self) -> None:
        with self._lock:
            self._groups.clear()
            self._slots.clear()
            self._size = 0


decoded_groups = DecodedGroups(budget=settings.ECEI_PEER_GROUPS_KEPT_MB * 1024 * 1024)


def read_stored_groups(rows: QuerySet[PeerGroupValues]) -> dict[tuple[str, str], StoredGroup]:
    """The groups of `rows` by (kind, key), decoded, in one query whatever is kept: the arrays of a
    group whose version this process has decoded already are not sent by the database (NULL in
    their place), the others are, and are decoded and kept. Shared: never change what comes back."""
    known = set(decoded_groups.versions())
    if known:
        rows = rows.defer("members", "numbers").annotate(
            **{
                f"stored_{name}": Case(
                    When(version__in=sorted(known), then=Value(None)), default=F(name), output_field=BinaryField()
                )
                for name in ("members", "numbers")
            }
        )
    found = {}
    for row in rows:
        group = decoded_groups.get(row.version) if known else None
        if group is None:
            if row.version in known:  # dropped by another thread since: its arrays were not sent
                row = PeerGroupValues.objects.get(pk=row.pk)
            elif known:
                row.members, row.numbers = row.stored_members, row.stored_numbers
            group = StoredGroup.decode(row)
            decoded_groups.put((row.catalogue_id, row.kind, row.key), row.version, group)
        found[(row.kind, row.key)] = group
    return found
