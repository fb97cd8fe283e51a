"""Reads for the open data: the label statistics.

Only label facts and counts, never an answer of an interview. Every count of clusters with a
valid label reads the clusters' timelines of current labels (benchmarking.models.CurrentLabelPeriod,
kept by the label services): a cluster counts once, at the level of its current label
(models.current_label), on the day counted. The facts are those the database records today: a
label suspended or withdrawn since is not valid in earlier years either, as on the public list.

Each table is one SQL aggregate (grouped counts, conditional counts per year), so the work grows
with the number of periods and labels in the database's own scans, never with Python loops over
clusters: one scan of the labels (awarded per year), one of the valid periods (valid at each
year's end), one of the listed clusters left-joined to the period that holds today. No period is
joined to its label: it carries its label's level. The result is cached until a cluster changes
(like directory.selectors.overview).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Case, Count, FilteredRelation, IntegerField, Max, Min, Q, Value, When
from django.utils import timezone
from django.utils.translation import get_language
from django_countries.fields import Country

from benchmarking.models import CurrentLabelPeriod, Label, current_label_on
from benchmarking.selectors.public_status import PublicStatus
from clusters.models import Cluster, ComparativePortfolio
from directory.selectors import listed_clusters
from ecei_site.translated import localized

LEVELS = [Label.Level.BRONZE.value, Label.Level.SILVER.value, Label.Level.GOLD.value]
CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class LevelCounts:
    bronze: int = 0
    silver: int = 0
    gold: int = 0

    @classmethod
    def of(cls, counts: dict) -> "LevelCounts":
        return cls(**{level: counts.get(level, 0) for level in LEVELS})

    @property
    def total(self) -> int:
        return self.bronze + self.silver + self.gold

    def as_list(self) -> list[int]:
        return [self.bronze, self.silver, self.gold]


@dataclass(frozen=True)
class YearRow:
    year: int
    day: datetime.date  # 31 December, or today for the current year
    valid: LevelCounts  # clusters holding a valid label on `day`, by the level of their current label
    awarded: LevelCounts  # labels awarded in the year


@dataclass(frozen=True)
class GroupRow:
    key: str
    name: str
    valid: LevelCounts
    listed: int = 0  # clusters of the public database in the group (with a label, valid or not)

    @property
    def share(self) -> float | None:
        """The share of the group's listed clusters holding a valid label today, in percent."""
        return 100 * self.valid.total / self.listed if self.listed else None


@dataclass(frozen=True)
class Statistics:
    today: datetime.date
    valid: LevelCounts  # clusters with a valid label today
    listed: int  # clusters in the public database
    labels: int  # labels ever awarded
    first_year: int | None
    years: list[YearRow] = field(default_factory=list)
    countries: list[GroupRow] = field(default_factory=list)
    portfolios: list[GroupRow] = field(default_factory=list)

    @property
    def countries_with_valid(self) -> int:
        return sum(1 for row in self.countries if row.valid.total)


def statistics(today: datetime.date | None = None) -> Statistics:
    """The statistics, from the cache while no cluster has changed since (one indexed MAX())."""
    today = today or timezone.localdate()
    last = Cluster.objects.aggregate(changed=Max("updated_at"), pk=Max("pk"))
    changed = last["changed"].timestamp() if last["changed"] else 0
    key = f"opendata.statistics.{get_language()}.{today.isoformat()}.{changed}.{last['pk']}"
    return cache.get_or_set(key, lambda: compute_statistics(today), timeout=CACHE_SECONDS)


