"""The EUCLES board's decisions (services/board.py) and its screens (views/board.py)."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from benchmarking.awarding import awarding_body
from benchmarking.models import Interview, Label, LabelRecommendation
from benchmarking.permissions import board_members, is_board_member
from benchmarking.rules.board import Decision, board_decision_refusal
from benchmarking.services.board import BatchRefused, board_decide, board_decide_one
from benchmarking.services.review import interview_approve
from tests import factories
from tests.factories import InterviewFactory, answer_all, board_member

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
MEETING = "Board meeting 2026-11"


def recommended(staff_user, **interview_fields) -> LabelRecommendation:
    """A submitted, eligible interview approved by the secretariat: its Bronze label waits for the board."""
    interview = answer_all(
        InterviewFactory(status=Interview.Status.SUBMITTED, cluster__eligible=True, **interview_fields)
    )
    return interview_approve(interview=interview, user=staff_user).recommendation


def decide(recommendation, user, approve=True, **fields):
    fields = {"decided_on": TODAY(), "meeting": MEETING, "note": "" if approve else "Not convincing"} | fields
    return board_decide_one(recommendation=recommendation, approve=approve, user=user, **fields)


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


# --- Mails and the awarding body -------------------------------------------------------------


def test_the_board_is_mailed_when_a_recommendation_waits(
    reference_data, staff_user, board_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        recommendation = recommended(staff_user)
    board_mails = [m for m in mail.outbox if m.to == [board_user.email]]
    assert len(board_mails) == 1
    assert recommendation.cluster.name in board_mails[0].subject
    assert reverse("benchmarking:board_pending") in board_mails[0].body


def _speaks(user, language):
    from accounts.models import Profile

    Profile.objects.update_or_create(user=user, defaults={"language": language})


def _post_batch(client, lines: dict[int, tuple[str, str]]):
    data = {"decided_on": TODAY().isoformat(), "meeting": MEETING}
    for pk, (decision, note) in lines.items():
        data |= {f"decision_{pk}": decision, f"note_{pk}": note}
    return client.post(reverse("benchmarking:board_pending"), data)


def _in(language, day):
    with translation.override(language):
        return date_format(day, "DATE_FORMAT")


@pytest.mark.parametrize(
    ("language", "approved", "declined", "valid"),
    [
        ("en-gb", "board approved the Bronze label", "board declined the Bronze label", "Valid from"),
        ("de", "Der EUCLES-Vorstand hat das Bronze-Label", "abgelehnt", "Gültig vom"),
        ("es", "La junta de EUCLES aprobó el sello Bronce", "La junta de EUCLES rechazó el sello Bronce", "Válido del"),
    ],
)
def test_the_boards_decisions_are_mailed_each_in_their_language(
    client, reference_data, staff_user, board_user, mailoutbox, django_capture_on_commit_callbacks,
    language, approved, declined, valid,
):  # fmt: skip
    """The recommending secretariat member hears of both decisions (the decline with its reason);
    for the approval the cluster's contact and managers hear of the label, its code and validity
    (for the decline that none is awarded, and the experts of both: benchmarking/tests/test_board_mails.py)."""
    first, second = recommended(staff_user), recommended(staff_user)
    manager = factories.UserFactory(username="manager1", email="manager1@example.org")
    first.cluster.managers.add(manager, factories.UserFactory(username="gone", is_active=False))
    manager2 = factories.UserFactory(username="manager2", email="manager2@example.org")
    second.cluster.managers.add(manager2)
    for user in (staff_user, manager):
        _speaks(user, language)
    client.force_login(board_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_batch(client, {first.pk: ("approve", ""), second.pk: ("decline", "No public body involved.")})
    assert response.status_code == 302
    first.refresh_from_db()
    label = first.label
    assert all(len(m.to) == 1 for m in mailoutbox)  # one message per recipient
    by_address = {}
    for message in mailoutbox:
        by_address.setdefault(message.to[0], []).append(message)
    experts = [r.interview.expert.user.email for r in (first, second)]
    contacts = [r.cluster.contact_email for r in (first, second)]
    assert sorted(by_address) == sorted(
        [staff_user.email, manager.email, manager2.email, *contacts, *experts]
    )  # the declined cluster's people too (benchmarking/tests/test_board_mails.py), nobody inactive
    to_secretariat = {m.subject: m.body for m in by_address[staff_user.email]}
    assert len(to_secretariat) == 2
    approval = next(body for subject, body in to_secretariat.items() if first.cluster.name in subject)
    decline = next(body for subject, body in to_secretariat.items() if second.cluster.name in subject)
    assert any(approved in s for s in to_secretariat if first.cluster.name in s)
    assert any(declined in s for s in to_secretariat if second.cluster.name in s)
    assert label.code in approval and _in(language, label.valid_until) in approval
    assert "No public body involved." in decline and label.code not in decline
    assert reverse("benchmarking:review_interview", args=[second.interview.pk]) in decline
    assert reverse("benchmarking:label_staff", args=[label.code]) in approval  # pages the secretariat may open
    (to_manager,) = by_address[manager.email]
    assert label.code in to_manager.body and first.cluster.name in to_manager.subject
    assert f"{valid} {_in(language, label.valid_from)}" in to_manager.body
    assert _in(language, label.valid_until) in to_manager.body
    assert reverse("benchmarking:label_public", args=[label.code]) in to_manager.body
    (to_contact,) = by_address[first.cluster.contact_email]  # an address no user has: the site's language
    assert label.code in to_contact.body and "Valid from" in to_contact.body


def test_nothing_is_mailed_when_the_batch_is_refused(
    client, reference_data, staff_user, board_user, mailoutbox, django_capture_on_commit_callbacks
):
    first, second = recommended(staff_user), recommended(staff_user)
    client.force_login(board_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_batch(client, {first.pk: ("approve", ""), second.pk: ("decline", "")})
    assert response.status_code == 400
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("day", "body"),
    [
        (datetime.date(2019, 7, 25), "ESCA"),
        (datetime.date(2020, 11, 30), "ESCA"),
        (datetime.date(2020, 12, 1), "EUCLES, with ESCA as operational partner"),
        (datetime.date(2026, 11, 25), "EUCLES, with ESCA as operational partner"),
    ],
)
def test_the_awarding_body_goes_by_date(day, body):
    assert str(awarding_body(day)) == body


def test_the_awarding_body_is_a_setting(settings):
    settings.ECEI_AWARDING_BODIES = [{"since": None, "name": "Someone else", "partner": ""}]
    assert str(awarding_body(datetime.date(2026, 1, 1))) == "Someone else"


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


# --- Undoing a decision (the secretariat, with a reason) -----------------------------------------

UNDO_REASON = (
    "The board approved this label by mistake: the minutes of the meeting record a decline, because the "
    "cluster's ECCP profile had not been validated yet. The secretariat corrects the record here."
)  # longer than the history's 100-character change reason: kept whole on the label and the recommendation


def _undo(client, recommendation, reason=UNDO_REASON):
    return client.post(reverse("benchmarking:board_decision_undo", args=[recommendation.pk]), {"reason": reason})


def test_the_secretariat_undoes_an_approval_and_the_board_decides_again(
    client, reference_data, staff_user, board_user, mailoutbox, django_capture_on_commit_callbacks
):
    recommendation = recommended(staff_user)
    label = decide(recommendation, board_user).label
    client.force_login(staff_user)
    review = client.get(reverse("benchmarking:review_interview", args=[recommendation.interview.pk])).text
    assert reverse("benchmarking:board_decision_undo", args=[recommendation.pk]) in review
    labels_page = client.get(reverse("benchmarking:cluster_labels", args=[recommendation.cluster.pk])).text
    assert reverse("benchmarking:board_decision_undo", args=[recommendation.pk]) in labels_page
    page = client.get(reverse("benchmarking:board_decision_undo", args=[recommendation.pk])).text
    assert label.code in page and "is withdrawn with this reason" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = _undo(client, recommendation)
    assert response.status_code == 302
    assert response["Location"] == reverse("benchmarking:review_interview", args=[recommendation.interview.pk])
    label.refresh_from_db()
    recommendation.refresh_from_db()
    assert (label.status, label.status_reason) == ("withdrawn", UNDO_REASON)  # through the label service
    assert label.history.latest().history_user == staff_user
    assert (recommendation.status, recommendation.label, recommendation.decided_on, recommendation.decision_note) == (
        "pending",
        None,
        None,
        UNDO_REASON,
    )
    record, before = recommendation.history.all()[:2]
    assert record.history_user == staff_user and record.history_change_reason.startswith("Decision undone")
    assert (before.status, before.label_id) == ("approved", label.pk)  # the decision stays in the history
    recommendation.cluster.refresh_from_db()
    assert recommendation.cluster.label_status == "withdrawn"  # the label facts, same transaction
    # The board: a recommendation waits again; the cluster, told of the award: it was undone.
    assert sorted(m.to[0] for m in mailoutbox) == sorted([board_user.email, recommendation.cluster.contact_email])
    # The board decides again: a new label, the withdrawn one stays withdrawn.
    client.force_login(board_user)
    pending = client.get(reverse("benchmarking:board_pending")).text
    assert "An earlier decision was undone" in pending and f'name="decision_{recommendation.pk}"' in pending
    assert _post_batch(client, {recommendation.pk: ("approve", "")}).status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.label.code != label.code and recommendation.label.status == "active"


@pytest.mark.parametrize(
    ("language", "subject", "undone"),
    [
        ("en-gb", "Bronze Label award undone", "has been undone by the ECEI"),
        ("de", "Verleihung des Bronze-Labels rückgängig gemacht", "wurde vom ECEI-Sekretariat rückgängig gemacht"),
        ("es", "Concesión del sello Bronce anulada", "la secretaría de ECEI ha anulado la concesión"),
    ],
)
def test_the_cluster_hears_that_its_award_was_undone_in_its_language(
    client, reference_data, staff_user, board_user, mailoutbox, django_capture_on_commit_callbacks,
    language, subject, undone,
):  # fmt: skip
    recommendation = recommended(staff_user)
    label = decide(recommendation, board_user).label
    manager = factories.UserFactory(username="manager1", email="manager1@example.org")
    recommendation.cluster.managers.add(manager, factories.UserFactory(username="gone", is_active=False))
    _speaks(manager, language)
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        assert _undo(client, recommendation).status_code == 302
    by_address = {m.to[0]: m for m in mailoutbox}
    assert sorted(by_address) == sorted([board_user.email, manager.email, recommendation.cluster.contact_email])
    to_manager = by_address[manager.email]
    assert subject in to_manager.subject and recommendation.cluster.name in to_manager.subject
    assert undone in to_manager.body and label.code in to_manager.body
    assert _in(language, recommendation.decided_on or TODAY()) in to_manager.body  # the day of the award
    assert UNDO_REASON not in to_manager.body  # the secretariat's reason stays on the record
    assert "has been undone by the ECEI" in by_address[recommendation.cluster.contact_email].body  # site language


def test_nothing_is_mailed_when_the_undo_is_refused(
    client, reference_data, staff_user, board_user, mailoutbox, django_capture_on_commit_callbacks
):
    recommendation = recommended(staff_user)
    decide(recommendation, board_user)
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = _undo(client, recommendation, reason="  ")
    assert response.status_code == 400
    assert mailoutbox == []


def _declined_gold(staff_user, board_user, note="Assessors' report incomplete.") -> LabelRecommendation:
    """A Gold recommendation (no interview behind it) that the board declined."""
    from benchmarking.rules.gold import active_gold_indicators
    from benchmarking.services.silver_gold import gold_assessment_record

    cluster = answer_all(
        InterviewFactory(status=Interview.Status.APPROVED, cluster__eligible=True, date=datetime.date(2025, 1, 10))
    ).cluster
    outcome = gold_assessment_record(
        cluster=cluster, first_assessor=factories.ExpertFactory(), second_assessor=factories.ExpertFactory(),
        assessed_on=datetime.date(2025, 4, 2), scores={i: 95 for i in active_gold_indicators()}, user=staff_user,
    )  # fmt: skip
    return decide(outcome.recommendation, board_user, approve=False, note=note)


def test_a_declined_gold_recommendation_is_undone_from_the_clusters_labels_page(
    client, reference_data, staff_user, board_user
):
    """No label and no interview page shows it: the cluster's labels page lists the board's
    declines, each with the way to undo it."""
    recommendation = _declined_gold(staff_user, board_user)
    client.force_login(staff_user)
    page = client.get(reverse("benchmarking:cluster_labels", args=[recommendation.cluster.pk])).text
    undo = reverse("benchmarking:board_decision_undo", args=[recommendation.pk])
    assert "Declined by the board" in page and "Assessors&#x27; report incomplete." in page and undo in page
    assert f'href="#assessment-{recommendation.gold_assessment_id}"' in page
    assert _undo(client, recommendation).status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.status == "pending"
    page = client.get(reverse("benchmarking:cluster_labels", args=[recommendation.cluster.pk])).text
    declines, timeline = page.split('id="timeline"')
    assert undo not in declines and "Declined by the board" not in declines
    assert "Board decision undone" in timeline  # the timeline keeps the decision and its undoing


def test_the_declines_on_the_labels_page_cost_one_query_however_many(client, reference_data, staff_user, board_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = _declined_gold(staff_user, board_user)
    url = reverse("benchmarking:cluster_labels", args=[first.cluster.pk])
    client.force_login(staff_user)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = queries()
    for _ in range(3):  # declined interview recommendations of the same cluster
        decide(recommended(staff_user, cluster=first.cluster), board_user, approve=False)
    assert queries() == few


def test_the_secretariat_undoes_a_decline(client, reference_data, staff_user, board_user):
    recommendation = recommended(staff_user)
    decide(recommendation, board_user, approve=False)
    client.force_login(staff_user)
    response = _undo(client, recommendation, reason="The board meant another cluster.")
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert (recommendation.status, recommendation.decision_note) == ("pending", "The board meant another cluster.")
    assert not Label.objects.exists()


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("  ", "Say why the decision is undone: the reason is kept with the recommendation."),
        ("x" * 1001, "Ensure this value has at most 1000 characters (it has 1001)."),
    ],
)
def test_an_undo_needs_a_reason_shown_next_to_the_field(
    client, reference_data, staff_user, board_user, reason, message
):
    recommendation = recommended(staff_user)
    label = decide(recommendation, board_user).label
    client.force_login(staff_user)
    response = _undo(client, recommendation, reason=reason)
    assert response.status_code == 400
    assert message in response.context["form"].errors["reason"]
    assert 'id="reason-error"' in response.text
    label.refresh_from_db()
    recommendation.refresh_from_db()
    assert (label.status, recommendation.status) == ("active", "approved")  # nothing half-saved


def test_nothing_to_undo_while_pending_or_once_the_label_is_withdrawn(client, reference_data, staff_user, board_user):
    from benchmarking.services.labels import label_withdraw

    recommendation = recommended(staff_user)
    client.force_login(staff_user)
    page = client.get(reverse("benchmarking:board_decision_undo", args=[recommendation.pk]))
    assert page.status_code == 200 and "there is nothing to undo" in page.text and "<textarea" not in page.text
    assert _undo(client, recommendation).status_code == 409
    label = decide(recommendation, board_user).label
    label_withdraw(label=label, reason="Cluster dissolved.", user=staff_user)
    response = _undo(client, recommendation)
    assert response.status_code == 409 and "can no longer be undone" in response.text
    recommendation.refresh_from_db()
    assert recommendation.status == "approved"


def test_the_undo_page_speaks_the_readers_language(client, reference_data, staff_user, board_user):
    recommendation = recommended(staff_user)
    decide(recommendation, board_user)
    client.force_login(staff_user)
    url = reverse("benchmarking:board_decision_undo", args=[recommendation.pk])
    assert "Entscheidung des Vorstands" in client.get(url, HTTP_ACCEPT_LANGUAGE="de").text
    assert "Anular la decisión" in client.get(url, HTTP_ACCEPT_LANGUAGE="es").text
