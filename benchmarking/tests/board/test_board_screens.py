"""The EUCLES board's screens (views/board.py): the batch, the recommendation page, the permission matrix."""

import pytest
from django.urls import reverse

from benchmarking.models import Label
from benchmarking.tests.board.helpers import MEETING, TODAY, decide, recommended
from tests import factories
from tests.factories import board_member

pytestmark = pytest.mark.django_db

# --- The public only sees decided labels -------------------------------------------------------


def test_a_recommended_label_is_not_public_until_the_board_approves(client, reference_data, staff_user, board_user):
    recommendation = recommended(staff_user)
    slug = recommendation.cluster.slug
    assert Label.objects.count() == 0
    assert client.get(reverse("api:cluster_detail", args=[slug])).status_code == 404  # not listed
    assert client.get(reverse("clusters:detail", args=[slug])).status_code == 404
    label = decide(recommendation, board_user).label
    page = client.get(reverse("benchmarking:label_public", args=[label.code]))
    assert page.status_code == 200
    assert "EUCLES, with ESCA as operational partner" in page.content.decode()
    assert client.get(reverse("api:label_verify", args=[label.code])).status_code == 200
    assert client.get(reverse("api:cluster_detail", args=[slug])).status_code == 200


# --- The screens -------------------------------------------------------------------------------


def test_the_batch_screen_lists_the_pending_with_eligibility(client, reference_data, staff_user, board_user):
    recommendation = recommended(staff_user)
    client.force_login(board_user)
    page = client.get(reverse("benchmarking:board_pending")).content.decode()
    assert recommendation.cluster.name in page
    assert "At least 15 committed members (A4)" in page
    assert f'name="decision_{recommendation.pk}"' in page


def test_the_batch_screen_decides_many_at_once(client, reference_data, staff_user, board_user):
    first, second = recommended(staff_user), recommended(staff_user)
    client.force_login(board_user)
    response = client.post(
        reverse("benchmarking:board_pending"),
        {
            "decided_on": TODAY().isoformat(),
            "meeting": MEETING,
            f"decision_{first.pk}": "approve",
            f"decision_{second.pk}": "decline",
            f"note_{second.pk}": "No public body involved.",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("benchmarking:board_decided")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("approved", "declined")
    decided = client.get(response["Location"]).content.decode()
    assert first.label.code in decided and "No public body involved." in decided


def test_a_refused_line_is_shown_next_to_it_and_nothing_is_saved(client, reference_data, staff_user, board_user):
    first, second = recommended(staff_user), recommended(staff_user)
    client.force_login(board_user)
    response = client.post(
        reverse("benchmarking:board_pending"),
        {"decided_on": TODAY().isoformat(), "meeting": MEETING, f"decision_{first.pk}": "approve",
         f"decision_{second.pk}": "decline"},
    )  # fmt: skip
    assert response.status_code == 400
    assert response.context["form"].errors[f"decision_{second.pk}"] == [
        "Say why the board declines: the reason is kept with the decision."
    ]
    assert not Label.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"meeting": ""}, "meeting", "Name the board meeting (its name or reference)."),
        ({"decided_on": "31/02/2026"}, "decided_on", "Enter a valid date."),
        ({"decided_on": "2099-01-01"}, "decided_on", "The decision date cannot be in the future."),
        ({"decision_X": "maybe"}, "decision_X", "Select a valid choice. maybe is not one of the available choices."),
    ],
)
def test_bad_input_is_shown_next_to_the_field(client, reference_data, staff_user, board_user, data, field, message):
    recommendation = recommended(staff_user)
    client.force_login(board_user)
    key = f"decision_{recommendation.pk}"
    data = {k.replace("decision_X", key): v for k, v in data.items()}
    post = {"decided_on": TODAY().isoformat(), "meeting": MEETING, key: "approve"} | data
    response = client.post(reverse("benchmarking:board_pending"), post)
    assert response.status_code == 400
    assert message in response.context["form"].errors[field.replace("decision_X", key)]
    assert message.split(" maybe")[0] in response.content.decode().replace("&#x27;", "'")
    recommendation.refresh_from_db()
    assert recommendation.is_pending and not Label.objects.exists()


def test_the_screen_shows_the_four_eyes_refusal_instead_of_the_buttons(client, reference_data):
    reviewer = board_member(username="reviewer-and-board", is_staff=True)
    recommendation = recommended(reviewer)
    client.force_login(reviewer)
    page = client.get(reverse("benchmarking:board_pending")).content.decode()
    assert "You reviewed, returned or commented on this benchmarking" in page
    assert f'name="decision_{recommendation.pk}"' not in page


def test_the_recommendation_page_shows_the_interview_and_the_history(client, reference_data, staff_user, board_user):
    recommendation = recommended(staff_user)
    client.force_login(board_user)
    page = client.get(reverse("benchmarking:board_recommendation", args=[recommendation.pk])).content.decode()
    assert "Number of committed cluster participants" in page  # the interview's answers
    assert "Recommended to the board" in page


