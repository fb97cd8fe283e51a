"""The EUCLES board's decisions (services/board.py, rules/board.py): the role, a batch, four eyes and accreditation."""

import datetime

import pytest
from django.utils import timezone

from benchmarking.models import Interview, Label, LabelRecommendation
from benchmarking.permissions import board_members, is_board_member
from benchmarking.rules.board import Decision, board_decision_refusal
from benchmarking.services.board import BatchRefused, board_decide
from benchmarking.services.review import interview_approve
from benchmarking.tests.board.helpers import MEETING, TODAY, decide, recommended
from tests.factories import InterviewFactory, answer_all, board_member

pytestmark = pytest.mark.django_db

# --- The role ----------------------------------------------------------------------------------


def test_a_board_member_need_not_be_staff(board_user, staff_user, plain_user):
    assert is_board_member(board_user) and not board_user.is_staff
    assert not is_board_member(staff_user) and not is_board_member(plain_user)
    assert list(board_members()) == [board_user]


def test_an_inactive_board_member_is_no_longer_one(db):
    former = board_member(is_active=False)
    assert not is_board_member(former) and former not in board_members()


# --- Deciding ----------------------------------------------------------------------------------


def test_approval_awards_the_label_dated_by_the_board_valid_from_the_benchmarking(
    reference_data, staff_user, board_user
):
    recommendation = recommended(staff_user, date=TODAY() - datetime.timedelta(days=40))
    LabelRecommendation.objects.filter(pk=recommendation.pk).update(
        recommended_at=timezone.now() - datetime.timedelta(days=10)
    )
    recommendation.refresh_from_db()
    decided_on = TODAY() - datetime.timedelta(days=3)
    decided = decide(recommendation, board_user, decided_on=decided_on)
    label = decided.label
    assert (decided.status, decided.decided_by, decided.decided_on, decided.meeting) == (
        "approved",
        board_user,
        decided_on,
        MEETING,
    )
    assert (label.level, label.source, label.interview) == ("bronze", "interview", recommendation.interview)
    assert label.awarded_on == decided_on
    assert label.valid_from == recommendation.benchmarked_on  # validity runs from the benchmarking
    assert label.history.get().history_user == board_user
    record = decided.history.first()
    assert (record.status, record.history_user, record.history_change_reason) == (
        "approved",
        board_user,
        f"Approved by the board: {MEETING}",
    )
    label.cluster.refresh_from_db()
    assert label.cluster.label_valid_until == label.valid_until  # the label facts, same transaction


def test_declining_creates_no_label_and_keeps_the_reason(reference_data, staff_user, board_user):
    recommendation = recommended(staff_user)
    decided = decide(recommendation, board_user, approve=False, note="The ECCP profile shows no activity.")
    assert (decided.status, decided.label, decided.decision_note) == (
        "declined",
        None,
        "The ECCP profile shows no activity.",
    )
    assert not Label.objects.exists()
    recommendation.cluster.refresh_from_db()
    assert recommendation.cluster.label_status == ""


def test_declining_needs_a_reason(reference_data, staff_user, board_user):
    recommendation = recommended(staff_user)
    with pytest.raises(BatchRefused, match="Say why"):
        decide(recommendation, board_user, approve=False, note="  ")
    recommendation.refresh_from_db()
    assert recommendation.is_pending


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"decided_on": None}, "date of the board's decision"),
        ({"meeting": " "}, "Name the board meeting"),
        ({"meeting": "x" * 121}, "At most 120"),
    ],
)
def test_the_meeting_needs_a_date_and_a_name(reference_data, staff_user, board_user, fields, message):
    recommendation = recommended(staff_user)
    with pytest.raises(BatchRefused, match=message):
        decide(recommendation, board_user, **fields)
    assert not Label.objects.exists()


def test_the_decision_date_is_not_in_the_future_nor_before_the_recommendation(reference_data, staff_user, board_user):
    recommendation = recommended(staff_user)
    with pytest.raises(BatchRefused, match="future"):
        decide(recommendation, board_user, decided_on=TODAY() + datetime.timedelta(days=1))
    with pytest.raises(BatchRefused, match="before the recommendation"):
        decide(recommendation, board_user, decided_on=TODAY() - datetime.timedelta(days=1))


