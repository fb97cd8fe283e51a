"""Import of legacy benchmarkings from CSV or XLSX (issue 12).

The format is the wide analysis export's (codebook.IDENTITY, then one column per variable:
see variables.py and docs/legacy-import.md). This module checks the file, which
legacy_files.py reads: every row goes through the rules of the web forms (the interview
step's sub-forms judge each answer and give its Answer columns). The rows that pass are written by the import's service,
exchange/services/legacy_import.py (`legacy_import`), under the web services' rules, each
write with its history: `interview_start_refusal` for every row, whether its cluster exists or
the import creates it (the renewal rule over the cluster's labels, the ones the import plans
included, and the recommendations waiting for the board), and `label_terms` for each label.

A run validates every row and reports every problem (row, column, value, reason). It writes
nothing unless the whole file is clean: a dry run, or a file with errors, is rolled back.
Importing a file twice creates nothing new: a row whose report code was imported before, or
whose cluster already has an interview on that date, is skipped.
"""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django_countries import countries

from benchmarking.forms.indicators import IndicatorForm, indicator_form_class
from benchmarking.models import Answer, Catalogue, Expert, Indicator, Interview, Label
from benchmarking.selectors.labels import normalise_code
from clusters.models import Cluster, ComparativePortfolio
from clusters.text import fold
from exchange.codebook import IDENTITY
from exchange.legacy_files import HEADER_ROW
from exchange.models import ImportedBenchmarking
from exchange.variables import CellError, decode, indicator_variables

REQUIRED = ["cluster", "country", "portfolio", "expert", "interview_date", "catalogue_version"]
NOT_RECORDED = "Not recorded (imported)"


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


# --- Checking the header and the identity columns ----------------------------------------------


class Catalogues:
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


def header_errors(header: list[str], catalogues: Catalogues) -> list[RowError]:
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


class Lookups:
    """Portfolios and experts, read once per import."""

    def __init__(self):
        portfolios = list(ComparativePortfolio.objects.all())
        # The name in any of the site's languages (the file's language is not the reader's).
        self.portfolios = {
            fold(name): p
            for p in portfolios
            for name in (getattr(p, f"name_{code}", "") for code in settings.MODELTRANSLATION_LANGUAGES)
            if name
        } | {p.slug: p for p in portfolios}
        self.experts: dict[str, Expert | None] = {}

    def expert(self, number: str) -> Expert | None:
        if number not in self.experts:
            self.experts[number] = Expert.objects.filter(accreditation_number=number).first()
        return self.experts[number]


def read_identity(row: int, cells: dict, catalogues: Catalogues, lookups: Lookups) -> tuple[Identity, list]:
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


def _frozen(data: dict) -> tuple:
    return tuple(sorted((name, tuple(v) if isinstance(v, list) else v) for name, v in data.items()))


class Judges:
    """The interview step's sub-forms as the import asks them, for one step of rows: a form per
    indicator built once and bound to each row's input (IndicatorForm.bound_again), and each
    verdict by indicator, input and interview date (all that a sub-form reads): a legacy file
    repeats many cells (NA, yes/no, a choice's code), and the same input gets the same verdict."""

    def __init__(self):
        self.forms: dict[int, IndicatorForm] = {}
        self.verdicts: dict[tuple, IndicatorForm] = {}

    def judged(self, indicator: Indicator, data: dict, interview: Interview) -> IndicatorForm:
        key = (indicator.pk, interview.date, _frozen(data))
        form = self.verdicts.get(key)
        if form is None:
            if indicator.pk not in self.forms:
                self.forms[indicator.pk] = indicator_form_class(indicator)(
                    indicator=indicator, interview=interview, from_file=True
                )
            bound = {f"{indicator.code}-{name}": value for name, value in data.items()}
            form = self.forms[indicator.pk].bound_again(bound, interview=interview)
            form.is_valid()
            self.verdicts[key] = form
        return form


