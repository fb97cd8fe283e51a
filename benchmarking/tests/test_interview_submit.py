"""Summary, submit, read-only after submission, returned interviews, and the history."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from benchmarking.models import Answer, Interview
from benchmarking.selectors.interview_history import interview_history
from benchmarking.tests.interview_helpers import answer_of, login, post_step, step_url, valid_step_data
from tests.factories import InterviewFactory, answer_all


@pytest.fixture
def interview(expert):
    return InterviewFactory(expert=expert)


@pytest.fixture
def owner(client, expert):
    return login(client, expert.user)


def _submit(owner, interview):
    interview.refresh_from_db()
    return owner.post(reverse("benchmarking:interview_submit", kwargs={"pk": interview.pk}),
                      {"version": interview.version}, follow=True)


def test_the_summary_flags_missing_answers_and_accepted_warnings(owner, interview):
    post_step(owner, interview, "E", valid_step_data(interview, "E"))
    Answer.objects.filter(indicator__code="E1").update(accepted_warnings=["E1 looks odd."])
    response = owner.get(interview.get_absolute_url())
    assert "3 of 36 answered" in response.text
    assert response.text.count(">Missing<") == 33
    assert "Accepted warning: E1 looks odd." in response.text
    assert step_url(interview, "C") in response.text


def test_it_refuses_to_submit_an_incomplete_interview(owner, interview):
    post_step(owner, interview, "E", valid_step_data(interview, "E"))
    response = _submit(owner, interview)
    assert "cannot be submitted yet: 33 indicators" in response.text
    interview.refresh_from_db()
    assert interview.status == Interview.Status.DRAFT


def test_a_planned_interview_is_submitted_only_after_its_day(owner, interview):
    answer_all(interview)
    Interview.objects.filter(pk=interview.pk).update(date=timezone.localdate() + datetime.timedelta(days=1))
    response = _submit(owner, interview)
    assert "submit it after it took place" in response.text
    interview.refresh_from_db()
    assert interview.status == Interview.Status.DRAFT


def test_a_reason_counts_as_an_answer_for_submitting(owner, interview):
    answer_all(interview)
    post_step(owner, interview, "F", valid_step_data(interview, "F") | {"F3-value": "", "F3-missing_reason": "unknown"})
    _submit(owner, interview)
    interview.refresh_from_db()
    assert interview.status == Interview.Status.SUBMITTED


def test_it_submits_and_then_the_interview_is_read_only(owner, interview, expert):
    answer_all(interview)
    response = _submit(owner, interview)
    assert "Submitted to the secretariat" in response.text
    interview.refresh_from_db()
    assert interview.status == Interview.Status.SUBMITTED and interview.submitted_at
    assert interview.history.first().history_user == expert.user

    before = answer_of(interview, "E1").number
    assert post_step(owner, interview, "E", valid_step_data(interview, "E")).status_code == 403
    assert answer_of(interview, "E1").number == before
    page = owner.get(step_url(interview, "E"))
    assert "read only" in page.text and "Save and continue" not in page.text


def test_a_stale_summary_does_not_submit(owner, interview):
    answer_all(interview)
    response = owner.post(reverse("benchmarking:interview_submit", kwargs={"pk": interview.pk}), {"version": 99},
                          follow=True)
    assert "Not submitted" in response.text
    interview.refresh_from_db()
    assert interview.status == Interview.Status.DRAFT


def test_a_returned_interview_is_editable_with_the_reviewers_comments(owner, interview):
    answer_all(interview)
    Interview.objects.filter(pk=interview.pk).update(
        status=Interview.Status.RETURNED, review_comment="Please check the budget figures."
    )
    Answer.objects.filter(interview=interview, indicator__code="C1").update(review_comment="Is this in EUR?")
    page = owner.get(step_url(interview, "C"))
    assert "Please check the budget figures." in page.text
    assert "Is this in EUR?" in page.text
    assert "Save and continue" in page.text
    response = post_step(owner, interview, "C", valid_step_data(interview, "C") | {"C1-value": "300000"})
    assert response.status_code == 302
    assert answer_of(interview, "C1").number == 300000
    assert "Is this in EUR?" in owner.get(interview.get_absolute_url()).text


def test_the_history_records_who_changed_what(owner, interview, expert, staff_user, client):
    post_step(owner, interview, "E", valid_step_data(interview, "E"))
    post_step(owner, interview, "E", valid_step_data(interview, "E") | {"E1-value": "75", "E1-comment": "estimate"})
    post_step(owner, interview, "E", valid_step_data(interview, "E") | {"E1-value": "", "E1-missing_reason": "unknown"})
    changes = [(c.indicator, c.field, c.old, c.new, c.who) for c in interview_history(interview)]
    who = expert.user.get_full_name()
    assert ("E1", "value", "", "50\u00a0%", who) in changes
    assert ("E1", "value", "50\u00a0%", "75\u00a0%", who) in changes
    assert ("E1", "comment", "", "estimate", who) in changes
    assert ("E1", "value", "75\u00a0%", "", who) in changes
    assert ("E1", "reason", "", "Unknown", who) in changes
    # Unchanged answers are not written again: E2 has one record only.
    assert Answer.history.filter(interview_id=interview.pk, indicator__code="E2").count() == 1

    page = owner.get(reverse("benchmarking:interview_history", kwargs={"pk": interview.pk}))
    assert "50\u00a0%" in page.text and "75\u00a0%" in page.text
    login(client, staff_user)
    assert client.get(reverse("benchmarking:interview_history", kwargs={"pk": interview.pk})).status_code == 200


def test_the_history_records_status_changes(owner, interview):
    answer_all(interview)
    _submit(owner, interview)
    changes = [(c.indicator, c.field, c.old, c.new) for c in interview_history(interview)]
    assert ("Interview", "status", "Draft", "Submitted") in changes


def test_the_history_costs_three_queries_whatever_its_length(owner, interview, django_assert_num_queries):
    for value in ("10", "20", "30"):
        post_step(owner, interview, "E", valid_step_data(interview, "E") | {"E1-value": value})
    # answer history (with indicator and user), interview history (with user), review comments,
    # the manager's invitation history (with user and manager)
    with django_assert_num_queries(4):
        changes = interview_history(interview)
    assert len(changes) >= 6
