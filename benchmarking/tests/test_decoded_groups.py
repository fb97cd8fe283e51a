"""The decoded peer groups a process keeps (selectors.reports.stored_groups.DecodedGroups): one
version a group, the newest; the oldest used first out past the budget."""

from array import array

from benchmarking.selectors.reports.stored_groups import DecodedGroups, StoredGroup


def group(values: int) -> StoredGroup:
    return StoredGroup(members=array("q", range(values)), numbers={})


def test_a_newer_version_of_a_group_replaces_the_older():
    kept = DecodedGroups(budget=10_000)
    kept.put((1, "all", ""), "v1", group(10))
    kept.put((1, "all", ""), "v2", group(10))
    kept.put((1, "country", "DE"), "v3", group(10))

    assert kept.get("v1") is None and kept.get("v2") is not None
    assert sorted(kept.versions()) == ["v2", "v3"]


def test_the_least_recently_used_go_first_past_the_budget():
    kept = DecodedGroups(budget=8 * 25)  # room for two groups of 10 values
    kept.put((1, "country", "DE"), "de", group(10))
    kept.put((1, "country", "FR"), "fr", group(10))
    kept.get("de")
    kept.put((1, "country", "IT"), "it", group(10))

    assert sorted(kept.versions()) == ["de", "it"]


def test_a_group_larger_than_the_budget_is_not_kept():
    kept = DecodedGroups(budget=8 * 5)
    kept.put((1, "all", ""), "v1", group(10))
    assert kept.versions() == []
