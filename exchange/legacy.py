"""Import of legacy benchmarkings from CSV or XLSX (issue 12).

The format is the wide analysis export's (codebook.IDENTITY, then one column per variable:
see variables.py and docs/legacy-import.md). Every row goes through the rules of the web
forms and services: the interview step's sub-forms judge each answer (and give its Answer
columns), `interview_start_refusal` the expert and the date, `label_terms` gives the label its
validity under the renewal rules; every write records its history.

A run validates every row and reports every problem (row, column, value, reason). It writes
nothing unless the whole file is clean: a dry run, or a file with errors, is rolled back.
Importing a file twice creates nothing new: a row whose report code was imported before, or
whose cluster already has an interview on that date, is skipped.
"""

import csv
import datetime
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from django_countries import countries
from openpyxl import load_workbook
from simple_history.utils import bulk_create_with_history

from benchmarking.forms.interviews import indicator_form_class
from benchmarking.models import Answer, Catalogue, Expert, Indicator, Interview, Label
from benchmarking.selectors.labels import normalise_code
from benchmarking.services.interviews import interview_start_refusal
from benchmarking.services.label_facts import label_facts_refresh
from benchmarking.services.labels import LabelError, label_terms
from benchmarking.services.peer_values import peer_values_refresh
from clusters.models import Cluster, ComparativePortfolio
from clusters.text import fold
from ecei_site.numbers import plain_number
from exchange.codebook import IDENTITY
from exchange.models import ImportedBenchmarking
from exchange.variables import CellError, decode, indicator_variables

REQUIRED = ["cluster", "country", "portfolio", "expert", "interview_date", "catalogue_version"]
VIDEO_SINCE = datetime.date(2019, 11, 15)  # the 2019 revision made video interviews an option
NOT_RECORDED = "Not recorded (imported)"
HEADER_ROW = 1


class LegacyFileError(Exception):
    """The file cannot be read at all (not CSV or XLSX, empty, no header)."""


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    value: str
    reason: str


@dataclass
class ImportResult:
    filename: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def committed(self) -> bool:
        return not self.dry_run and not self.errors


class _Rollback(Exception):
    """Raised inside the import's transaction to undo it (dry run, or errors found)."""


# --- Reading -----------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        return plain_number(Decimal(repr(value)))
    return str(value).strip()


def read_table(content: bytes, filename: str) -> tuple[list[str], Iterator[tuple[int, dict]]]:
    """The header and the rows ({column: text}, numbered as in a spreadsheet) of a CSV or XLSX."""
    if filename.lower().endswith(".xlsx"):
        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        except Exception as exc:  # openpyxl raises many kinds for a file that is not XLSX
            raise LegacyFileError(
                gettext("%(file)s is not a readable XLSX file (%(error)s).")
                % {"file": filename, "error": exc.__class__.__name__}
            ) from exc
        lines = ([_text(v) for v in row] for row in sheet.iter_rows(values_only=True))
    elif filename.lower().endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise LegacyFileError(
                gettext("%(file)s is not UTF-8 text: save the CSV as UTF-8.") % {"file": filename}
            ) from exc
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t") if text.strip() else csv.excel
        lines = ([v.strip() for v in row] for row in csv.reader(io.StringIO(text), dialect))
    else:
        raise LegacyFileError(gettext("Upload a .csv or .xlsx file."))
    header = next(lines, None)
    if not header or not any(header):
        raise LegacyFileError(gettext("%(file)s is empty: the first row must name the columns.") % {"file": filename})

    def rows():
        for number, cells in enumerate(lines, start=HEADER_ROW + 1):
            if any(cells):
                yield number, dict(zip(header, cells, strict=False))

    return header, rows()


# --- Checking the header and the identity columns ----------------------------------------------


class _Catalogues:
    """Each catalogue version's indicators, read once per import."""

    def __init__(self):
        self.by_version = {c.version: c for c in Catalogue.objects.all()}
        self.indicators: dict[int, list[Indicator]] = {}

    def of(self, catalogue: Catalogue) -> list[Indicator]:
        if catalogue.pk not in self.indicators:
            self.indicators[catalogue.pk] = list(
                Indicator.objects.filter(catalogue=catalogue)
                .select_related("category", "cross_check_with")
                .order_by("category__order", "order")
            )
        return self.indicators[catalogue.pk]


