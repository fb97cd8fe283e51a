"""The legacy import: every error by row, column, value and reason; nothing half-saved;
the web forms' rules; idempotent; the same through the page and the command."""

import datetime
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from benchmarking.models import Answer, Interview, Label, LabelRecommendation
from benchmarking.services.label_facts import label_facts_disagreements
from benchmarking.tests.interview_helpers import login
from clusters.models import Cluster, ComparativePortfolio
from exchange.legacy import RowError
from exchange.legacy_files import LegacyFileError
from exchange.models import ImportedBenchmarking, ImportJob
from exchange.services.legacy_import import legacy_import
from tests.factories import ClusterFactory, ExpertFactory, LabelFactory

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
VALID = FIXTURES / "legacy_benchmarkings_valid.csv"
ERRORS = FIXTURES / "legacy_benchmarkings_errors.csv"


@pytest.fixture
def experts(reference_data):
    """The two accreditation numbers the sample files name (the demo's experts)."""
    return [
        ExpertFactory(accreditation_number=number, accredited_from=datetime.date(2010, 6, 1))
        for number in ("ESCA-0001", "ESCA-0002")
    ]


def run(path=VALID, *, dry_run=False, user=None, content=None, filename=None):
    return legacy_import(
        content=content if content is not None else path.read_bytes(),
        filename=filename or path.name,
        user=user,
        dry_run=dry_run,
    )


def test_the_valid_sample_imports_approved_interviews_with_their_labels(experts, staff_user):
    result = run(user=staff_user)
    assert (result.errors, result.created, result.skipped) == ([], 5, [])
    interviews = Interview.objects.filter(status=Interview.Status.APPROVED)
    assert interviews.count() == 5
    assert Answer.objects.filter(interview__in=interviews).count() == 5 * 36
    record = ImportedBenchmarking.objects.get(report_code="HRV011201301CIP0437")  # kept as it was
    assert (record.source_file, record.source_row, record.imported_by) == (VALID.name, 2, staff_user)
    interview = record.interview
    assert interview.date == datetime.date(2013, 1, 22) and interview.mode == Interview.Mode.ON_SITE
    assert interview.decision_reason == f"Imported from {VALID.name}, row 2"
    # History: the approved interview and each answer, recorded as the importer's, with the file.
    created = interview.history.get()
    assert (created.status, created.history_user, created.history_change_reason) == (
        "approved", staff_user, f"Imported from {VALID.name}, row 2",
    )
    answers = Answer.history.filter(interview_id=interview.pk)
    assert answers.count() == 36 and set(answers.values_list("history_user", flat=True)) == {staff_user.pk}
    assert first_label_history(interview).history_user == staff_user
    # Labels under the renewal rules: the second Croatian benchmarking renews the first.
    first, second = Label.objects.filter(cluster__name="Croatian ICT Cluster").order_by("valid_from")
    assert (first.code, first.source, first.valid_until) == ("HRV011201301B", "import", datetime.date(2015, 1, 22))
    assert second.renews == first and second.valid_from == datetime.date(2015, 1, 23)
    # The row without a label code has no label; its missing values are kept as reasons.
    bioregion = Interview.objects.get(cluster__name="Bioregion Nord")
    assert not bioregion.labels.exists()
    assert bioregion.answers.get(indicator__code="C1").missing_reason == "not_disclosed"
    assert Cluster.objects.get(name="Clúster de Automoción de Galicia").portfolio.slug == "transportation-and-mobility"
    # The public list's label facts of each cluster agree with its imported labels.
    assert label_facts_disagreements() == []
    assert Cluster.objects.get(name="Croatian ICT Cluster").label_valid_until == second.valid_until


def first_label_history(interview):
    return Label.history.get(interview_id=interview.pk)


def test_importing_the_same_file_twice_creates_nothing_new(experts, staff_user):
    run(user=staff_user)
    counts = (Interview.objects.count(), Answer.objects.count(), Label.objects.count(), Cluster.objects.count())
    again = run(user=staff_user)
    assert again.created == 0 and len(again.skipped) == 5 and again.errors == []
    assert (Interview.objects.count(), Answer.objects.count(), Label.objects.count(), Cluster.objects.count()) == counts


