import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone

from clusters.models import ComparativePortfolio
from tests import factories

SEED_LISTING = Path(__file__).parent / "data" / "seed_listing_mx.txt"
TABLE_HEADER = "Name Comparative portfolio www Label valid until"


@pytest.fixture
def seed_listing(reference_data) -> list[tuple[str, str, str]]:
    """(name, portfolio, "2018/05/04") for each row of the original public listing, in order.

    The listing is plain text with single spaces between columns and an empty www column,
    so each line is split at the one known portfolio name that precedes the date.
    """
    portfolios = "|".join(re.escape(name) for name in ComparativePortfolio.objects.values_list("name", flat=True))
    row = re.compile(rf"^(?P<name>.+) (?P<portfolio>{portfolios}) (?P<date>\d{{4}}/\d{{2}}/\d{{2}})$")
    lines = SEED_LISTING.read_text(encoding="utf-8").splitlines()
    body = lines[lines.index(TABLE_HEADER) + 1 :]
    return [(m["name"], m["portfolio"], m["date"]) for m in map(row.match, body) if m]


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def make_listed_cluster(reference_data, today):
    """A cluster with one label; `valid_days` from today (negative: expired)."""

    def make(name="A Cluster", *, country="DE", portfolio="ict", valid_days=100, status="active", **fields):
        cluster = factories.ClusterFactory(
            name=name,
            country=country,
            portfolio=ComparativePortfolio.objects.get(slug=portfolio),
            **fields,
        )
        valid_until = today + datetime.timedelta(days=valid_days)
        factories.LabelFactory(
            cluster=cluster,
            valid_from=valid_until - datetime.timedelta(days=730),
            valid_until=valid_until,
            status=status,
        )
        return cluster

    return make
