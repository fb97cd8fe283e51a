"""The legacy import as a background job (issue 26): its pages and who may open them, the
progress JSON, batches that hold whole clusters, a stop in the middle of applying that leaves
complete batches only and resumes after them, and the pages in English, German and Spanish.

The tasks run for real: the tests' immediate backend runs each step as it is asked for.
"""

import datetime
import importlib
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from benchmarking.models import Interview, Label
from benchmarking.tests.interview_helpers import login
from exchange.models import ImportJob, ImportRow
from exchange.services import import_steps
from exchange.services.import_jobs import (
    ImportJobError,
    import_job_advance,
    import_job_apply,
    import_job_create,
    import_job_resume,
)
from tests import factories

VALID = Path(settings.BASE_DIR) / "fixtures" / "legacy_benchmarkings_valid.csv"
ERRORS = Path(settings.BASE_DIR) / "fixtures" / "legacy_benchmarkings_errors.csv"
ANONYMOUS, PLAIN, EXPERT, STAFF = "anonymous", "plain user", "expert", "staff"


@pytest.fixture
def experts(reference_data):
    return [
        factories.ExpertFactory(accreditation_number=number, accredited_from=datetime.date(2010, 6, 1))
        for number in ("ESCA-0001", "ESCA-0002")
    ]


def checked_job(user, path=VALID) -> ImportJob:
    """A job through its dry run (the steps run here, one by one, as the worker would)."""
    job = import_job_create(content=path.read_bytes(), filename=path.name, user=user, ask=False)
    while import_job_advance(job.pk):
        pass
    job.refresh_from_db()
    return job


# --- Who may open what --------------------------------------------------------------------------

URLS = {
    "job": "exchange:legacy_import_job",
    "progress": "exchange:legacy_import_progress",
    "apply": "exchange:legacy_import_apply",
    "resume": "exchange:legacy_import_resume",
}
# (url, method) -> anonymous, plain user, expert, staff. The jobs are the secretariat's (any of
# its members may follow or resume a colleague's); anybody else is refused like on the upload page.
MATRIX = {
    ("job", "get"): (302, 403, 403, 200),
    ("job", "post"): (302, 403, 403, 405),
    ("progress", "get"): (302, 403, 403, 200),
    ("progress", "post"): (302, 403, 403, 405),
    ("apply", "get"): (302, 403, 403, 405),
    ("apply", "post"): (302, 403, 403, 302),  # a checked, clean file: the import starts
    ("resume", "get"): (302, 403, 403, 405),
    ("resume", "post"): (302, 403, 403, 409),  # nothing stopped: refused with the reason
}
CASES = [
    pytest.param(name, method, who, expected[i], id=f"{name}-{method}-{who}")
    for (name, method), expected in MATRIX.items()
    for i, who in enumerate((ANONYMOUS, PLAIN, EXPERT, STAFF))
]


@pytest.mark.parametrize(("name", "method", "who", "expected"), CASES)
def test_permission_matrix(client, experts, plain_user, staff_user, name, method, who, expected):
    job = checked_job(staff_user)
    users = {PLAIN: plain_user, EXPERT: experts[0].user, STAFF: staff_user}
    if who != ANONYMOUS:
        login(client, users[who])
    response = getattr(client, method)(reverse(URLS[name], args=[job.pk]))
    assert response.status_code == expected
    if expected == 302 and who == ANONYMOUS:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", list(URLS))
def test_an_unknown_job_is_a_404(client, staff_user, db, name):
    login(client, staff_user)
    method = "get" if name in ("job", "progress") else "post"
    assert getattr(client, method)(reverse(URLS[name], args=[999])).status_code == 404


# --- The pages ----------------------------------------------------------------------------------


def test_the_progress_json_says_how_far_the_job_got(client, experts, staff_user):
    job = checked_job(staff_user)
    login(client, staff_user)
    state = client.get(reverse("exchange:legacy_import_progress", args=[job.pk])).json()
    assert state == {
        "phase": "checked", "phase_name": "Checked", "running": False, "rows": 5, "done": 5, "percent": 100,
        "created": 5, "skipped": 0, "error_rows": 0, "problem": "",
    }  # fmt: skip


