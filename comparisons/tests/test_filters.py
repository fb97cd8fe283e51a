"""Each filter chooses the clusters it says: regions as countries, size bands from an answer,
the current label's level, the benchmarking year, and a cluster without a benchmarking."""

import datetime

import pytest
from django.utils import timezone

from benchmarking.models import Label
from comparisons.filters import GroupFilters
from comparisons.models import Region, SizeBand
from comparisons.selectors.groups import NotComparable, compare
from comparisons.tests.helpers import benchmarked
from tests import factories

pytestmark = pytest.mark.django_db


def size_of(own, **filters):
    return compare(own, GroupFilters(**filters), guarded=False).size


def test_a_region_is_its_countries(own, peers):
    central = Region.objects.get(slug="central-europe")  # AT, DE, ... not FR
    assert size_of(own, regions=[central.pk]) == 20
    assert size_of(own, regions=[central.pk], countries=["FR"]) == 27  # countries join the region's


def test_a_size_band_reads_the_members_answer(own, ict, peers):
    large = SizeBand.objects.get(measure="members", lower=250)
    big = benchmarked(6, portfolio=ict, country="PL", seed=800, values=lambda i: {"A4": 300 + i})
    result = compare(own, GroupFilters(bands=[large.pk]), guarded=False)
    assert set(result.members.tolist()) >= {c.pk for c in big}
    assert all(size >= 250 for size in _answers(result, "A4"))


def _answers(result, code):
    from benchmarking.models import PeerValue

    return PeerValue.objects.filter(
        cluster_id__in=result.members.tolist(), indicator__code=code, indicator__catalogue=result.catalogue, series=""
    ).values_list("number", flat=True)


def test_the_current_labels_level(own, peers):
    today = timezone.localdate()
    for cluster in peers["de_ict"][:7]:
        factories.LabelFactory(
            cluster=cluster, level=Label.Level.GOLD, valid_from=today - datetime.timedelta(days=10),
            valid_until=today + datetime.timedelta(days=300), benchmarked_on=today - datetime.timedelta(days=10),
        )  # fmt: skip
    assert size_of(own, levels=["gold"]) == 7
    assert size_of(own, levels=["gold"], statuses=["valid"]) == 7
    assert compare(own, GroupFilters(levels=["silver"]), guarded=False).refusal.needed == 6


def test_the_benchmarking_year(own, ict, peers):
    benchmarked(6, portfolio=ict, country="AT", seed=900, date=datetime.date(2021, 5, 1))
    assert size_of(own, years=[2021]) == 6


def test_a_cluster_without_an_approved_benchmarking_has_nothing_to_compare(groups_data, ict):
    cluster = factories.ClusterFactory(portfolio=ict)
    with pytest.raises(NotComparable):
        compare(cluster, GroupFilters(), guarded=True)
