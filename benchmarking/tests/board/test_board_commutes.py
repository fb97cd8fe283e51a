"""The board's decisions commute (domain.md, "The board's decisions commute").

The labels that follow from a set of pending recommendations of one cluster do not depend on
the order in which the board decides them, one by one or in one batch, nor on the order of a
batch's lines: terms follow the benchmarking chronology (rules/label_terms.py).
"""

import datetime
import itertools

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from benchmarking.models import Interview, Label, LabelRecommendation
from benchmarking.rules.board import Decision
from benchmarking.services.board import BatchRefused, board_decide
from clusters.models import EligibilityWaiver
from tests.factories import ClusterFactory, InterviewFactory

pytestmark = pytest.mark.django_db


D = datetime.date
MEETING = "Board meeting (order test)"


def pending_recommendations(days: list[D], staff_user) -> list[LabelRecommendation]:
    """One cluster's Bronze recommendations, one per benchmarking day, all waiting for the board.

    The cluster's eligibility is waived (no answers to judge): the order of decisions is the
    subject here, not the evidence."""
    cluster = ClusterFactory(eligibility_waiver=EligibilityWaiver.NATIONAL_PROGRAMME)
    recommendations = []
    for day in days:
        interview = InterviewFactory(cluster=cluster, date=day, status=Interview.Status.APPROVED)
        recommendations.append(
            LabelRecommendation.objects.create(
                cluster=cluster,
                level=Label.Level.BRONZE,
                source=Label.Source.INTERVIEW,
                benchmarked_on=day,
                interview=interview,
                recommended_by=staff_user,
            )
        )
    return recommendations


def one_by_one(recommendations, board_user) -> None:
    """Each approved at its own meeting; a refused one stays pending."""
    for recommendation in recommendations:
        try:
            board_decide(
                decisions=[Decision(recommendation, True)], decided_on=timezone.localdate(), meeting=MEETING,
                user=board_user,
            )
        except BatchRefused:
            pass


def in_one_batch(recommendations, board_user) -> None:
    """All approved at one meeting, the lines in the given order; a refused line refuses the batch."""
    try:
        board_decide(
            decisions=[Decision(r, True) for r in recommendations], decided_on=timezone.localdate(), meeting=MEETING,
            user=board_user,
        )
    except BatchRefused:
        pass


def outcome(recommendations) -> tuple:
    """The labels that followed (serial numbers aside) and the recommendations still waiting."""
    cluster = recommendations[0].cluster
    labels = sorted(
        (
            label.benchmarked_on,
            label.level,
            label.code[:3] + label.code[6:],  # country, year and month, level: the serial aside
            label.valid_from,
            label.valid_until,
            label.renews.benchmarked_on if label.renews else None,
        )
        for label in cluster.labels.select_related("renews")
    )
    waiting = sorted(r.benchmarked_on for r in cluster.label_recommendations.filter(status="pending"))
    return labels, waiting


def outcomes(days, staff_user, board_user, decide) -> dict[tuple, tuple]:
    """The outcome of deciding `days`' recommendations in every order."""
    found = {}
    for order in itertools.permutations(range(len(days))):
        recommendations = pending_recommendations(days, staff_user)
        decide([recommendations[i] for i in order], board_user)
        found[order] = outcome(recommendations)
    return found


# --- The example ----------------------------------------------------------------------


def test_newest_first_gives_what_oldest_first_gives(reference_data, staff_user, board_user):
    """Newest first used to give the newer a fresh two-year label and refuse the older for ever."""
    older, newer = pending_recommendations([D(2024, 1, 15), D(2025, 8, 1)], staff_user)
    one_by_one([newer], board_user)
    newer.refresh_from_db()
    assert (newer.label.valid_from, newer.label.valid_until) == (D(2025, 8, 1), D(2027, 8, 1))  # as things stood

    one_by_one([older], board_user)

    older.refresh_from_db()
    newer.label.refresh_from_db()
    assert (older.label.valid_from, older.label.valid_until) == (D(2024, 1, 15), D(2026, 1, 15))
    assert (newer.label.valid_from, newer.label.valid_until) == (D(2026, 1, 16), D(2029, 1, 15))
    assert newer.label.renews == older.label
    rebase = newer.label.history.order_by("-history_date").first()
    assert older.label.code in rebase.history_change_reason  # the re-basing is in the label's history


