"""Bring every cluster's public label facts up to date: those found stale are refreshed, 2,000
clusters a batch, each batch a short transaction (services/label_facts.label_facts_catch_up).

Every label path keeps the facts in its own transaction, so a run normally finds nothing; it is
for after a change made past the services (a restore of an older dump, a fixture loaded by
hand, a repair in the database shell). `--enqueue` asks the worker for it instead
(benchmarking/tasks.label_facts_update): the batches then follow one another as tasks, retried.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from benchmarking.services.label_facts import label_facts_catch_up


class Command(BaseCommand):
    help = "Refresh the label facts of every cluster whose facts differ from its labels, a batch at a time."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="Ask the task worker for it instead.")

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            from benchmarking.tasks import label_facts_update

            result = label_facts_update.enqueue()
            self.stdout.write(f"Label facts catch-up asked for: task {result.id} (the next batches follow it).")
            return
        after, looked, refreshed, more = 0, 0, 0, True
        while more:
            with transaction.atomic():
                batch, stale, more = label_facts_catch_up(after=after)
            looked, refreshed = looked + len(batch), refreshed + len(stale)
            after = batch[-1] if batch else after
        self.stdout.write(f"{refreshed} of {looked} cluster(s) refreshed.")
