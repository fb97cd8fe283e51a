"""Label rules not covered by test_label_validity.py: live status, suspension and renewal edge cases."""

import datetime

import pytest

from benchmarking.models import Label, LabelRecommendation
from benchmarking.rules.label_periods import LabelError
from benchmarking.rules.label_terms import label_terms, renewal_refusal
from benchmarking.services.labels import label_award, label_suspend
from tests.factories import ClusterFactory, LabelFactory

D = datetime.date


def label(**fields):
    return Label(**{"valid_from": D(2024, 1, 1), "valid_until": D(2026, 1, 1), **fields})


@pytest.mark.parametrize(
    "status, today, live, valid",
    [
        ("active", D(2026, 1, 1), "active", True),  # the last day is still valid
        ("active", D(2026, 1, 2), "expired", False),
        ("suspended", D(2025, 1, 1), "suspended", False),
        ("withdrawn", D(2025, 1, 1), "withdrawn", False),
        ("suspended", D(2027, 1, 1), "suspended", False),  # what the secretariat set wins over the date
    ],
)
def test_the_live_status(status, today, live, valid):
    assert label(status=status).live_status(today) == live
    assert label(status=status).is_valid(today) is valid


@pytest.mark.django_db
class TestWithTheDatabase:
    def test_a_suspended_label_is_not_valid_but_can_be_renewed(self, reference_data, staff_user):
        cluster, today = ClusterFactory(), datetime.date.today()
        start, end = today - datetime.timedelta(days=400), today + datetime.timedelta(days=330)
        earlier = LabelFactory(cluster=cluster, valid_from=start, valid_until=end)
        label_suspend(label=earlier, reason="Open complaint", user=staff_user)
        assert not earlier.is_valid(today)
        assert label_terms(cluster=cluster, level="bronze", benchmarked_on=today).renews == earlier

    def test_a_suspension_needs_a_reason(self, reference_data, staff_user):
        with pytest.raises(LabelError, match="reason"):
            label_suspend(label=LabelFactory(valid_until=D(2999, 1, 1)), reason=" ", user=staff_user)

    def test_a_renewal_on_29_february_in_the_grace_year(self, reference_data):
        cluster = ClusterFactory(country="MX")
        earlier = LabelFactory(cluster=cluster, code="MEX001202302B", valid_from=D(2023, 2, 28),
                               valid_until=D(2025, 2, 28))  # fmt: skip
        renewal = label_award(cluster=cluster, level="bronze", benchmarked_on=D(2026, 2, 28), source="import")
        assert renewal.renews == earlier  # the last day of the grace year
        assert (renewal.valid_from, renewal.valid_until) == (D(2025, 3, 1), D(2028, 2, 28))
        later = label_award(cluster=ClusterFactory(country="MX"), level="bronze", benchmarked_on=D(2028, 2, 29),
                            source="import")  # fmt: skip
        assert (later.code, later.valid_until) == ("MEX003202802B", D(2030, 2, 28))


def _terms_or_refusal(function, **kwargs):
    try:
        terms = function(**kwargs)
    except LabelError as refusal:
        return str(refusal)
    return terms.valid_from, terms.valid_until, terms.renews


@pytest.mark.django_db
def test_label_terms_among_the_labels_held_gives_what_label_terms_reads(reference_data):
    """The bulk writes' twin of label_terms (no query) answers as label_terms does: a first label,
    a renewal in its grace year, a label renewed ahead (refused), a withdrawn one (ignored)."""
    cluster = ClusterFactory()
    for code, level, day, start, end, status in [
        ("DEU001201501B", "bronze", D(2015, 1, 10), D(2015, 1, 10), D(2017, 1, 10), "active"),
        # benchmarked ahead of its start: a renewal whose period a later benchmarking would stack on
        ("DEU002201612B", "bronze", D(2016, 12, 1), D(2017, 1, 11), D(2020, 1, 10), "suspended"),
        ("DEU003202006B", "bronze", D(2020, 6, 1), D(2020, 6, 1), D(2022, 6, 1), "withdrawn"),
        ("DEU004201805S", "silver", D(2018, 5, 1), D(2018, 5, 1), D(2020, 5, 1), "active"),
        ("DEU005202101G", "gold", D(2021, 1, 5), D(2021, 1, 5), D(2023, 1, 5), "active"),
    ]:
        LabelFactory(cluster=cluster, code=code, level=level, benchmarked_on=day, valid_from=start,
                     valid_until=end, status=status)  # fmt: skip
    held = list(cluster.labels.all())
    answers = set()
    for level in ("bronze", "silver", "gold"):
        for day in (D(2014, 1, 1) + datetime.timedelta(days=11 * n) for n in range(330)):
            kwargs = {"cluster": cluster, "level": level, "benchmarked_on": day}
            expected = _terms_or_refusal(label_terms, **kwargs)
            assert _terms_or_refusal(label_terms, labels=held, **kwargs) == expected, (level, day)
            answers.add(type(expected))
    assert answers == {str, tuple}  # refusals and terms were both compared


@pytest.mark.django_db
def test_renewal_refusal_among_the_labels_held_gives_what_it_reads(reference_data, staff_user):
    """With the labels held, the renewal rule answers as it does reading them, the benchmarkings
    waiting for the board included (they are still read): stacking on a label, on a waiting one."""
    cluster = ClusterFactory()
    first = LabelFactory(cluster=cluster, code="DEU001201501B", benchmarked_on=D(2015, 1, 10),
                         valid_from=D(2015, 1, 10), valid_until=D(2017, 1, 10))  # fmt: skip
    LabelFactory(cluster=cluster, code="DEU002201612B", benchmarked_on=D(2016, 12, 1), valid_from=D(2017, 1, 11),
                 valid_until=D(2020, 1, 10), renews=first)  # fmt: skip
    LabelRecommendation.objects.create(
        cluster=cluster, level="bronze", source="interview", benchmarked_on=D(2019, 11, 1), recommended_by=staff_user
    )
    held = list(cluster.labels.all())
    answers = set()
    for day in (D(2014, 1, 1) + datetime.timedelta(days=11 * n) for n in range(330)):
        expected = renewal_refusal(cluster=cluster, benchmarked_on=day)
        assert renewal_refusal(cluster=cluster, benchmarked_on=day, labels=held) == expected, day
        answers.add(expected.split(":")[0].split(",")[0] if expected else None)
    assert answers == {
        None,
        f"{cluster} is already renewed",  # by the label DEU002201612B
        f"{cluster} is already renewed by the benchmarking of 1 November 2019",  # waiting for the board
    }