def test_a_batch_that_lists_the_newer_first_is_decided(reference_data, staff_user, board_user):
    older, newer = pending_recommendations([D(2024, 1, 15), D(2025, 8, 1)], staff_user)
    decided = board_decide(
        decisions=[Decision(newer, True), Decision(older, True)], decided_on=timezone.localdate(), meeting=MEETING,
        user=board_user,
    )
    assert [d.pk for d in decided] == [newer.pk, older.pk]  # the lines' order
    assert decided[0].label.renews == decided[1].label
    assert decided[0].label.history.count() == 1  # oldest first: awarded on the older, nothing re-based


def test_a_second_renewal_of_one_period_is_refused_in_any_order(reference_data, staff_user, board_user):
    """2025-10-01 would renew the period 2025-08-01 renews already: refused first or last."""
    first, second, third = pending_recommendations([D(2024, 1, 15), D(2025, 8, 1), D(2025, 10, 1)], staff_user)
    with pytest.raises(BatchRefused, match="already renewed by the benchmarking of"):
        board_decide(
            decisions=[Decision(third, True)], decided_on=timezone.localdate(), meeting=MEETING, user=board_user
        )
    one_by_one([second, first, third], board_user)
    assert outcome([first])[1] == [D(2025, 10, 1)]


# --- Every order of 2 to 4 recommendations --------------------------------------------------------

DAY_SETS = [
    [D(2024, 1, 15), D(2025, 8, 1)],
    [D(2019, 3, 1), D(2021, 9, 1), D(2023, 2, 1)],
    # 24 orders each, about 20 s: with the slow tests.
    pytest.param([D(2018, 5, 1), D(2020, 10, 1), D(2021, 12, 1), D(2024, 3, 1)], marks=pytest.mark.slow),
    pytest.param(  # the third would renew the period the second renews: refused in every order
        [D(2024, 1, 15), D(2025, 8, 1), D(2025, 10, 1), D(2026, 3, 1)], marks=pytest.mark.slow
    ),
]


@pytest.mark.parametrize("days", DAY_SETS, ids=["2", "3", "4", "4 with a refusal"])
@pytest.mark.parametrize("decide", [one_by_one, in_one_batch], ids=["one by one", "one batch"])
def test_every_order_gives_the_same_labels(reference_data, staff_user, board_user, days, decide):
    found = outcomes(days, staff_user, board_user, decide)
    first = found[tuple(range(len(days)))]
    assert all(result == first for result in found.values()), found
    labels, waiting = first
    if decide is one_by_one or not waiting:
        assert len(labels) + len(waiting) == len(days)


# --- Any benchmarking dates -------------------------------------------------------------------


@pytest.mark.slow
@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    offsets=st.lists(st.integers(0, 1600), min_size=2, max_size=4, unique=True),
    orders=st.randoms(use_true_random=False),
)
def test_any_dates_in_any_order_give_the_labels_of_oldest_first(reference_data, staff_user, board_user, offsets,
                                                                orders):
    days = [D(2019, 1, 1) + datetime.timedelta(days=n) for n in offsets]
    oldest_first = pending_recommendations(sorted(days), staff_user)
    one_by_one(oldest_first, board_user)
    expected = outcome(oldest_first)
    for decide in (one_by_one, in_one_batch):
        recommendations = pending_recommendations(days, staff_user)
        orders.shuffle(recommendations)
        decide(recommendations, board_user)
        if decide is in_one_batch and expected[1]:
            assert outcome(recommendations) == ([], sorted(days))  # a refused line refuses the batch
        else:
            assert outcome(recommendations) == expected, (decide.__name__, [r.benchmarked_on for r in recommendations])