def header_errors(header: list[str], catalogues: _Catalogues) -> list[RowError]:
    known = {name for name, _ in IDENTITY}
    for catalogue in catalogues.by_version.values():
        known |= {v.name for i in catalogues.of(catalogue) for v in indicator_variables(i)}
    unknown, required = gettext("unknown column"), gettext("this column is required")
    errors = [RowError(HEADER_ROW, name, name, unknown) for name in header if name and name not in known]
    errors += [RowError(HEADER_ROW, name, "", required) for name in REQUIRED if name not in header]
    seen = set()
    for name in header:
        if name in seen:
            errors.append(RowError(HEADER_ROW, name, name, gettext("the column appears twice")))
        seen.add(name)
    return errors


@dataclass
class Identity:
    report_code: str = ""
    label_code: str = ""
    cluster_name: str = ""
    country: str = ""
    portfolio: ComparativePortfolio | None = None
    website: str = ""
    expert: Expert | None = None
    date: datetime.date | None = None
    catalogue: Catalogue | None = None


COUNTRY_CODES = {code for code, _ in countries}


def _country(text: str) -> str | None:
    code = text.upper()
    if code in COUNTRY_CODES:
        return code
    from django_countries.fields import Country

    alpha2 = Country(code).code if len(code) == 3 else ""  # ISO alpha-3, as in report codes
    return alpha2 if alpha2 in COUNTRY_CODES else None


class _Lookups:
    """Portfolios and experts, read once per import."""

    def __init__(self):
        portfolios = list(ComparativePortfolio.objects.all())
        self.portfolios = {fold(p.name): p for p in portfolios} | {p.slug: p for p in portfolios}
        self.experts: dict[str, Expert | None] = {}

    def expert(self, number: str) -> Expert | None:
        if number not in self.experts:
            self.experts[number] = Expert.objects.filter(accreditation_number=number).first()
        return self.experts[number]


def read_identity(row: int, cells: dict, catalogues: _Catalogues, lookups: _Lookups) -> tuple[Identity, list]:
    ident, errors = Identity(), []

    def error(column, reason):
        errors.append(RowError(row, column, cells.get(column, ""), reason))

    for name in REQUIRED:
        if not cells.get(name):
            error(name, gettext("required"))
    ident.report_code = cells.get("report_code", "")
    ident.label_code = cells.get("label_code", "")
    if ident.label_code and normalise_code(ident.label_code) != ident.label_code:
        error(
            "label_code",
            gettext("write the code in capitals without spaces or dashes (%(code)s)")
            % {"code": normalise_code(ident.label_code)},
        )
    if len(ident.label_code) > Label._meta.get_field("code").max_length:
        error("label_code", gettext("longer than %(n)s characters") % {"n": 20})
    if len(ident.report_code) > ImportedBenchmarking._meta.get_field("report_code").max_length:
        error("report_code", gettext("longer than %(n)s characters") % {"n": 40})
    ident.cluster_name = cells.get("cluster", "")
    ident.website = cells.get("website", "")
    for column, field_name in (("cluster", "name"), ("website", "website")):
        if cells.get(column):
            try:  # the model field's own validators (length, http(s) links only)
                Cluster._meta.get_field(field_name).clean(cells[column], None)
            except ValidationError as exc:
                error(column, " ".join(exc.messages))
    if cells.get("country"):
        ident.country = _country(cells["country"]) or ""
        if not ident.country:
            error("country", gettext("not an ISO 3166 country code (e.g. HR or HRV)"))
    if cells.get("portfolio"):
        ident.portfolio = lookups.portfolios.get(fold(cells["portfolio"])) or lookups.portfolios.get(cells["portfolio"])
        if ident.portfolio is None:
            error("portfolio", gettext("no comparative portfolio has this name"))
    if cells.get("expert"):
        ident.expert = lookups.expert(cells["expert"])
        if ident.expert is None:
            error("expert", gettext("no expert has this accreditation number"))
    if cells.get("interview_date"):
        try:
            ident.date = datetime.date.fromisoformat(cells["interview_date"])
        except ValueError:
            error("interview_date", gettext("not a date written YYYY-MM-DD"))
        if ident.date and ident.date > timezone.localdate():
            error("interview_date", gettext("the interview date cannot be in the future"))
    if cells.get("catalogue_version"):
        ident.catalogue = catalogues.by_version.get(cells["catalogue_version"])
        if ident.catalogue is None:
            error("catalogue_version", gettext("no catalogue has this version"))
    return ident, errors


# --- Answers: the interview step's own forms ---------------------------------------------------


def _form_errors(row: int, form, cells: dict) -> list[RowError]:
    indicator = form.indicator
    variables = indicator_variables(indicator)
    errors = []
    for name, messages in form.errors.items():
        if name.startswith("part_"):
            column = variables[int(name.removeprefix("part_"))].name
        else:
            column = variables[0].name
        for message in messages:
            errors.append(RowError(row, column, cells.get(column, ""), message))
    return errors


