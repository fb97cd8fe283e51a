"""Run by tests/test_backup.py in its own process: writers that keep the database busy.

THREADS threads, each with its own connection, commit transactions that each create a pair
of clusters (<n>-<i>-a and <n>-<i>-b), until the file STOP exists. A consistent copy holds
whole pairs only. Prints "ready" once every thread has committed, then the total at the end.
"""

import json
import os
import sys
import threading
from pathlib import Path

import django

THREADS, STOP = int(sys.argv[1]), Path(sys.argv[2])


def main():
    os.environ["DJANGO_SETTINGS_MODULE"] = "ecei_site.settings"
    django.setup()
    from django.db import connection, transaction

    from clusters.models import Cluster, ComparativePortfolio

    portfolio, _ = ComparativePortfolio.objects.get_or_create(slug="ict", defaults={"name": "ICT"})
    connection.close()
    committed = [0] * THREADS
    errors = []
    started = threading.Barrier(THREADS + 1)

    def writer(n):
        try:
            i = 0
            while not STOP.exists():
                with transaction.atomic():
                    for half in "ab":
                        Cluster.objects.create(
                            name=f"W{n}-{i}-{half}", slug=f"w{n}-{i}-{half}", country="DE", portfolio=portfolio
                        )
                committed[n] += 1
                if i == 0:
                    started.wait()
                i += 1
        except Exception as exc:  # every failure is reported
            errors.append(repr(exc))
            started.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    started.wait()
    print("ready", flush=True)
    for thread in threads:
        thread.join()
    print(json.dumps({"pairs": sum(committed), "errors": errors}), flush=True)


if __name__ == "__main__":
    main()
