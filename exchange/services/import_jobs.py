"""The legacy import as a background job: upload, a dry run that lists each row's errors, then apply.

The page stores the uploaded file and an ImportJob (`import_job_create`); the worker moves the
job on one batch per task (`import_job_advance`, asked for again until the job is done;
exchange/tasks.py), each batch in a short transaction of its own, so that on SQLite another
user's save waits at most one batch for the write lock, never the whole file:

1. READING: the file's rows are stored as they are (ImportRow), a thousand per INSERT.
2. CHECKING: each row is read by the web forms' rules (exchange/legacy.py), CHECK_BATCH rows a
   step, once: a row's errors, or its checked values (ImportRow.values: its identity by primary
   key and its Answer columns), which the next phases read instead of the cells; the catalogues'
   state is noted (ImportJob.checked_catalogues). Then rows naming the same cluster and date, or
   the same label code, are errors.
3. RULES: the rows without errors are planned by the writer of the import (the same rules as the
   web: interview_start_refusal for every row, with the cluster's labels the batch holds, new
   cluster or not; label_terms; codes taken) in batches of WRITE_BATCH rows, from
   their stored values; nothing is written, so the dry run takes no write lock. A batch holds
   whole clusters (rows ordered by cluster, country, date), so a label renewing an earlier row's
   label is checked as it will be written.
4. CHECKED: the dry run's outcome: every row's errors, or how many rows would be created.
5. APPLYING (asked for by the secretariat, or at once when the upload said so and the file is
   clean): the same batches planned again (the data may have changed since the dry run: a
   catalogue whose indicators changed, a cluster moved to another portfolio, an expert's
   accreditation) and written in bulk, each in a short transaction with the job's position.
   A batch is in whole or not at all; a row refused meanwhile stops the job with its reason
   before its batch is written, the batches before it stay (each a complete set of
   benchmarkings), and `import_job_resume` goes on after the last committed batch. A row
   imported before is skipped, so applying twice creates nothing new.

Memory stays flat: a batch's rows are read from the database, never the whole file at once.
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from exchange.models import ImportJob, ImportRow
from exchange.services.import_steps import STEPS, start_phase

FOLDER = "imports"

# Why a job checked before its rows kept their checked values stopped: migration 0004 writes it
# in each job's language, as every problem of a job is written (kept here for that migration).
CHECKED_BY_AN_EARLIER_VERSION = gettext_noop(
    "Checked by an earlier version of the site: upload the file again (rows imported before are skipped)."
)


class ImportJobError(Exception):
    """What the secretariat asked cannot be done to this job now; the message says why."""


# --- Asking ------------------------------------------------------------------------------------


def import_job_create(
    *, content: bytes, filename: str, user, apply_when_clean: bool = False, ask: bool = True
) -> ImportJob:
    """Store the uploaded file and ask the worker to check it (and to import it when clean, if
    asked). `ask=False`: the caller runs the steps itself (legacy_import, the command)."""
    from exchange.tasks import import_job_step

    name = PurePath(filename).name[:200] or "upload"
    stored = default_storage.save(f"{FOLDER}/{uuid.uuid4().hex}-{name}", ContentFile(content))
    with transaction.atomic():
        job = ImportJob.objects.create(
            filename=name, stored_as=stored, uploaded_by=user, apply_when_clean=apply_when_clean,
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )  # fmt: skip
        if ask:
            _ask(job, import_job_step)
    return job


def _ask(job: ImportJob, step) -> None:
    from ecei_site.tasks import enqueue_with_transaction

    enqueue_with_transaction(step, job.pk)


def import_job_apply_refusal(job: ImportJob) -> str | None:
    if job.phase != ImportJob.Phase.CHECKED:
        return gettext("Only a checked file can be imported.")
    if job.error_rows:
        return gettext("The file has errors: correct it and upload it again.")
    if not job.created:
        return gettext("Nothing to import: every row was imported before.")
    return None


def import_job_apply(*, job: ImportJob, user) -> ImportJob:
    """Import a checked, clean file (in the worker, batch by batch)."""
    from exchange.tasks import import_job_step

    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        refusal = import_job_apply_refusal(job)
        if refusal:
            raise ImportJobError(refusal)
        start_phase(job, ImportJob.Phase.APPLYING)
        _ask(job, import_job_step)
    return job


def import_job_resume_refusal(job: ImportJob) -> str | None:
    if not (job.phase == ImportJob.Phase.FAILED and job.stopped_in) and not job.stalled:
        return gettext("Only an import that stopped can be resumed.")
    return None


def import_job_resume(*, job: ImportJob, user) -> ImportJob:
    """Go on with an import that stopped, after the last batch it committed (rows refused are tried again)."""
    from exchange.tasks import import_job_step

    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        refusal = import_job_resume_refusal(job)
        if refusal:
            raise ImportJobError(refusal)
        phase = job.stopped_in if job.phase == ImportJob.Phase.FAILED else job.phase
        if phase == ImportJob.Phase.APPLYING:  # a row refused is tried again
            refused = ImportRow.objects.filter(job=job, order_key__gt=job.position, outcome="").exclude(order_key="")
            job.error_rows -= refused.exclude(errors=[]).count()
            refused.update(errors=[], note="")
        job.phase, job.stopped_in, job.problem = phase, "", ""
        job.save(update_fields=["phase", "stopped_in", "error_rows", "problem", "updated_at"])
        _ask(job, import_job_step)
    return job


def import_job_stopped(job_id: int, reason: str) -> None:
    """The worker gave up on a step (its last retry failed): the job stops, resumable, with the reason."""
    job = ImportJob.objects.filter(pk=job_id, phase__in=ImportJob.RUNNING).first()
    if job is not None:
        job.stopped_in, job.phase, job.problem = job.phase, ImportJob.Phase.FAILED, reason[:2000]
        job.save(update_fields=["stopped_in", "phase", "problem", "updated_at"])


# --- The worker's steps (exchange/services/import_steps.py) ---------------------------------


def import_job_advance(job_id: int) -> bool:
    """Do the job's next batch; True while there is more to do."""
    job = ImportJob.objects.select_related("uploaded_by").filter(pk=job_id).first()
    if job is None or not job.running:
        return False
    with translation.override(job.language):  # the rows' errors in the uploader's language, as on the page
        STEPS[job.phase](job)
    return job.running


# --- Reading the outcome -----------------------------------------------------------------------


def import_job_errors(job: ImportJob, limit: int = 1000) -> list[tuple[int, str, str, str]]:
    """(row, column, value, reason) of the job's first `limit` errors, by row."""
    out = []
    with_errors = ImportRow.objects.filter(job=job).exclude(errors=[]).order_by("row")
    for row, errors in with_errors.values_list("row", "errors"):
        out += [(row, column, value, reason) for column, value, reason in errors]
        if len(out) >= limit:
            break
    return out[:limit]


def import_job_progress(job: ImportJob) -> dict:
    """The job's state for the page's progress bar (JSON)."""
    return {
        "phase": job.phase,
        "phase_name": str(job.get_phase_display()),
        "running": job.running,
        "rows": job.rows,
        "done": job.done,
        "percent": job.percent,
        "created": job.created,
        "skipped": job.skipped,
        "error_rows": job.error_rows,
        "problem": job.problem,
    }