def read_answers(row: int, cells: dict, ident: Identity, indicators: list[Indicator]):
    """{indicator: Answer columns} for the row, and the errors; every indicator must be answered."""
    interview = Interview(date=ident.date or timezone.localdate(), catalogue=ident.catalogue)
    forms, errors = {}, []
    for indicator in indicators:
        try:
            data = decode(indicator, cells)
        except CellError as exc:
            errors.append(RowError(row, exc.variable, cells.get(exc.variable, ""), exc.reason))
            continue
        first = indicator_variables(indicator)[0].name
        if data is None:
            errors.append(RowError(row, first, "", gettext("no value and no missing-value code (NA, UNK, ND)")))
            continue
        form = indicator_form_class(indicator)(
            {f"{indicator.code}-{key}": value for key, value in data.items()}, indicator=indicator, interview=interview,
            from_file=True,
        )
        if form.is_valid():
            forms[indicator.pk] = form
        else:
            errors.extend(_form_errors(row, form, cells))
    values = {}
    for form in forms.values():
        target = forms.get(form.indicator.cross_check_with_id)
        form.check_warnings(target.answer_fields() if target else None)
        values[form.indicator] = form.answer_fields()  # warnings of a reviewed history count as accepted
    return values, errors


# --- Writing -----------------------------------------------------------------------------------


class _RowProblem(Exception):
    def __init__(self, column: str, reason: str):
        self.column, self.reason = column, reason
        super().__init__(reason)


ANSWER_BATCH = 100  # interviews whose answers are written (with their history) in one go


class _Writer:
    """Writes checked rows, oldest first, inside the import's transaction.

    Per row it asks the same rules as the web (interview_start_refusal, label_terms) and
    saves the interview and its label with their history; answers are written in batches
    with bulk_create_with_history, the helper interview_save_step uses, so that 1,300
    benchmarkings of 36 answers take one INSERT per ~70 answers, not one per answer.
    """

    def __init__(self, *, filename: str, user):
        self.filename, self.user = filename, user
        self.clusters = {(c.name_folded, c.country.code): c for c in Cluster.objects.select_related("portfolio")}
        self.slugs = set(Cluster.objects.values_list("slug", flat=True))
        self.label_codes = set(Label.objects.values_list("code", flat=True))
        imported = ImportedBenchmarking.objects.exclude(report_code="")
        self.report_codes = set(imported.values_list("report_code", flat=True))
        self.interview_days = set(Interview.objects.values_list("cluster__name_folded", "cluster__country", "date"))
        self.pending_answers: list[Answer] = []
        self.records: list[ImportedBenchmarking] = []
        self.labelled: set[int] = set()  # clusters whose public label facts need a refresh

    def already_imported(self, ident: Identity) -> str | None:
        if ident.report_code and ident.report_code in self.report_codes:
            return gettext("report %(code)s was imported before") % {"code": ident.report_code}
        if (fold(ident.cluster_name), ident.country, ident.date) in self.interview_days:
            return gettext("%(cluster)s already has an interview on %(date)s") % {
                "cluster": ident.cluster_name,
                "date": ident.date.isoformat(),
            }
        return None

    def cluster(self, ident: Identity) -> Cluster:
        key = (fold(ident.cluster_name), ident.country)
        existing = self.clusters.get(key)
        if existing:
            if existing.portfolio_id != ident.portfolio.pk:
                raise _RowProblem(
                    "portfolio",
                    gettext("%(cluster)s is in the portfolio %(portfolio)s")
                    % {"cluster": existing, "portfolio": existing.portfolio},
                )
            return existing
        base = slugify(ident.cluster_name)[:240] or ident.country.lower()
        slug, n = base, 1
        while slug in self.slugs:
            n += 1
            slug = f"{base}-{n}"
        cluster = Cluster(
            name=ident.cluster_name, country=ident.country, portfolio=ident.portfolio, website=ident.website, slug=slug
        )
        cluster.full_clean(validate_unique=False)  # the slug is unique by construction
        cluster.save()
        self.slugs.add(slug)
        self.clusters[key] = cluster
        return cluster

    def label(self, ident: Identity, cluster: Cluster, interview: Interview) -> None:
        try:
            terms = label_terms(cluster=cluster, level=Label.Level.BRONZE, benchmarked_on=ident.date)
        except LabelError as exc:
            raise _RowProblem("label_code", str(exc)) from exc
        if ident.label_code in self.label_codes:
            raise _RowProblem("label_code", gettext("another label has this code"))
        label = Label(
            cluster=cluster,
            level=Label.Level.BRONZE,
            code=ident.label_code,
            benchmarked_on=ident.date,
            awarded_on=ident.date,
            valid_from=terms.valid_from,
            valid_until=terms.valid_until,
            renews=terms.renews,
            source=Label.Source.IMPORT,
            interview=interview,
        )
        label._history_user = self.user
        label.save()
        self.label_codes.add(label.code)
        self.labelled.add(cluster.pk)

    def write(self, row: int, ident: Identity, values: dict) -> None:
        """The row's cluster (if new), approved interview and label now; its answers with the next batch."""
        with transaction.atomic():  # a savepoint: a refused row leaves nothing behind
            cluster = self.cluster(ident)
            refusal = interview_start_refusal(expert=ident.expert, cluster=cluster, date=ident.date)
            if refusal:
                raise _RowProblem("expert", refusal)
            reason = f"Imported from {self.filename}, row {row}"
            now = timezone.now()
            interview = Interview(
                cluster=cluster,
                expert=ident.expert,
                catalogue=ident.catalogue,
                date=ident.date,
                mode=Interview.Mode.VIDEO if ident.date >= VIDEO_SINCE else Interview.Mode.ON_SITE,
                interviewee_name=NOT_RECORDED,
                interviewee_role=NOT_RECORDED,
                status=Interview.Status.APPROVED,  # approved by the earlier secretariat
                submitted_at=now,
                decided_at=now,
                decided_by=self.user,
                decision_reason=reason,
            )
            interview._history_user = self.user
            interview._change_reason = reason[:100]
            interview.save()
            if ident.label_code:
                self.label(ident, cluster, interview)
        self.pending_answers += [
            Answer(interview=interview, indicator=indicator, updated_at=now, **fields)
            for indicator, fields in values.items()
        ]
        self.records.append(
            ImportedBenchmarking(
                interview=interview, report_code=ident.report_code, source_file=self.filename, source_row=row,
                imported_by=self.user,
            )
        )
        self.interview_days.add((fold(ident.cluster_name), ident.country, ident.date))
        if ident.report_code:
            self.report_codes.add(ident.report_code)
        if len(self.records) % ANSWER_BATCH == 0:
            self.flush()

    def flush(self) -> None:
        if self.pending_answers:
            bulk_create_with_history(
                self.pending_answers, Answer, default_user=self.user,
                default_change_reason=f"Imported from {self.filename}",
            )
            self.pending_answers = []

    def finish(self) -> None:
        self.flush()
        ImportedBenchmarking.objects.bulk_create(self.records)
        label_facts_refresh(self.labelled)  # the public list's facts, like every label path
        peer_values_refresh({record.interview.cluster_id for record in self.records})  # the reports' peers


