"""The secretariat's decisions (services/review.py) and the eligibility shown to the reviewer."""

import pytest
from django.core import mail

from benchmarking.models import Answer, Interview, Label, LabelRecommendation
from benchmarking.selectors.review import approval_preview
from benchmarking.services.interviews import NotEditableError, interview_save_step
from benchmarking.services.review import (
    ReviewError,
    interview_approve,
    interview_reject,
    interview_reopen,
    interview_return,
)
from tests.factories import (
    ExpertFactory,
    InterviewFactory,
    LabelFactory,
    UserFactory,
    answer_all,
    approve_and_award,
)

pytestmark = pytest.mark.django_db

ECCP = "https://clustercollaboration.eu/cluster-organisations/test"


def submitted(**values):
    interview = InterviewFactory(status=Interview.Status.SUBMITTED, cluster__eligible=True)
    return answer_all(interview, **values)


def test_approval_recommends_bronze_to_the_board_and_locks_the_interview(reference_data, staff_user):
    interview = submitted()
    approval = interview_approve(interview=interview, user=staff_user)
    assert interview.status == Interview.Status.APPROVED
    assert interview.decided_by == staff_user
    recommendation = approval.recommendation
    assert (recommendation.level, recommendation.status, recommendation.interview) == ("bronze", "pending", interview)
    assert recommendation.history.get().history_user == staff_user
    assert not Label.objects.exists()  # the label exists once the board approves


def test_the_boards_approval_awards_bronze(reference_data, staff_user):
    interview = submitted()
    label = approve_and_award(interview=interview, user=staff_user)
    assert (label.level, label.source, label.interview, label.cluster) == (
        "bronze",
        "interview",
        interview,
        interview.cluster,
    )
    assert label.code == "DEU001" + f"{interview.date:%Y%m}" + "B"
    assert label.recommendation.status == LabelRecommendation.Status.APPROVED
    assert label.history.first().history_user == label.recommendation.decided_by


def test_approval_issues_the_report(reference_data, staff_user):
    interview = submitted()
    interview_approve(interview=interview, user=staff_user)
    report = interview.reports.get()
    assert (report.version, report.issued_by) == (1, staff_user)
    assert report.snapshot["catalogue"]["version"] == "1"


def test_a_refused_approval_issues_no_report(reference_data, staff_user):
    interview = submitted()
    with pytest.raises(ReviewError):
        interview_approve(interview=interview, user=interview.expert.user)
    assert not interview.reports.exists()


def test_every_decision_bumps_the_version_and_is_in_the_history(reference_data, staff_user):
    interview = submitted()
    before = interview.version
    interview_approve(interview=interview, user=staff_user)
    assert interview.version == before + 1
    record = interview.history.first()
    assert (record.status, record.version, record.history_user, record.history_change_reason) == (
        "approved",
        before + 1,
        staff_user,
        "Approved",
    )


def test_the_preview_is_the_label_that_approval_creates(reference_data, staff_user):
    interview = submitted()
    earlier = LabelFactory(
        cluster=interview.cluster,
        valid_from=interview.date.replace(year=interview.date.year - 2),
        valid_until=interview.date,
    )
    preview = approval_preview(interview)
    label = approve_and_award(interview=interview, user=staff_user)
    assert (preview.code, preview.valid_from, preview.valid_until, preview.renews) == (
        label.code,
        label.valid_from,
        label.valid_until,
        earlier,
    )


def test_the_expert_cannot_approve_their_own_interview_even_as_staff(reference_data):
    interview = submitted()
    own = interview.expert.user
    own.is_staff = True
    own.save()
    with pytest.raises(ReviewError, match="four eyes"):
        interview_approve(interview=interview, user=own)
    interview.refresh_from_db()
    assert interview.status == Interview.Status.SUBMITTED
    assert not Label.objects.exists()


def test_someone_outside_the_secretariat_cannot_decide(reference_data, plain_user):
    with pytest.raises(ReviewError, match="secretariat"):
        interview_approve(interview=submitted(), user=plain_user)


def test_a_staff_user_without_superuser_rights_can_decide(reference_data):
    member = UserFactory(is_staff=True, is_superuser=False)
    assert interview_approve(interview=submitted(), user=member).recommendation.level == "bronze"


def test_an_inactive_staff_user_cannot_decide(reference_data):
    former = UserFactory(is_staff=True, is_active=False)
    with pytest.raises(ReviewError, match="secretariat"):
        interview_approve(interview=submitted(), user=former)


def test_an_ineligible_cluster_earns_no_label(reference_data, staff_user):
    interview = submitted(A4=9)
    with pytest.raises(ReviewError, match="A4"):
        interview_approve(interview=interview, user=staff_user)
    assert not Label.objects.exists() and not LabelRecommendation.objects.exists()
    interview.refresh_from_db()
    assert interview.status == Interview.Status.SUBMITTED


def test_an_approved_interview_is_locked_for_the_expert(reference_data, staff_user, catalogue):
    interview = submitted()
    interview_approve(interview=interview, user=staff_user)
    a4 = catalogue.indicators.get(code="A4")
    fields = {
        "number": 99,
        "boolean": None,
        "choice": "",
        "selected": None,
        "parts": None,
        "missing_reason": "",
        "comment": "",
        "accepted_warnings": [],
    }
    with pytest.raises(NotEditableError):
        interview_save_step(
            interview=interview, expected_version=interview.version, values={a4: fields}, user=interview.expert.user
        )
    assert Answer.objects.get(interview=interview, indicator=a4).number != 99