def test_the_day_of_the_recommendation_is_the_sites_day_not_utcs(reference_data, staff_user, board_user):
    """Recommended at 00:30 in Brussels, 23:30 the day before in UTC: the board cannot decide on
    that day before. (The test above, with today's dates, failed only between 23:00 and 24:00 UTC.)"""
    recommendation = recommended(staff_user, date=datetime.date(2026, 2, 2))
    just_after_midnight = timezone.make_aware(datetime.datetime(2026, 3, 10, 0, 30))
    LabelRecommendation.objects.filter(pk=recommendation.pk).update(recommended_at=just_after_midnight)
    recommendation.refresh_from_db()
    with pytest.raises(BatchRefused, match=r"before the recommendation \(10 March 2026\)"):
        decide(recommendation, board_user, decided_on=datetime.date(2026, 3, 9))
    assert decide(recommendation, board_user, decided_on=datetime.date(2026, 3, 10)).status == "approved"


def test_a_decided_recommendation_is_not_decided_again(reference_data, staff_user, board_user):
    recommendation = recommended(staff_user)
    decide(recommendation, board_user)
    with pytest.raises(BatchRefused, match="no longer waiting"):
        decide(recommendation, board_member())
    assert Label.objects.count() == 1


def test_a_batch_is_all_or_nothing(reference_data, staff_user, board_user):
    first, second, third = (recommended(staff_user) for _ in range(3))
    decisions = [Decision(first, True), Decision(second, False, "Too small"), Decision(third, False, "")]
    with pytest.raises(BatchRefused) as refused:
        board_decide(decisions=decisions, decided_on=TODAY(), meeting=MEETING, user=board_user)
    assert list(refused.value.lines) == [third.pk]
    assert not Label.objects.exists()
    assert set(LabelRecommendation.objects.values_list("status", flat=True)) == {"pending"}
    decisions[2] = Decision(third, True)
    decided = board_decide(decisions=decisions, decided_on=TODAY(), meeting=MEETING, user=board_user)
    assert [d.status for d in decided] == ["approved", "declined", "approved"]
    assert Label.objects.count() == 2


# --- Four eyes and accreditation -------------------------------------------------------------------


def test_nobody_decides_on_a_benchmarking_they_conducted(reference_data, staff_user):
    recommendation = recommended(staff_user)
    expert_user = recommendation.interview.expert.user
    expert_user.groups.add(*board_member().groups.all())
    assert "You conducted" in board_decision_refusal(user=expert_user, recommendation=recommendation)
    with pytest.raises(BatchRefused, match="conducted"):
        decide(recommendation, expert_user)


def test_nobody_decides_on_a_benchmarking_they_reviewed(reference_data):
    reviewer = board_member(username="reviewer-and-board", is_staff=True)
    recommendation = recommended(reviewer)
    with pytest.raises(BatchRefused, match="You reviewed"):
        decide(recommendation, reviewer)
    assert recommendation.history.count() == 1


def test_only_board_members_decide(reference_data, staff_user):
    recommendation = recommended(staff_user)
    with pytest.raises(BatchRefused, match="Only members of the EUCLES board"):
        decide(recommendation, staff_user)


def test_the_board_refuses_an_expert_not_accredited_on_the_day_of_the_interview(reference_data, staff_user, board_user):
    recommendation = recommended(staff_user)
    expert = recommendation.interview.expert
    expert.accredited_until = recommendation.interview.date - datetime.timedelta(days=1)  # revoked since
    expert.save()
    with pytest.raises(BatchRefused, match="does not cover"):
        decide(recommendation, board_user)
    assert not Label.objects.exists()


def test_approval_refuses_an_expert_not_accredited_on_the_day(reference_data, staff_user):
    from benchmarking.services.review import ReviewError

    interview = answer_all(InterviewFactory(status=Interview.Status.SUBMITTED, cluster__eligible=True))
    interview.expert.accredited_until = interview.date - datetime.timedelta(days=1)
    interview.expert.save()
    with pytest.raises(ReviewError, match="does not cover"):
        interview_approve(interview=interview, user=staff_user)
    assert not LabelRecommendation.objects.exists()


def test_nobody_decides_on_a_gold_assessment_they_assessed(reference_data, staff_user):
    from decimal import Decimal

    from benchmarking.rules.gold import active_gold_indicators
    from benchmarking.services.silver_gold import gold_assessment_record
    from tests.factories import ExpertFactory, approved_interview

    assessor = ExpertFactory()
    outcome = gold_assessment_record(
        cluster=approved_interview(cluster__eligible=True).cluster, first_assessor=assessor,
        second_assessor=ExpertFactory(), assessed_on=TODAY() - datetime.timedelta(days=5),
        scores={i: Decimal("95") for i in active_gold_indicators()}, user=staff_user,
    )  # fmt: skip
    assessor.user.groups.add(*board_member().groups.all())
    with pytest.raises(BatchRefused, match="You conducted"):
        decide(outcome.recommendation, assessor.user)
    assert decide(outcome.recommendation, board_member()).label.level == "gold"
