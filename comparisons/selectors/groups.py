"""A chosen comparison group and its figures: who is in it (never shown), and the cluster's
standing in it, computed like the report's (the same statistics, the same snapshot layout).

What may be shown is decided by comparisons.rules only; this module cuts the group from the
catalogue's columns (selectors.matrix) and asks the rules. Who may compare for a cluster is
selectors.access; the comparison laid out for the page and the PDF is selectors.layout.
"""

import hashlib
import zlib
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from benchmarking.models import Catalogue, CurrentLabelPeriod, Interview, Label, current_label_on
from benchmarking.selectors.public_status import PublicStatus
from benchmarking.selectors.reports.inputs import catalogue_indicators, load_report_inputs
from benchmarking.selectors.reports.peer_groups import PeerGroup
from benchmarking.selectors.reports.peers import (
    GroupData,
    OwnValues,
    gold_clusters,
)
from benchmarking.selectors.reports.snapshot import snapshot_from
from clusters.models import Cluster, ComparativePortfolio
from comparisons import rules
from comparisons.filters import GroupFilters, describe
from comparisons.models import Region, ShownGroup, SizeBand
from comparisons.selectors.access import compared_catalogues
from comparisons.selectors.matrix import Matrix, catalogue_matrix

KEY = "chosen"  # the group's key in the snapshot (the report's are portfolio, country, all, excellence)


# --- The group ---------------------------------------------------------------------------------


@dataclass
class Vocabulary:
    """The names the filters are chosen from and described with (a few small queries)."""

    regions: dict[int, Region]
    portfolios: dict[int, str]
    bands: dict[int, SizeBand]

    @classmethod
    def load(cls) -> "Vocabulary":
        return cls(
            regions={r.pk: r for r in Region.objects.all()},
            portfolios=dict(ComparativePortfolio.objects.values_list("pk", "name")),
            bands={b.pk: b for b in SizeBand.objects.all()},
        )


def group_mask(matrix: Matrix, filters: GroupFilters, vocabulary: Vocabulary, code_ids: dict[str, int], *, today):
    """The members the filters choose, as a mask over the catalogue's members (1 query with a label filter)."""
    mask = np.ones(matrix.size, dtype=bool)
    countries = set(filters.countries)
    for pk in filters.regions:
        countries |= set(vocabulary.regions[pk].countries)
    if countries:
        mask &= np.isin(matrix.country, sorted(countries))
    if filters.portfolios:
        mask &= np.isin(matrix.portfolio, filters.portfolios)
    if filters.years:
        mask &= np.isin(matrix.year, filters.years)
    by_measure: dict[str, np.ndarray] = {}
    rows = {key: row for row, key in enumerate(matrix.series)}
    for pk in filters.bands:
        band = vocabulary.bands[pk]
        row = rows.get((code_ids.get(band.indicator_code), ""))
        inside = np.zeros(matrix.size, dtype=bool)
        if row is not None:
            values = matrix.numbers[row]
            with np.errstate(invalid="ignore"):
                inside = np.ones(matrix.size, dtype=bool) & ~np.isnan(values)
                if band.lower is not None:
                    inside &= values >= float(band.lower)
                if band.upper is not None:
                    inside &= values < float(band.upper)
        by_measure[band.measure] = by_measure.get(band.measure, np.zeros(matrix.size, dtype=bool)) | inside
    for inside in by_measure.values():
        mask &= inside
    if filters.levels or filters.statuses:
        periods = CurrentLabelPeriod.objects.filter(**current_label_on(today))
        if filters.levels:
            periods = periods.filter(label__level__in=filters.levels)
        if filters.statuses:
            periods = periods.filter(status__in=filters.statuses)
        mask &= matrix.mask_of(periods.values_list("cluster_id", flat=True))
    return mask


def fixed_groups(matrix: Matrix, cluster: Cluster, *, today) -> list[np.ndarray]:
    """The report's four groups for the cluster, as they stand today (shown to it in every report)."""
    everyone = np.ones(matrix.size, dtype=bool)
    return [
        everyone,
        matrix.portfolio == cluster.portfolio_id,
        matrix.country == str(cluster.country),
        matrix.mask_of(gold_clusters(today)),
    ]


def encode_members(ids: np.ndarray) -> bytes:
    return zlib.compress(np.asarray(ids, dtype="<i8").tobytes(), 1)


def decode_members(data: bytes) -> np.ndarray:
    return np.frombuffer(zlib.decompress(bytes(data)), dtype="<i8")


def fingerprint_of(catalogue_id: int, ids: np.ndarray) -> str:
    return hashlib.sha256(f"{catalogue_id}:".encode() + np.asarray(ids, dtype="<i8").tobytes()).hexdigest()


def shown_groups(matrix: Matrix, cluster: Cluster) -> list[np.ndarray]:
    """The groups already shown for the cluster on the catalogue (1 query)."""
    rows = ShownGroup.objects.filter(cluster=cluster, catalogue_id=matrix.catalogue_id).values_list(
        "members", flat=True
    )
    return [matrix.mask_of(decode_members(data)) for data in rows]


# --- The comparison ------------------------------------------------------------------------------


@dataclass
class ChosenGroup(PeerGroup):
    """The chosen group as the report's statistics see it; its title is the comparison's."""

    heading: str = ""

    @property
    def title(self) -> str:
        return self.heading