def test_the_batch_screen_costs_the_same_queries_for_2_or_6_recommendations(
    client, reference_data, staff_user, board_user, django_assert_max_num_queries
):
    for _ in range(2):
        recommended(staff_user)
    client.force_login(board_user)
    url = reverse("benchmarking:board_pending")
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as two:
        client.get(url)
    for _ in range(4):
        recommended(staff_user)
    with CaptureQueriesContext(connection) as six:
        client.get(url)
    assert len(six) == len(two)


# --- Who may open what: the permission matrix ----------------------------------------------


ANONYMOUS, EXPERT, OTHER_EXPERT, SECRETARIAT, BOARD = "anonymous", "expert", "other expert", "secretariat", "board"
# (url name, method) -> expected status for anonymous, the interview's expert, another
# expert, the secretariat, a board member. Board screens are the board's alone (403 for the
# others, who exist but are not members); the eligibility facts belong to the secretariat.
MATRIX = {
    ("board_pending", "get"): (302, 403, 403, 403, 200),
    ("board_pending", "post"): (302, 403, 403, 403, 302),
    ("board_decided", "get"): (302, 403, 403, 403, 200),
    ("board_recommendation", "get"): (302, 403, 403, 403, 200),
    ("review_eligibility", "post"): (302, 403, 403, 302, 403),
    ("board_decision_undo", "get"): (302, 403, 403, 200, 403),
    ("board_decision_undo", "post"): (302, 403, 403, 302, 403),
}
CASES = [
    pytest.param(name, method, who, expected[i], id=f"{name}-{method}-{who}")
    for (name, method), expected in MATRIX.items()
    for i, who in enumerate((ANONYMOUS, EXPERT, OTHER_EXPERT, SECRETARIAT, BOARD))
]


@pytest.mark.parametrize(("name", "method", "who", "expected"), CASES)
def test_permission_matrix(client, reference_data, staff_user, board_user, other_expert, name, method, who, expected):
    recommendation = recommended(staff_user)
    users = {
        EXPERT: recommendation.interview.expert.user,
        OTHER_EXPERT: other_expert.user,
        SECRETARIAT: staff_user,
        BOARD: board_user,
    }
    if who != ANONYMOUS:
        client.force_login(users[who])
    if name == "board_decision_undo":
        decide(recommendation, board_user)  # a decision to undo
    if name in ("board_recommendation", "board_decision_undo"):
        url = reverse(f"benchmarking:{name}", args=[recommendation.pk])
    elif name == "review_eligibility":
        url = reverse(f"benchmarking:{name}", args=[recommendation.interview.pk])
    else:
        url = reverse(f"benchmarking:{name}")
    data = {}
    if method == "post" and name == "board_pending":
        data = {"decided_on": TODAY().isoformat(), "meeting": MEETING, f"decision_{recommendation.pk}": "approve"}
    if method == "post" and name == "review_eligibility":
        cluster = recommendation.cluster
        data = {"eccp_profile_url": cluster.eccp_profile_url, "eccp_validated_on": "2024-01-10",
                "english_website_checked_on": "2024-01-10", "stamp": cluster.updated_at.isoformat()}  # fmt: skip
    if method == "post" and name == "board_decision_undo":
        data = {"reason": "Recorded against the wrong cluster."}
    response = getattr(client, method)(url, data)
    assert response.status_code == expected
    if expected == 302 and who == ANONYMOUS:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("board_pending", "put"),
        ("board_decided", "post"),
        ("board_recommendation", "post"),
        ("board_decision_undo", "put"),
    ],
)
def test_the_board_screens_reject_the_wrong_method(client, reference_data, staff_user, board_user, name, method):
    recommendation = recommended(staff_user)
    client.force_login(staff_user if name == "board_decision_undo" else board_user)
    args = [recommendation.pk] if name in ("board_recommendation", "board_decision_undo") else []
    assert getattr(client, method)(reverse(f"benchmarking:{name}", args=args)).status_code == 405


def test_an_unknown_recommendation_is_404(client, board_user):
    client.force_login(board_user)
    assert client.get(reverse("benchmarking:board_recommendation", args=[999999])).status_code == 404
    client.force_login(factories.UserFactory(is_staff=True))
    assert client.get(reverse("benchmarking:board_decision_undo", args=[999999])).status_code == 404


def test_the_board_post_needs_a_csrf_token(reference_data, staff_user, board_user):
    from django.test import Client

    recommended(staff_user)
    client = Client(enforce_csrf_checks=True)
    client.force_login(board_user)
    assert client.post(reverse("benchmarking:board_pending"), {"meeting": MEETING}).status_code == 403
