"""The reference fixtures against domain.md and the original public listing."""

import datetime
import re
from pathlib import Path

import pytest

from benchmarking.models import Catalogue, Category, Indicator, Label
from clusters.models import Cluster, ComparativePortfolio

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
# A copy of shared/seeds/000_726d8a57cb0e0f9a.txt, so the suite runs wherever the repo is.
SEED = ROOT / "directory" / "tests" / "data" / "seed_listing_mx.txt"
SHARED = ROOT.parent / "shared"
DOMAIN = SHARED / "domain.md"


def seed_listing() -> list[tuple[str, str, datetime.date]]:
    """(name, portfolio, valid until) per row of the original listing."""
    text = SEED.read_text(encoding="utf-8")
    rows = text.split("Name Comparative portfolio www Label valid until\n")[1].strip().splitlines()
    portfolios = sorted(ComparativePortfolio.objects.values_list("name", flat=True), key=len, reverse=True)
    parsed = []
    for row in rows:
        rest, date = row.rsplit(" ", 1)
        portfolio = next(p for p in portfolios if rest.endswith(" " + p))
        parsed.append((rest[: -len(portfolio) - 1], portfolio, datetime.datetime.strptime(date, "%Y/%m/%d").date()))
    return parsed


def domain_indicators() -> dict[str, str]:
    """Indicator code → wording, read from the catalogue table in domain.md."""
    rows = re.findall(r"^\| ([A-F]\d+) \| (.+?) \|", DOMAIN.read_text(encoding="utf-8"), re.MULTILINE)
    return dict(rows)


def test_the_13_comparative_portfolios(reference_data):
    assert ComparativePortfolio.objects.count() == 13
    assert ComparativePortfolio.objects.filter(slug="ict", name="ICT").exists()


def test_catalogue_v1_has_6_categories_and_36_indicators(catalogue):
    assert catalogue.is_active
    assert Category.objects.filter(catalogue=catalogue).count() == 6
    assert Indicator.objects.filter(catalogue=catalogue).count() == 36
    counts = {c.code: c.indicators.count() for c in catalogue.categories.all()}
    assert counts == {"A": 8, "B": 10, "C": 5, "D": 7, "E": 3, "F": 3}


def test_the_seed_copy_is_the_original_listing():
    original = SHARED / "seeds" / "000_726d8a57cb0e0f9a.txt"
    if not original.exists():
        pytest.skip("shared/ is not beside this checkout (CI places it there)")
    assert SEED.read_text(encoding="utf-8").strip() == original.read_text(encoding="utf-8").strip()


def test_the_indicators_are_worded_exactly_as_in_the_domain_text(catalogue):
    if not DOMAIN.exists():
        pytest.skip("shared/ is not beside this checkout (CI places it there)")
    stored = dict(Indicator.objects.filter(catalogue=catalogue).values_list("code", "wording"))
    assert stored == domain_indicators()


@pytest.mark.parametrize(
    "code, kind, parts",
    [
        ("A1", "year", []),
        ("A5", "counts", ["SMEs", "large companies", "universities", "research institutes", "public bodies", "other"]),
        ("A6", "shares", ["in the region", "elsewhere in the country", "abroad"]),
        ("B8", "yes_no", []),
        ("C1", "money", []),
        ("D1", "multi", None),
    ],
)
def test_indicator_kinds_and_parts(catalogue, code, kind, parts):
    indicator = Indicator.objects.get(catalogue=catalogue, code=code)
    assert indicator.kind == kind
    if parts is not None:
        assert indicator.options == parts


def test_cross_checks_and_bounds_are_data(catalogue):
    a5 = Indicator.objects.get(catalogue=catalogue, code="A5")
    b4 = Indicator.objects.get(catalogue=catalogue, code="B4")
    c3 = Indicator.objects.get(catalogue=catalogue, code="C3")
    assert (a5.cross_check, a5.cross_check_with.code) == ("total_equals", "A4")
    assert (b4.cross_check, b4.cross_check_with.code) == ("not_above", "B3")
    assert c3.max_value == 10
    assert Indicator.objects.get(catalogue=catalogue, code="B7").direction == "lower"


def test_the_35_seed_clusters_match_the_listing(seed_clusters):
    listing = seed_listing()
    assert len(listing) == 35
    assert Cluster.objects.filter(country="MX").count() == 35
    for name, portfolio, valid_until in listing:
        cluster = Cluster.objects.select_related("portfolio").get(name=name)
        assert cluster.portfolio.name == portfolio
        assert cluster.website == ""
        label = cluster.labels.get()
        assert (label.level, label.source, label.valid_until) == ("bronze", "import", valid_until)
        assert label.benchmarked_on == valid_until.replace(year=valid_until.year - 2)


def test_an_example_from_the_listing(seed_clusters):
    label = Label.objects.get(cluster__name="Aerospace Alliance of Baja California")
    assert label.valid_until == datetime.date(2018, 5, 4)
    assert label.code == "MEX001201605B"


def test_accented_names_are_kept_and_folded_for_search(seed_clusters):
    assert Cluster.objects.search("queretaro").count() == 2  # the two Queretaro clusters of the listing
    assert Cluster.objects.search("CLUSTER DE SERVICIOS").get().name.startswith("Clúster")


def test_the_catalogue_is_recorded_on_interviews_by_version(catalogue):
    assert str(catalogue) == "Catalogue v1: ESCA benchmarking questionnaire, catalogue v1"
    assert Catalogue.objects.current() == catalogue
