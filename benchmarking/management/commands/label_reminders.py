"""Daily job: e-mail renewal reminders for labels (see README, "Daily jobs").

Run from cron either way: at once (the mails are tasks either way, sent by the worker), or with
`--enqueue`, which only asks the worker for the run (benchmarking/tasks.label_reminders_send).
"""

from benchmarking.management.daily_job import DailyJobCommand
from benchmarking.services.reminders import send_label_reminders


class Command(DailyJobCommand):
    help = "E-mail renewal reminders 6 and 3 months before a label expires and once in its grace year."
    what = "Reminders"
    task_path = "benchmarking.tasks.label_reminders_send"

    def run(self, day):
        sent = send_label_reminders(today=day)
        for item in sent:
            self.stdout.write(f"{item.label.code}: {item.kind} reminder to {', '.join(item.recipients)}")
        self.stdout.write(f"{len(sent)} reminder(s) sent for {day:%Y-%m-%d}.")
