"""A catalogue's peer values as columns in memory: the store a chosen group is cut from.

The report's groups are summed up in advance (PeerGroupValues), but a chosen group can be any
subset of the clusters, so it is cut from every member's values: one row per member cluster
(sorted by id, with its portfolio, country and benchmarking year) and one column per number
series and option (NumPy arrays, NaN where a cluster gave no number). Cutting a group is then an
index into each column, whatever its filters: a few milliseconds at 10,000 clusters.

The columns are read from the PeerValue rows (benchmarking.services.peer_values keeps them)
once per process and catalogue, and brought up to date when the stored "all clusters" group of
the catalogue changed: every refresh that moves a member's values rewrites that row under a new
id (its DELETE and INSERT in services.peer_values._save_groups), so its id and size are the
version of the store (1 query per comparison).

Bringing them up to date reads only the clusters that changed (issue 28: at 100,000 clusters a
whole read is ten million rows and many seconds, an approval changes one cluster). A refresh
never updates a PeerValue row: it deletes all of a cluster's rows and inserts them again, and a
primary key is never given twice (PostgreSQL's sequences, SQLite's AUTOINCREMENT). So a member
whose MEMBER row kept its id kept every value; the others, and the new members, are read again.
"""

import threading
from dataclasses import dataclass, field

import numpy as np
from django.db import connection

from benchmarking.models import Interview, PeerGroupValues, PeerValue
from benchmarking.selectors.reports.peers import GROUPS
from comparisons.selectors.matrix_file import FILE_BEHIND, columns_from_file, columns_to_file

ROLE = PeerValue.Role


@dataclass
class Matrix:
    """One catalogue's members and their values, as columns."""

    catalogue_id: int
    version: tuple
    ids: np.ndarray  # member clusters, sorted (int64)
    portfolio: np.ndarray  # int64
    country: np.ndarray  # two-letter codes
    year: np.ndarray  # the year of the benchmarking compared (int32)
    interview: np.ndarray  # its id (int64)
    member_rows: np.ndarray  # the id of each member's MEMBER row (int64): unchanged while its values are
    series: list[tuple[int, str]]  # (indicator id, series) of each row of `numbers`
    numbers: np.ndarray  # float64, series x members, NaN where no number
    option_indicators: list[int]  # indicator id of each row of `answered`
    answered: np.ndarray  # bool, option indicators x members
    chosen: dict[int, list[tuple[str, np.ndarray]]]  # indicator id -> (option, bool per member)
    reread: int = 0  # members read from their rows when assembled (the others copied)
    _contributors: np.ndarray | None = field(default=None, repr=False)

    @property
    def size(self) -> int:
        return len(self.ids)

    def index_of(self, cluster_id: int) -> int | None:
        i = int(np.searchsorted(self.ids, cluster_id))
        return i if i < len(self.ids) and self.ids[i] == cluster_id else None

    def mask_of(self, cluster_ids) -> np.ndarray:
        """The members among `cluster_ids`, as a mask (clusters no longer members drop out)."""
        return np.isin(self.ids, np.asarray(list(cluster_ids), dtype=np.int64))

    def contributors(self) -> np.ndarray:
        """Who answered each figure: the number series, then the option indicators (rules.withheld_figures)."""
        if self._contributors is None:
            self._contributors = (
                np.vstack([~np.isnan(self.numbers), self.answered])
                if self.size
                else np.zeros((len(self.series) + len(self.option_indicators), 0), dtype=bool)
            )
        return self._contributors


_kept: dict[int, Matrix] = {}
_lock = threading.Lock()


def store_version(catalogue_id: int) -> tuple:
    """The stored "all clusters" group's id and size: changed by every refresh of the catalogue (1 query)."""
    row = (
        PeerGroupValues.objects.filter(catalogue_id=catalogue_id, kind=GROUPS.ALL, key="")
        .values_list("pk", "size")
        .first()
    )
    return tuple(row) if row else (None, 0)


def catalogue_matrix(catalogue_id: int) -> Matrix:
    """The catalogue's columns, brought up to date when the store changed (1 query when it did not).
    A process's first comparison starts from the columns file (selectors.matrix_file)."""
    version = store_version(catalogue_id)
    kept = _kept.get(catalogue_id)
    if kept is not None and kept.version == version:
        return kept
    with _lock:
        kept = _kept.get(catalogue_id)
        if kept is None or kept.version != version:
            kept = _kept[catalogue_id] = _brought_up(catalogue_id, kept, version)
    return kept


