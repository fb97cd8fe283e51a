"""The codebook of a catalogue version, like REDCap's data dictionary.

One row per variable of the analysis export (variables.py): the identifying columns first,
then one row per indicator or part with its category, wording, kind, unit, options with
their codes, bounds, warning bounds, direction and the missing-value codes.
"""

from collections.abc import Iterator

from benchmarking.kinds import kind_of
from benchmarking.models import Catalogue, Indicator
from ecei_site.numbers import plain_number
from exchange.variables import catalogue_variables, missing_codes_text, value_labels

COLUMNS = [
    "variable",
    "indicator",
    "part",
    "category",
    "category_title",
    "wording",
    "kind",
    "unit",
    "options",
    "min",
    "max",
    "warn_below",
    "warn_above",
    "direction",
    "missing_codes",
]

# The columns before the answers, in the wide export and in the legacy import format.
IDENTITY = [
    ("report_code", "Code of the benchmarking report, as issued (legacy codes kept as they were)"),
    ("label_code", "Code of the label awarded for this benchmarking"),
    ("cluster", "Name of the cluster"),
    ("country", "Country of the cluster, ISO 3166 alpha-2 code"),
    ("portfolio", "Comparative portfolio"),
    ("website", "Website of the cluster"),
    ("expert", "Accreditation number of the benchmarking expert"),
    ("interview_date", "Date of the interview, YYYY-MM-DD"),
    ("catalogue_version", "Version of the indicator catalogue the interview used"),
]


def catalogue_indicators(catalogue: Catalogue) -> list[Indicator]:
    return list(
        Indicator.objects.filter(catalogue=catalogue)
        .select_related("category")
        .order_by("category__order", "category__code", "order", "code")
    )


def _bound(value) -> str:
    return "" if value is None else plain_number(value)


def codebook_rows(catalogue: Catalogue, indicators: list[Indicator] | None = None) -> Iterator[list[str]]:
    """The codebook's rows (without the header), identity columns first."""
    for name, meaning in IDENTITY:
        yield [name, "", "", "", "", meaning, "identifier"] + [""] * (len(COLUMNS) - 7)
    missing = missing_codes_text()
    for variable in catalogue_variables(indicators if indicators is not None else catalogue_indicators(catalogue)):
        ind = variable.indicator
        kind = kind_of(ind)
        yield [
            variable.name,
            ind.code,
            variable.part or "",
            ind.category.code,
            ind.category.title,
            variable.label,
            ind.kind,
            kind.unit(ind),
            "" if variable.part else value_labels(ind),
            *map(_bound, kind.hard_bounds(ind)),
            _bound(ind.soft_min),
            _bound(ind.soft_max),
            ind.direction,
            missing,
        ]
