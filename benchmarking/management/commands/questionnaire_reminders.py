"""Daily job: remind cluster managers a week before the interview if the questionnaire is not ready."""

from django.core.management.base import BaseCommand

from benchmarking.management.commands.label_reminders import Command as LabelReminders
from benchmarking.services.reminders import send_questionnaire_reminders


class Command(BaseCommand):
    help = "E-mail managers whose questionnaire is not marked ready a week before the interview (once)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Act as if today were this date (YYYY-MM-DD), for testing.")

    def handle(self, *args, today=None, **options):
        day = LabelReminders._day(today)
        sent = send_questionnaire_reminders(today=day)
        for invitation in sent:
            self.stdout.write(f"{invitation.interview}: reminder to {invitation.email}")
        self.stdout.write(f"{len(sent)} questionnaire reminder(s) sent for {day:%Y-%m-%d}.")