def test_a_running_job_shows_its_progress_bar_and_refreshes_without_javascript(client, experts, staff_user):
    job = import_job_create(content=VALID.read_bytes(), filename=VALID.name, user=staff_user, ask=False)
    import_job_advance(job.pk)  # read: the rows are stored, none checked yet
    login(client, staff_user)
    page = client.get(reverse("exchange:legacy_import_job", args=[job.pk]))
    assert page.status_code == 200
    assert 'role="progressbar"' in page.text and 'aria-valuenow="0"' in page.text
    assert "Checking each row" in page.text and "0 of 5 rows" in page.text
    assert '<meta http-equiv="refresh" content="5">' in page.text  # in <noscript>
    assert "js/import-progress.js" in page.text
    assert "no-cache" in page["Cache-Control"]


def test_applying_a_file_with_errors_is_refused_with_the_reason(client, experts, staff_user):
    job = checked_job(staff_user, ERRORS)
    assert job.phase == ImportJob.Phase.CHECKED and job.error_rows == 5
    login(client, staff_user)
    response = client.post(reverse("exchange:legacy_import_apply", args=[job.pk]))
    assert response.status_code == 409
    assert "The file has errors: correct it and upload it again." in response.text
    assert not Interview.objects.exists()


def test_applying_twice_is_refused_the_second_time(client, experts, staff_user):
    job = checked_job(staff_user)
    login(client, staff_user)
    assert client.post(reverse("exchange:legacy_import_apply", args=[job.pk])).status_code == 302
    again = client.post(reverse("exchange:legacy_import_apply", args=[job.pk]))
    assert again.status_code == 409 and "Only a checked file can be imported." in again.text
    assert Interview.objects.count() == 5