def test_a_decision_on_an_outdated_page_is_refused(reference_data, staff_user):
    interview = submitted()
    with pytest.raises(ReviewError, match="changed since"):
        interview_approve(interview=interview, user=staff_user, expected_version=interview.version + 1)


def test_a_second_decision_on_the_same_interview_is_refused(reference_data, staff_user):
    interview = submitted()
    interview_approve(interview=interview, user=staff_user)
    with pytest.raises(ReviewError, match="approved"):
        interview_reject(interview=interview, user=staff_user, reason="Too late")


def test_return_keeps_comments_and_mails_the_expert(reference_data, staff_user, django_capture_on_commit_callbacks):
    interview = submitted()
    with django_capture_on_commit_callbacks(execute=True):
        interview_return(
            interview=interview,
            user=staff_user,
            comment="Please check the staff numbers.",
            answer_comments={"B4": "FTE above headcount?", "A4": ""},
        )
    assert interview.status == Interview.Status.RETURNED
    assert interview.review_comment == "Please check the staff numbers."
    comments = dict(Answer.objects.exclude(review_comment="").values_list("indicator__code", "review_comment"))
    assert comments == {"B4": "FTE above headcount?"}
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [interview.expert.user.email]
    assert "Please check the staff numbers." in mail.outbox[0].body


def test_a_return_needs_a_comment(reference_data, staff_user):
    interview = submitted()
    with pytest.raises(ReviewError, match="comment"):
        interview_return(interview=interview, user=staff_user, comment="  ")
    interview.refresh_from_db()
    assert interview.status == Interview.Status.SUBMITTED


def test_reject_records_the_reason(reference_data, staff_user):
    interview = submitted()
    interview_reject(interview=interview, user=staff_user, reason="Interview not conducted with the manager")
    assert (interview.status, interview.decision_reason) == ("rejected", "Interview not conducted with the manager")
    with pytest.raises(ReviewError, match="reason"):
        interview_reject(interview=submitted(), user=staff_user, reason="")


class TestReopen:
    def test_it_goes_back_to_the_queue_and_suspends_the_label(self, reference_data, staff_user):
        interview = submitted()
        label = approve_and_award(interview=interview, user=staff_user)
        interview_reopen(interview=interview, user=staff_user, reason="Complaint about the interview")
        label.refresh_from_db()
        assert interview.status == Interview.Status.SUBMITTED
        assert interview.decision_reason == "Complaint about the interview"
        assert label.status == Label.Status.SUSPENDED
        assert "Complaint about the interview" in label.status_reason
        assert not label.is_valid()

    def test_approving_again_reinstates_the_same_label(self, reference_data, staff_user):
        interview = submitted()
        label = approve_and_award(interview=interview, user=staff_user)
        interview_reopen(interview=interview, user=staff_user, reason="Check")
        again = interview_approve(interview=interview, user=staff_user)
        assert (again.reinstated, again.recommendation) == (label, None)  # the board decided on it already
        assert Label.objects.count() == 1 and LabelRecommendation.objects.count() == 1
        assert list(interview.reports.values_list("version", flat=True).order_by("version")) == [1, 2]
        label.refresh_from_db()
        assert label.status == Label.Status.ACTIVE

    def test_rejecting_it_withdraws_the_label(self, reference_data, staff_user):
        interview = submitted()
        label = approve_and_award(interview=interview, user=staff_user)
        interview_reopen(interview=interview, user=staff_user, reason="Check")
        interview_reject(interview=interview, user=staff_user, reason="Made up")
        label.refresh_from_db()
        assert label.status == Label.Status.WITHDRAWN

    def test_only_an_approved_interview_is_reopened(self, reference_data, staff_user):
        with pytest.raises(ReviewError, match="submitted"):
            interview_reopen(interview=submitted(), user=staff_user, reason="Why not")

    def test_it_needs_the_secretariat(self, reference_data, staff_user):
        interview = submitted()
        interview_approve(interview=interview, user=staff_user)
        with pytest.raises(ReviewError):
            interview_reopen(interview=interview, user=ExpertFactory().user, reason="Mine")


class TestReopenBeforeTheBoardDecided:
    def test_reopening_withdraws_the_pending_recommendation(self, reference_data, staff_user):
        interview = submitted()
        recommendation = interview_approve(interview=interview, user=staff_user).recommendation
        interview_reopen(interview=interview, user=staff_user, reason="Complaint about the interview")
        recommendation.refresh_from_db()
        assert recommendation.status == LabelRecommendation.Status.WITHDRAWN
        assert "Complaint about the interview" in recommendation.decision_note
        assert recommendation.history.first().history_user == staff_user

    def test_approving_again_recommends_afresh(self, reference_data, staff_user):
        interview = submitted()
        interview_approve(interview=interview, user=staff_user)
        interview_reopen(interview=interview, user=staff_user, reason="Check")
        again = interview_approve(interview=interview, user=staff_user)
        assert again.recommendation.is_pending
        assert list(interview.label_recommendations.values_list("status", flat=True).order_by("pk")) == [
            "withdrawn",
            "pending",
        ]

    def test_rejecting_withdraws_it_too(self, reference_data, staff_user):
        interview = submitted()
        recommendation = interview_approve(interview=interview, user=staff_user).recommendation
        interview_reopen(interview=interview, user=staff_user, reason="Check")
        interview_reject(interview=interview, user=staff_user, reason="Made up")
        recommendation.refresh_from_db()
        assert recommendation.status == LabelRecommendation.Status.WITHDRAWN
