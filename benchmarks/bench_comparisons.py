"""Timings of a comparison with a chosen group (comparisons/), side by side with the report's fixed
groups. Never part of the test suite.

    DATABASE_URL=sqlite:////tmp/ecei-bench-10000.sqlite3 .venv/bin/python benchmarks/bench_comparisons.py

on a database filled by `seed_demo --clusters N` (`make bench` makes one); the fixture
comparison_groups (regions, size bands, standard groups) is loaded if missing.

Measured through the product's code, each several times (median and best, CPU beside):

- reading a catalogue's columns from the PeerValue rows whole (when no columns file exists), bringing
  them up to date after one cluster's refresh (once per process and store version:
  selectors.matrix.caught_up), and a process's first comparison, from the columns file
  (selectors.matrix_file) caught up;
- comparisons (selectors.groups.compare, guarded as for a manager, with the cluster's report
  groups and 20 groups already shown to compare with) for several filter sets, and
  services.comparison_make (compare and record, rolled back);
- the comparison page (GET through Django's test Client as a manager: compare, record, template);
- beside them, the report's fixed groups: the snapshot of the same cluster's report from the
  stored groups (build_snapshot, 4 groups), as report_issue computes it.
"""

import os
import statistics as stdlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecei_site.settings")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarking.selectors.reports import build_snapshot  # noqa: E402
from benchmarking.selectors.reports.peers import latest_approved_interviews  # noqa: E402
from benchmarking.services.peer_values import peer_values_refresh  # noqa: E402
from comparisons.filters import GroupFilters  # noqa: E402
from comparisons.models import Region, ShownGroup, SizeBand  # noqa: E402
from comparisons.selectors.groups import compare, encode_members, fingerprint_of  # noqa: E402
from comparisons.selectors.matrix import (  # noqa: E402
    catalogue_matrix,
    caught_up,
    forget_matrices,
    read_matrix,
    store_version,
)
from comparisons.selectors.matrix_file import columns_to_file  # noqa: E402
from comparisons.services import comparison_make  # noqa: E402


class Rollback(Exception):
    pass


def timed(label, func, repeat=5):
    times, cpus, result = [], [], None
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        result = func()
        times.append((time.perf_counter() - start) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    print(
        f"{label:<66} median {stdlib.median(times):8.1f} ms   best {min(times):8.1f} ms   "
        f"CPU {stdlib.median(cpus):7.1f} ms   ({repeat} runs, load {os.getloadavg()[0]:.1f})"
    )
    return result


def rolled_back(func):
    def run():
        try:
            with transaction.atomic():
                func()
                raise Rollback
        except Rollback:
            pass

    return run


def main():
    if not SizeBand.objects.exists():
        call_command("loaddata", "comparison_groups", verbosity=0)
    interview = latest_approved_interviews().select_related("cluster", "catalogue").order_by("-date", "-pk").first()
    cluster, catalogue = interview.cluster, interview.catalogue
    members = latest_approved_interviews(catalogue).count()
    print(f"{members} clusters on catalogue v{catalogue.version}; {connection.vendor}")
    timed("read the catalogue's columns (cold: once per process and change)", lambda: read_matrix(catalogue.pk), 3)
    matrix = catalogue_matrix(catalogue.pk)
    print(f"  columns: {matrix.size} clusters x {len(matrix.series)} series, {matrix.numbers.nbytes / 2**20:.0f} MiB")
    timed("store version check (1 query per comparison)", lambda: store_version(catalogue.pk), 20)
    columns_to_file(matrix)
    with transaction.atomic():  # one cluster refreshed (an approval), rolled back
        peer_values_refresh([cluster.pk])
        timed(
            "columns brought up to date after one cluster's refresh (caught_up)",
            lambda: caught_up(matrix, store_version(catalogue.pk)),
            3,
        )

        def first_in_a_process():
            forget_matrices()
            return catalogue_matrix(catalogue.pk)

        timed("a process's first comparison's columns: the file, caught up", first_in_a_process, 3)
        transaction.set_rollback(True)
    central = Region.objects.get(slug="central-europe")
    large = SizeBand.objects.get(measure="members", lower=250)
    year = timezone.localdate().year
    filter_sets = {
        "all clusters (no filter)": GroupFilters(),
        "own country": GroupFilters(countries=[str(cluster.country)]),
        "own portfolio": GroupFilters(portfolios=[cluster.portfolio_id]),
        "Silver and Gold in Central Europe": GroupFilters(regions=[central.pk], levels=["silver", "gold"]),
        "250+ members, valid label, last 3 years": GroupFilters(
            bands=[large.pk], statuses=["valid"], years=[year, year - 1, year - 2]
        ),
    }
    # 20 groups already shown for the cluster: the differencing rule compares with each.
    rng = np.random.default_rng(1)
    shown = []
    for n in range(20):
        ids = np.sort(rng.choice(matrix.ids, size=min(matrix.size, 500 + 200 * n), replace=False))
        shown.append(
            ShownGroup(
                cluster=cluster, catalogue=catalogue, fingerprint=fingerprint_of(catalogue.pk, ids), size=len(ids),
                members=encode_members(ids), first_shown_at=timezone.now(),
            )
        )  # fmt: skip
    with transaction.atomic():
        ShownGroup.objects.bulk_create(shown)
        for name, filters in filter_sets.items():
            result = compare(cluster, filters, guarded=True)
            outcome = "shown" if result.is_shown else f"refused ({result.refusal.code})"
            timed(
                f"compare: {name} [{result.size} clusters, {outcome}]",
                lambda f=filters: compare(cluster, GroupFilters(**vars(f)), guarded=True),
            )
        with CaptureQueriesContext(connection) as queries:
            compare(cluster, GroupFilters(countries=[str(cluster.country)]), guarded=True)
        print(f"  compare: {len(queries)} queries")
        transaction.set_rollback(True)
    user = get_user_model().objects.filter(is_staff=False, is_active=True).first()
    cluster.managers.add(user)
    own_portfolio = GroupFilters(portfolios=[cluster.portfolio_id])
    timed(
        "comparison_make (compare and record, rolled back): own portfolio",
        rolled_back(lambda: comparison_make(cluster=cluster, user=user, filters=GroupFilters(**vars(own_portfolio)))),
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    page = reverse("comparisons:compare", args=[cluster.slug])
    query = {"portfolios": [cluster.portfolio_id], "compare": "1"}

    def get_page():
        response = client.get(page, query)
        assert response.status_code == 200, response.status_code

    timed("comparison page (GET as a manager: compare, record, template)", rolled_back(get_page))
    cluster.managers.remove(user)
    timed("report's fixed groups: build_snapshot (4 stored groups)", lambda: build_snapshot(interview))
    forget_matrices()


if __name__ == "__main__":
    main()