def read_answers(row: int, cells: dict, ident: Identity, indicators: list[Indicator], judges: Judges | None = None):
    """{indicator: Answer columns} for the row, and the errors; every indicator must be answered.

    `judges`: the forms of the rows checked before in this step (a new one otherwise).
    """
    judges = judges or Judges()
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
        form = judges.judged(indicator, data, interview)
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


# --- What the check keeps: each clean row's values, for the dry run and the apply ---------------
#
# A row is read by the forms' rules once (above); what they found is stored on its ImportRow
# (`values`, JSON) and the write rules (services/legacy_import.py) are asked of that, so the
# dry run and the apply never read the cells again. The records it names are kept by primary
# key and read again when written: an expert, portfolio or catalogue changed since the check
# is judged as it is then (accreditation, portfolio), and a catalogue whose indicators changed
# refuses the row (its answers were judged by the indicators as they were).

ANSWER_FIELDS = {f.attname: f for f in Answer._meta.concrete_fields}


def checked_values(ident: Identity, answers: dict) -> dict:
    """The JSON a clean row keeps: its identity (records by primary key) and its Answer columns."""
    return {
        "report_code": ident.report_code,
        "label_code": ident.label_code,
        "cluster": ident.cluster_name,
        "country": ident.country,
        "portfolio": ident.portfolio.pk,
        "website": ident.website,
        "expert": ident.expert.pk,
        "date": ident.date.isoformat(),
        "catalogue": ident.catalogue.pk,
        "answers": {str(indicator.pk): fields for indicator, fields in answers.items()},
    }


def catalogue_fingerprint(catalogue_id: int) -> str:
    """A digest of a catalogue's row and its indicators' rows: what the forms judged the answers by."""
    names = [f.attname for f in Indicator._meta.concrete_fields]
    indicators = Indicator.objects.filter(catalogue_id=catalogue_id).order_by("pk").values_list(*names)
    catalogue = Catalogue.objects.filter(pk=catalogue_id).values_list()
    return hashlib.sha256(repr((list(catalogue), list(indicators))).encode()).hexdigest()[:32]


class StoredRecords:
    """The records a batch's stored values name, read once a batch, and the catalogues' state
    against the one the rows were checked by (`checked`: {catalogue id: fingerprint})."""

    def __init__(self, values: list[dict], checked: dict):
        self.experts = Expert.objects.select_related("user").in_bulk({v["expert"] for v in values})
        self.portfolios = ComparativePortfolio.objects.in_bulk({v["portfolio"] for v in values})
        self.catalogues = Catalogue.objects.in_bulk({v["catalogue"] for v in values})
        self.changed = {pk for pk in self.catalogues if checked.get(str(pk)) != catalogue_fingerprint(pk)}

    def identity(self, values: dict) -> tuple[Identity, list[tuple[str, str, str]]]:
        """The row's Identity, and [column, value, reason] for what changed since the check."""
        ident = Identity(
            report_code=values["report_code"],
            label_code=values["label_code"],
            cluster_name=values["cluster"],
            country=values["country"],
            portfolio=self.portfolios.get(values["portfolio"]),
            website=values["website"],
            expert=self.experts.get(values["expert"]),
            date=datetime.date.fromisoformat(values["date"]),
            catalogue=self.catalogues.get(values["catalogue"]),
        )
        gone = gettext("deleted since the file was checked: check the file again")
        problems = [
            [column, "", gone]
            for column, record in (("portfolio", ident.portfolio), ("expert", ident.expert))
            if record is None
        ]
        if ident.catalogue is None or ident.catalogue.pk in self.changed:
            problems.append(
                [
                    "catalogue_version",
                    ident.catalogue.version if ident.catalogue else "",
                    gettext("the catalogue changed since the file was checked: check the file again"),
                ]
            )
        return ident, problems


def stored_answers(values: dict) -> dict[int, dict]:
    """{indicator id: Answer columns} as the check found them, each value its field's type again."""
    return {
        int(pk): {name: ANSWER_FIELDS[name].to_python(value) for name, value in fields.items()}
        for pk, fields in values["answers"].items()
    }
