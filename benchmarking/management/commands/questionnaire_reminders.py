"""Daily job: remind cluster managers a week before the interview if the questionnaire is not ready.

`--enqueue` asks the task worker for the run (benchmarking/tasks.questionnaire_reminders_send)
instead of running it here; the mails are tasks either way.
"""

from django.core.management.base import BaseCommand

from benchmarking.management.commands.label_reminders import Command as LabelReminders
from benchmarking.services.reminders import send_questionnaire_reminders


class Command(BaseCommand):
    help = "E-mail managers whose questionnaire is not marked ready a week before the interview (once)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Act as if today were this date (YYYY-MM-DD), for testing.")
        parser.add_argument("--enqueue", action="store_true", help="Ask the task worker for the run instead.")

    def handle(self, *args, today=None, enqueue=False, **options):
        day = LabelReminders._day(today)
        if enqueue:
            from benchmarking.tasks import questionnaire_reminders_send

            result = questionnaire_reminders_send.enqueue(day.isoformat() if today else None)
            self.stdout.write(f"Questionnaire reminders for {day:%Y-%m-%d} asked for: task {result.id}.")
            return
        sent = send_questionnaire_reminders(today=day)
        for invitation in sent:
            self.stdout.write(f"{invitation.interview}: reminder to {invitation.email}")
        self.stdout.write(f"{len(sent)} questionnaire reminder(s) sent for {day:%Y-%m-%d}.")
