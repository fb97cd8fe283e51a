"""The statistics recounted: compute_statistics (aggregates in SQL over the clusters' timelines of
current labels) against a plain Python count from the label rows themselves, written here
independently of models.current_label and of the timelines.

The dataset varies on purpose: every level and status (labels suspended, withdrawn, expired, not
yet valid), a higher level over a lower one, several countries, portfolios and years, periods
crossing year ends and starting or ending on 31 December or 1 January, a cluster without labels,
and labels that went through the service doors (award, suspension, withdrawal, reinstatement, the
import). The statistics are asked for several days: today, 31 December and 1 January of this year,
and two past year ends.
"""

import datetime
import random
from collections import Counter, defaultdict

import pytest
from django.utils import timezone

from benchmarking.models import Label
from benchmarking.rules.dates import add_years
from benchmarking.services import labels as label_services
from benchmarking.services.label_facts import label_facts_disagreements
from clusters.models import Cluster
from opendata.selectors import compute_statistics
from tests import factories

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)
RANK = {"bronze": 1, "silver": 2, "gold": 3}
COUNTRIES = ["DE", "ES", "FR", "PL"]


def _level_on(labels: list[dict], day: D) -> str | None:
    """The level a cluster counts at on `day`: its highest label that is active and within its dates."""
    valid = [
        row["level"] for row in labels if row["status"] == "active" and row["valid_from"] <= day <= row["valid_until"]
    ]
    return max(valid, key=RANK.get, default=None)


def _triple(counter: Counter) -> tuple[int, int, int]:
    return counter["bronze"], counter["silver"], counter["gold"]


def recount(today: D) -> dict:
    """The statistics' figures, counted in Python from the rows of the labels and clusters."""
    rows = list(Label.objects.values("cluster_id", "level", "status", "valid_from", "valid_until", "awarded_on"))
    by_cluster = defaultdict(list)
    for row in rows:
        by_cluster[row["cluster_id"]].append(row)
    first_year = min(min(row["valid_from"], row["awarded_on"]) for row in rows).year
    years = {}
    for year in range(first_year, today.year + 1):
        day = D(year, 12, 31) if year < today.year else today
        valid = Counter(_level_on(labels, day) for labels in by_cluster.values())
        awarded = Counter(row["level"] for row in rows if row["awarded_on"].year == year)
        years[year] = (day, _triple(valid), _triple(awarded))
    countries, portfolios = defaultdict(lambda: [Counter(), 0]), defaultdict(lambda: [Counter(), 0])
    for cluster in Cluster.objects.select_related("portfolio"):
        if cluster.pk not in by_cluster:
            continue  # not in the public database
        level = _level_on(by_cluster[cluster.pk], today)
        for group in (countries[cluster.country.code], portfolios[cluster.portfolio.slug]):
            group[0][level] += 1
            group[1] += 1
    everywhere = sum((counts for counts, _ in countries.values()), Counter())
    return {
        "valid": _triple(everywhere),
        "listed": len(by_cluster),
        "labels": len(rows),
        "first_year": first_year,
        "years": years,
        "countries": {key: (_triple(counts), listed) for key, (counts, listed) in countries.items()},
        "portfolios": {key: (_triple(counts), listed) for key, (counts, listed) in portfolios.items()},
    }


def figures(stats) -> dict:
    """The same shape, read from a Statistics."""
    return {
        "valid": tuple(stats.valid.as_list()),
        "listed": stats.listed,
        "labels": stats.labels,
        "first_year": stats.first_year,
        "years": {row.year: (row.day, tuple(row.valid.as_list()), tuple(row.awarded.as_list())) for row in stats.years},
        "countries": {row.key: (tuple(row.valid.as_list()), row.listed) for row in stats.countries},
        "portfolios": {row.key: (tuple(row.valid.as_list()), row.listed) for row in stats.portfolios},
    }


def _label(cluster, code: str, level: str, start: D, until: D, status: str = "active", award_shift: int = 20) -> Label:
    return factories.LabelFactory(
        cluster=cluster,
        code=code,
        level=level,
        benchmarked_on=start,
        awarded_on=start + datetime.timedelta(days=award_shift),
        valid_from=start,
        valid_until=until,
        status=status,
    )


