"""Make (again) the current year's snapshot of the open dataset: `manage.py opendata_snapshot`.

Run it daily or at least on 31 December (cron, docs/open-data.md); a past year's snapshot is
kept as it was made."""

from django.core.management.base import BaseCommand

from opendata import services


class Command(BaseCommand):
    help = "Make the current year's snapshot of the open dataset (kept in the site's storage)."

    def handle(self, *args, **options):
        snapshot = services.snapshot_make()
        self.stdout.write(
            f"Snapshot {snapshot.year}, version {snapshot.version}: {snapshot.clusters} clusters, "
            f"{snapshot.labels} labels, {snapshot.size} bytes ({snapshot.file_name})."
        )
