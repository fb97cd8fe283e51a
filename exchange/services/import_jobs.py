"""The legacy import as a background job: upload, a dry run that lists each row's errors, then apply.

The page stores the uploaded file and an ImportJob (`import_job_create`); the worker moves the
job on one batch per task (`import_job_advance`, asked for again until the job is done;
exchange/tasks.py), each batch in a short transaction of its own, so that on SQLite another
user's save waits at most one batch for the write lock, never the whole file:

1. READING: the file's rows are stored as they are (ImportRow), a thousand per INSERT.
2. CHECKING: each row is read by the web forms' rules (exchange/legacy.py), CHECK_BATCH rows
   a step; then rows naming the same cluster and date, or the same label code, are errors.
3. RULES: the rows without errors go through the writer of the import (the same rules as the
   web: interview_start_refusal, label_terms, codes taken) in batches of WRITE_BATCH rows,
   each rolled back. A batch holds whole clusters (rows ordered by cluster, country, date), so
   a label renewing an earlier row's label is checked as it will be written.
4. CHECKED: the dry run's outcome: every row's errors, or how many rows would be created.
5. APPLYING (asked for by the secretariat, or at once when the upload said so and the file is
   clean): the same batches committed, each with the job's position (the last row's order key)
   in its transaction. A batch is in whole or not at all; a row refused meanwhile (the data
   changed since the check) stops the job with its reason, the batches before it stay (each a
   complete set of benchmarkings), and `import_job_resume` goes on after the last committed
   batch. A row imported before is skipped, so applying twice creates nothing new.

Memory stays flat: a batch's rows are read from the database, never the whole file at once.
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from clusters.text import fold
from exchange.legacy import Catalogues, Lookups, header_errors, read_answers, read_identity
from exchange.legacy_files import LegacyFileError, read_table
from exchange.models import ImportJob, ImportRow
from exchange.services.legacy_import import _RowProblem, _Writer

STORE_BATCH = 1000  # rows stored per INSERT while reading
CHECK_BATCH = 500  # rows checked by the forms' rules per step
# Rows written (or tried and rolled back) per transaction: the longest write lock another user's
# save may wait for. A row costs about 0.1 s of CPU to write; SQLite's busy timeout is 20 s, which
# a batch of 25 overran on a machine that gave the import a sixth of a core (benchmarks/README.md).
WRITE_BATCH = 10
FOLDER = "imports"


class ImportJobError(Exception):
    """What the secretariat asked cannot be done to this job now; the message says why."""


class _Rollback(Exception):
    pass


def _order_key(ident, cells: dict, row: int) -> str:
    """Cluster, country, date, row: the order of the batches (a cluster's rows together, oldest first)."""
    return "\x1f".join(
        [
            fold(ident.cluster_name)[:200],
            ident.country or cells.get("country", "")[:3],
            ident.date.isoformat() if ident.date else cells.get("interview_date", "")[:10],
            f"{row:07d}",
        ]
    )


def _cluster_prefix(order_key: str) -> str:
    return order_key.rsplit("\x1f", 2)[0] + "\x1f"


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
        _start(job, ImportJob.Phase.APPLYING)
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


def _start(job: ImportJob, phase: str) -> None:
    job.phase, job.done, job.position, job.problem = phase, 0, "", ""
    if phase == ImportJob.Phase.APPLYING:
        job.created = job.skipped = 0
        ImportRow.objects.filter(job=job).update(outcome="", note="")
    job.save()


# --- The worker's steps ------------------------------------------------------------------------


def import_job_advance(job_id: int) -> bool:
    """Do the job's next batch; True while there is more to do."""
    job = ImportJob.objects.select_related("uploaded_by").filter(pk=job_id).first()
    if job is None or not job.running:
        return False
    with translation.override(job.language):  # the rows' errors in the uploader's language, as on the page
        _STEPS[job.phase](job)
    return job.running


def _steps() -> dict:
    return {
        ImportJob.Phase.QUEUED: _read,
        ImportJob.Phase.READING: _read,
        ImportJob.Phase.CHECKING: _check,
        ImportJob.Phase.RULES: _write,
        ImportJob.Phase.APPLYING: _write,
    }


def _read(job: ImportJob) -> None:
    """Store the file's rows (again from the start if a worker stopped halfway)."""
    ImportRow.objects.filter(job=job).delete()
    job.phase, job.done, job.rows = ImportJob.Phase.READING, 0, 0
    job.save(update_fields=["phase", "done", "rows", "updated_at"])
    try:
        with default_storage.open(job.stored_as, "rb") as file:
            content = file.read()
        header, rows = read_table(content, job.filename)
        errors = header_errors(header, Catalogues())
        if errors:
            default_storage.delete(job.stored_as)
            ImportRow.objects.create(
                job=job, row=1, cells={}, errors=[[e.column, e.value, e.reason] for e in errors]
            )
            job.phase, job.error_rows = ImportJob.Phase.CHECKED, 1
            job.save(update_fields=["phase", "error_rows", "updated_at"])
            return
        chunk = []
        for number, cells in rows:
            chunk.append(ImportRow(job=job, row=number, cells=cells))
            if len(chunk) == STORE_BATCH:
                _store(job, chunk)
                chunk = []
        _store(job, chunk)
    except LegacyFileError as exc:
        default_storage.delete(job.stored_as)
        ImportRow.objects.filter(job=job).delete()
        job.phase, job.problem = ImportJob.Phase.FAILED, str(exc)  # no stopped_in: nothing to resume
        job.save(update_fields=["phase", "problem", "updated_at"])
        return
    del content
    default_storage.delete(job.stored_as)  # its rows are in the database now
    job.phase, job.done, job.position = ImportJob.Phase.CHECKING, 0, ""
    job.save(update_fields=["phase", "done", "position", "updated_at"])


def _store(job: ImportJob, chunk: list[ImportRow]) -> None:
    if chunk:
        ImportRow.objects.bulk_create(chunk)
        job.rows += len(chunk)
        job.done = job.rows
        job.save(update_fields=["rows", "done", "updated_at"])


def _check(job: ImportJob) -> None:
    """The forms' rules on the next CHECK_BATCH rows (nothing written but the rows' own errors)."""
    after = int(job.position or 0)
    lines = list(ImportRow.objects.filter(job=job, row__gt=after).order_by("row")[:CHECK_BATCH])
    if not lines:
        _check_duplicates(job)
        return
    catalogues, lookups = Catalogues(), Lookups()
    for line in lines:
        ident, errors = read_identity(line.row, line.cells, catalogues, lookups)
        if ident.catalogue is not None:
            errors += read_answers(line.row, line.cells, ident, catalogues.of(ident.catalogue))[1]
        line.errors = [[e.column, e.value, e.reason] for e in errors]
        line.order_key = _order_key(ident, line.cells, line.row)
    with transaction.atomic():
        ImportRow.objects.bulk_update(lines, ["errors", "order_key"])
        job.done += len(lines)
        job.position = str(lines[-1].row)
        job.error_rows += sum(1 for line in lines if line.errors)
        job.save(update_fields=["done", "position", "error_rows", "updated_at"])


def _check_duplicates(job: ImportJob) -> None:
    """Rows of the file that name the same cluster and date, or the same label code, as an earlier
    row (with errors or not)."""
    first_of_day: dict[str, int] = {}
    first_of_code: dict[str, int] = {}
    refused: dict[int, list] = {}
    newly = 0
    lines = ImportRow.objects.filter(job=job).exclude(order_key="").order_by("row")
    for pk, row, key, errors, code in lines.values_list("pk", "row", "order_key", "errors", "cells__label_code"):
        day = key.rsplit("\x1f", 1)[0]
        added = []
        if day in first_of_day:
            reason = gettext("row %(row)s has the same cluster and date") % {"row": first_of_day[day]}
            added.append(["interview_date", key.split("\x1f")[2], reason])
        first_of_day.setdefault(day, row)
        if code:
            if code in first_of_code:
                reason = gettext("row %(row)s has the same label code") % {"row": first_of_code[code]}
                added.append(["label_code", code, reason])
            first_of_code.setdefault(code, row)
        if added:
            refused[pk] = errors + added
            newly += not errors
    with transaction.atomic():
        for pk, errors in refused.items():
            ImportRow.objects.filter(pk=pk).update(errors=errors)
        job.error_rows += newly
        job.phase, job.done, job.position = ImportJob.Phase.RULES, 0, ""
        job.save(update_fields=["error_rows", "phase", "done", "position", "updated_at"])


def _batch(job: ImportJob) -> list[ImportRow]:
    """The next WRITE_BATCH rows without errors in the batches' order, extended to the end of the
    last one's cluster (a batch never splits a cluster's history)."""
    rows = ImportRow.objects.filter(job=job, errors=[], order_key__gt=job.position).exclude(order_key="")
    lines = list(rows.order_by("order_key")[:WRITE_BATCH])
    if len(lines) == WRITE_BATCH:
        prefix = _cluster_prefix(lines[-1].order_key)
        lines += rows.filter(order_key__gt=lines[-1].order_key, order_key__startswith=prefix).order_by("order_key")
    return lines


def _write(job: ImportJob) -> None:
    """One batch through the import's writer: rolled back in the dry run (RULES), committed with the
    job's position when applying."""
    applying = job.phase == ImportJob.Phase.APPLYING
    lines = _batch(job)
    if not lines:
        _finish(job)
        return
    catalogues, lookups = Catalogues(), Lookups()
    refused = False
    # Read (the forms' rules, pure) before the transaction: the write lock is held for the writes only.
    read = []
    for line in lines:
        ident = read_identity(line.row, line.cells, catalogues, lookups)[0]
        read.append((line, ident, read_answers(line.row, line.cells, ident, catalogues.of(ident.catalogue))[0]))
    try:
        with transaction.atomic():
            writer = _Writer(filename=job.filename, user=job.uploaded_by, idents=[ident for _, ident, _ in read])
            for line, ident, values in read:
                skip = writer.already_imported(ident)
                if skip:
                    line.outcome, line.note = "skipped", skip
                    continue
                try:
                    writer.write(line.row, ident, values)
                    line.outcome = "created"
                except _RowProblem as problem:
                    value = {
                        "label_code": ident.label_code,
                        "portfolio": str(ident.portfolio),
                        "expert": ident.expert.accreditation_number,
                        "cluster": ident.cluster_name,
                    }.get(problem.column, "")
                    line.errors, line.outcome = [[problem.column, value, problem.reason]], ""
                    refused = True
            if not applying or refused:
                raise _Rollback
            writer.finish()
            _record(job, lines)
    except _Rollback:
        if applying:  # a row refused since the check: stop before it, the committed batches stay
            with transaction.atomic():
                bad = [line for line in lines if line.errors]
                ImportRow.objects.bulk_update(bad, ["errors"])
                job.phase, job.stopped_in = ImportJob.Phase.FAILED, ImportJob.Phase.APPLYING
                job.error_rows += len(bad)
                job.problem = gettext("Row %(row)s was refused: %(reason)s") % {
                    "row": bad[0].row, "reason": bad[0].errors[0][2]
                }  # fmt: skip
                job.save(update_fields=["phase", "stopped_in", "error_rows", "problem", "updated_at"])
        else:
            with transaction.atomic():
                _record(job, lines)


def _record(job: ImportJob, lines: list[ImportRow]) -> None:
    ImportRow.objects.bulk_update(lines, ["errors", "outcome", "note"])
    job.done += len(lines)
    job.position = lines[-1].order_key
    job.created += sum(1 for line in lines if line.outcome == "created")
    job.skipped += sum(1 for line in lines if line.outcome == "skipped")
    job.error_rows += sum(1 for line in lines if line.errors)
    job.save(update_fields=["done", "position", "created", "skipped", "error_rows", "updated_at"])


def _finish(job: ImportJob) -> None:
    if job.phase == ImportJob.Phase.APPLYING:
        job.phase = ImportJob.Phase.APPLIED
        job.save(update_fields=["phase", "updated_at"])
        return
    job.phase = ImportJob.Phase.CHECKED
    job.save(update_fields=["phase", "updated_at"])
    if job.apply_when_clean and not job.error_rows and job.created:
        _start(job, ImportJob.Phase.APPLYING)


_STEPS = _steps()


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

