import datetime

import pytest
from django.utils import timezone

from clusters.models import ComparativePortfolio
from tests import factories


@pytest.fixture(autouse=True)
def _ephemeral_signing_key(settings):
    """Tests sign with the process's ephemeral key (no key file), as a development site does."""
    settings.ECEI_CREDENTIAL_KEYS_FILE = ""
    settings.ECEI_CREDENTIAL_EPHEMERAL_KEY = True


@pytest.fixture
def labels(reference_data):
    """Three clusters in two countries: a valid Gold (over an older Bronze), a valid Bronze, an expired Bronze."""
    today = timezone.localdate()
    ict = ComparativePortfolio.objects.get(slug="ict")
    gold_cluster = factories.ClusterFactory(name="Gold Cluster", country="DE", portfolio=ict)
    bronze_cluster = factories.ClusterFactory(name="Bronze Cluster", country="DE", portfolio=ict)
    old_cluster = factories.ClusterFactory(name="Old Cluster", country="ES", portfolio=ict)
    day = datetime.timedelta(days=1)
    old_bronze = factories.LabelFactory(
        cluster=gold_cluster, code="DEU001202001B", awarded_on=datetime.date(2020, 2, 1),
        valid_from=datetime.date(2020, 1, 15), valid_until=today + 400 * day,
    )
    gold = factories.LabelFactory(
        cluster=gold_cluster, code="DEU002202301G", level="gold", awarded_on=datetime.date(2023, 2, 1),
        valid_from=datetime.date(2023, 1, 15), valid_until=today + 300 * day, source="import",
    )
    bronze = factories.LabelFactory(
        cluster=bronze_cluster, code="DEU003202201B", awarded_on=datetime.date(2022, 2, 1),
        valid_from=datetime.date(2022, 1, 15), valid_until=today + 200 * day,
    )
    expired = factories.LabelFactory(
        cluster=old_cluster, code="ESP001201901B", awarded_on=datetime.date(2019, 2, 1),
        valid_from=datetime.date(2019, 1, 15), valid_until=datetime.date(2021, 1, 15),
    )
    return {"old_bronze": old_bronze, "gold": gold, "bronze": bronze, "expired": expired}