def _brought_up(catalogue_id: int, kept: Matrix | None, version: tuple) -> Matrix:
    """`kept`, or else the columns file, caught up; the rows read whole when there is neither. The
    file is written after a whole read or a long catch-up."""
    base = kept or _from_file(catalogue_id)
    brought = read_matrix(catalogue_id, version) if base is None else caught_up(base, version)
    if base is None or brought.reread > FILE_BEHIND:
        columns_to_file(brought)
    return brought


def _from_file(catalogue_id: int) -> Matrix | None:
    fields = columns_from_file(catalogue_id)
    return Matrix(**fields) if fields else None


def forget_matrices() -> None:
    """Tests and benchmarks: read the columns again at the next comparison."""
    _kept.clear()


def _rows(queryset):
    """A queryset's rows as tuples straight from the cursor (a million rows at 10,000 clusters)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(20000):
            yield from chunk


# Above this many changed members a whole read is cheaper than picking them out.
CATCH_UP_LIMIT = 2000
NOTED = 200_000  # values noted before they are set into the columns


def _members(catalogue_id: int) -> list[tuple]:
    """(MEMBER row id, cluster, portfolio, country, interview) of every member, by cluster."""
    return list(
        _rows(
            PeerValue.objects.filter(catalogue_id=catalogue_id, role=ROLE.MEMBER)
            .order_by("cluster_id")
            .values_list("pk", "cluster_id", "portfolio_id", "country", "interview_id")
        )
    )


def read_matrix(catalogue_id: int, version: tuple = (None, 0)) -> Matrix:
    """The catalogue's columns from all its PeerValue rows."""
    return _assemble(catalogue_id, version, _members(catalogue_id), base=None)


def caught_up(kept: Matrix, version: tuple) -> Matrix:
    """`kept` brought to the store as it now stands: the values of the members whose MEMBER row
    is new are read again, the others' are copied; a whole read when many changed."""
    members = _members(kept.catalogue_id)
    rows = np.array([m[0] for m in members], dtype=np.int64)
    if np.count_nonzero(~np.isin(rows, kept.member_rows)) > CATCH_UP_LIMIT:
        return _assemble(kept.catalogue_id, version, members, base=None)
    return _assemble(kept.catalogue_id, version, members, base=kept)


def _assemble(catalogue_id: int, version: tuple, members: list[tuple], base: Matrix | None) -> Matrix:
    """The columns of `members`: copied from `base` for the members whose MEMBER row it holds,
    read from their PeerValue rows for the others (all of them without a base)."""
    ids = np.array([m[1] for m in members], dtype=np.int64)
    member_rows = np.array([m[0] for m in members], dtype=np.int64)
    interview = np.array([m[4] for m in members], dtype=np.int64)
    if base is None:
        kept_at, old_at = np.zeros(len(ids), dtype=bool), np.zeros(0, dtype=np.int64)
    else:
        kept_at = np.isin(member_rows, base.member_rows)
        old_at = np.searchsorted(base.ids, ids[kept_at])  # the members kept, where base has them
    read = ~kept_at
    year = np.zeros(len(ids), dtype=np.int32)
    if base is not None:
        year[kept_at] = base.year[old_at]
    columns = _Columns(ids, base, kept_at, old_at)
    if read.any():  # nothing to read when the base is up to date
        interviews = Interview.objects.all()
        values = PeerValue.objects.filter(catalogue_id=catalogue_id).exclude(role=ROLE.MEMBER)
        if base is None:  # every member: a subquery, not 60,000 parameters
            interviews = interviews.filter(
                pk__in=PeerValue.objects.filter(catalogue_id=catalogue_id, role=ROLE.MEMBER).values("interview_id")
            )
        else:
            interviews = interviews.filter(pk__in=interview[read].tolist())
            values = values.filter(cluster_id__in=ids[read].tolist())
        dates = dict(interviews.values_list("pk", "date"))
        year[read] = [dates[pk].year if pk in dates else 0 for pk in interview[read].tolist()]
        _take_rows(columns, values, ids, read)
    numbers, series, answered, option_indicators, chosen = columns.built()
    return Matrix(
        catalogue_id=catalogue_id,
        version=version,
        ids=ids,
        portfolio=np.array([m[2] for m in members], dtype=np.int64),
        country=np.array([str(m[3]) for m in members], dtype="<U2"),
        year=year,
        interview=interview,
        member_rows=member_rows,
        series=series,
        numbers=numbers,
        option_indicators=option_indicators,
        answered=answered,
        chosen=chosen,
        reread=int(np.count_nonzero(read)),
    )


