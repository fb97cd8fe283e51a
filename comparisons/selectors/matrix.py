"""A catalogue's peer values as columns in memory: the store a chosen group is cut from.

The report's groups are summed up in advance (PeerGroupValues), but a chosen group can be any
subset of the clusters, so it is cut from every member's values: one row per member cluster
(sorted by id, with its portfolio, country and benchmarking year) and one column per number
series and option (NumPy arrays, NaN where a cluster gave no number). Cutting a group is then an
index into each column, whatever its filters: a few milliseconds at 10,000 clusters.

The columns are read from the PeerValue rows (benchmarking.services.peer_values keeps them)
once per process and catalogue, and read again when the stored "all clusters" group of the
catalogue changed: every refresh that moves a member's values rewrites that row under a new id
(its DELETE and INSERT in services.peer_values._save_groups), so its id and size are the
version of the store (1 query per comparison).
"""

import threading
from dataclasses import dataclass, field

import numpy as np
from django.db import connection

from benchmarking.models import Interview, PeerGroupValues, PeerValue
from benchmarking.selectors.reports.peers import GROUPS

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
    series: list[tuple[int, str]]  # (indicator id, series) of each row of `numbers`
    numbers: np.ndarray  # float64, series x members, NaN where no number
    option_indicators: list[int]  # indicator id of each row of `answered`
    answered: np.ndarray  # bool, option indicators x members
    chosen: dict[int, list[tuple[str, np.ndarray]]]  # indicator id -> (option, bool per member)
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
    """The catalogue's columns, read again only when the store changed (1 query, or 3 to read them)."""
    version = store_version(catalogue_id)
    kept = _kept.get(catalogue_id)
    if kept is not None and kept.version == version:
        return kept
    with _lock:
        kept = _kept.get(catalogue_id)
        if kept is None or kept.version != version:
            kept = _kept[catalogue_id] = read_matrix(catalogue_id, version)
    return kept


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


def read_matrix(catalogue_id: int, version: tuple = (None, 0)) -> Matrix:
    members = list(
        _rows(
            PeerValue.objects.filter(catalogue_id=catalogue_id, role=ROLE.MEMBER)
            .order_by("cluster_id")
            .values_list("cluster_id", "portfolio_id", "country", "interview_id")
        )
    )
    ids = np.array([m[0] for m in members], dtype=np.int64)
    interview = np.array([m[3] for m in members], dtype=np.int64)
    dates = dict(Interview.objects.filter(pk__in=interview.tolist()).values_list("pk", "date"))
    year = np.array([dates[pk].year if pk in dates else 0 for pk in interview.tolist()], dtype=np.int32)
    position = {pk: i for i, pk in enumerate(ids.tolist())}
    series: dict[tuple[int, str], int] = {}
    options: dict[int, int] = {}
    numbers_at: list[tuple[int, int, float]] = []
    answered_at: list[tuple[int, int]] = []
    chosen_at: dict[int, dict[str, list[int]]] = {}
    rows = (
        PeerValue.objects.filter(catalogue_id=catalogue_id)
        .exclude(role=ROLE.MEMBER)
        .values_list("cluster_id", "role", "indicator_id", "series", "number")
    )
    for cluster_id, role, indicator_id, name, number in _rows(rows):
        i = position.get(cluster_id)
        if i is None:
            continue
        if role == ROLE.NUMBER:
            row = series.setdefault((indicator_id, name), len(series))
            numbers_at.append((row, i, number))
        elif role == ROLE.ANSWERED:
            answered_at.append((options.setdefault(indicator_id, len(options)), i))
        elif role == ROLE.OPTION:
            options.setdefault(indicator_id, len(options))
            chosen_at.setdefault(indicator_id, {}).setdefault(name, []).append(i)
    numbers = np.full((len(series), len(ids)), np.nan)
    if numbers_at:
        at = np.array(numbers_at)
        numbers[at[:, 0].astype(np.int64), at[:, 1].astype(np.int64)] = at[:, 2]
    answered = np.zeros((len(options), len(ids)), dtype=bool)
    for row, i in answered_at:
        answered[row, i] = True
    chosen = {}
    for indicator_id, by_option in chosen_at.items():
        chosen[indicator_id] = []
        for option, where in sorted(by_option.items()):
            column = np.zeros(len(ids), dtype=bool)
            column[where] = True
            chosen[indicator_id].append((option, column))
    return Matrix(
        catalogue_id=catalogue_id,
        version=version,
        ids=ids,
        portfolio=np.array([m[1] for m in members], dtype=np.int64),
        country=np.array([str(m[2]) for m in members], dtype="<U2"),
        year=year,
        interview=interview,
        series=list(series),
        numbers=numbers,
        option_indicators=list(options),
        answered=answered,
        chosen=chosen,
    )
