"""Daily job: e-mail renewal reminders for labels (see README, "Daily jobs").

Run from cron either way: at once (the mails are tasks either way, sent by the worker), or with
`--enqueue`, which only asks the worker for the run (benchmarking/tasks.label_reminders_send):
the cron job then takes a second and the run is retried with back-off if the database is away.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from benchmarking.services.reminders import send_label_reminders


class Command(BaseCommand):
    help = "E-mail renewal reminders 6 and 3 months before a label expires and once in its grace year."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Act as if today were this date (YYYY-MM-DD), for testing.")
        parser.add_argument("--enqueue", action="store_true", help="Ask the task worker for the run instead.")

    def handle(self, *args, today=None, enqueue=False, **options):
        day = self._day(today)
        if enqueue:
            from benchmarking.tasks import label_reminders_send

            result = label_reminders_send.enqueue(day.isoformat() if today else None)
            self.stdout.write(f"Reminders for {day:%Y-%m-%d} asked for: task {result.id}.")
            return
        sent = send_label_reminders(today=day)
        for item in sent:
            self.stdout.write(f"{item.label.code}: {item.kind} reminder to {', '.join(item.recipients)}")
        self.stdout.write(f"{len(sent)} reminder(s) sent for {day:%Y-%m-%d}.")

    @staticmethod
    def _day(text: str | None) -> datetime.date:
        if not text:
            return timezone.localdate()
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise CommandError(f"--today must be a date like 2026-03-31, not {text!r}.") from None
