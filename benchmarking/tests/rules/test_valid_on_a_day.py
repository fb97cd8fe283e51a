"""One rule for "valid on a day" (models.label_validity): Python and SQL agree, and renewals never stack."""

import datetime

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from benchmarking.models import Label
from benchmarking.rules.label_periods import LabelError
from benchmarking.rules.label_terms import renewal_refusal
from benchmarking.services.labels import label_award
from tests.factories import ClusterFactory, LabelFactory

D = datetime.date
FROM, UNTIL = D(2024, 3, 10), D(2026, 3, 10)
ONE = datetime.timedelta(days=1)
DAYS = [FROM - ONE, FROM, FROM + ONE, UNTIL - ONE, UNTIL, UNTIL + ONE]


def valid_in_sql(label: Label, day: datetime.date) -> bool:
    return Label.objects.filter(pk=label.pk).valid_on(day).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("status", Label.Status.values)
@pytest.mark.parametrize("day", DAYS)
def test_python_and_sql_agree_around_both_ends_of_the_period(reference_data, status, day):
    label = LabelFactory(valid_from=FROM, valid_until=UNTIL, status=status)
    expected = status == Label.Status.ACTIVE and FROM <= day <= UNTIL
    assert label.is_valid(day) is expected
    assert valid_in_sql(label, day) is expected
    assert (label.live_status(day) == "active") is expected


@pytest.mark.django_db
@hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    status=st.sampled_from(Label.Status.values),
    valid_from=st.dates(D(2000, 1, 1), D(2040, 1, 1)),
    length=st.integers(1, 4000),
    offset=st.integers(-5000, 5000),
)
@pytest.mark.slow
def test_python_and_sql_agree_on_any_day(reference_data, status, valid_from, length, offset):
    valid_until = valid_from + datetime.timedelta(days=length)
    day = valid_from + datetime.timedelta(days=offset)
    label = Label.objects.first() or LabelFactory()
    Label.objects.filter(pk=label.pk).update(status=status, valid_from=valid_from, valid_until=valid_until)
    label.refresh_from_db()
    assert label.is_valid(day) == valid_in_sql(label, day)
    assert (label.live_status(day) == "active") == label.is_valid(day)


@pytest.mark.django_db
def test_a_renewal_that_has_not_started_is_not_yet_valid(reference_data):
    """The issue's example: a renewal from 16 October 2030 is not "Active: this label is valid" in 2026."""
    label = LabelFactory(valid_from=D(2030, 10, 16), valid_until=D(2033, 10, 15))
    assert label.live_status(D(2026, 11, 25)) == "upcoming"
    assert not label.is_valid(D(2026, 11, 25))


@pytest.mark.django_db
class TestTheRenewalRule:
    """A benchmarking renews only the label valid on its day; one already renewed is refused."""

    def test_a_second_renewal_before_the_first_one_starts_is_refused(self, reference_data):
        cluster = ClusterFactory(country="MX")
        first = label_award(cluster=cluster, level="bronze", benchmarked_on=D(2024, 1, 10), source="import")
        renewal = label_award(cluster=cluster, level="bronze", benchmarked_on=D(2025, 6, 1), source="import")
        assert renewal.renews == first and renewal.valid_from == D(2026, 1, 11)
        with pytest.raises(LabelError, match="already renewed"):
            label_award(cluster=cluster, level="bronze", benchmarked_on=D(2025, 9, 1), source="import")
        assert cluster.labels.count() == 2

    def test_once_the_renewal_is_valid_it_can_be_renewed(self, reference_data):
        cluster = ClusterFactory(country="MX")
        label_award(cluster=cluster, level="bronze", benchmarked_on=D(2020, 1, 10), source="import")
        renewal = label_award(cluster=cluster, level="bronze", benchmarked_on=D(2021, 6, 1), source="import")
        third = label_award(cluster=cluster, level="bronze", benchmarked_on=renewal.valid_from, source="import")
        assert third.renews == renewal
        assert third.valid_from == renewal.valid_until + ONE

    def test_a_withdrawn_future_renewal_does_not_block(self, reference_data):
        cluster = ClusterFactory()
        LabelFactory(cluster=cluster, valid_from=D(2030, 1, 1), valid_until=D(2033, 1, 1), status="withdrawn")
        assert renewal_refusal(cluster=cluster, benchmarked_on=D(2026, 1, 1)) is None

    def test_the_refusal_names_the_label_and_the_first_possible_day(self, reference_data):
        cluster = ClusterFactory()
        LabelFactory(cluster=cluster, code="DEU009203001B", valid_from=D(2030, 1, 1), valid_until=D(2033, 1, 1))
        refusal = renewal_refusal(cluster=cluster, benchmarked_on=D(2026, 1, 1))
        assert "DEU009203001B" in refusal and "1 January 2030" in refusal


@pytest.mark.django_db
def test_the_admin_filter_valid_today_and_the_list_column_agree(reference_data, admin_client):
    today = datetime.date.today()
    current = LabelFactory(code="DEU001202401B", valid_from=today - ONE, valid_until=today + 300 * ONE)
    ahead = LabelFactory(code="DEU002202401B", valid_from=today + 301 * ONE, valid_until=today + 900 * ONE)
    page = admin_client.get("/admin/benchmarking/label/?live=valid").content.decode()
    assert current.code in page and ahead.code not in page
    page = admin_client.get("/admin/benchmarking/label/?live=upcoming").content.decode()
    assert ahead.code in page and current.code not in page


@pytest.mark.django_db
class TestTheRenewalRuleAtEveryDoor:
    """The review preview, the approval and the start of an interview all apply renewal_refusal."""

    @pytest.fixture
    def renewed_cluster(self, reference_data):
        today = datetime.date.today()
        cluster = ClusterFactory(eligible=True)
        LabelFactory(cluster=cluster, code="DEU001202401B", valid_from=today - 400 * ONE, valid_until=today + 30 * ONE)
        LabelFactory(cluster=cluster, code="DEU002202401B", valid_from=today + 31 * ONE, valid_until=today + 1126 * ONE)
        return cluster

    def test_approval_is_refused_and_the_preview_says_why(self, renewed_cluster, staff_user):
        from benchmarking.models import Interview
        from benchmarking.selectors.review import approval_preview
        from benchmarking.services.review import ReviewError, interview_approve
        from tests.factories import InterviewFactory, answer_all

        interview = answer_all(InterviewFactory(cluster=renewed_cluster, status=Interview.Status.SUBMITTED))
        assert "already renewed" in approval_preview(interview).refusal
        with pytest.raises(ReviewError, match="already renewed"):
            interview_approve(interview=interview, user=staff_user)
        interview.refresh_from_db()
        assert interview.status == Interview.Status.SUBMITTED
        assert renewed_cluster.labels.count() == 2

    def test_an_interview_cannot_be_started(self, renewed_cluster, expert):
        from benchmarking.services.interview_start import interview_start_refusal

        refusal = interview_start_refusal(expert=expert, cluster=renewed_cluster, date=datetime.date.today())
        assert "already renewed" in refusal
