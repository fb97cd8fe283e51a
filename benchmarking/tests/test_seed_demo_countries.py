"""seed_demo spreads a batch over all 48 countries of the real database (README, "The data")."""

import random
from collections import Counter

import pytest

from benchmarking.demo.history import spread_over_every_country
from benchmarking.demo.names import COUNTRIES

EVERY = set(COUNTRIES)


def test_the_demo_draws_from_the_48_countries_of_the_real_database():
    assert len(EVERY) == 48


@pytest.mark.parametrize("size", [48, 300, 500])
def test_a_batch_of_48_or_more_spans_every_country(size):
    drawn = random.Random(3).choices(COUNTRIES, k=size)
    spread = spread_over_every_country(drawn)
    assert set(spread) == EVERY and len(spread) == size
    changed = [n for n, (a, b) in enumerate(zip(drawn, spread, strict=True)) if a != b]
    assert len(changed) == len(EVERY - set(drawn))  # one cluster per missing country, no more


def test_it_takes_from_the_most_frequent_country_and_leaves_the_rest_alone():
    drawn = ["DE"] * 50 + ["ES"] * 3
    spread = spread_over_every_country(drawn)
    counts = Counter(spread)
    assert counts["ES"] == 3 and counts["DE"] >= 2
    assert set(spread) == EVERY


def test_a_small_batch_covers_what_it_can_and_never_empties_a_country():
    spread = spread_over_every_country(["DE", "DE", "ES"])
    assert sorted(Counter(spread).values()) == [1, 1, 1]
    assert spread_over_every_country([]) == []
