"""The people rules (rules/people.py) at their edges: accreditation, conflicts of interest from
the day they are declared, four eyes for Silver auditors, reviewers and the board."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from benchmarking.models import ConflictOfInterest, Interview, LabelRecommendation, SilverAudit
from benchmarking.rules.board import board_decision_refusal
from benchmarking.rules.people import conflict_refusal, reviewers_of_many
from benchmarking.rules.silver import silver_audit_auditor_refusal
from benchmarking.services.board import BatchRefused
from benchmarking.services.interviews import InterviewError, interview_submit
from benchmarking.services.review import ReviewError, interview_approve, interview_return
from benchmarking.services.silver_gold import AuditError, silver_audit_record
from benchmarking.tests.board.helpers import decide, recommended
from benchmarking.tests.silver_gold.helpers import REPORT, areas, findings, two_benchmarkings
from tests.factories import ClusterFactory, ExpertFactory, InterviewFactory, answer_all, board_member

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = timezone.localdate


def declare(person, cluster, day) -> ConflictOfInterest:
    """A conflict of interest declared on `day` by `person` (a user, made an expert if need be)."""
    expert = getattr(person, "expert", None) or ExpertFactory(user=person)
    return ConflictOfInterest.objects.create(expert=expert, cluster=cluster, reason="On its board", declared_on=day)


# --- Conflicts of interest bind from the day they are declared ----------------------------------


def test_a_conflict_binds_from_the_day_of_its_declaration_not_the_day_before(db):
    expert, cluster = ExpertFactory(), ClusterFactory()
    declare(expert.user, cluster, D(2026, 5, 10))
    assert conflict_refusal(user=expert.user, cluster=cluster, day=D(2026, 5, 9)) is None
    refusal = conflict_refusal(user=expert.user, cluster=cluster, day=D(2026, 5, 10))
    assert "declared a conflict of interest" in refusal and cluster.name in refusal


def test_a_conflict_with_another_cluster_binds_nothing(db):
    expert, cluster = ExpertFactory(), ClusterFactory()
    declare(expert.user, ClusterFactory(), D(2020, 1, 1))
    assert conflict_refusal(user=expert.user, cluster=cluster, day=TODAY()) is None


def test_a_conflict_declared_after_the_interview_stops_its_submission(reference_data):
    interview = answer_all(InterviewFactory(date=TODAY() - datetime.timedelta(days=20)))
    declare(interview.expert.user, interview.cluster, TODAY() - datetime.timedelta(days=5))
    with pytest.raises(InterviewError, match="conflict of interest"):
        interview_submit(interview=interview, expected_version=interview.version, user=interview.expert.user)
    interview.refresh_from_db()
    assert interview.status == Interview.Status.DRAFT


def submitted(**fields) -> Interview:
    return answer_all(InterviewFactory(status=Interview.Status.SUBMITTED, cluster__eligible=True, **fields))


def test_a_reviewer_with_a_conflict_declared_after_the_interview_does_not_review_it(reference_data, staff_user):
    interview = submitted(date=TODAY() - datetime.timedelta(days=30))
    declare(staff_user, interview.cluster, TODAY() - datetime.timedelta(days=1))
    with pytest.raises(ReviewError, match="conflict of interest"):
        interview_approve(interview=interview, user=staff_user)
    with pytest.raises(ReviewError, match="conflict of interest"):
        interview_return(interview=interview, user=staff_user, comment="Check A4.")
    interview.refresh_from_db()
    assert interview.status == Interview.Status.SUBMITTED and not interview.label_recommendations.exists()


def test_the_review_page_shows_the_conflict_instead_of_the_decisions(client, reference_data, staff_user):
    interview = submitted()
    declare(staff_user, interview.cluster, TODAY())
    client.force_login(staff_user)
    page = client.get(reverse("benchmarking:review_interview", args=[interview.pk])).content.decode()
    assert "declared a conflict of interest" in page
    assert reverse("benchmarking:review_approve", args=[interview.pk]) not in page
    assert 'id="eligibility-form"' not in page  # recording eligibility facts is a review step too
    url = reverse("benchmarking:review_eligibility", args=[interview.pk])
    assert client.post(url, {"eligibility_waiver": "social_economy"}).status_code == 403


def test_a_board_member_decides_the_day_before_a_declaration_but_not_the_day_of_it(
    reference_data, staff_user, board_user
):
    recommendation = recommended(staff_user, date=TODAY() - datetime.timedelta(days=60))
    LabelRecommendation.objects.filter(pk=recommendation.pk).update(
        recommended_at=timezone.now() - datetime.timedelta(days=10)
    )
    recommendation.refresh_from_db()
    declare(board_user, recommendation.cluster, TODAY() - datetime.timedelta(days=1))
    with pytest.raises(BatchRefused) as refused:
        decide(recommendation, board_user, decided_on=TODAY() - datetime.timedelta(days=1))
    assert "conflict of interest" in refused.value.lines[recommendation.pk]
    assert "conflict of interest" in board_decision_refusal(user=board_user, recommendation=recommendation)
    # A meeting held the day before the declaration decided before the conflict bound.
    decided = decide(recommendation, board_user, decided_on=TODAY() - datetime.timedelta(days=2))
    assert decided.status == "approved"


# --- Four eyes at the board: whoever reviewed, returned or commented --------------------------


def returned_then_approved(returner, commenter, approver) -> Interview:
    """An interview returned by `returner`, commented on by `commenter` (a second return), resubmitted
    and approved by `approver`: three members of the secretariat took a step on it."""
    interview = submitted()
    interview_return(interview=interview, user=returner, comment="Check A4.")
    for user in (commenter,):
        Interview.objects.filter(pk=interview.pk).update(status=Interview.Status.SUBMITTED)
        interview.refresh_from_db()
        interview_return(interview=interview, user=user, comment="And A5.", answer_comments={"A5": "Sum?"})
    Interview.objects.filter(pk=interview.pk).update(status=Interview.Status.SUBMITTED)
    interview.refresh_from_db()
    interview_approve(interview=interview, user=approver)
    return interview


def test_whoever_returned_or_commented_on_an_interview_does_not_decide_on_it(reference_data):
    returner, commenter, approver = (board_member(is_staff=True) for _ in range(3))
    outsider = board_member()
    interview = returned_then_approved(returner, commenter, approver)
    recommendation = interview.label_recommendations.get()
    assert reviewers_of_many([recommendation])[recommendation.pk] == {returner.pk, commenter.pk, approver.pk}
    for person in (returner, commenter, approver):
        refusal = board_decision_refusal(user=person, recommendation=recommendation)
        assert "You reviewed, returned or commented on this benchmarking" in refusal
    assert board_decision_refusal(user=outsider, recommendation=recommendation) is None


def test_the_board_screen_says_why_the_returner_does_not_decide(client, reference_data):
    returner, approver = board_member(is_staff=True), board_member(is_staff=True)
    interview = returned_then_approved(returner, approver, approver)
    client.force_login(returner)
    page = client.get(reverse("benchmarking:board_pending")).content.decode()
    recommendation = interview.label_recommendations.get()
    assert "You reviewed, returned or commented on this benchmarking" in page
    assert f'name="decision_{recommendation.pk}"' not in page


# --- The Silver auditor is an accredited expert ---------------------------------------------------


def record_audit(cluster, auditor, day, user, indicators):
    return silver_audit_record(
        cluster=cluster, auditor=auditor, audited_on=day, findings=findings(), **REPORT,
        areas=areas(indicators), user=user,
    )  # fmt: skip


def test_an_auditor_is_accredited_on_the_audit_day_up_to_the_last_day_of_the_accreditation(
    reference_data, staff_user, catalogue
):
    cluster, *_ = two_benchmarkings(20)
    audit_day = D(2023, 10, 1)
    ends_that_day = ExpertFactory(accredited_until=audit_day)
    ended_the_day_before = ExpertFactory(accredited_until=audit_day - datetime.timedelta(days=1))
    assert silver_audit_auditor_refusal(cluster=cluster, auditor=ends_that_day, audited_on=audit_day) is None
    with pytest.raises(AuditError, match="accreditation"):
        record_audit(cluster, ended_the_day_before, audit_day, staff_user, list(catalogue.indicators.all()))
    outcome = record_audit(cluster, ends_that_day, audit_day, staff_user, list(catalogue.indicators.all()))
    assert outcome.record.auditor == ends_that_day and outcome.recommendation is not None


def test_an_auditor_with_a_declared_conflict_earns_no_silver(reference_data, staff_user, catalogue):
    cluster, *_ = two_benchmarkings(20)
    auditor = ExpertFactory()
    declare(auditor.user, cluster, TODAY())  # declared after the audit, before it is recorded
    with pytest.raises(AuditError, match="conflict of interest"):
        record_audit(cluster, auditor, D(2023, 10, 1), staff_user, list(catalogue.indicators.all()))
    assert not SilverAudit.objects.exists() and not cluster.label_recommendations.exists()


@pytest.mark.parametrize("which", ["first", "second"])
def test_the_expert_of_either_benchmarking_does_not_audit_it(reference_data, staff_user, catalogue, which):
    cluster, first, second = two_benchmarkings(20)
    own = {"first": first, "second": second}[which].expert
    with pytest.raises(AuditError, match="four eyes"):
        record_audit(cluster, own, D(2023, 10, 1), staff_user, list(catalogue.indicators.all()))


def test_the_audit_form_offers_experts_and_says_why_one_is_refused(client, reference_data, staff_user):
    from benchmarking.tests.silver_gold.helpers import audit_form_data

    cluster, first, second = two_benchmarkings(20)
    client.force_login(staff_user)
    data = audit_form_data(first, second) | {"auditor": second.expert.pk}
    response = client.post(reverse("benchmarking:silver_audit_new", args=[cluster.pk]), data)
    assert response.status_code == 200
    assert "another expert must audit it (four eyes)" in response.content.decode()
    assert not SilverAudit.objects.exists()
    data["auditor"] = "not a number"
    response = client.post(reverse("benchmarking:silver_audit_new", args=[cluster.pk]), data)
    assert response.status_code == 200 and not SilverAudit.objects.exists()


def test_the_board_does_not_decide_on_an_audit_by_one_of_its_members(reference_data, staff_user, catalogue):
    cluster, *_ = two_benchmarkings(20)
    auditor = ExpertFactory(user=board_member())
    outcome = record_audit(cluster, auditor, D(2023, 10, 1), staff_user, list(catalogue.indicators.all()))
    refusal = board_decision_refusal(user=auditor.user, recommendation=outcome.recommendation)
    assert "You conducted this benchmarking" in refusal


def test_an_audit_recorded_before_auditors_were_experts_keeps_its_name(client, reference_data, staff_user):
    cluster = ClusterFactory()
    SilverAudit.objects.create(
        cluster=cluster, auditor_name="Ana Auditora", audited_on=D(2022, 3, 1), passed=True, recorded_by=staff_user
    )
    client.force_login(staff_user)
    page = client.get(reverse("benchmarking:cluster_labels", args=[cluster.pk])).content.decode()
    assert "by Ana Auditora" in page