def _take_rows(columns: "_Columns", values, ids: np.ndarray, read: np.ndarray) -> None:
    """The PeerValue rows of the members to read, into the columns."""
    position = {pk: i for i, pk in enumerate(ids[read].tolist())}
    reread = np.flatnonzero(read)
    for cluster_id, role, indicator_id, name, number in _rows(
        values.values_list("cluster_id", "role", "indicator_id", "series", "number")
    ):
        i = position.get(cluster_id)
        if i is not None:
            columns.take(int(reread[i]), role, indicator_id, name, number)


class _Columns:
    """The columns being assembled: those of `base` moved to the members' new places, then the
    values read for the other members set into them."""

    def __init__(self, ids: np.ndarray, base: Matrix | None, kept_at: np.ndarray, old_at: np.ndarray):
        self.size = len(ids)
        self.series: dict[tuple[int, str], int] = {}
        self.options: dict[int, int] = {}
        self.numbers: list[np.ndarray] = []
        self.answered: list[np.ndarray] = []
        self.chosen: dict[int, dict[str, np.ndarray]] = {}
        self._numbers_at: list[tuple[int, int, float]] = []
        self._answered_at: list[tuple[int, int]] = []
        if base is None:
            return
        for row, key in enumerate(base.series):
            self._number_row(key)[kept_at] = base.numbers[row, old_at]
        for row, indicator_id in enumerate(base.option_indicators):
            self._answered_row(indicator_id)[kept_at] = base.answered[row, old_at]
        for indicator_id, by_option in base.chosen.items():
            for option, column in by_option:
                self._chosen_column(indicator_id, option)[kept_at] = column[old_at]

    def _number_row(self, key: tuple[int, str]) -> np.ndarray:
        if key not in self.series:
            self.series[key] = len(self.numbers)
            self.numbers.append(np.full(self.size, np.nan))
        return self.numbers[self.series[key]]

    def _answered_row(self, indicator_id: int) -> np.ndarray:
        if indicator_id not in self.options:
            self.options[indicator_id] = len(self.answered)
            self.answered.append(np.zeros(self.size, dtype=bool))
        return self.answered[self.options[indicator_id]]

    def _chosen_column(self, indicator_id: int, option: str) -> np.ndarray:
        self._answered_row(indicator_id)
        by_option = self.chosen.setdefault(indicator_id, {})
        if option not in by_option:
            by_option[option] = np.zeros(self.size, dtype=bool)
        return by_option[option]

    def take(self, i: int, role: str, indicator_id: int, name: str, number) -> None:
        """One PeerValue row of the member at `i` (its role read as MemberValues.take reads it),
        noted here and set into the columns all at once by `built` (ten million rows at 100,000)."""
        if role == ROLE.NUMBER:
            self._number_row((indicator_id, name))
            self._numbers_at.append((self.series[(indicator_id, name)], i, number))
        elif role == ROLE.ANSWERED:
            self._answered_row(indicator_id)
            self._answered_at.append((self.options[indicator_id], i))
        elif role == ROLE.OPTION:
            self._chosen_column(indicator_id, name)[i] = True
        if len(self._numbers_at) + len(self._answered_at) >= NOTED:
            self._set_taken()

    def _set_taken(self) -> None:
        """Set the values noted so far into their rows (vectorised per row; memory stays flat)."""
        if self._numbers_at:
            at = np.array(self._numbers_at, dtype=np.float64)
            rows = at[:, 0].astype(np.int64)
            for row in np.unique(rows).tolist():
                here = rows == row
                self.numbers[row][at[here, 1].astype(np.int64)] = at[here, 2]
        if self._answered_at:
            at = np.array(self._answered_at, dtype=np.int64)
            for row in np.unique(at[:, 0]).tolist():
                self.answered[row][at[at[:, 0] == row, 1]] = True
        self._numbers_at, self._answered_at = [], []

    def built(self):
        """numbers, series, answered, option indicators, chosen: as a whole read gives them (a
        series or an option no member has any more is left out)."""
        self._set_taken()
        keep = [key for key, row in self.series.items() if not np.isnan(self.numbers[row]).all()]
        numbers = np.array([self.numbers[self.series[key]] for key in keep]).reshape(len(keep), self.size)
        answering = [
            i for i, row in self.options.items()
            if self.answered[row].any() or any(c.any() for c in self.chosen.get(i, {}).values())
        ]  # fmt: skip
        answered = np.array([self.answered[self.options[i]] for i in answering], dtype=bool).reshape(
            len(answering), self.size
        )
        chosen = {
            i: [(option, column) for option, column in sorted(self.chosen[i].items()) if column.any()]
            for i in answering
            if i in self.chosen
        }
        return numbers, keep, answered, answering, {i: found for i, found in chosen.items() if found}
