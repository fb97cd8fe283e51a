"""Every write service logs its named action once, in its own transaction: who, when, the whole
reason (longer than the 100 characters simple-history keeps) and the old and new values; a
refused or rolled-back service logs nothing."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from activity import actions
from activity.models import ActionLog
from benchmarking.models import Category, Indicator, Interview, LabelRecommendation
from benchmarking.rules.board import Decision
from benchmarking.rules.label_periods import LabelError
from benchmarking.rules.silver import Finding, active_baseline_requirements
from benchmarking.services.board import BatchRefused, board_decide, board_decide_one
from benchmarking.services.board_undo import board_decision_undo
from benchmarking.services.eligibility import EligibilityError, eligibility_facts_record
from benchmarking.services.interview_start import interview_start
from benchmarking.services.interviews import interview_save_step, interview_submit
from benchmarking.services.labels import label_reinstate, label_suspend, label_withdraw
from benchmarking.services.questionnaire import (
    invitation_accept,
    invitation_resend,
    invitation_revoke,
    proposals_save_step,
    questionnaire_mark_ready,
)
from benchmarking.services.reports import expert_recommendations_save
from benchmarking.services.review import (
    ReviewError,
    interview_approve,
    interview_reject,
    interview_reopen,
    interview_return,
)
from benchmarking.services.silver_gold import silver_audit_record
from benchmarking.tests.questionnaire_helpers import invite
from tests.factories import (
    ClusterFactory,
    ExpertFactory,
    InterviewFactory,
    LabelFactory,
    UserFactory,
    answer_all,
    approved_interview,
    board_member,
)

pytestmark = pytest.mark.django_db
D = datetime.date

# Longer than simple-history's 100 characters, with a line break: kept whole.
LONG = (
    "A complaint from two member companies says the cluster's reported membership is inflated;\n"
    "the label is suspended until the secretariat has checked the member list against the registry."
)


def logged(action: str) -> ActionLog:
    """The one entry of `action` (fails when there are none or several)."""
    (entry,) = ActionLog.objects.filter(action=action)
    return entry


def submitted(**fields) -> Interview:
    return answer_all(InterviewFactory(status=Interview.Status.SUBMITTED, cluster__eligible=True, **fields))


def test_the_whole_reason_is_kept_where_the_history_cuts_it(reference_data, staff_user):
    label = LabelFactory(valid_until=D(2999, 1, 1))
    before = timezone.now()
    label_suspend(label=label, reason=LONG, user=staff_user)
    entry = logged(actions.LABEL_SUSPENDED)
    assert len(LONG) > 100 and entry.reason == LONG
    assert len(label.history.first().history_change_reason) == 100
    assert (entry.content_object, entry.cluster, entry.user) == (label, label.cluster, staff_user)
    assert before <= entry.created_at <= timezone.now()
    assert entry.data == {"changes": {"status": {"old": "active", "new": "suspended"}}}


def test_each_label_status_change_is_its_own_action(reference_data, staff_user):
    label = LabelFactory(valid_until=D(2999, 1, 1))
    label_suspend(label=label, reason="Under review", user=staff_user)
    label_reinstate(label=label, reason="Checked", user=staff_user)
    label_withdraw(label=label, reason=LONG, user=staff_user)
    assert list(ActionLog.objects.order_by("pk").values_list("action", "reason")) == [
        (actions.LABEL_SUSPENDED, "Under review"),
        (actions.LABEL_REINSTATED, "Checked"),
        (actions.LABEL_WITHDRAWN, LONG),
    ]
    assert logged(actions.LABEL_WITHDRAWN).data["changes"]["status"] == {"old": "active", "new": "withdrawn"}


def test_a_refused_label_change_logs_nothing(reference_data, staff_user):
    label = LabelFactory()
    with pytest.raises(LabelError):
        label_reinstate(label=label, reason="Not suspended", user=staff_user)
    with pytest.raises(LabelError):
        label_suspend(label=label, reason="   ", user=staff_user)
    assert not ActionLog.objects.exists()


# --- The expert's interview -------------------------------------------------------------------


def test_starting_saving_and_submitting_an_interview(reference_data, expert):
    cluster = ClusterFactory()
    day = timezone.localdate() - datetime.timedelta(days=3)
    interview = interview_start(
        expert=expert, cluster=cluster, date=day, mode="video", interviewee_name="A. Manager",
        interviewee_role="Manager", user=expert.user,
    )  # fmt: skip
    started = logged(actions.INTERVIEW_STARTED)
    assert (started.content_object, started.cluster, started.user) == (interview, cluster, expert.user)
    assert started.data == {"date": day.isoformat(), "mode": "video"}

    answer_all(interview)  # the expert's earlier steps; this step changes E's answers
    fields = {"number": None, "boolean": None, "choice": "", "selected": None, "parts": None,
              "missing_reason": "unknown", "comment": "", "accepted_warnings": []}  # fmt: skip
    step = {i: dict(fields) for i in Indicator.objects.filter(catalogue=interview.catalogue, category__code="E")}
    interview_save_step(interview=interview, expected_version=1, values=step, user=expert.user)
    interview_save_step(interview=interview, expected_version=2, values=step, user=expert.user)  # unchanged
    saved = logged(actions.INTERVIEW_ANSWERS_SAVED)
    assert saved.data == {"indicators": sorted(i.code for i in step), "version": 2}

    interview_submit(interview=interview, expected_version=interview.version, user=expert.user)
    entry = logged(actions.INTERVIEW_SUBMITTED)
    assert entry.data["changes"] == {"status": {"old": "draft", "new": "submitted"}}
    assert entry.user == expert.user


# --- The secretariat's review and the board ------------------------------------------------------


def test_returning_an_interview_logs_the_whole_comment_and_the_comments_by_indicator(reference_data, staff_user):
    interview = submitted()
    interview_return(interview=interview, user=staff_user, comment=LONG, answer_comments={"A1": "Which year?"})
    entry = logged(actions.INTERVIEW_RETURNED)
    assert (entry.content_object, entry.user, entry.reason) == (interview, staff_user, LONG)
    assert entry.data["changes"] == {"status": {"old": "submitted", "new": "returned"}}
    assert entry.data["comments"] == {"A1": "Which year?"}


def test_rejecting_an_interview(reference_data, staff_user):
    interview = submitted()
    interview_reject(interview=interview, user=staff_user, reason=LONG)
    entry = logged(actions.INTERVIEW_REJECTED)
    assert (entry.reason, entry.data["changes"]["status"]["new"]) == (LONG, "rejected")


def test_approval_the_boards_award_and_a_reopening(reference_data, staff_user):
    interview = submitted()
    board = board_member()
    approval = interview_approve(interview=interview, user=staff_user)
    assert logged(actions.INTERVIEW_APPROVED).data["changes"]["status"] == {"old": "submitted", "new": "approved"}
    recommended = logged(actions.BOARD_RECOMMENDED)
    assert (recommended.content_object, recommended.user) == (approval.recommendation, staff_user)
    assert logged(actions.REPORT_ISSUED).data["code"] == interview.reports.get().code

    recommendation = board_decide_one(
        recommendation=approval.recommendation, approve=True, decided_on=timezone.localdate(),
        meeting="Board meeting 12", user=board, note=LONG,
    )  # fmt: skip
    label = recommendation.label
    decided = logged(actions.BOARD_DECIDED)
    assert (decided.user, decided.reason, decided.data["decision"]) == (board, LONG, "approved")
    assert (decided.data["meeting"], decided.data["label"]) == ("Board meeting 12", label.code)
    awarded = logged(actions.LABEL_AWARDED)
    assert (awarded.content_object, awarded.user, awarded.data["code"]) == (label, board, label.code)
    assert awarded.data["meeting"] == "Board meeting 12"

    interview_reopen(interview=interview, user=staff_user, reason=LONG)
    assert logged(actions.INTERVIEW_REOPENED).reason == LONG
    assert logged(actions.LABEL_SUSPENDED).reason == f"The interview behind it was reopened: {LONG}"
    # Every action of this interview's story concerns its cluster: one query shows them all.
    assert set(ActionLog.objects.filter(cluster=interview.cluster).values_list("action", flat=True)) == {
        actions.INTERVIEW_APPROVED, actions.BOARD_RECOMMENDED, actions.REPORT_ISSUED, actions.BOARD_DECIDED,
        actions.LABEL_AWARDED, actions.INTERVIEW_REOPENED, actions.LABEL_SUSPENDED,
    }  # fmt: skip


def test_a_reopening_withdraws_the_pending_recommendation_with_the_reason(reference_data, staff_user):
    interview = submitted()
    interview_approve(interview=interview, user=staff_user)
    interview_reopen(interview=interview, user=staff_user, reason=LONG)
    entry = logged(actions.BOARD_RECOMMENDATION_WITHDRAWN)
    assert entry.reason == f"The interview behind it was reopened: {LONG}"
    assert entry.data["changes"]["status"] == {"old": "pending", "new": "withdrawn"}


def test_an_approval_rolled_back_by_its_recommendation_logs_nothing(reference_data, staff_user):
    """The approval is saved and logged, then the recommendation is refused (the expert was not
    accredited on the interview day): the whole transaction, its action with it, is undone."""
    expert = ExpertFactory(accredited_from=D(2015, 1, 1), accredited_until=D(2016, 1, 1))
    interview = submitted(expert=expert)
    with pytest.raises(ReviewError, match="accreditation"):
        interview_approve(interview=interview, user=staff_user)
    interview.refresh_from_db()
    assert interview.status == Interview.Status.SUBMITTED
    assert not ActionLog.objects.exists()


def test_a_refused_review_decision_logs_nothing(reference_data, staff_user):
    interview = submitted()
    with pytest.raises(ReviewError):
        interview_reject(interview=interview, user=staff_user, reason="")
    with pytest.raises(ReviewError):
        interview_approve(interview=interview, user=interview.expert.user)  # not the secretariat
    assert not ActionLog.objects.exists()


def test_a_declined_recommendation_and_the_undoing_of_the_decision(reference_data, staff_user):
    interview = submitted()
    recommendation = interview_approve(interview=interview, user=staff_user).recommendation
    board = board_member()
    board_decide_one(
        recommendation=recommendation, approve=False, decided_on=timezone.localdate(), meeting="M1",
        user=board, note=LONG,
    )  # fmt: skip
    declined = logged(actions.BOARD_DECIDED)
    assert (declined.data["decision"], declined.data["label"], declined.reason) == ("declined", None, LONG)
    board_decision_undo(recommendation=recommendation, reason=LONG, user=staff_user)
    undone = logged(actions.BOARD_DECISION_UNDONE)
    assert (undone.user, undone.reason) == (staff_user, LONG)
    assert undone.data["changes"]["status"] == {"old": "declined", "new": "pending"}
    assert undone.data["changes"]["meeting"] == {"old": "M1", "new": ""}


def test_a_refused_batch_of_the_board_logs_nothing(reference_data, staff_user):
    first, second = submitted(), submitted()
    recommendations = [interview_approve(interview=i, user=staff_user).recommendation for i in (first, second)]
    count = ActionLog.objects.count()
    with pytest.raises(BatchRefused):  # the second line declines without saying why
        board_decide(
            decisions=[Decision(recommendations[0], True), Decision(recommendations[1], False)],
            decided_on=timezone.localdate(), meeting="M2", user=board_member(),
        )  # fmt: skip
    assert ActionLog.objects.count() == count
    assert LabelRecommendation.objects.filter(status="pending").count() == 2


# --- Eligibility, Silver --------------------------------------------------------------------------


def test_eligibility_facts_log_their_old_and_new_values(reference_data, staff_user):
    cluster = ClusterFactory()
    url = "https://clustercollaboration.eu/cluster-organisations/one"
    eligibility_facts_record(
        cluster=cluster, user=staff_user, expected_updated_at=None, eccp_profile_url=url,
        eccp_validated_on=D(2024, 3, 1),
    )  # fmt: skip
    entry = logged(actions.ELIGIBILITY_RECORDED)
    assert (entry.content_object, entry.cluster, entry.user) == (cluster, cluster, staff_user)
    assert entry.data["changes"] == {
        "eccp_profile_url": {"old": "", "new": url},
        "eccp_validated_on": {"old": None, "new": "2024-03-01"},
    }


def test_refused_eligibility_facts_log_nothing(reference_data, staff_user):
    with pytest.raises(EligibilityError):
        eligibility_facts_record(
            cluster=ClusterFactory(), user=staff_user, expected_updated_at=None,
            eccp_validated_on=timezone.localdate() + datetime.timedelta(days=1),
        )  # fmt: skip
    assert not ActionLog.objects.exists()


def test_a_silver_audit_without_a_label_says_why(reference_data, staff_user):
    cluster = ClusterFactory(eligible=True)
    approved_interview(cluster=cluster, date=D(2022, 1, 10))
    indicators = list(Indicator.objects.filter(catalogue__version="1")[:3])
    findings = [Finding(r, r.code != active_baseline_requirements()[0].code, "Not shown.")
                for r in active_baseline_requirements()]  # fmt: skip
    outcome = silver_audit_record(
        cluster=cluster,
        auditor=ExpertFactory(accredited_from=D(2010, 1, 1), user__first_name="A.", user__last_name="Auditor"),
        audited_on=D(2023, 10, 1),
        findings=findings,
        report="Fine.", recommendations=["Measure."], areas=[(i, "Improved") for i in indicators], user=staff_user,
    )  # fmt: skip
    entry = logged(actions.SILVER_AUDIT_RECORDED)
    assert (entry.content_object, entry.cluster, entry.user) == (outcome.record, cluster, staff_user)
    assert (entry.data["passed"], entry.data["auditor"]) == (False, "A. Auditor")
    assert entry.data["no_label"] == outcome.reasons
    assert not ActionLog.objects.filter(action=actions.BOARD_RECOMMENDED).exists()


# --- The questionnaire in advance, reports, reminders ----------------------------------------------


def test_the_invitation_and_the_managers_actions_are_on_the_interview(reference_data, expert):
    interview = InterviewFactory(expert=expert, date=timezone.localdate() + datetime.timedelta(days=5))
    invitation, _token = invite(interview, email="manager@cluster.example.org")
    with TestCase.captureOnCommitCallbacks(execute=True):
        invitation_resend(invitation=invitation, user=expert.user)
    manager = UserFactory(email="manager@cluster.example.org")  # the invitation belongs to its addressee
    invitation_accept(invitation=invitation, user=manager)
    invitation.refresh_from_db()
    indicator = Indicator.objects.filter(catalogue=interview.catalogue, category__code="E").first()
    fields = {"number": None, "boolean": None, "choice": "", "selected": None, "parts": None,
              "missing_reason": "unknown", "comment": "", "accepted_warnings": []}  # fmt: skip
    proposals_save_step(invitation=invitation, expected_version=invitation.version, values={indicator: fields},
                        user=manager)  # fmt: skip
    questionnaire_mark_ready(invitation=invitation, user=manager)
    invitation_revoke(invitation=invitation, user=expert.user)
    entries = ActionLog.objects.order_by("pk")
    assert [(e.action, e.user) for e in entries] == [
        (actions.MANAGER_INVITED, expert.user),
        (actions.MANAGER_INVITATION_RESENT, expert.user),
        (actions.MANAGER_JOINED, manager),
        (actions.MANAGER_PROPOSALS_SAVED, manager),
        (actions.MANAGER_QUESTIONNAIRE_READY, manager),
        (actions.MANAGER_INVITATION_REVOKED, expert.user),
    ]
    assert {e.content_object for e in entries} == {interview}
    assert {e.data["email"] for e in entries} == {"manager@cluster.example.org"}
    assert logged(actions.MANAGER_PROPOSALS_SAVED).data["indicators"] == [indicator.code]


def test_the_experts_recommendations_log_what_changed(reference_data, staff_user):
    interview = approved_interview()
    category = Category.objects.filter(catalogue=interview.catalogue).order_by("order").first()
    expert_recommendations_save(interview=interview, texts={category: "Grow the membership."}, user=staff_user)
    expert_recommendations_save(interview=interview, texts={category: "Grow the membership."}, user=staff_user)
    entry = logged(actions.REPORT_RECOMMENDATIONS_SAVED)
    assert entry.data == {"changes": {category.code: {"old": None, "new": "Grow the membership."}}}


def test_a_reminder_is_a_system_action(reference_data, expert):
    cluster = ClusterFactory(contact_email="manager@cluster.example.org")
    approved_interview(cluster=cluster, expert=expert, date=D(2024, 6, 30))
    label = LabelFactory(cluster=cluster, valid_from=D(2024, 6, 30), valid_until=D(2026, 6, 30))
    call_command("label_reminders", "--today", "2025-12-30", stdout=io.StringIO())
    entry = logged(actions.LABEL_REMINDER_SENT)
    assert (entry.content_object, entry.user, entry.data["kind"]) == (label, None, "6m")
    assert "manager@cluster.example.org" in entry.data["recipients"]
