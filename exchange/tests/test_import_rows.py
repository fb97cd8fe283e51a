"""The import job's checked values (issue 26): each row read by the forms once, its values kept on
the ImportRow, and the dry run and the apply written from them; what changed since the check is
judged again or refused with the reason; a batch that fails while written leaves nothing of
itself, and the job resumes after the last batch it committed.

The steps run as the worker runs them (import_job_advance), on the tests' database.
"""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import IntegrityError, connection

from benchmarking.models import Answer, Indicator, Interview, Label
from clusters.models import Cluster, ComparativePortfolio
from exchange.legacy import stored_answers
from exchange.models import ImportedBenchmarking, ImportJob, ImportRow
from exchange.services import import_steps
from exchange.services.import_jobs import (
    import_job_advance,
    import_job_apply,
    import_job_create,
    import_job_resume,
)
from tests import factories

VALID = Path(settings.BASE_DIR) / "fixtures" / "legacy_benchmarkings_valid.csv"
CROATIAN_FIRST = 2  # the file's row of the first Croatian benchmarking (HRV011201301B)


@pytest.fixture
def experts(reference_data):
    return [
        factories.ExpertFactory(accreditation_number=number, accredited_from=datetime.date(2010, 6, 1))
        for number in ("ESCA-0001", "ESCA-0002")
    ]


@pytest.fixture(autouse=True)
def no_pause(monkeypatch):
    monkeypatch.setattr(import_steps, "SQLITE_PAUSE", 0)


def run(job: ImportJob) -> ImportJob:
    while import_job_advance(job.pk):
        pass
    job.refresh_from_db()
    return job


def checked_job(user) -> ImportJob:
    return run(import_job_create(content=VALID.read_bytes(), filename=VALID.name, user=user, ask=False))


def applied(job: ImportJob, user) -> ImportJob:
    import_job_apply(job=job, user=user)
    return run(job)


def test_each_clean_row_keeps_its_checked_values(experts, staff_user):
    job = checked_job(staff_user)
    line = ImportRow.objects.get(job=job, row=CROATIAN_FIRST)
    assert line.errors == [] and line.values["label_code"] == "HRV011201301B"
    assert line.values["date"] == "2013-01-22" and line.values["expert"] == experts[0].pk
    assert len(line.values["answers"]) == 36
    assert list(job.checked_catalogues) == [str(line.values["catalogue"])] and all(job.checked_catalogues.values())


def test_the_apply_writes_the_stored_values_not_the_cells_again(experts, staff_user):
    """The cells are spoiled and one stored value changed after the check: the apply writes the
    stored values (it never reads the cells again), every answer of the row as stored."""
    job = checked_job(staff_user)
    line = ImportRow.objects.get(job=job, row=CROATIAN_FIRST)
    first = next(iter(line.values["answers"]))
    line.values["answers"][first]["comment"] = "kept by the check"
    line.cells = {name: "not a value" for name in line.cells}
    line.save()
    applied(job, staff_user)
    interview = ImportedBenchmarking.objects.get(source_row=CROATIAN_FIRST, source_file=VALID.name).interview
    written = {
        a["indicator_id"]: a
        for a in Answer.objects.filter(interview=interview).values("indicator_id", *stored_fields(line))
    }
    stored = stored_answers(line.values)
    assert written.keys() == stored.keys()
    for indicator_id, fields in stored.items():
        assert {name: written[indicator_id][name] for name in fields} == fields
    assert written[int(first)]["comment"] == "kept by the check"
    assert any(isinstance(f.get("number"), Decimal) for f in stored.values())  # typed again, not JSON text
    history = Answer.history.filter(interview_id=interview.pk)
    assert history.count() == 36 and set(history.values_list("history_user", flat=True)) == {staff_user.pk}


def stored_fields(line: ImportRow) -> set[str]:
    return {name for fields in line.values["answers"].values() for name in fields}


def test_a_catalogue_changed_between_the_dry_run_and_the_apply_is_refused_with_the_reason(experts, staff_user):
    job = checked_job(staff_user)
    indicator = Indicator.objects.filter(catalogue__version="1", max_value__isnull=False).order_by("pk").first()
    Indicator.objects.filter(pk=indicator.pk).update(max_value=indicator.max_value / 2)  # a bound the forms judged by
    job = applied(job, staff_user)
    assert job.phase == ImportJob.Phase.FAILED and job.stopped_in == ImportJob.Phase.APPLYING
    assert "the catalogue changed since the file was checked: check the file again" in job.problem
    assert not Interview.objects.exists() and not Cluster.objects.filter(name="Bioregion Nord").exists()


