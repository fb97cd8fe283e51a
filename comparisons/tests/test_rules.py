"""The confidentiality rules on their own (comparisons/rules.py)."""

import numpy as np

from comparisons import rules


def mask(n, members):
    m = np.zeros(n, dtype=bool)
    m[list(members)] = True
    return m


def test_a_small_group_says_how_many_more_it_needs():
    assert rules.size_refusal(6, 6) is None
    refusal = rules.size_refusal(4, 6)
    assert refusal.needed == 2 and "It needs 2 more" in refusal.message
    assert "No other cluster" in rules.size_refusal(0, 6).message


def test_groups_one_to_five_apart_are_refused_and_the_same_group_is_not():
    shown = [mask(30, range(10))]
    assert rules.differencing_refusal(mask(30, range(10)), shown, 6) is None  # the same group again
    refused = rules.differencing_refusal(mask(30, range(11)), shown, 6)
    assert refused.code == "too_close" and refused.needed == 5
    assert rules.differencing_refusal(mask(30, range(16)), shown, 6) is None
    assert rules.differencing_refusal(mask(30, [*range(1, 10), 20]), shown, 6).needed == 4  # swapped one: 2 apart


def test_a_figure_is_withheld_when_its_answering_clusters_are_too_close():
    shown = [mask(30, range(10))]
    group = mask(30, range(16))  # six more clusters...
    answered = np.ones((2, 30), dtype=bool)
    answered[1, 11:16] = False  # ...of which only one answered the second figure
    assert rules.withheld_figures(group, shown, answered, 6).tolist() == [False, True]
    assert rules.withheld_figures(mask(30, range(10)), shown, answered, 6).tolist() == [False, False]