# --- The import --------------------------------------------------------------------------------


def legacy_import(*, content: bytes, filename: str, user=None, dry_run: bool = True) -> ImportResult:
    """Check every row, and write them all only if none has an error and this is not a dry run."""
    result = ImportResult(filename=filename, dry_run=dry_run)
    header, rows = read_table(content, filename)
    catalogues, lookups = _Catalogues(), _Lookups()
    result.errors = header_errors(header, catalogues)
    if result.errors:
        return result
    checked = []
    keys: dict[tuple, int] = {}
    for row, cells in rows:
        result.rows += 1
        ident, errors = read_identity(row, cells, catalogues, lookups)
        values = {}
        if ident.catalogue is not None:
            values, answer_errors = read_answers(row, cells, ident, catalogues.of(ident.catalogue))
            errors += answer_errors
        key = (fold(ident.cluster_name), ident.country, ident.date)
        if key in keys:
            same = gettext("row %(row)s has the same cluster and date") % {"row": keys[key]}
            errors.append(RowError(row, "interview_date", cells.get("interview_date", ""), same))
        keys.setdefault(key, row)
        result.errors += errors
        if not errors:
            checked.append((row, ident, values))
    try:
        with transaction.atomic():
            writer = _Writer(filename=filename, user=user)
            # Oldest first, so that a later label renews an earlier one as the rules say.
            for row, ident, values in sorted(checked, key=lambda r: (r[1].date, r[0])):
                skip = writer.already_imported(ident)
                if skip:
                    result.skipped.append((row, skip))
                    continue
                try:
                    writer.write(row, ident, values)
                    result.created += 1
                except _RowProblem as problem:
                    value = {"label_code": ident.label_code, "portfolio": str(ident.portfolio),
                             "expert": ident.expert.accreditation_number, "cluster": ident.cluster_name}
                    result.errors.append(RowError(row, problem.column, value.get(problem.column, ""), problem.reason))
            writer.finish()
            if not result.committed:
                raise _Rollback
    except _Rollback:
        pass
    result.errors.sort(key=lambda e: e.row)
    return result
