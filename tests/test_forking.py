"""ecei_site.forking: work shared out to forked processes that read the database themselves."""

import os

import pytest
from django.db import connection

from clusters.models import Cluster
from ecei_site.forking import can_fork, default_jobs, ordered_map
from tests import factories

pytestmark = pytest.mark.slow  # forks, seed_demo, concurrency or property-based: not in make test-fast


def _name_and_process(pk: int) -> tuple[str, int]:
    return Cluster.objects.get(pk=pk).name, os.getpid()


def test_one_job_runs_here_in_order(db):
    assert list(ordered_map(lambda n: n * n, [3, 1, 2], jobs=1)) == [9, 1, 4]


def test_inside_a_transaction_it_runs_here_where_the_uncommitted_rows_are_seen(db):
    """Each test runs in a transaction: a child would not see its rows."""
    cluster = factories.ClusterFactory(name="Uncommitted Cluster")
    assert not can_fork()
    assert list(ordered_map(_name_and_process, [cluster.pk], jobs=2)) == [("Uncommitted Cluster", os.getpid())]


@pytest.mark.django_db(transaction=True)
def test_children_read_committed_rows_through_connections_of_their_own():
    clusters = [factories.ClusterFactory(name=f"Forked {n}") for n in range(6)]
    if not can_fork():
        assert connection.vendor == "sqlite"  # the suite's SQLite is in memory: the parent's alone
        pytest.skip("an in-memory database cannot be read by another process (test_seed_demo forks on a file)")

    found = list(ordered_map(_name_and_process, [c.pk for c in reversed(clusters)], jobs=2))

    assert [name for name, _pid in found] == [f"Forked {n}" for n in reversed(range(6))]
    assert os.getpid() not in {pid for _name, pid in found}
    # The parent's connection was set aside by the children, not closed: it still works.
    assert Cluster.objects.filter(name__startswith="Forked").count() == 6


def test_a_failure_in_a_child_reaches_the_caller(transactional_db):
    if not can_fork():
        pytest.skip("in-memory SQLite: see above")
    with pytest.raises(Cluster.DoesNotExist):
        list(ordered_map(_name_and_process, [10**9], jobs=2))


def test_by_default_one_job_per_core_this_process_may_use():
    assert default_jobs() == len(os.sched_getaffinity(0)) >= 1


def _square(n: int) -> int:
    return n * n


def test_items_are_handed_out_as_results_are_taken(transactional_db):
    """Memory holds a few results per process, not all of them (Pool.imap takes every item at once)."""
    if not can_fork():
        pytest.skip("in-memory SQLite: see above")
    from ecei_site.forking import IN_FLIGHT

    taken = []

    def items():
        for n in range(40):
            taken.append(n)
            yield n

    results = ordered_map(_square, items(), jobs=2)
    assert next(results) == 0
    assert len(taken) <= IN_FLIGHT * 2 + 1
    assert list(results) == [n * n for n in range(1, 40)]
