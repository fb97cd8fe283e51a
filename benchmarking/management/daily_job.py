"""What the daily jobs run from cron share: `--today` to act on another day, and `--enqueue` to
ask the task worker for the run instead (the cron job then takes a second, and the run is
retried with back-off if the database is away). Each job says which task and which service."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.module_loading import import_string


def day_from(text: str | None) -> datetime.date:
    """The day `--today` names, or today in the site's time zone."""
    if not text:
        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--today must be a date like 2026-03-31, not {text!r}.") from None


class DailyJobCommand(BaseCommand):
    what = ""  # "Reminders": the run's name in what the command prints
    # The worker's task for the run, imported only with --enqueue: benchmarking.tasks imports
    # the report and PDF modules, which a run here does not need.
    task_path = ""

    def run(self, day: datetime.date) -> None:
        """The run itself, here, printing a line for each thing sent and a total."""
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Act as if today were this date (YYYY-MM-DD), for testing.")
        parser.add_argument("--enqueue", action="store_true", help="Ask the task worker for the run instead.")

    def handle(self, *args, today=None, enqueue=False, **options):
        day = day_from(today)
        if not enqueue:
            self.run(day)
            return
        # The worker reads its own today unless a day was named.
        result = import_string(self.task_path).enqueue(day.isoformat() if today else None)
        self.stdout.write(f"{self.what} for {day:%Y-%m-%d} asked for: task {result.id}.")