def test_a_bad_file_is_refused_next_to_the_field_and_makes_no_job(client, staff_user, db):
    login(client, staff_user)
    upload = io.BytesIO(b"\n\n")
    upload.name = "empty.csv"
    response = client.post(reverse("exchange:legacy_import"), {"file": upload, "dry_run": "on"})
    assert response.status_code == 400 and "empty.csv is empty" in response.text
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    ("language", "checking", "correct"),
    [
        ("en-gb", "Checking each row", "is correct: 5 benchmarkings would be imported"),
        ("de", "Jede Zeile wird geprüft", "ist korrekt: 5 Benchmarkings würden importiert"),
        ("es", "Comprobando cada fila", "es correcto: se importarían 5 evaluaciones comparativas"),
    ],
)
def test_the_job_pages_in_each_language(client, experts, staff_user, language, checking, correct):
    login(client, staff_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    job = import_job_create(content=VALID.read_bytes(), filename=VALID.name, user=staff_user, ask=False)
    import_job_advance(job.pk)
    assert checking in client.get(reverse("exchange:legacy_import_job", args=[job.pk])).text
    while import_job_advance(job.pk):
        pass
    assert correct in client.get(reverse("exchange:legacy_import_job", args=[job.pk])).text


# --- Batches, a stop and a resume ---------------------------------------------------------------


def test_a_batch_never_splits_a_clusters_history(experts, staff_user, monkeypatch):
    monkeypatch.setattr(import_steps, "WRITE_BATCH", 1)
    job = checked_job(staff_user)
    job.phase, job.position = ImportJob.Phase.RULES, ""
    batches = []
    while lines := import_steps._batch(job):
        batches.append([line.cells["cluster"] for line in lines])
        job.position = lines[-1].order_key
    assert batches == [
        ["Bioregion Nord"], ["Clúster de Automoción de Galicia"], ["Croatian ICT Cluster", "Croatian ICT Cluster"],
        ["Danish Water Technology Cluster"],
    ]  # fmt: skip


def test_a_stop_while_applying_keeps_whole_batches_and_resumes_after_them(experts, staff_user, monkeypatch):
    """A row refused at apply time (its label code taken since the check) stops the import: the
    batches before it are in whole, nothing of its batch is; resumed, the import goes on after
    the last complete batch and creates nothing twice."""
    monkeypatch.setattr(import_steps, "WRITE_BATCH", 1)
    job = checked_job(staff_user)
    assert (job.phase, job.created, job.error_rows) == (ImportJob.Phase.CHECKED, 5, 0)
    taken = factories.LabelFactory(code="DNK063201604B")  # the Danish row's code, taken meanwhile
    import_job_apply(job=job, user=staff_user)
    while import_job_advance(job.pk):
        pass
    job.refresh_from_db()
    assert job.phase == ImportJob.Phase.FAILED and job.stopped_in == ImportJob.Phase.APPLYING
    assert "Row 4 was refused: another label has this code" in job.problem
    assert job.created == 4 and Interview.objects.count() == 4  # the batches before it, whole
    assert not Interview.objects.filter(cluster__name="Danish Water Technology Cluster").exists()
    refused = ImportRow.objects.get(job=job, row=4)
    assert refused.errors == [["label_code", "DNK063201604B", "another label has this code"]]

    taken.delete()
    import_job_resume(job=job, user=staff_user)
    while import_job_advance(job.pk):
        pass
    job.refresh_from_db()
    assert (job.phase, job.created, job.error_rows, job.problem) == (ImportJob.Phase.APPLIED, 5, 0, "")
    assert Interview.objects.count() == 5 and Label.objects.filter(code="DNK063201604B").count() == 1
    with pytest.raises(ImportJobError):
        import_job_resume(job=job, user=staff_user)


def test_a_worker_that_gives_up_stops_the_job_resumably(experts, staff_user):
    from exchange.services.import_jobs import import_job_stopped

    job = checked_job(staff_user)
    import_job_apply(job=job, user=staff_user)  # the immediate backend ran it through
    job.refresh_from_db()
    assert job.phase == ImportJob.Phase.APPLIED
    fresh = import_job_create(content=VALID.read_bytes(), filename=VALID.name, user=staff_user, ask=False)
    import_job_stopped(fresh.pk, "OperationalError: database is locked")
    fresh.refresh_from_db()
    assert fresh.phase == ImportJob.Phase.FAILED and fresh.stopped_in == ImportJob.Phase.QUEUED
    import_job_resume(job=fresh, user=staff_user)  # the same file again: every row is skipped
    fresh.refresh_from_db()
    assert (fresh.phase, fresh.created, fresh.skipped) == (ImportJob.Phase.CHECKED, 0, 5)
    assert Interview.objects.count() == 5


# --- Other users' saves during an import (SQLite) ------------------------------------------------


@pytest.mark.slow
def test_saves_made_during_an_import_never_fail_on_sqlite(tmp_path):
    """On a file SQLite database of its own, the job (read, check, dry run, apply, a batch a
    transaction) runs while threads save clusters through the service: every save succeeds.
    The same script, at 1,000 rows and more, is the benchmark (benchmarks/README.md)."""
    import os
    import subprocess
    import sys

    root = Path(settings.BASE_DIR)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TASK_BACKEND")}
    result = subprocess.run(
        [sys.executable, "benchmarks/time_import_job.py", "--rows", "60", "--savers", "4",
         "--database-url", f"sqlite:///{tmp_path / 'import.sqlite3'}"],
        cwd=root, env={**env, "PYTHONPATH": str(root)}, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert "job: applied, created 60, skipped 0, rows with errors 0" in result.stdout
    assert ", 0 failed," in result.stdout


def test_migration_0004_stops_a_checked_job_with_the_reason_in_the_uploaders_language(db):
    """Jobs checked before the rows kept their values stop, not resumable; the reason is shown on
    the job's page, so it is written in each uploader's language, as every problem of a job."""
    from django.apps import apps

    migration = importlib.import_module("exchange.migrations.0004_import_row_checked_values")
    jobs = {
        language: ImportJob.objects.create(filename="old.csv", stored_as="x", language=language, phase=phase)
        for language, phase in [("de", "checked"), ("es", "applying"), ("en", "rules")]
    }
    reading = ImportJob.objects.create(filename="new.csv", stored_as="y", language="de", phase="reading")
    migration.stop_jobs_checked_before(apps, None)
    problems = {language: ImportJob.objects.get(pk=job.pk).problem for language, job in jobs.items()}
    assert problems == {
        "de": "Von einer früheren Version der Website geprüft: Laden Sie die Datei erneut hoch (bereits importierte "
        "Zeilen werden übersprungen).",
        "es": "Comprobado por una versión anterior del sitio: vuelva a subir el archivo (las filas importadas antes "
        "se omiten).",
        "en": "Checked by an earlier version of the site: upload the file again (rows imported before are skipped).",
    }
    assert set(ImportJob.objects.filter(pk__in=[j.pk for j in jobs.values()]).values_list("phase", "stopped_in")) == {
        ("failed", "")
    }
    reading.refresh_from_db()
    assert (reading.phase, reading.problem) == ("reading", "")  # checked again from its stored rows
