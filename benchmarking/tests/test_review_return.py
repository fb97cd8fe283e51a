"""Returning an interview from the review page: a comment box beside each answer and a general
comment, sent in one step (issue 10)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarking.models import Interview
from benchmarking.tests.interview_helpers import login
from tests.factories import InterviewFactory, answer_all


@pytest.fixture
def submitted(expert):
    return answer_all(InterviewFactory(status=Interview.Status.SUBMITTED, expert=expert))


def _review(client, interview):
    return client.get(reverse("benchmarking:review_interview", args=[interview.pk]))


def _return(client, interview, **data):
    url = reverse("benchmarking:review_return", args=[interview.pk])
    return client.post(url, {"version": interview.version, **data})


def _row(page: str, code: str) -> str:
    """The table row of one answer on the review page."""
    start = page.index(f'id="answer-{code}"')
    return page[start:page.index("</tr>", start)]


def test_each_answer_has_its_comment_box_beside_it(client, submitted, staff_user):
    login(client, staff_user)
    page = _review(client, submitted).content.decode()
    for code in ("A1", "B4", "F3"):
        assert f'name="on_{code}"' in _row(page, code)
    assert page.count('name="on_') == 36
    assert f'action="{reverse("benchmarking:review_return", args=[submitted.pk])}"' in page
    assert 'name="comment"' in page


def test_it_returns_with_the_comments_beside_the_answers_and_a_general_one(client, submitted, staff_user,
                                                                          django_capture_on_commit_callbacks,
                                                                          mailoutbox):
    login(client, staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = _return(client, submitted, comment="Please check B.", on_B4="Above the headcount?", on_A1="")
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Interview.Status.RETURNED
    assert submitted.review_comment == "Please check B."
    comments = dict(submitted.answers.exclude(review_comment="").values_list("indicator__code", "review_comment"))
    assert comments == {"B4": "Above the headcount?"}
    assert len(mailoutbox) == 1
    # The expert sees the comment on the step, next to the answer.
    login(client, submitted.expert.user)
    step = client.get(reverse("benchmarking:interview_step", args=[submitted.pk, "B"])).content.decode()
    assert "Above the headcount?" in step


def test_without_a_general_comment_nothing_is_returned_and_the_comments_stay(client, submitted, staff_user):
    login(client, staff_user)
    response = _return(client, submitted, comment="  ", on_B4="Above the headcount?")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Write a comment for the expert." in page
    assert "Above the headcount?" in _row(page, "B4")  # what was typed beside B4 is kept
    submitted.refresh_from_db()
    assert submitted.status == Interview.Status.SUBMITTED
    assert not submitted.answers.exclude(review_comment="").exists()


def test_a_too_long_comment_is_refused_beside_its_answer(client, submitted, staff_user):
    login(client, staff_user)
    response = _return(client, submitted, comment="See B4.", on_B4="x" * 20000)
    assert response.status_code == 200
    assert "at most" in _row(response.content.decode(), "B4")
    submitted.refresh_from_db()
    assert submitted.status == Interview.Status.SUBMITTED


def test_a_stale_page_returns_nothing(client, submitted, staff_user):
    login(client, staff_user)
    response = client.post(reverse("benchmarking:review_return", args=[submitted.pk]),
                           {"version": submitted.version + 3, "comment": "See B4."})
    assert response.status_code == 409
    assert "changed since you opened the page" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Interview.Status.SUBMITTED


def test_no_comment_boxes_for_the_interviewing_expert_nor_once_decided(client, submitted, staff_user, expert):
    expert.user.is_staff = True
    expert.user.save()
    login(client, expert.user)
    assert 'name="on_' not in _review(client, submitted).content.decode()
    Interview.objects.filter(pk=submitted.pk).update(status=Interview.Status.APPROVED)
    login(client, staff_user)
    assert 'name="on_' not in _review(client, submitted).content.decode()


def test_the_review_page_costs_the_same_queries_with_comments_on_every_answer(client, submitted, staff_user):
    login(client, staff_user)
    with CaptureQueriesContext(connection) as none:
        _review(client, submitted)
    submitted.answers.update(review_comment="Please check.")
    with CaptureQueriesContext(connection) as every:
        _review(client, submitted)
    assert len(every) == len(none)