def test_a_dry_run_writes_nothing(experts):
    result = run(dry_run=True)
    assert result.errors == [] and result.created == 5
    assert not Interview.objects.exists() and not Cluster.objects.exists() and not Label.objects.exists()


def test_the_error_sample_lists_every_error_and_imports_nothing(experts):
    result = run(ERRORS)
    found = {(e.row, e.column, e.value): e.reason for e in result.errors}
    expected = {
        (2, "country", "XX"): "not an ISO 3166 country code (e.g. HR or HRV)",
        (2, "label_code", "hrv-011201301b"): "write the code in capitals without spaces or dashes (HRV011201301B)",
        (3, "portfolio", "Space tourism"): "no comparative portfolio has this name",
        (3, "expert", "ESCA-9999"): "no expert has this accreditation number",
        (3, "interview_date", "22/12/2014"): "not a date written YYYY-MM-DD",
        (4, "A1", "2020"): "The year cannot be after the interview (2016).",
        (4, "A2", "9"): "not an option code of A2 (1 to 6)",
        (4, "A3", "1;12"): "not an option code of A3 (1 to 6)",
        (4, "A4", "many"): "Enter a whole number.",
        (4, "A5_1", "78"): "Fill in every part (0 where there is none), or leave them all empty.",
        (4, "A6_1", "80"): "The shares add up to 110\xa0%; they must add up to 100\xa0%.",
        (4, "B5", "140"): "Must be at most 100.",
        (4, "B8", "maybe"): "not 1 (yes) or 0 (no)",
        (4, "C2_1", "UNK"): "a missing-value code must fill every part of the indicator alone",
        (4, "D2", ""): "no value and no missing-value code (NA, UNK, ND)",
        (5, "cluster", ""): "required",
        (5, "catalogue_version", "7"): "no catalogue has this version",
        (5, "interview_date", "2099-09-28"): "the interview date cannot be in the future",
        (6, "interview_date", "2016-04-12"): "row 4 has the same cluster and date",
    }
    for key, reason in expected.items():
        assert found.get(key) == reason, key
    assert "http:// or https://" in found[(3, "website", "javascript:alert(1)")]  # the model's own validator
    assert [e.row for e in result.errors] == sorted(e.row for e in result.errors)
    assert not result.committed
    assert not Interview.objects.exists() and not Cluster.objects.exists()


def test_rules_that_need_the_database_are_checked_too(experts, staff_user):
    """The expert's accreditation (interview_start's rule), and a label code already used."""
    experts[1].accredited_from = datetime.date(2015, 1, 1)
    experts[1].save()
    Label.objects.create(
        cluster=Cluster.objects.create(name="Elsewhere", slug="elsewhere", country="FR", portfolio_id=1),
        code="DNK063201604B", benchmarked_on=datetime.date(2016, 1, 1), awarded_on=datetime.date(2016, 1, 1),
        valid_from=datetime.date(2016, 1, 1), valid_until=datetime.date(2018, 1, 1), source="import",
    )
    result = run(user=staff_user)
    reasons = {(e.row, e.column): e.reason for e in result.errors}
    assert reasons[(3, "expert")].endswith("does not cover 3 December 2014.")
    assert reasons[(4, "label_code")] == "another label has this code"
    assert result.created == 3 and not result.committed
    assert not Interview.objects.exists()  # all or nothing


def _danish_cluster_labelled_until_june_2016():
    """The Danish cluster of the sample's row 4 (2016-04-12), with a first label up to 1 June 2016."""
    portfolio = ComparativePortfolio.objects.get(name="Maritime technologies, water resources")
    cluster = ClusterFactory(name="Danish Water Technology Cluster", country="DK", portfolio=portfolio)
    first = LabelFactory(cluster=cluster, code="DNK001201406B", benchmarked_on=datetime.date(2014, 6, 1),
                         valid_from=datetime.date(2014, 6, 1), valid_until=datetime.date(2016, 6, 1))  # fmt: skip
    return cluster, first


