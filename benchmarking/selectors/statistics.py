"""The statistics of the individual report: pure functions on lists of numbers and answers.

Quartiles use linear interpolation between order statistics, Hyndman and Fan's type 7:
the default of NumPy, R and spreadsheets, and `statistics.quantiles(method="inclusive")`.
The report states this method (QUARTILE_METHOD) on its methodology page.

The percentile rank of a value among the peers is the share of peers below it plus half
of the peers equal to it, in percent (the "mean" definition): 50 means "in the middle",
whatever the number of ties.

No minimum or maximum is ever computed: with groups as small as six, the extremes would
reveal one particular cluster's value.
"""

import bisect
import functools
import math
from collections import Counter
from collections.abc import Iterable, Sequence

from django.utils.translation import gettext_noop

QUARTILE_METHOD = gettext_noop(
    "Quartiles and medians are computed by linear interpolation between the ordered values "
    "(Hyndman and Fan type 7, the default of NumPy, R and spreadsheet software)."
)
RANK_METHOD = gettext_noop(
    "The percentile rank is the share of the group's clusters with a lower value, plus half of "
    "those with the same value, in percent: 50 is the middle of the group."
)


def quantile(ordered: Sequence[float], p: float) -> float:
    """The p-quantile (0 <= p <= 1) of already sorted values, by linear interpolation (type 7)."""
    if not ordered:
        raise ValueError("quantile of no values")
    position = (len(ordered) - 1) * p
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (position - below) * (ordered[above] - ordered[below])


def quartiles(values: Iterable[float]) -> tuple[float, float, float]:
    """Lower quartile, median and upper quartile."""
    return quartiles_sorted(sorted(values))


def quartiles_sorted(ordered: Sequence[float]) -> tuple[float, float, float]:
    """quartiles of already sorted values: quantile's arithmetic, with the length read once (a
    report computes about two hundred of these per language-free pass, seed_demo millions)."""
    n = len(ordered)
    if not n:
        raise ValueError("quantile of no values")
    found = []
    for p in (0.25, 0.5, 0.75):
        position = (n - 1) * p
        below = math.floor(position)
        low = ordered[below]
        high = ordered[below + 1] if below + 1 < n else low
        found.append(low + (position - below) * (high - low))
    return found[0], found[1], found[2]


@functools.cache
def quartile_reads(n: int) -> tuple[int, ...]:
    """The positions that quartiles_sorted reads among n sorted values, in order: its result
    depends on the values at these positions alone."""
    reads = set()
    for p in (0.25, 0.5, 0.75):
        below = math.floor((n - 1) * p)
        reads.update(i for i in (below, below + 1) if i < n)
    return tuple(sorted(reads))


def mid_rank(below: int, equal: int, n: int) -> float:
    """The percentile rank, 0 to 100, of a value with `below` smaller and `equal` equal values among n:
    ties count half, so the middle of a group is 50 however many share its value."""
    return 100.0 * (below + 0.5 * equal) / n


def percentile_rank(values: Sequence[float], value: float) -> float:
    """Where `value` stands among `values`, 0 to 100 (see the module docstring)."""
    if not values:
        raise ValueError("percentile rank among no values")
    return percentile_rank_sorted(sorted(values), value)


def _round(x: float) -> float:
    # Four decimals keep snapshots small and stable across databases (Decimal vs float).
    return round(float(x), 4)


def percentile_rank_sorted(ordered: Sequence[float], value: float) -> float:
    """percentile_rank for sorted values, by bisection: O(log n)."""
    below = bisect.bisect_left(ordered, value)
    equal = bisect.bisect_right(ordered, value) - below
    return mid_rank(below, equal, len(ordered))


def rounded_quartiles(ordered: Sequence[float]) -> tuple[float, float, float]:
    """quartiles_sorted as a summary writes them."""
    q1, median, q3 = quartiles_sorted(ordered)
    return _round(q1), _round(median), _round(q3)


def number_summary(
    values: Sequence[float],
    own: float | None,
    *,
    missing: int,
    rank: float | None = None,
    quartiles: tuple[float, float, float] | None = None,
) -> dict:
    """n, quartiles and the cluster's percentile rank among `values` (the peers' answers, sorted).
    `rank` and `quartiles` (rounded_quartiles) may be given when the caller has them already
    (reports.SortedWithout ranks faster, reports.GroupData keeps quartiles from report to report)."""
    q1, median, q3 = quartiles or rounded_quartiles(values)
    return {
        "n": len(values),
        "missing": missing,
        "q1": q1,
        "median": median,
        "q3": q3,
        "rank": None if own is None else _round(rank if rank is not None else percentile_rank_sorted(values, own)),
    }


def distribution(answers: Iterable[str], options: Sequence[str]) -> list[dict]:
    """How many peers gave each option, in the catalogue's order; answers outside it come last."""
    counts = Counter(answers)
    return distribution_from_counts(counts, sum(counts.values()), options, extra=True)


def selection_distribution(selections: Sequence[Iterable[str]], options: Sequence[str]) -> list[dict]:
    """For several-of-a-list answers: how many peers chose each option (shares do not sum to 100)."""
    counts = Counter(o for chosen in selections for o in set(chosen))
    return distribution_from_counts(counts, len(selections), options, extra=False)


def distribution_from_counts(counts: Counter, total: int, options: Sequence[str], *, extra: bool) -> list[dict]:
    """Rows of option, count and share of `total` (the clusters answering), from counted answers."""
    ordered = list(options) + (sorted(o for o in counts if o not in options and counts[o] > 0) if extra else [])
    return [
        {"option": o, "count": counts.get(o, 0), "share": _round(100.0 * counts.get(o, 0) / total) if total else 0.0}
        for o in ordered
    ]