@dataclass
class Comparison:
    """A comparison's outcome: figures, or a refusal; the members' ids only for the record."""

    cluster: Cluster
    catalogue: Catalogue
    filters: GroupFilters
    described: list[tuple[str, str]]
    size: int = 0
    refusal: rules.Refusal | None = None
    snapshot: dict | None = None
    withheld: int = 0
    members: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64), repr=False)
    fingerprint: str = ""
    guarded: bool = True

    @property
    def is_shown(self) -> bool:
        return self.refusal is None and self.snapshot is not None


class NotComparable(ValueError):
    """The cluster has no approved benchmarking on the catalogue asked for: nothing to stand."""


def choose_catalogue(cluster: Cluster, filters: GroupFilters) -> Catalogue:
    catalogues = compared_catalogues(cluster)
    if not catalogues:
        raise NotComparable(_("Your cluster has no approved benchmarking yet: there is nothing to compare."))
    if filters.catalogue is None:
        return catalogues[0]
    chosen = next((c for c in catalogues if c.pk == filters.catalogue), None)
    if chosen is None:
        raise NotComparable(_("Your cluster has no approved benchmarking on this catalogue version."))
    return chosen


def described(filters: GroupFilters, vocabulary: Vocabulary) -> list[tuple[str, str]]:
    from django_countries import countries

    return describe(
        filters,
        regions={pk: r.name for pk, r in vocabulary.regions.items()},
        portfolios=vocabulary.portfolios,
        bands={pk: str(b) for pk, b in vocabulary.bands.items()},
        levels=dict(Label.Level.choices),
        statuses={code: _(name) for code, name in PublicStatus.CHOICES},
        countries=dict(countries),
    )


def compare(cluster: Cluster, filters: GroupFilters, *, guarded: bool, today=None, vocabulary=None) -> Comparison:
    """The cluster's standing in the group its filters choose, or why it is refused (reads only:
    services.comparison_make records it, under the cluster's lock)."""
    today = today or timezone.localdate()
    vocabulary = vocabulary or Vocabulary.load()
    catalogue = choose_catalogue(cluster, filters)
    filters.catalogue = catalogue.pk
    result = Comparison(cluster, catalogue, filters, described(filters, vocabulary), guarded=guarded)
    matrix = catalogue_matrix(catalogue.pk)
    indicators = catalogue_indicators(catalogue)
    code_ids = {i.code: i.pk for i in indicators}
    own = matrix.index_of(cluster.pk)
    mask = group_mask(matrix, filters, vocabulary, code_ids, today=today)
    others = np.ones(matrix.size, dtype=bool)
    if own is not None:
        others[own] = False
    mask &= others
    result.size = int(mask.sum())
    result.members = matrix.ids[mask]
    result.fingerprint = fingerprint_of(catalogue.pk, result.members)
    result.refusal = rules.size_refusal(result.size)
    if result.refusal:
        return result
    withheld = np.zeros(len(matrix.series) + len(matrix.option_indicators), dtype=bool)
    if guarded:
        shown = [group & others for group in fixed_groups(matrix, cluster, today=today)]
        shown += [group & others for group in shown_groups(matrix, cluster)]
        result.refusal = rules.differencing_refusal(mask, shown)
        if result.refusal:
            return result
        withheld = rules.withheld_figures(mask, shown, matrix.contributors())
    result.withheld = int(withheld.sum())
    interview = Interview(pk=catalogue.compared_interview_id)
    inputs = load_report_inputs(interview, indicators=indicators, rules=[])
    group = _group(matrix, mask, withheld, indicators, cluster, result.size)
    result.snapshot = snapshot_from(inputs, [group], today=today)
    _mark_withheld(result.snapshot, matrix, withheld, {i.pk: i.code for i in indicators})
    return result


def _heading(size: int) -> str:
    return ngettext("Your group: %(n)s other cluster", "Your group: %(n)s other clusters", size) % {"n": size}


def _group(matrix, mask, withheld, indicators, cluster, size) -> ChosenGroup:
    """The group's values as the report's statistics read them (GroupData), withheld figures left out."""
    code = {i.pk: i.code for i in indicators}
    at = np.flatnonzero(mask)
    numbers = {}
    for row, (indicator_id, name) in enumerate(matrix.series):
        if withheld[row]:
            continue
        values = matrix.numbers[row, at]
        values = np.sort(values[~np.isnan(values)])
        if len(values):
            numbers[(code[indicator_id], name)] = values.tolist()
    options = {}
    offset = len(matrix.series)
    for row, indicator_id in enumerate(matrix.option_indicators):
        if withheld[offset + row]:
            continue
        answering = int(np.count_nonzero(matrix.answered[row, at]))
        counts = Counter()
        for option, column in matrix.chosen.get(indicator_id, []):
            count = int(np.count_nonzero(column[at]))
            if count:
                counts[option] = count
        options[code[indicator_id]] = (counts, answering)
    data = GroupData(size=size, numbers=numbers, options=options)
    return ChosenGroup(KEY, cluster, data, OwnValues(), size, heading=_heading(size))


def _mark_withheld(snapshot: dict, matrix: Matrix, withheld: np.ndarray, code: dict[int, str]) -> None:
    """Say which figures the differencing rule withheld (instead of "fewer than 6 answered")."""
    numbers = {(code[i], name) for row, (i, name) in enumerate(matrix.series) if withheld[row]}
    offset = len(matrix.series)
    options = {code[i] for row, i in enumerate(matrix.option_indicators) if withheld[offset + row]}
    for category in snapshot["categories"]:
        for entry in category["indicators"]:
            for series in entry.get("series", []):
                series["withheld"] = (entry["code"], series["name"]) in numbers
            if "distribution" in entry:
                entry["distribution"]["withheld"] = entry["code"] in options


def language() -> str:
    return translation.get_language() or "en"