def test_a_row_renewing_a_period_renewed_already_is_refused_beside_it(experts, staff_user):
    """The cluster exists and its label is renewed already from 2 June 2016: the row of 2016-04-12
    would stack a second renewal on it. Refused with the reason, and nothing of the file written."""
    cluster, first = _danish_cluster_labelled_until_june_2016()
    LabelFactory(cluster=cluster, code="DNK002201603B", benchmarked_on=datetime.date(2016, 3, 1), renews=first,
                 valid_from=datetime.date(2016, 6, 2), valid_until=datetime.date(2019, 6, 1))  # fmt: skip
    result = run(user=staff_user)
    assert [(e.row, e.column) for e in result.errors] == [(4, "expert")]
    assert result.errors[0].reason == (
        "Danish Water Technology Cluster is already renewed: label DNK002201603B runs from 2 June 2016 to "
        "1 June 2019. A benchmarking on or after 2 June 2016 can renew it."
    )
    assert not result.committed and result.created == 4
    assert not Interview.objects.exists() and not Cluster.objects.filter(name="Bioregion Nord").exists()
    assert cluster.labels.count() == 2


def test_a_row_renewing_a_period_a_waiting_recommendation_renews_is_refused(experts, staff_user):
    """The renewal of 1 March 2016 waits for the board: the row of 2016-04-12 would stack on it."""
    cluster, _first = _danish_cluster_labelled_until_june_2016()
    LabelRecommendation.objects.create(
        cluster=cluster, level=Label.Level.BRONZE, source=Label.Source.INTERVIEW,
        benchmarked_on=datetime.date(2016, 3, 1), recommended_by=staff_user,
    )  # fmt: skip
    result = run(user=staff_user)
    reasons = {(e.row, e.column): e.reason for e in result.errors}
    assert list(reasons) == [(4, "expert")]
    assert reasons[(4, "expert")].startswith(
        "Danish Water Technology Cluster is already renewed by the benchmarking of 1 March 2016, which waits for "
        "the board: its label would run from 2 June 2016 to 1 June 2019."
    )
    assert not result.committed and not Interview.objects.exists() and cluster.labels.count() == 1


def test_a_row_renewing_an_existing_label_in_time_is_imported(experts, staff_user):
    cluster, first = _danish_cluster_labelled_until_june_2016()
    result = run(user=staff_user)
    assert result.errors == [] and result.created == 5
    renewal = cluster.labels.get(code="DNK063201604B")
    assert (renewal.renews, renewal.valid_from) == (first, datetime.date(2016, 6, 2))


def test_header_problems_stop_before_the_rows(experts):
    content = VALID.read_bytes().replace(b"report_code,", b"report,", 1).replace(b",catalogue_version,", b",,", 1)
    result = run(content=content, filename="renamed.csv")
    assert RowError(1, "report", "report", "unknown column") in result.errors
    assert RowError(1, "catalogue_version", "", "this column is required") in result.errors
    assert result.rows == 0


