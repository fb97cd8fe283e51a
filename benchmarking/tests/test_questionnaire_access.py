"""Who may open what of the questionnaire in advance (issue 16): the permission matrix."""

import pytest
from django.test import Client
from django.urls import reverse

from benchmarking.tests.interview_helpers import login, valid_step_data
from benchmarking.tests.questionnaire_helpers import invite, invited_manager
from tests.factories import InterviewFactory, UserFactory

ANONYMOUS, PLAIN = "anonymous", "plain user"
MANAGER, OTHER_MANAGER, UNINVITED = "manager of this cluster", "manager of another cluster", "uninvited cluster manager"
OTHER_EXPERT, OWNER, STAFF = "other expert", "the interview's expert", "secretariat"
ADDRESSEE = "the pending invitation's addressee"
WHO = (ANONYMOUS, PLAIN, MANAGER, OTHER_MANAGER, UNINVITED, OTHER_EXPERT, OWNER, STAFF, ADDRESSEE)


@pytest.fixture
def world(expert, other_expert, staff_user, plain_user):
    """The interview with its accepted invitation; another cluster's interview with its own
    manager; a pending invitation (for the link's page) and the account it was sent to."""
    interview = InterviewFactory(expert=expert)
    invitation, manager = invited_manager(interview)
    interview.cluster.managers.add(manager)
    uninvited = UserFactory()
    interview.cluster.managers.add(uninvited)
    elsewhere = InterviewFactory(expert=other_expert)
    _, other_manager = invited_manager(elsewhere)
    elsewhere.cluster.managers.add(other_manager)
    _, token = invite(InterviewFactory(expert=expert), email="pending@example.org")
    users = {
        PLAIN: plain_user, MANAGER: manager, OTHER_MANAGER: other_manager, UNINVITED: uninvited,
        OTHER_EXPERT: other_expert.user, OWNER: expert.user, STAFF: staff_user,
        ADDRESSEE: UserFactory(email="Pending@example.org"),
    }  # fmt: skip
    return {"interview": interview, "invitation": invitation, "token": token, "users": users}


def _url(name, world):
    pk = world["interview"].pk
    if name == "invitation_accept":
        return reverse("benchmarking:invitation_accept", kwargs={"token": world["token"]})
    if name == "questionnaire_step":
        return reverse("benchmarking:questionnaire_step", kwargs={"pk": pk, "code": "E"})
    return reverse(f"benchmarking:{name}", kwargs={"pk": pk})


# (url name, method) -> expected status for each of WHO. The manager reaches their interview's
# questionnaire and nothing else (404, as for any interview not theirs); the expert and the
# secretariat never open the manager's pages, they see the proposals in the interview's steps.
# The pending invitation's link is its addressee's: every other account is refused (403), and an
# anonymous visitor may only become the addressee (400 here: the account form is incomplete).
MATRIX = {
    ("interview_invitation", "get"): (302, 404, 404, 404, 404, 404, 200, 200, 404),
    ("interview_invitation", "post"): (302, 404, 404, 404, 404, 404, 302, 403, 404),
    ("interview_invitation_resend", "post"): (302, 404, 404, 404, 404, 404, 302, 403, 404),
    ("interview_invitation_revoke", "post"): (302, 404, 404, 404, 404, 404, 302, 403, 404),
    ("invitation_accept", "get"): (200, 403, 403, 403, 403, 403, 403, 403, 200),
    ("invitation_accept", "post"): (400, 403, 403, 403, 403, 403, 403, 403, 302),
    ("questionnaire", "get"): (302, 404, 200, 404, 404, 404, 404, 404, 404),
    ("questionnaire_step", "get"): (302, 404, 200, 404, 404, 404, 404, 404, 404),
    ("questionnaire_step", "post"): (302, 404, 302, 404, 404, 404, 404, 404, 404),
    ("questionnaire_ready", "post"): (302, 404, 302, 404, 404, 404, 404, 404, 404),
    ("questionnaire_print", "get"): (302, 404, 200, 404, 404, 404, 200, 200, 404),
    ("questionnaire_pdf", "get"): (302, 404, 200, 404, 404, 404, 200, 200, 404),
}
CASES = [
    pytest.param(name, method, who, expected[i], id=f"{name}-{method}-{who}")
    for (name, method), expected in MATRIX.items()
    for i, who in enumerate(WHO)
]


@pytest.mark.parametrize(("name", "method", "who", "expected"), CASES)
def test_permission_matrix(client, world, name, method, who, expected):
    if who != ANONYMOUS:
        login(client, world["users"][who])
    data = {}
    if method == "post":
        interview = world["interview"]
        data = {"version": world["invitation"].version, "email": "m@example.org", "language": "en-gb"}
        data |= valid_step_data(interview, "E")
    response = getattr(client, method)(_url(name, world), data)
    assert response.status_code == expected
    if expected == 302 and who == ANONYMOUS:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("interview_invitation", "put"),
        ("interview_invitation_resend", "get"),
        ("interview_invitation_revoke", "get"),
        ("invitation_accept", "delete"),
        ("questionnaire", "post"),
        ("questionnaire_step", "put"),
        ("questionnaire_ready", "get"),
        ("questionnaire_print", "post"),
        ("questionnaire_pdf", "post"),
    ],
)
def test_it_rejects_the_wrong_method(client, world, name, method):
    login(client, world["users"][MANAGER if name.startswith("questionnaire") else OWNER])
    assert getattr(client, method)(_url(name, world)).status_code == 405


@pytest.mark.parametrize(
    ("name", "who"),
    [
        ("interview_invitation", OWNER),
        ("interview_invitation_revoke", OWNER),
        ("questionnaire_step", MANAGER),
        ("questionnaire_ready", MANAGER),
        ("invitation_accept", ADDRESSEE),
    ],
)
def test_it_requires_a_csrf_token_on_posts(world, name, who):
    client = Client(enforce_csrf_checks=True)
    login(client, world["users"][who])
    assert client.post(_url(name, world), {"version": 1}).status_code == 403


def test_the_manager_sees_nothing_of_the_expert(client, world):
    """No expert's notes, comments, history, summary or recommendations; no peers' data."""
    login(client, world["users"][MANAGER])
    pk = world["interview"].pk
    for path in (f"/interviews/{pk}/", f"/interviews/{pk}/step/E/", f"/interviews/{pk}/history/",
                 f"/interviews/{pk}/recommendations/", "/interviews/", "/review/"):  # fmt: skip
        assert client.get(path).status_code in (403, 404), path


def test_a_revoked_manager_loses_the_questionnaire(client, world):
    from benchmarking.services.questionnaire import invitation_revoke

    invitation_revoke(invitation=world["invitation"], user=world["users"][OWNER])
    login(client, world["users"][MANAGER])
    assert client.get(f"/questionnaire/{world['interview'].pk}/").status_code == 404


def test_unknown_questionnaires_are_404(client, world):
    login(client, world["users"][MANAGER])
    assert client.get("/questionnaire/999999/").status_code == 404
    assert client.get(f"/questionnaire/{world['interview'].pk}/step/Z/").status_code == 404
