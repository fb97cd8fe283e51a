"""The legacy import's background work (issue 26): one batch of an import job per task.

Each step does one batch (exchange/services/import_steps.py) and asks for the next, so that a
long import never holds the worker from the mails and reports queued behind it, and a worker
that stops loses at most the batch it was on (its transaction rolls back; the step is retried).
With the immediate backend (tests, no worker) the steps run one after another at once.
"""

from django_tasks import task

from ecei_site.tasks import deferrable, enqueue_with_transaction, retried
from exchange.services.import_jobs import import_job_advance, import_job_stopped


def _give_up(error: Exception, job_id: int) -> None:
    import_job_stopped(job_id, f"{error.__class__.__name__}: {error}")


@task()
@retried(on_give_up=_give_up)
def import_job_step(job_id: int) -> bool:
    """One batch of the job; asks for the next while there is more to do."""
    more = import_job_advance(job_id)
    if more and deferrable():
        enqueue_with_transaction(import_job_step, job_id)
    while more and not deferrable():
        more = import_job_advance(job_id)
    return more
