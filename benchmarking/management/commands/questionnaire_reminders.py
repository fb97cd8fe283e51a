"""Daily job: remind cluster managers a week before the interview if the questionnaire is not ready.

`--enqueue` asks the task worker for the run (benchmarking/tasks.questionnaire_reminders_send)
instead of running it here; the mails are tasks either way.
"""

from benchmarking.management.daily_job import DailyJobCommand
from benchmarking.services.reminders import send_questionnaire_reminders


class Command(DailyJobCommand):
    help = "E-mail managers whose questionnaire is not marked ready a week before the interview (once)."
    what = "Questionnaire reminders"
    task_path = "benchmarking.tasks.questionnaire_reminders_send"

    def run(self, day):
        sent = send_questionnaire_reminders(today=day)
        for invitation in sent:
            self.stdout.write(f"{invitation.interview}: reminder to {invitation.email}")
        self.stdout.write(f"{len(sent)} questionnaire reminder(s) sent for {day:%Y-%m-%d}.")
