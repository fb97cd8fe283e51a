"""Background work: one way to ask for a task, one retry policy, one view of the queue.

The tasks are Django's (`django_tasks`, the backport of Django 6's `django.tasks`), kept in the
site's own database by the `django_tasks_db` backend and run by `manage.py db_worker`
(settings.TASKS; docs/deployment.md, "The task worker"). In Django 6 only the import changes.

    from ecei_site.tasks import enqueue_with_transaction, retried

    @task()
    @retried
    def report_pdf_render(report_id: int, language: str) -> None: ...

    enqueue_with_transaction(report_pdf_render, report.pk, "de")

Asking (`enqueue_with_transaction`): the services ask inside their transaction. With the
database backend the task's row is written in that transaction, so it commits with the write
(a crash after the commit loses nothing: the row is there for the worker) and rolls back with
it (nothing runs for a write that did not happen); the worker cannot see it before the commit.
With the immediate backend (the tests, a site run without a worker) the task runs at once, in
the transaction; `after_commit=True` waits for the commit instead (mails: nothing is announced
that is then rolled back).

Retrying (`retried`): a task that raises is enqueued again, with `run_after` TASK_RETRY_SECONDS
later, then twice as long each time, until TASK_ATTEMPTS attempts; the failed attempt stays in
the task results as failed with `RetryScheduled` (and its cause in the traceback). The last
failure raises the task's own error: the result is failed for good, the admin lists it
(Task results, filter "Failed") and /health/ counts it. Tasks are written to be idempotent: a
retry, or a second worker, finds the work done and does nothing.
"""

import datetime
import functools
import logging

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import default_task_backend

logger = logging.getLogger(__name__)

ATTEMPT = "_attempt"  # the keyword a retried task receives its attempt number in


class RetryScheduled(Exception):
    """The attempt failed and the next one is enqueued: this result failed, the task has not."""


def deferrable() -> bool:
    """True when the backend runs tasks later, in a worker (the database backend)."""
    return bool(default_task_backend.supports_defer)


def enqueue_with_transaction(task, *args, after_commit: bool = False, **kwargs) -> None:
    """Ask for `task(*args, **kwargs)` as part of the current transaction (see the module's doc)."""
    if deferrable() or not after_commit:
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(lambda: task.enqueue(*args, **kwargs))


def retry_delay(attempt: int) -> datetime.timedelta:
    """How long to wait before attempt `attempt + 1`: 30 s, 1 min, 2 min, 4 min ... (doubling)."""
    return datetime.timedelta(seconds=settings.TASK_RETRY_SECONDS * 2 ** (attempt - 1))


def retried(func=None, *, on_give_up=None):
    """The retry policy, in one place: put it under @task(). `on_give_up(error, *args, **kwargs)`
    is called when the last attempt fails (e.g. to mark the work as stopped)."""
    if func is None:
        return functools.partial(retried, on_give_up=on_give_up)
    path = f"{func.__module__}.{func.__qualname__}"

    @functools.wraps(func)
    def attempt(*args, **kwargs):
        number = kwargs.pop(ATTEMPT, 1)
        try:
            return func(*args, **kwargs)
        except Exception as error:
            if number >= settings.TASK_ATTEMPTS:
                logger.exception("Task %s failed after %d attempts; it stays failed.", path, number)
                if on_give_up is not None:
                    on_give_up(error, *args, **kwargs)
                raise
            task = import_string(path)
            if not deferrable():  # the immediate backend cannot wait: the next attempt at once
                return attempt(*args, **kwargs, **{ATTEMPT: number + 1})
            later = timezone.now() + retry_delay(number)
            retry = task.using(run_after=later).enqueue(*args, **kwargs, **{ATTEMPT: number + 1})
            raise RetryScheduled(
                f"Attempt {number} of {settings.TASK_ATTEMPTS} failed ({error.__class__.__name__}: {error}); "
                f"attempt {number + 1} is task {retry.id}, at {later.isoformat(timespec='seconds')}."
            ) from error

    return attempt


# --- The queue, for /health/ ------------------------------------------------------------------


def queue_state() -> dict:
    """Waiting tasks (how many, the oldest's age), running ones, and those failed for good.
    With the immediate backend nothing waits: {"backend": "immediate"}."""
    if not deferrable():
        return {"backend": "immediate"}
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    try:
        now = timezone.now()
        ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        # The oldest of those due now (a retry waiting for its run_after is not late).
        oldest = DBTaskResult.objects.ready().order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        failed = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).exclude(
            exception_class_path=f"{__name__}.RetryScheduled"
        )
        return {
            "backend": "database",
            "waiting": ready.count(),
            "oldest_waiting_seconds": round((now - oldest).total_seconds()) if oldest else 0,
            "running": DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count(),
            "failed": failed.count(),
        }
    except DatabaseError as error:
        return {"backend": "database", "error": f"unreachable: {error.__class__.__name__}"}