def test_a_catalogue_changed_during_the_check_gives_each_row_the_reason(experts, staff_user):
    job = import_job_create(content=VALID.read_bytes(), filename=VALID.name, user=staff_user, ask=False)
    while job.phase != ImportJob.Phase.RULES:  # read and check; the dry run not yet
        import_job_advance(job.pk)
        job.refresh_from_db()
    Indicator.objects.filter(catalogue__version="1").update(soft_max=12345)
    job = run(job)
    assert job.phase == ImportJob.Phase.CHECKED and job.error_rows == 5 and job.created == 0
    errors = ImportRow.objects.get(job=job, row=CROATIAN_FIRST).errors
    reason = "the catalogue changed since the file was checked: check the file again"
    assert errors == [["catalogue_version", "1", reason]]


def test_a_cluster_created_in_another_portfolio_since_the_dry_run_is_refused_at_the_apply(experts, staff_user):
    job = checked_job(staff_user)
    assert (job.phase, job.error_rows) == (ImportJob.Phase.CHECKED, 0)
    other = ComparativePortfolio.objects.exclude(slug="ict").first()
    factories.ClusterFactory(name="Croatian ICT Cluster", country="HR", portfolio=other)
    job = applied(job, staff_user)
    assert job.phase == ImportJob.Phase.FAILED
    assert f"Croatian ICT Cluster is in the portfolio {other}" in job.problem
    assert not Interview.objects.filter(cluster__name="Croatian ICT Cluster").exists()


def test_an_expert_no_longer_accredited_at_the_apply_is_refused(experts, staff_user):
    job = checked_job(staff_user)
    experts[0].accredited_from = datetime.date(2020, 1, 1)
    experts[0].save()
    job = applied(job, staff_user)
    assert job.phase == ImportJob.Phase.FAILED and "does not cover" in job.problem


# --- A batch that fails while it is written ------------------------------------------------------

REFUSED_CODE = "DNK063201604B"  # the Danish row's label, the last batch in the batches' order


def _refuse_label(code: str) -> None:
    """A trigger that makes the database refuse one label's INSERT, as a full disk or a lost
    connection would fail a batch in the middle of its writes."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "CREATE TRIGGER refuse_label BEFORE INSERT ON benchmarking_label "
                f"WHEN NEW.code = '{code}' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
            )
        else:
            cursor.execute(
                "CREATE FUNCTION refuse_label() RETURNS trigger AS $$ BEGIN "
                f"IF NEW.code = '{code}' THEN RAISE unique_violation USING MESSAGE = 'refused by the test'; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER refuse_label BEFORE INSERT ON benchmarking_label "
                "FOR EACH ROW EXECUTE FUNCTION refuse_label()"
            )


def _allow_labels() -> None:
    with connection.cursor() as cursor:
        on_table = "" if connection.vendor == "sqlite" else " ON benchmarking_label"
        cursor.execute(f"DROP TRIGGER refuse_label{on_table}")
        if connection.vendor != "sqlite":
            cursor.execute("DROP FUNCTION refuse_label()")


def test_a_batch_that_fails_while_written_leaves_nothing_of_itself_and_the_job_resumes(
    experts, staff_user, monkeypatch
):
    monkeypatch.setattr(import_steps, "WRITE_BATCH", 1)
    job = checked_job(staff_user)
    _refuse_label(REFUSED_CODE)
    try:
        import_job_apply(job=job, user=staff_user)  # the tests' worker runs it, retries, gives up
    except IntegrityError:
        pass  # however the immediate backend passes the last attempt's error on
    job.refresh_from_db()
    assert (job.phase, job.stopped_in) == (ImportJob.Phase.FAILED, ImportJob.Phase.APPLYING)
    assert "refused by the test" in job.problem
    # The batches before it are in whole, with their position; nothing of the failed one is.
    assert job.created == 4 and Interview.objects.count() == 4 and Label.objects.count() == 3
    danish = "Danish Water Technology Cluster"
    assert not Cluster.objects.filter(name=danish).exists()
    assert not ImportedBenchmarking.objects.filter(interview__cluster__name=danish).exists()
    assert not Answer.history.filter(interview__cluster__name=danish).exists()
    assert ImportRow.objects.get(job=job, row=4).outcome == ""

    _allow_labels()
    import_job_resume(job=job, user=staff_user)
    job.refresh_from_db()
    assert (job.phase, job.created, job.skipped, job.error_rows) == (ImportJob.Phase.APPLIED, 5, 0, 0)
    assert Interview.objects.count() == 5 and Label.objects.filter(code=REFUSED_CODE).count() == 1
    assert Answer.objects.count() == 5 * 36 and Answer.history.count() == 5 * 36
    assert Cluster.objects.filter(name=danish).count() == 1