def build(seed: int, staff_user) -> None:
    """About 30 clusters with random histories, then the edge cases and the service doors."""
    rng = random.Random(seed)
    today = timezone.localdate()
    portfolios = [
        factories.PortfolioFactory(slug=slug, name=name)
        for slug, name in [("ict", "ICT"), ("food", "Food industry"), ("energy", "Energy and environment")]
    ]
    span = (add_years(today, 1) - D(2015, 1, 1)).days
    n = 0
    for i in range(30):
        cluster = factories.ClusterFactory(country=COUNTRIES[i % 4], portfolio=portfolios[i % 3])
        for _ in range(rng.choice([0, 1, 1, 2, 3])):  # some clusters have no label at all
            start = D(2015, 1, 1) + datetime.timedelta(days=rng.randrange(span))
            edge = rng.random()
            if edge < 0.15:
                start = D(start.year, 12, 31)
            elif edge < 0.3:
                start = D(start.year, 1, 1)
            until = add_years(start, rng.choice([1, 2, 3])) - ONE_DAY
            if rng.random() < 0.2 and D(until.year, 12, 31) > start:
                until = D(until.year, 12, 31)
            status = rng.choices(["active", "suspended", "withdrawn"], weights=[8, 1, 1])[0]
            level = rng.choice(["bronze", "bronze", "silver", "gold"])
            n += 1
            _label(cluster, f"T{seed}X{n:04d}", level, start, until, status, award_shift=rng.randrange(-30, 60))
    ict, other = portfolios[0], portfolios[1]
    # A Gold over a Bronze (counts once, as Gold); a Silver over a suspended Gold (counts as Silver).
    both = factories.ClusterFactory(country="DE", portfolio=ict)
    _label(both, f"T{seed}E1", "bronze", D(2019, 3, 1), add_years(today, 1))
    _label(both, f"T{seed}E2", "gold", D(2021, 12, 31), add_years(today, 1) - ONE_DAY)
    mixed = factories.ClusterFactory(country="ES", portfolio=other)
    _label(mixed, f"T{seed}E3", "gold", D(2020, 1, 1), D(2022, 12, 31), status="suspended")
    _label(mixed, f"T{seed}E4", "silver", D(2020, 6, 1), D(2022, 5, 31))
    # Ending today, starting today, starting tomorrow (not yet valid), ended yesterday.
    edges = factories.ClusterFactory(country="FR", portfolio=ict)
    _label(edges, f"T{seed}E5", "bronze", today - datetime.timedelta(days=700), today)
    _label(edges, f"T{seed}E6", "silver", today, add_years(today, 2))
    later = factories.ClusterFactory(country="PL", portfolio=other)
    _label(later, f"T{seed}E7", "bronze", today + ONE_DAY, add_years(today, 2))
    _label(later, f"T{seed}E8", "gold", today - datetime.timedelta(days=400), today - ONE_DAY)
    # The doors that change a label after its award: suspension, withdrawal, reinstatement, the import.
    doors = factories.ClusterFactory(country="DE", portfolio=other)
    suspended = _label(doors, f"T{seed}E9", "gold", today - datetime.timedelta(days=100), add_years(today, 1))
    label_services.label_suspend(label=suspended, reason="Audit.", user=staff_user)
    withdrawn = _label(doors, f"T{seed}EA", "silver", today - datetime.timedelta(days=50), add_years(today, 1))
    label_services.label_withdraw(label=withdrawn, reason="Closed.", user=staff_user)
    reinstated = _label(doors, f"T{seed}EB", "bronze", today - datetime.timedelta(days=30), add_years(today, 1))
    label_services.label_suspend(label=reinstated, reason="Audit.", user=staff_user)
    label_services.label_reinstate(label=reinstated, reason="Cleared.", user=staff_user)
    imported = factories.ClusterFactory(country="ES", portfolio=ict)
    start = today - datetime.timedelta(days=200)
    label_services.label_import(
        label=Label(
            cluster=imported,
            code=f"T{seed}EC",
            level="silver",
            benchmarked_on=start,
            awarded_on=start,
            valid_from=start,
            valid_until=add_years(start, 2),
            source=Label.Source.IMPORT,
        ),
        user=staff_user,
    )


@pytest.mark.parametrize("seed", [1, 2])
def test_the_statistics_equal_a_recount_from_the_label_rows(staff_user, seed):
    build(seed, staff_user)
    assert label_facts_disagreements() == []  # every door kept the timelines, the levels with them
    today = timezone.localdate()
    days = [today, D(today.year, 12, 31), D(today.year, 1, 1), D(2020, 12, 31), D(2021, 1, 1)]
    for day in days:
        stats = compute_statistics(day)
        expected = recount(day)
        assert figures(stats) == expected, day
        assert [row.name for row in stats.countries] == sorted(row.name for row in stats.countries)
    # The dataset is as varied as it claims: each level valid today, and a suspended, a withdrawn,
    # an expired and a not yet valid label among the rows.
    assert all(recount(today)["valid"])
    assert {"suspended", "withdrawn"} <= set(Label.objects.values_list("status", flat=True))
    assert Label.objects.filter(valid_until__lt=today).exists() and Label.objects.filter(valid_from__gt=today).exists()


def test_no_labels_no_years(db):
    factories.ClusterFactory()
    stats = compute_statistics(timezone.localdate())
    assert (stats.years, stats.countries, stats.listed, stats.labels, stats.first_year) == ([], [], 0, 0, None)
