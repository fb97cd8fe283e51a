"""Make a deterministic, realistic demo database, and the demo accounts.

    python manage.py seed_demo --clusters 1300 --seed 7
    python manage.py seed_demo --print-logins

Safe to run again: reference data is loaded only when missing, and synthetic clusters
only when there are none yet (use --force to add another batch).

The phases: the reference data and accounts; the clusters' past (benchmarking.demo.history,
written by services/bulk.history_record under the rules, which refreshes the derived data
once at its end); the demo accounts' own work (benchmarking.demo.workload, through the
one-at-a-time services); the individual reports (services/reports).
"""

import random

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from tqdm import tqdm

from benchmarking.demo.accounts import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    ensure_accounts,
    ensure_reference_data,
    make_experts,
)
from benchmarking.demo.history import DemoHistory
from benchmarking.demo.workload import DemoWorkload
from benchmarking.models import Catalogue, Indicator, Interview, Label
from benchmarking.services.bulk import history_record
from benchmarking.services.reports import reports_issue_latest
from clusters.models import Cluster
from ecei_site.forking import default_jobs


class Command(BaseCommand):
    help = "Make a deterministic synthetic demo dataset and the demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--clusters", type=int, default=300, help="Synthetic clusters to make (default 300).")
        parser.add_argument("--experts", type=int, default=200, help="Accredited experts to make (default 200).")
        parser.add_argument("--seed", type=int, default=2010, help="Random seed; the same seed gives the same data.")
        parser.add_argument("--force", action="store_true", help="Add synthetic clusters even if some exist.")
        parser.add_argument(
            "--jobs",
            type=int,
            default=default_jobs(),
            help="Processes that build the reports (default: one per core; 1 builds them in this one).",
        )
        parser.add_argument("--print-logins", action="store_true", help="Only print the demo logins.")
        parser.add_argument("--site-url", default="http://127.0.0.1:8000", help="Where the site is served.")

    def handle(self, *args, **options):
        if options["print_logins"]:
            self.print_logins(options["site_url"].rstrip("/"))
            return
        # Never log the queries, whatever DEBUG says: with DEBUG on, Django formats every
        # statement and keeps the last 9,000, the bulk inserts of 200 reports among them.
        with override_settings(DEBUG=False):
            self.seed(options)

    def seed(self, options):
        rng = random.Random(options["seed"])
        self.today = timezone.localdate()
        ensure_reference_data()
        with transaction.atomic():
            accounts = ensure_accounts(self.today)
        if Interview.objects.exists() and not options["force"]:
            self.stdout.write("Demo data already present; nothing added (use --force to add more).")
            return
        # Benchmarkings before the 2019 revision answered catalogue v1; later ones the current one.
        self.catalogue = Catalogue.objects.current()
        self.earlier = Catalogue.objects.filter(version="1").first() or self.catalogue
        indicators = {
            c.pk: list(Indicator.objects.filter(catalogue=c).select_related("category"))
            for c in {self.catalogue, self.earlier}
        }
        with transaction.atomic():
            experts = make_experts(rng, options["experts"], self.today) + [accounts["expert"], accounts["expert2"]]
        self.make_history(rng, options["clusters"], experts, accounts)
        with transaction.atomic():
            self.make_demo_workload(rng, accounts, indicators)
        self.issue_reports(accounts["secretariat"], jobs=options["jobs"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {Cluster.objects.count():,} clusters, {Interview.objects.count():,} interviews, "
                f"{Label.objects.count():,} labels."
            )
        )

    def make_history(self, rng, count: int, experts, accounts):
        """The clusters' past, a batch (and a transaction) at a time, with a progress bar."""
        history = DemoHistory(rng, experts=experts, today=self.today)
        with tqdm(total=count, desc="Clusters", unit="cluster", disable=count == 0) as progress:

            def written_batches():
                for batch in history.batches(count):
                    yield batch
                    progress.update(len(batch.clusters))  # back here once the service wrote it

            history_record(batches=written_batches(), reviewer=accounts["secretariat"], board=accounts["board"])

    def make_demo_workload(self, rng, accounts, indicators):
        DemoWorkload(rng, accounts=accounts, today=self.today, indicators=indicators).make()

    def issue_reports(self, reviewer, *, jobs: int):
        """The individual reports of each cluster's latest approved interview per catalogue version,
        built in `jobs` processes."""
        issued = 0
        # Not inside a transaction: the workers would not see what it wrote (ecei_site.forking).
        # Each batch of reports is written in a transaction of its own.
        for catalogue in (self.earlier, self.catalogue) if self.earlier != self.catalogue else (self.catalogue,):
            issued += reports_issue_latest(catalogue=catalogue, user=reviewer, jobs=jobs)
        self.stdout.write(f"Issued {issued:,} individual reports.")

    def print_logins(self, site_url: str):
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})")
        for username, role in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<12} {role}")
        self.stdout.write(f"  Site: {site_url}/   Admin: {site_url}/admin/\n")
