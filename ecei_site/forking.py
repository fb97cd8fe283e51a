"""Work spread over forked worker processes, each with database connections of its own.

For long bulk jobs that are mostly Python (seed_demo's ten thousand reports): a forked
child inherits everything the parent loaded (the peer groups, the catalogue's words), so
only the items and the results cross between processes. A child reads what the parent has
committed, through connections it opens itself: a database connection must never be used
by two processes, so the inherited ones are put aside, neither used nor closed (closing a
PostgreSQL connection in the child would end the parent's session).
"""

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator

from django.db import connections

IN_FLIGHT = 1  # items handed out per process, ahead of the caller
_inherited: list = []  # in a child: the parent's connection objects, kept so nothing closes them
_task: Callable | None = None  # in the parent, while a pool runs: what each child calls


def default_jobs() -> int:
    """How many worker processes a bulk job uses unless told: one per core this process may run on
    (a container or taskset may allow fewer than the machine has)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether children would see the parent's data: not inside a transaction (its writes are
    the parent's until it commits; the test suite runs each test in one), not on a database in
    memory (the test suite's SQLite is the parent's alone); fork itself is POSIX only."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    if any(c.in_atomic_block for c in connections.all(initialized_only=True)):
        return False
    return not any(c.vendor == "sqlite" and c.is_in_memory_db() for c in connections.all())


def ordered_map(function: Callable, items: Iterable, *, jobs: int) -> Iterator:
    """function(item) for each item, in the items' order: in `jobs` forked processes, or in this
    one when jobs is 1 or children could not see the data (can_fork). The function and what it
    refers to are inherited, never pickled; the items and results are pickled, so keep them small.
    The function reads only what is committed when it runs in a child. The items are handed out
    as the results are taken, IN_FLIGHT per process ahead: memory holds that many results."""
    global _task
    if jobs <= 1 or not can_fork():
        yield from map(function, items)
        return
    if _task is not None:
        raise RuntimeError("ordered_map does not nest")
    _task = function
    try:
        with multiprocessing.get_context("fork").Pool(jobs, initializer=_own_connections) as pool:
            # At most IN_FLIGHT results per process wait here: Pool.imap would hand every item out
            # at once and keep every result the caller has not taken yet.
            waiting: deque = deque()
            for item in items:
                waiting.append(pool.apply_async(_run, (item,)))
                if len(waiting) >= IN_FLIGHT * jobs:
                    yield waiting.popleft().get()
            while waiting:
                yield waiting.popleft().get()
    finally:
        _task = None


def _own_connections() -> None:
    """In a new child: set the inherited connections aside, so that each alias connects afresh
    (outside any transaction the parent was in) on first use."""
    for connection in connections.all(initialized_only=True):
        if connection.connection is not None:
            _inherited.append(connection.connection)
            connection.connection = None


def _run(item):
    return _task(item)
