"""Who may do what with interviews: the permission matrix (issue 3, point 8)."""

import pytest
from django.test import Client
from django.urls import reverse

from benchmarking.tests.interview_helpers import login, valid_step_data
from tests.factories import InterviewFactory, answer_all

ANONYMOUS, PLAIN, OTHER_EXPERT, OWNER, STAFF = "anonymous", "plain user", "other expert", "owner", "staff"


@pytest.fixture
def interview(expert):
    return InterviewFactory(expert=expert)


@pytest.fixture
def as_user(client, plain_user, other_expert, expert, staff_user):
    users = {PLAIN: plain_user, OTHER_EXPERT: other_expert.user, OWNER: expert.user, STAFF: staff_user}

    def _as(who):
        if who != ANONYMOUS:
            login(client, users[who])
        return client

    return _as


def _url(name, interview):
    if name in ("interview_list", "interview_new", "interview_cluster_search"):
        return reverse(f"benchmarking:{name}")
    if name == "interview_step":
        return reverse("benchmarking:interview_step", kwargs={"pk": interview.pk, "code": "E"})
    return reverse(f"benchmarking:{name}", kwargs={"pk": interview.pk})


# (url name, method) -> expected status for anonymous, plain user, other expert, owner, staff.
# Someone else's interview is a 404 (its existence is not theirs to know); the secretariat
# reads every interview but writes none (403); pages for experts only refuse others (403).
MATRIX = {
    ("interview_list", "get"): (302, 403, 200, 200, 403),
    ("interview_new", "get"): (302, 403, 200, 200, 403),
    ("interview_new", "post"): (302, 403, 200, 200, 403),
    ("interview_cluster_search", "get"): (302, 403, 200, 200, 403),
    ("interview_detail", "get"): (302, 404, 404, 200, 200),
    ("interview_step", "get"): (302, 404, 404, 200, 200),
    ("interview_step", "post"): (302, 404, 404, 302, 403),
    ("interview_submit", "post"): (302, 404, 404, 302, 403),
    ("interview_history", "get"): (302, 404, 404, 200, 200),
}
CASES = [
    pytest.param(name, method, who, expected[i], id=f"{name}-{method}-{who}")
    for (name, method), expected in MATRIX.items()
    for i, who in enumerate((ANONYMOUS, PLAIN, OTHER_EXPERT, OWNER, STAFF))
]


@pytest.mark.parametrize(("name", "method", "who", "expected"), CASES)
def test_permission_matrix(as_user, interview, name, method, who, expected):
    answer_all(interview)  # so that a submit by the owner goes through
    data = {"version": interview.version, **valid_step_data(interview, "E")} if method == "post" else {}
    response = getattr(as_user(who), method)(_url(name, interview), data)
    assert response.status_code == expected
    if expected == 302 and who == ANONYMOUS:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("interview_list", "post"),
        ("interview_cluster_search", "post"),
        ("interview_step", "put"),
        ("interview_step", "delete"),
        ("interview_submit", "get"),
        ("interview_detail", "post"),
        ("interview_history", "post"),
    ],
)
def test_it_rejects_the_wrong_method(as_user, interview, name, method):
    assert getattr(as_user(OWNER), method)(_url(name, interview)).status_code == 405


@pytest.mark.parametrize("name", ["interview_step", "interview_submit", "interview_new"])
def test_it_requires_a_csrf_token_on_posts(expert, interview, name):
    client = Client(enforce_csrf_checks=True)
    login(client, expert.user)
    response = client.post(_url(name, interview), {"version": interview.version})
    assert response.status_code == 403


def test_it_hides_an_unknown_interview(as_user):
    assert as_user(OWNER).get("/interviews/999999/").status_code == 404
    assert as_user(OWNER).get("/interviews/999999/step/A/").status_code == 404


def test_it_404s_an_unknown_category(as_user, interview):
    assert as_user(OWNER).get(f"/interviews/{interview.pk}/step/Z/").status_code == 404


def test_staff_sees_a_step_read_only(as_user, interview):
    response = as_user(STAFF).get(_url("interview_step", interview))
    assert b"read only" in response.content
    assert b"Save and continue" not in response.content
    assert b'name="E1-value"' in response.content and b"disabled" in response.content
