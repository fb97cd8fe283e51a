"""The analysis export: every approved answer of one catalogue version, wide or long.

Rows are read in batches (interviews with QuerySet.iterator(), then the answers of each
batch in one query), so memory stays the same whatever the number of interviews, and the
number of queries grows by two per BATCH_SIZE interviews, never per row.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from benchmarking.kinds import VALUE_COLUMNS, kind_of
from benchmarking.models import Answer, Catalogue, Indicator, Interview, Label, Report
from clusters.models import ComparativePortfolio
from exchange.codebook import IDENTITY
from exchange.variables import MISSING_CODES, catalogue_variables, encode, indicator_variables

BATCH_SIZE = 500
ANSWER_COLUMNS = (*VALUE_COLUMNS, "missing_reason")
LONG_HEADER = [
    "report_code",
    "cluster",
    "country",
    "portfolio",
    "interview_date",
    "catalogue_version",
    "indicator",
    "part",
    "variable",
    "value",
    "value_label",
    "missing_code",
]


@dataclass(frozen=True)
class AnalysisFilter:
    catalogue: Catalogue
    country: str = ""
    portfolio: ComparativePortfolio | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def approved_interviews(spec: AnalysisFilter) -> QuerySet[Interview]:
    """Approved interviews of the filter, oldest first, with their report and label codes."""
    interviews = Interview.objects.filter(status=Interview.Status.APPROVED, catalogue=spec.catalogue)
    if spec.country:
        interviews = interviews.filter(cluster__country=spec.country)
    if spec.portfolio:
        interviews = interviews.filter(cluster__portfolio=spec.portfolio)
    if spec.date_from:
        interviews = interviews.filter(date__gte=spec.date_from)
    if spec.date_to:
        interviews = interviews.filter(date__lte=spec.date_to)
    first_report = Report.objects.filter(interview=OuterRef("pk")).order_by("version")
    label = Label.objects.filter(interview=OuterRef("pk")).order_by("pk")
    return (
        interviews.select_related("cluster__portfolio", "expert", "catalogue")
        .annotate(
            report_code=Coalesce("imported__report_code", Subquery(first_report.values("code")[:1])),
            label_code=Subquery(label.values("code")[:1]),
        )
        .order_by("date", "pk")
    )


def identity_cells(interview: Interview) -> list[str]:
    """The identity columns (codebook.IDENTITY) of one interview."""
    cluster = interview.cluster
    cells = {
        "report_code": interview.report_code or "",
        "label_code": interview.label_code or "",
        "cluster": cluster.name,
        "country": cluster.country.code,
        "portfolio": cluster.portfolio.name,
        "website": cluster.website,
        "expert": interview.expert.accreditation_number,
        "interview_date": interview.date.isoformat(),
        "catalogue_version": interview.catalogue.version,
    }
    return [cells[name] for name, _ in IDENTITY]


def _batches(queryset: QuerySet) -> Iterator[list]:
    batch = []
    for item in queryset.iterator(chunk_size=BATCH_SIZE):
        batch.append(item)
        if len(batch) == BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


def _answers_of(interviews: list[Interview]) -> dict[int, dict[int, SimpleNamespace]]:
    """{interview id: {indicator id: answer columns}} for one batch, in one query."""
    found: dict[int, dict[int, SimpleNamespace]] = {i.pk: {} for i in interviews}
    rows = Answer.objects.filter(interview__in=[i.pk for i in interviews]).order_by().values(
        "interview_id", "indicator_id", *ANSWER_COLUMNS
    )
    for row in rows:
        found[row["interview_id"]][row["indicator_id"]] = SimpleNamespace(**row)
    return found


def wide_header(indicators: list[Indicator]) -> list[str]:
    return [name for name, _ in IDENTITY] + [v.name for v in catalogue_variables(indicators)]


def wide_rows(spec: AnalysisFilter, indicators: list[Indicator]) -> Iterator[list[str]]:
    """One row per approved interview: identity columns, then one cell per variable."""
    variables = [(indicator, indicator_variables(indicator)) for indicator in indicators]
    for batch in _batches(approved_interviews(spec)):
        answers = _answers_of(batch)
        for interview in batch:
            mine = answers[interview.pk]
            cells = identity_cells(interview)
            for indicator, its_variables in variables:
                cells.extend(encode(indicator, mine.get(indicator.pk), its_variables).values())
            yield cells


def _value_label(indicator: Indicator, answer) -> str:
    if answer.missing_reason:
        return Answer.MissingReason(answer.missing_reason).label
    return kind_of(indicator).export_label(indicator, answer)


def long_rows(spec: AnalysisFilter, indicators: list[Indicator]) -> Iterator[list[str]]:
    """One row per answered variable (an answer of counts or shares gives one row per part)."""
    variables = [(indicator, indicator_variables(indicator)) for indicator in indicators]
    for batch in _batches(approved_interviews(spec)):
        answers = _answers_of(batch)
        for interview in batch:
            ident = identity_cells(interview)
            head = [ident[0], ident[2], ident[3], ident[4], ident[7], ident[8]]
            for indicator, its_variables in variables:
                answer = answers[interview.pk].get(indicator.pk)
                if answer is None:
                    continue
                missing = MISSING_CODES.get(answer.missing_reason, "")
                cells = encode(indicator, answer, its_variables)
                label = _value_label(indicator, answer)
                for variable in its_variables:
                    value = "" if missing else cells[variable.name]
                    yield [*head, indicator.code, variable.part or "", variable.name, value, label, missing]
