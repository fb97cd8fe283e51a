"""Issue 9, audit gaps: history for every model the secretariat edits, comments as comments,
length limits on reasons and comments, and a double-clicked "Start interview"."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from benchmarking.limits import COMMENT_MAX_LENGTH, REASON_MAX_LENGTH
from benchmarking.models import Answer, ExpertRecommendation, Interview, Label, RecommendationRule, ReviewComment
from benchmarking.rules.label_periods import LabelError
from benchmarking.selectors.interview_history import interview_history
from benchmarking.services.interview_start import OpenInterviewExists, interview_start
from benchmarking.services.labels import label_suspend
from benchmarking.services.review import ReviewError, interview_reject, interview_return
from benchmarking.services.silver_gold import gold_assessment_record
from benchmarking.tests.interview_helpers import login
from clusters.models import Cluster
from tests.factories import ClusterFactory, ExpertFactory, InterviewFactory, LabelFactory, UserFactory, answer_all

pytestmark = pytest.mark.django_db


def submitted():
    interview = InterviewFactory(status=Interview.Status.SUBMITTED, cluster__eligible=True)
    return answer_all(interview)


# --- A reviewer's comment is a comment -----------------------------------------------------------


def test_a_reviewers_comment_is_no_change_of_the_answer(reference_data, staff_user):
    interview = submitted()
    answer_records_before = Answer.history.filter(interview_id=interview.pk).count()
    interview_return(interview=interview, user=staff_user, comment="Check B4.", answer_comments={"B4": "Too high?"})
    assert Answer.history.filter(interview_id=interview.pk).count() == answer_records_before
    assert interview.answers.get(indicator__code="B4").review_comment == "Too high?"
    reviewer = staff_user.get_full_name()
    changes = [(c.indicator, c.field, c.old, c.new, c.who) for c in interview_history(interview)]
    assert ("B4", "reviewer's comment", "", "Too high?", reviewer) in changes
    assert not [c for c in changes if c[0] == "B4" and c[1] != "reviewer's comment"]


def test_a_changed_and_a_cleared_comment_are_each_recorded(reference_data, staff_user):
    interview = submitted()
    interview_return(interview=interview, user=staff_user, comment="Check.", answer_comments={"B4": "Too high?"})
    Interview.objects.filter(pk=interview.pk).update(status=Interview.Status.SUBMITTED)
    interview_return(interview=interview, user=staff_user, comment="Again.", answer_comments={"B3": "Headcount?"})
    texts = list(ReviewComment.objects.values_list("indicator__code", "text"))
    assert texts == [("B4", "Too high?"), ("B3", "Headcount?"), ("B4", "")]


# --- Length limits -------------------------------------------------------------------------------


def test_a_reason_beyond_the_limit_is_refused_by_the_service(reference_data, staff_user):
    label = LabelFactory(valid_until=datetime.date(2999, 1, 1))  # valid: it can be suspended
    with pytest.raises(LabelError, match=f"at most {REASON_MAX_LENGTH} characters"):
        label_suspend(label=label, reason="x" * 10_000, user=staff_user)
    label.refresh_from_db()
    assert label.status == Label.Status.ACTIVE


def test_a_reason_beyond_the_limit_is_shown_next_to_the_field(client, reference_data, staff_user):
    label = LabelFactory(valid_until=datetime.date(2999, 1, 1))  # valid: it can be suspended
    client.force_login(staff_user)
    url = reverse("benchmarking:label_status_change", args=[label.code, "suspend"])
    response = client.post(url, {"reason": "x" * 10_000})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == [
        f"Ensure this value has at most {REASON_MAX_LENGTH} characters (it has 10000)."
    ]
    label.refresh_from_db()
    assert label.status == Label.Status.ACTIVE


def test_rejection_reasons_and_answer_comments_have_limits(reference_data, staff_user):
    interview = submitted()
    with pytest.raises(ReviewError, match="at most"):
        interview_reject(interview=interview, user=staff_user, reason="x" * (REASON_MAX_LENGTH + 1))
    with pytest.raises(ReviewError, match="comment on B4 can be at most"):
        interview_return(
            interview=interview, user=staff_user, comment="ok", answer_comments={"B4": "y" * (COMMENT_MAX_LENGTH + 1)}
        )
    interview.refresh_from_db()
    assert interview.status == Interview.Status.SUBMITTED


# --- History of what the secretariat edits -------------------------------------------------------


def test_a_gold_assessment_has_a_history_with_its_author(reference_data, staff_user):
    from benchmarking.rules.gold import active_gold_indicators

    outcome = gold_assessment_record(
        cluster=ClusterFactory(), first_assessor=ExpertFactory(), second_assessor=ExpertFactory(),
        assessed_on=datetime.date(2025, 1, 1),
        scores={i: 90 for i in active_gold_indicators()}, user=staff_user,
    )  # fmt: skip
    record = outcome.record.history.get()
    assert (record.history_type, record.history_user) == ("+", staff_user)


def test_editing_a_cluster_in_the_admin_is_recorded_with_old_and_new(client, reference_data):
    admin_user = UserFactory(username="admin", is_staff=True, is_superuser=True)
    cluster = ClusterFactory(name="Old Name")
    client.force_login(admin_user)
    url = reverse("admin:clusters_cluster_change", args=[cluster.pk])
    data = {
        "name": "New Name", "slug": cluster.slug, "portfolio": cluster.portfolio_id, "country": "DE",
        "region": "", "website": "https://new.example.org/", "eccp_profile_url": "", "organisation_name": "",
        "contact_email": "", "description": "",
    }  # fmt: skip
    assert client.post(url, data).status_code == 302
    latest, earlier = Cluster.history.filter(id=cluster.pk).order_by("-history_id")[:2]
    assert (earlier.name, latest.name, latest.history_user) == ("Old Name", "New Name", admin_user)
    assert client.get(reverse("admin:clusters_cluster_history", args=[cluster.pk])).status_code == 200


def test_editing_a_recommendation_rule_in_the_admin_is_recorded(client, catalogue):
    admin_user = UserFactory(username="admin", is_staff=True, is_superuser=True)
    indicator = catalogue.indicators.get(code="B4")
    rule = RecommendationRule.objects.create(indicator=indicator, condition="below_value", threshold=1, text="Hire.")
    client.force_login(admin_user)
    url = reverse("admin:benchmarking_recommendationrule_change", args=[rule.pk])
    data = {"indicator": indicator.pk, "condition": "below_value", "group": "portfolio", "threshold": "2",
            "answer": "", "text_en": "Hire more.", "serves": "silver", "is_active": "on"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    latest = rule.history.order_by("-history_id").first()
    assert (latest.text, latest.threshold, latest.history_user) == ("Hire more.", 2, admin_user)


def test_expert_recommendations_have_a_history(reference_data):
    interview = InterviewFactory()
    category = interview.catalogue.categories.first()
    recommendation = ExpertRecommendation.objects.create(interview=interview, category=category, text="Grow.")
    recommendation.text = "Grow faster."
    recommendation.save()
    assert [r.text for r in recommendation.history.order_by("history_id")] == ["Grow.", "Grow faster."]


# --- Double start --------------------------------------------------------------------------------


def start(expert, cluster):
    return interview_start(
        expert=expert, cluster=cluster, date=timezone.localdate() - datetime.timedelta(days=1),
        mode="video", interviewee_name="Ana", interviewee_role="Manager", user=expert.user,
    )  # fmt: skip


def test_a_second_start_finds_the_open_interview(expert):
    cluster = ClusterFactory()
    first = start(expert, cluster)
    with pytest.raises(OpenInterviewExists) as exc:
        start(expert, cluster)
    assert exc.value.interview == first
    assert Interview.objects.count() == 1


@pytest.mark.parametrize("status", ["returned", "submitted"])
def test_an_interview_waiting_for_review_or_returned_is_open_too(expert, status):
    cluster = ClusterFactory()
    existing = InterviewFactory(expert=expert, cluster=cluster, status=status)
    with pytest.raises(OpenInterviewExists) as exc:
        start(expert, cluster)
    assert exc.value.interview == existing


def test_after_a_decision_a_new_interview_can_start(expert):
    cluster = ClusterFactory()
    InterviewFactory(expert=expert, cluster=cluster, status=Interview.Status.REJECTED)
    assert start(expert, cluster).status == Interview.Status.DRAFT


def test_a_double_clicked_start_opens_the_existing_interview(client, expert):
    cluster = ClusterFactory()
    owner = login(client, expert.user)
    data = {
        "cluster": cluster.pk, "date": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "mode": "on_site", "interviewee_name": "Ana", "interviewee_role": "Manager",
    }  # fmt: skip
    owner.post(reverse("benchmarking:interview_new"), data)
    second = owner.post(reverse("benchmarking:interview_new"), data, follow=True)
    interview = Interview.objects.get()
    assert second.redirect_chain[0][0] == interview.get_absolute_url()
    assert "already have an open interview" in second.content.decode()
