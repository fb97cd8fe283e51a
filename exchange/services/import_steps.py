"""The import job's steps, run by the worker one batch at a time (exchange/services/import_jobs.py
says the phases: READING, CHECKING, RULES, then APPLYING when asked).

Each step reads its batch from the database (never the whole file) and writes in a short
transaction of its own; `STEPS` maps a running phase to its step.
"""

import time

from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils.translation import gettext

from clusters.text import fold
from ecei_site.bulk import update_rows
from exchange.legacy import (
    Catalogues,
    Judges,
    Lookups,
    StoredRecords,
    catalogue_fingerprint,
    checked_values,
    header_errors,
    read_answers,
    read_identity,
    stored_answers,
)
from exchange.legacy_files import LegacyFileError, read_table
from exchange.models import ImportJob, ImportRow
from exchange.services.legacy_import import Planned, _RowProblem, _Writer

STORE_BATCH = 1000  # rows stored per INSERT while reading
CHECK_BATCH = 500  # rows checked by the forms' rules per step
# Rows written per transaction: the longest write lock another user's save may wait for. From
# the stored values a row costs a few milliseconds to plan and write in bulk (with its answers'
# history and its peer values); the batch's label facts and peer groups are refreshed once.
WRITE_BATCH = 100
# After each batch written on SQLite the step lets go of the write lock for a moment: a save
# waiting in SQLite's busy handler looks again every 100 ms at most, and a job that took the
# lock back at once would starve it (SQLite's busy timeout is 20 s). 50 ms: half such a wait,
# so a waiting save finds the lock free within a batch or two; 20,000 rows with 8 savers made
# 0 failed saves, the slowest 6.8 s (0.1 s before: 10 s more of pauses; benchmarks/README.md).
SQLITE_PAUSE = 0.05


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


def start_phase(job: ImportJob, phase: str) -> None:
    """Put the job at the start of `phase` (applying: every row's outcome cleared)."""
    job.phase, job.done, job.position, job.problem = phase, 0, "", ""
    if phase == ImportJob.Phase.APPLYING:
        job.created = job.skipped = 0
        ImportRow.objects.filter(job=job).update(outcome="", note="")
    job.save()


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
    """The forms' rules on the next CHECK_BATCH rows, once: each row's errors, or its checked values
    (ImportRow.values), which the dry run and the apply write from."""
    after = int(job.position or 0)
    lines = list(ImportRow.objects.filter(job=job, row__gt=after).order_by("row")[:CHECK_BATCH])
    if not lines:
        _check_duplicates(job)
        return
    catalogues, lookups, judges = Catalogues(), Lookups(), Judges()
    for line in lines:
        ident, errors = read_identity(line.row, line.cells, catalogues, lookups)
        answers = {}
        if ident.catalogue is not None:
            answers, answer_errors = read_answers(line.row, line.cells, ident, catalogues.of(ident.catalogue), judges)
            errors += answer_errors
            if str(ident.catalogue.pk) not in job.checked_catalogues:
                job.checked_catalogues[str(ident.catalogue.pk)] = catalogue_fingerprint(ident.catalogue.pk)
        line.errors = [[e.column, e.value, e.reason] for e in errors]
        line.values = None if errors else checked_values(ident, answers)
        line.order_key = _order_key(ident, line.cells, line.row)
    with transaction.atomic():
        rows = ([x.pk, x.errors, x.values, x.order_key] for x in lines)
        update_rows(ImportRow, ["errors", "values", "order_key"], rows)
        job.done += len(lines)
        job.position = str(lines[-1].row)
        job.error_rows += sum(1 for line in lines if line.errors)
        job.save(update_fields=["done", "position", "error_rows", "checked_catalogues", "updated_at"])


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
    """One batch through the import's writer, from the rows' checked values: planned under the write
    rules (the dry run, RULES: nothing written), or planned and written in bulk with the job's
    position in one short transaction (APPLYING)."""
    applying = job.phase == ImportJob.Phase.APPLYING
    lines = _batch(job)
    if not lines:
        _finish(job)
        return
    if not applying:
        _plan(job, lines)
        with transaction.atomic():
            _record(job, lines)
        return
    with transaction.atomic():
        writer = _plan(job, lines)
        refused = [line for line in lines if line.errors]
        if not refused:
            writer.write()
            _record(job, lines)
    if not refused:
        if connection.vendor == "sqlite":
            time.sleep(SQLITE_PAUSE)
        return
    # A row refused since the check: stop before its batch (nothing of it was written), the
    # committed batches stay; resume tries it again.
    with transaction.atomic():
        update_rows(ImportRow, ["errors"], ([line.pk, line.errors] for line in refused))
        job.phase, job.stopped_in = ImportJob.Phase.FAILED, ImportJob.Phase.APPLYING
        job.error_rows += len(refused)
        job.problem = gettext("Row %(row)s was refused: %(reason)s") % {
            "row": refused[0].row, "reason": refused[0].errors[0][2]
        }  # fmt: skip
        job.save(update_fields=["phase", "stopped_in", "error_rows", "problem", "updated_at"])


def _plan(job: ImportJob, lines: list[ImportRow]) -> _Writer:
    """Each line's outcome under the write rules (its errors, skipped, or created), from its stored
    values; the writer holds what a write would save."""
    records = StoredRecords([line.values for line in lines], job.checked_catalogues)
    read = [(line, *records.identity(line.values)) for line in lines]
    writer = _Writer(filename=job.filename, user=job.uploaded_by, idents=[ident for _, ident, _ in read])
    for line, ident, changed in read:
        if changed:
            line.errors, line.outcome = changed, ""
            continue
        skip = writer.already_imported(ident)
        if skip:
            line.outcome, line.note = "skipped", skip
            continue
        try:
            writer.plan(Planned(line.row, ident, stored_answers(line.values)))
            line.outcome = "created"
        except _RowProblem as problem:
            value = {
                "label_code": ident.label_code,
                "portfolio": str(ident.portfolio),
                "expert": ident.expert.accreditation_number,
                "cluster": ident.cluster_name,
            }.get(problem.column, "")
            line.errors, line.outcome = [[problem.column, value, problem.reason]], ""
    return writer


def _record(job: ImportJob, lines: list[ImportRow]) -> None:
    update_rows(ImportRow, ["errors", "outcome", "note"], ([x.pk, x.errors, x.outcome, x.note] for x in lines))
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
        start_phase(job, ImportJob.Phase.APPLYING)


STEPS = _steps()
