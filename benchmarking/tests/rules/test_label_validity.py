"""Every branch of the label validity table (domain.md, "Labels")."""

import datetime

import pytest

from benchmarking.models import Label
from benchmarking.rules.dates import add_months, add_years
from benchmarking.rules.label_periods import bronze_terms, fixed_terms
from benchmarking.rules.label_terms import label_terms
from benchmarking.services.labels import label_award
from tests.factories import ClusterFactory, LabelFactory

D = datetime.date


def previous(valid_from, valid_until):
    """An unsaved earlier label: the rules only read its dates."""
    return Label(valid_from=valid_from, valid_until=valid_until)


def test_a_first_label_runs_two_years_from_the_interview_date():
    terms = bronze_terms(benchmarked_on=D(2024, 3, 10), previous=None)
    assert (terms.valid_from, terms.valid_until, terms.renews) == (D(2024, 3, 10), D(2026, 3, 10), None)


def test_a_renewal_while_valid_runs_three_years_from_the_previous_end():
    earlier = previous(D(2022, 5, 4), D(2024, 5, 4))
    terms = bronze_terms(benchmarked_on=D(2024, 1, 20), previous=earlier)
    assert terms.renews is earlier
    assert (terms.valid_from, terms.valid_until) == (D(2024, 5, 5), D(2027, 5, 4))


def test_a_renewal_on_the_last_valid_day_is_a_renewal():
    earlier = previous(D(2022, 5, 4), D(2024, 5, 4))
    assert bronze_terms(benchmarked_on=D(2024, 5, 4), previous=earlier).is_renewal


def test_a_renewal_within_the_grace_year_runs_on_seamlessly():
    earlier = previous(D(2022, 5, 4), D(2024, 5, 4))
    terms = bronze_terms(benchmarked_on=D(2025, 2, 1), previous=earlier)
    assert terms.renews is earlier
    assert (terms.valid_from, terms.valid_until) == (D(2024, 5, 5), D(2027, 5, 4))


def test_the_last_day_of_the_grace_year_still_renews():
    earlier = previous(D(2022, 5, 4), D(2024, 5, 4))
    assert bronze_terms(benchmarked_on=D(2025, 5, 4), previous=earlier).is_renewal


def test_a_benchmarking_after_the_grace_year_starts_afresh():
    earlier = previous(D(2022, 5, 4), D(2024, 5, 4))
    terms = bronze_terms(benchmarked_on=D(2025, 5, 5), previous=earlier)
    assert terms.renews is None
    assert (terms.valid_from, terms.valid_until) == (D(2025, 5, 5), D(2027, 5, 5))


def test_29_february_becomes_28_february_in_a_year_without_one():
    assert bronze_terms(benchmarked_on=D(2024, 2, 29), previous=None).valid_until == D(2026, 2, 28)


def test_a_renewal_of_a_label_ending_on_29_february():
    earlier = previous(D(2022, 2, 28), D(2024, 2, 29))
    assert bronze_terms(benchmarked_on=D(2024, 1, 1), previous=earlier).valid_until == D(2027, 2, 28)


def test_29_february_to_a_leap_year_stays_29_february():
    assert add_years(D(2024, 2, 29), 4) == D(2028, 2, 29)


@pytest.mark.parametrize(
    "day, months, expected",
    [(D(2024, 1, 31), 1, D(2024, 2, 29)), (D(2023, 8, 31), 6, D(2024, 2, 29)), (D(2024, 11, 15), -6, D(2024, 5, 15))],
)
def test_add_months_clamps_to_the_end_of_a_short_month(day, months, expected):
    assert add_months(day, months) == expected


def test_the_periods_come_from_settings(settings):
    settings.ECEI_LABEL_FIRST_VALIDITY_YEARS = 3
    settings.ECEI_LABEL_RENEWAL_VALIDITY_YEARS = 4
    assert bronze_terms(benchmarked_on=D(2024, 1, 1), previous=None).valid_until == D(2027, 1, 1)
    earlier = previous(D(2022, 1, 1), D(2024, 6, 1))
    assert bronze_terms(benchmarked_on=D(2024, 1, 1), previous=earlier).valid_until == D(2028, 6, 1)


@pytest.mark.parametrize("level", [Label.Level.SILVER, Label.Level.GOLD])
def test_silver_and_gold_run_two_years_from_their_date(level):
    terms = fixed_terms(level=level, benchmarked_on=D(2025, 6, 30))
    assert (terms.valid_from, terms.valid_until) == (D(2025, 6, 30), D(2027, 6, 30))


@pytest.mark.django_db
class TestWithTheDatabase:
    def test_the_latest_renewable_label_is_found(self, reference_data):
        cluster = ClusterFactory()
        # The labels' own benchmarkings come before the new one (the chronology orders by them).
        LabelFactory(cluster=cluster, benchmarked_on=D(2018, 1, 1), valid_from=D(2018, 1, 1), valid_until=D(2020, 1, 1))
        latest = LabelFactory(
            cluster=cluster, benchmarked_on=D(2019, 6, 1), valid_from=D(2020, 1, 2), valid_until=D(2023, 1, 1)
        )
        assert label_terms(cluster=cluster, level="bronze", benchmarked_on=D(2023, 6, 1)).renews == latest

    def test_a_withdrawn_label_is_not_renewed(self, reference_data):
        cluster = ClusterFactory()
        LabelFactory(cluster=cluster, valid_until=D(2026, 1, 15), status=Label.Status.WITHDRAWN)
        assert label_terms(cluster=cluster, level="bronze", benchmarked_on=D(2025, 6, 1)).renews is None

    def test_award_gives_a_readable_unique_code_never_reused(self, reference_data):
        cluster = ClusterFactory(country="MX")
        first = label_award(cluster=cluster, level="bronze", benchmarked_on=D(2025, 3, 1), source="import")
        second = label_award(cluster=cluster, level="bronze", benchmarked_on=D(2025, 9, 1), source="import")
        assert first.code == "MEX001202503B"
        assert second.code == "MEX002202509B"
        assert second.renews == first
        assert second.valid_until == D(2030, 3, 1)

    def test_award_continues_the_serials_of_the_seed_listing(self, seed_clusters):
        from clusters.models import Cluster

        cluster = Cluster.objects.get(name="Chihuahua IT Cluster")
        label = label_award(cluster=cluster, level="bronze", benchmarked_on=D(2026, 1, 5), source="import")
        assert label.code == "MEX036202601B"
        assert label.renews is None  # the seed label expired in 2016, long past its grace year
