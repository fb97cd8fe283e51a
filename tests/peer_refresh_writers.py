"""Concurrent refreshes of the stored peer groups (benchmarking/tests/test_peer_values.py).

Several threads, each with its own connection, move their own cluster between portfolios and
countries and refresh its peer values, as several secretariat requests would at once; every
refresh changes the "all clusters" group. Afterwards the stored groups must equal the groups
rebuilt from the PeerValue rows: no refresh lost another's update.

Run in-process on PostgreSQL (a transactional test), and on SQLite in its own process on a
file database (`python tests/peer_refresh_writers.py THREADS ROUNDS`, which prints JSON).
"""

import json
import os
import sys
import threading


def stored_groups() -> dict:
    from benchmarking.models import PeerGroupValues
    from benchmarking.selectors.reports.stored_groups import StoredGroup

    found = {}
    for row in PeerGroupValues.objects.all():
        group = StoredGroup.decode(row)
        numbers = {f"{pk} {series}": list(values) for (pk, series), values in group.numbers.items()}
        options = {pk: [answering, dict(counts)] for pk, (answering, counts) in group.options.items()}
        found[f"{row.catalogue_id} {row.kind} {row.key}"] = [row.size, list(group.members), numbers, options]
    return found


def make_clusters(n: int) -> list[int]:
    """n clusters with an approved interview each (reference data loaded)."""
    from tests import factories

    return [factories.approved_interview(seed=n + 1).cluster_id for n in range(n)]


def refresh_concurrently(cluster_ids: list[int], rounds: int) -> list[str]:
    """Each cluster's thread moves it `rounds` times, refreshing in the same transaction; the errors."""
    from django.db import connection, transaction

    from benchmarking.services.peer_values import peer_values_refresh
    from clusters.models import Cluster, ComparativePortfolio

    portfolios = list(ComparativePortfolio.objects.order_by("pk").values_list("pk", flat=True))
    countries = ["DE", "FR", "IT", "ES"]
    connection.close()
    errors = []
    start = threading.Barrier(len(cluster_ids))

    def worker(n, cluster_id):
        try:
            start.wait()
            for i in range(rounds):
                with transaction.atomic():
                    cluster = Cluster.objects.get(pk=cluster_id)
                    cluster.portfolio_id = portfolios[(n + i) % len(portfolios)]
                    cluster.country = countries[(n + i) % len(countries)]
                    cluster.save()
                    peer_values_refresh([cluster_id])
        except Exception as exc:  # report every failure, not only the first
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n, pk)) for n, pk in enumerate(cluster_ids)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def kept_equals_rebuilt() -> bool:
    """Whether the groups kept in place equal the groups rebuilt from the PeerValue rows."""
    from benchmarking.services.peer_values import peer_groups_rebuild

    kept = stored_groups()
    peer_groups_rebuild()
    return kept == stored_groups()


def main():
    threads, rounds = int(sys.argv[1]), int(sys.argv[2])
    os.environ["DJANGO_SETTINGS_MODULE"] = "ecei_site.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("loaddata", "portfolios", "catalogue_v1", verbosity=0)
    cluster_ids = make_clusters(threads)
    errors = refresh_concurrently(cluster_ids, rounds)
    print(json.dumps({"errors": errors, "kept_equals_rebuilt": kept_equals_rebuilt()}))


if __name__ == "__main__":
    main()