def _as_xlsx(path: Path) -> bytes:
    import csv

    book = Workbook()
    sheet = book.active
    for row in csv.reader(io.StringIO(path.read_text("utf-8"))):
        # Numbers and dates as a spreadsheet holds them, not as text.
        sheet.append([_typed(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _typed(value: str):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        pass
    for kind in (int, float):
        try:
            return kind(value)
        except ValueError:
            pass
    return value


def test_xlsx_imports_like_csv(experts):
    result = run(content=_as_xlsx(VALID), filename="legacy.xlsx")
    assert result.errors == [] and result.created == 5
    b4 = Answer.objects.get(interview__imported__report_code="HRV011201301CIP0437", indicator__code="B4")
    assert b4.number == 1.5


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"", "empty.csv", "empty.csv is empty: the first row must name the columns."),
        (b"\xff\xfe\x00", "latin.csv", "latin.csv is not UTF-8 text: save the CSV as UTF-8."),
        (b"not a zip", "broken.xlsx", "broken.xlsx is not a readable XLSX file (BadZipFile)."),
        (b"a,b", "data.json", "Upload a .csv or .xlsx file."),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(db, content, filename, message):
    with pytest.raises(LegacyFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run(content=content, filename=filename)


# --- The doors: the page and the command --------------------------------------------------------


def _upload(client, path, *, dry_run):
    data = {"file": io.BytesIO(path.read_bytes())}
    data["file"].name = path.name
    if dry_run:
        data["dry_run"] = "on"
    return client.post(reverse("exchange:legacy_import"), data)


def test_the_page_checks_then_imports(client, experts, staff_user):
    """The upload becomes a job the worker checks (here the immediate backend runs it at once);
    its page shows the outcome and the button that imports it."""
    login(client, staff_user)
    page = client.get(reverse("exchange:legacy_import"))
    assert page.status_code == 200 and b'name="dry_run"' in page.content and b"checked" in page.content
    checked = _upload(client, VALID, dry_run=True)
    assert checked.status_code == 302
    job = ImportJob.objects.get()
    assert checked["Location"] == reverse("exchange:legacy_import_job", args=[job.pk])
    outcome = client.get(checked["Location"])
    assert b"is correct: 5 benchmarkings would be" in outcome.content
    assert b"Import 5 benchmarkings" in outcome.content
    assert not Interview.objects.exists()
    applied = client.post(reverse("exchange:legacy_import_apply", args=[job.pk]))
    assert applied.status_code == 302
    page = client.get(applied["Location"])
    assert b"Imported 5 benchmarkings from legacy_benchmarkings_valid.csv" in page.content
    assert Interview.objects.filter(imported__imported_by=staff_user).count() == 5
    assert b"legacy_benchmarkings_valid.csv" in client.get(reverse("exchange:legacy_import")).content  # recent


def test_the_page_imports_at_once_when_not_a_dry_run(client, experts, staff_user):
    login(client, staff_user)
    response = client.get(_upload(client, VALID, dry_run=False)["Location"])
    assert b"Imported 5 benchmarkings from legacy_benchmarkings_valid.csv" in response.content


def test_the_page_lists_every_error(client, experts, staff_user):
    login(client, staff_user)
    response = client.get(_upload(client, ERRORS, dry_run=False)["Location"])
    assert response.status_code == 200
    assert b"nothing was imported" in response.content
    row = b'<td data-label="Row">4</td><td><code>B5</code></td><td>140</td><td>Must be at most 100.</td>'
    assert row in response.content
    assert b"/apply/" not in response.content  # no import button
    assert not Interview.objects.exists()


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("history.pdf", b"%PDF", b"Upload a .csv or .xlsx file."),
        ("broken.xlsx", b"nope", b"broken.xlsx is not a readable XLSX file"),
    ],
)
def test_the_page_refuses_a_bad_file_next_to_the_field(client, staff_user, db, filename, content, message):
    login(client, staff_user)
    upload = io.BytesIO(content)
    upload.name = filename
    response = client.post(reverse("exchange:legacy_import"), {"file": upload, "dry_run": "on"})
    assert response.status_code == 400 and message in response.content


def test_the_page_needs_a_file(client, staff_user, db):
    login(client, staff_user)
    response = client.post(reverse("exchange:legacy_import"), {"dry_run": "on"})
    assert response.status_code == 400 and b"This field is required." in response.content


def test_the_command_dry_run_then_import(experts, staff_user):
    out = io.StringIO()
    call_command("import_legacy", str(VALID), "--dry-run", stdout=out)
    assert "5 benchmarking(s) would be imported (dry run); 0 skipped" in out.getvalue()
    assert not Interview.objects.exists()
    call_command("import_legacy", str(VALID), "--user", staff_user.username, stdout=io.StringIO())
    assert ImportedBenchmarking.objects.filter(imported_by=staff_user).count() == 5


def test_the_command_lists_every_error_and_fails(experts):
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"error\(s\) in 5 row\(s\): nothing was imported"):
        call_command("import_legacy", str(ERRORS), stdout=io.StringIO(), stderr=err)
    assert "row 4, column B5, value '140': Must be at most 100." in err.getvalue()


def test_the_command_refuses_a_user_outside_the_secretariat(experts, plain_user):
    with pytest.raises(CommandError, match="not an active member of the secretariat"):
        call_command("import_legacy", str(VALID), "--user", plain_user.username)
