"""Run by tests/test_sqlite_concurrency.py in its own process, on a file SQLite database.

Several threads, each with its own connection, run read-then-write transactions at once,
as several web workers would. Prints how many transactions succeeded and the errors.
"""

import json
import os
import sys
import threading

import django

THREADS, TRANSACTIONS = int(sys.argv[1]), int(sys.argv[2])


def main():
    os.environ["DJANGO_SETTINGS_MODULE"] = "ecei_site.settings"
    django.setup()
    from django.db import connection, transaction

    from clusters.models import Cluster, ComparativePortfolio

    portfolio, _ = ComparativePortfolio.objects.get_or_create(slug="ict", defaults={"name": "ICT"})
    connection.close()
    done, errors = [], []

    def worker(n):
        try:
            for i in range(TRANSACTIONS):
                # Read, then write in the same transaction: the pattern that fails with
                # "database is locked" under DEFERRED transactions.
                with transaction.atomic():
                    count = Cluster.objects.count()
                    Cluster.objects.create(
                        name=f"T{n}-{i}-{count}", slug=f"t{n}-{i}", country="DE", portfolio=portfolio
                    )
                done.append(1)
        except Exception as exc:  # report every failure, not only the first
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(json.dumps({"succeeded": len(done), "stored": Cluster.objects.count(), "errors": errors}))


if __name__ == "__main__":
    main()