def compute_statistics(today: datetime.date) -> Statistics:
    """Five queries whatever the number of clusters (opendata/tests/test_statistics.py recounts them)."""
    awarded, first_year = _awarded_per_year()
    years = _year_ends(first_year, today)
    valid_at = _valid_at(years) if years else {}
    year_rows = [
        YearRow(year, day, LevelCounts.of(valid_at.get(year, {})), LevelCounts.of(awarded.get(year, {})))
        for year, day in years
    ]
    by_country, by_portfolio = _groups(today)
    countries = sorted(
        (
            GroupRow(code, str(Country(code).name), LevelCounts.of(tally.valid), tally.listed)
            for code, tally in by_country.items()
        ),
        key=lambda row: row.name,
    )
    portfolio_names = ComparativePortfolio.objects.values_list("pk", "slug", localized("name"))
    portfolios = sorted(
        (
            GroupRow(slug, name, LevelCounts.of(by_portfolio[pk].valid), by_portfolio[pk].listed)
            for pk, slug, name in portfolio_names
            if pk in by_portfolio
        ),
        key=lambda row: row.name,
    )
    total_valid = defaultdict(int)
    for tally in by_country.values():
        for level, n in tally.valid.items():
            total_valid[level] += n
    return Statistics(
        today=today,
        valid=LevelCounts.of(total_valid),
        listed=sum(tally.listed for tally in by_country.values()),
        labels=sum(sum(counts.values()) for counts in awarded.values()),
        first_year=first_year,
        years=year_rows,
        countries=countries,
        portfolios=portfolios,
    )


def _awarded_per_year() -> tuple[dict, int | None]:
    """{year: {level: labels awarded}} and the first year of any label (its start or award): the
    first and last days at the ends of two indexes, then one scan of the labels grouped by level
    and year."""
    first = Label.objects.aggregate(start=Min("valid_from"), award=Min("awarded_on"), last=Max("awarded_on"))
    if first["award"] is None:
        return {}, None
    first_year = min(first["start"], first["award"]).year
    # The year of the award, as the first year-end on or after it: plain comparisons of dates in
    # one CASE (no date function per row; cheaper than a conditional count per year).
    award_year = Case(
        *(
            When(awarded_on__lte=datetime.date(year, 12, 31), then=Value(year))
            for year in range(first["award"].year, first["last"].year + 1)
        ),
        output_field=IntegerField(),
    )
    rows = Label.objects.order_by().annotate(year=award_year).values_list("year", "level").annotate(n=Count("pk"))
    awarded = defaultdict(dict)
    for year, level, n in rows:
        awarded[year][level] = n
    return dict(awarded), first_year


def _year_ends(first_year: int | None, today: datetime.date) -> list[tuple[int, datetime.date]]:
    """(year, day counted): 31 December of every year since the first label, today for this year."""
    if first_year is None:
        return []
    return [
        (year, datetime.date(year, 12, 31) if year < today.year else today)
        for year in range(first_year, today.year + 1)
    ]


def _valid_at(years: list[tuple[int, datetime.date]]) -> dict:
    """{year: {level: clusters whose current label is valid on that year's day}}: one scan of the
    valid periods, grouped by their level, with a conditional count per year (plain comparisons
    of dates: no date function per row, which SQLite would call in Python)."""
    first_day, last_day = years[0][1], years[-1][1]
    counts = {f"y{year}": Count("pk", filter=Q(**current_label_on(day))) for year, day in years}
    rows = (
        CurrentLabelPeriod.objects.filter(status=PublicStatus.VALID, starts_on__lte=last_day, ends_on__gte=first_day)
        .order_by()
        .values("level")
        .annotate(**counts)
    )
    return {year: {row["level"]: row[f"y{year}"] for row in rows} for year, _day in years}


@dataclass
class _Tally:
    listed: int = 0  # clusters of the public database
    valid: dict = field(default_factory=lambda: defaultdict(int))  # of them, those valid today: {level: n}


def _groups(today: datetime.date) -> tuple[dict, dict]:
    """{country: _Tally}, {portfolio id: _Tally}: one scan of the listed clusters, each joined to
    the period that holds today if it is valid (the index on the periods' days). A cluster has one
    period on a day, so it counts once; a cluster with periods has labels, so it is listed."""
    held = "current_label_periods__"
    valid_today = FilteredRelation(
        "current_label_periods", condition=Q(**{f"{held}status": PublicStatus.VALID}, **current_label_on(today, held))
    )
    rows = (
        listed_clusters()
        .order_by()
        .annotate(valid_today=valid_today)
        .values_list("country", "portfolio_id", "valid_today__level")
        .annotate(n=Count("*"))
    )
    by_country, by_portfolio = defaultdict(_Tally), defaultdict(_Tally)
    for country, portfolio, level, n in rows:
        for tally in (by_country[country], by_portfolio[portfolio]):
            tally.listed += n
            if level is not None:  # a cluster without a valid label today has no period in the join
                tally.valid[level] += n
    return by_country, by_portfolio
