"""The report's statistics against independent computations (the standard library and NumPy)."""

import random
import statistics as stdlib

import numpy as np
import pytest

from benchmarking.selectors import statistics
from benchmarking.selectors.reports.peers import GroupData, SortedWithout

SAMPLES = [
    [1, 2, 3, 4, 5, 6],
    [7, 7, 7, 7, 7, 7],
    [0.5, 10, 2.25, 2.25, 3, 100, 41, 8],
    [3, 1],
    list(range(101)),
]


@pytest.mark.parametrize(
    "values", SAMPLES + [[random.Random(n).uniform(0, 1e6) for _ in range(n)] for n in (6, 7, 50, 999)]
)
def test_quartiles_match_statistics_inclusive_and_numpy(values):
    q1, median, q3 = statistics.quartiles(values)
    expected = stdlib.quantiles(values, n=4, method="inclusive")
    assert (q1, median, q3) == pytest.approx(expected, rel=1e-12, abs=1e-12)
    assert (q1, median, q3) == pytest.approx(np.percentile(values, [25, 50, 75]), rel=1e-12, abs=1e-12)
    assert median == pytest.approx(stdlib.median(values))


def test_known_quartiles_of_one_to_seven():
    # Type 7: positions (n-1)p = 1.5, 3, 4.5 -> 2.5, 4, 5.5
    assert statistics.quartiles([7, 1, 3, 2, 6, 5, 4]) == (2.5, 4, 5.5)


@pytest.mark.parametrize("p", [0, 0.1, 0.25, 0.33, 0.5, 0.9, 1])
def test_any_quantile_matches_numpy(p):
    values = sorted(random.Random(3).randint(0, 50) for _ in range(37))
    assert statistics.quantile(values, p) == pytest.approx(np.quantile(values, p))


def numpy_rank(values, x):
    v = np.asarray(values, dtype=float)
    return 100 * (np.sum(v < x) + 0.5 * np.sum(v == x)) / len(v)


@pytest.mark.parametrize("x", [-1, 0, 1, 2, 2.5, 3, 7, 99])
def test_percentile_rank_counts_lower_values_and_half_the_ties(x):
    values = [0, 1, 1, 2, 3, 3, 3, 7]
    assert statistics.percentile_rank(values, x) == pytest.approx(numpy_rank(values, x))


def test_percentile_rank_extremes_and_middle():
    assert statistics.percentile_rank([1, 2, 3, 4, 5, 6], 0) == 0
    assert statistics.percentile_rank([1, 2, 3, 4, 5, 6], 10) == 100
    assert statistics.percentile_rank([1, 2, 3, 4, 5, 6], 3.5) == 50
    assert statistics.percentile_rank([5] * 6, 5) == 50


def test_empty_input_is_an_error_not_a_number():
    with pytest.raises(ValueError):
        statistics.quartiles([])
    with pytest.raises(ValueError):
        statistics.percentile_rank([], 1)


def test_number_summary_has_no_extremes():
    summary = statistics.number_summary([1, 2, 3, 4, 5, 6, 7], 4.5, missing=2)
    assert summary == {
        "n": 7,
        "missing": 2,
        "q1": 2.5,
        "median": 4,
        "q3": 5.5,
        "rank": pytest.approx(100 * 4 / 7, abs=1e-4),
    }
    assert "min" not in summary and "max" not in summary


def test_distribution_keeps_the_catalogue_order_and_counts_each_answer():
    rows = statistics.distribution(["b", "a", "b", "b", "x"], ["a", "b", "c"])
    assert rows == [
        {"option": "a", "count": 1, "share": 20.0},
        {"option": "b", "count": 3, "share": 60.0},
        {"option": "c", "count": 0, "share": 0.0},
        {"option": "x", "count": 1, "share": 20.0},
    ]


def test_selection_distribution_counts_clusters_not_ticks():
    rows = statistics.selection_distribution([["a", "b"], ["a"], ["a", "a"], []], ["a", "b", "c"])
    assert [(r["option"], r["count"], r["share"]) for r in rows] == [("a", 3, 75.0), ("b", 1, 25.0), ("c", 0, 0.0)]


@pytest.mark.parametrize("seed", range(20))
def test_the_quartiles_of_sorted_values_are_the_three_quantiles_exactly(seed):
    rng = random.Random(seed)
    ordered = sorted(rng.choice([rng.randint(0, 9), rng.uniform(-5, 500)]) for _ in range(rng.randint(1, 40)))
    expected = tuple(statistics.quantile(ordered, p) for p in (0.25, 0.5, 0.75))
    assert statistics.quartiles_sorted(ordered) == expected


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 13, 50])
def test_a_group_keeps_the_quartiles_that_every_cluster_left_out_would_see(n):
    """GroupData keeps quartiles by the shape of the view without a cluster's value: each view
    must read exactly the quartiles of the list with that value removed."""
    ordered = sorted(random.Random(n).sample(range(1000), n))  # distinct: every removal differs
    data = GroupData(numbers={("A1", ""): ordered})
    for skip in range(n):
        view = SortedWithout(ordered, skip)
        if not len(view):
            continue
        removed = ordered[:skip] + ordered[skip + 1 :]
        assert data.quartiles(("A1", ""), view) == statistics.rounded_quartiles(removed), skip
    assert data.quartiles(("A1", ""), ordered) == statistics.rounded_quartiles(ordered)
