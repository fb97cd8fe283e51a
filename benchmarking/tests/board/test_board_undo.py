"""Undoing a decision of the board (services/board_undo.py), by the secretariat with a reason."""

import datetime

import pytest
from django.urls import reverse

from benchmarking.models import Interview, Label, LabelRecommendation
from benchmarking.tests.board.helpers import TODAY, date_in, decide, post_batch, recommended, speaks
from tests import factories
from tests.factories import InterviewFactory, answer_all

pytestmark = pytest.mark.django_db

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
    assert post_batch(client, {recommendation.pk: ("approve", "")}).status_code == 302
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
    speaks(manager, language)
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        assert _undo(client, recommendation).status_code == 302
    by_address = {m.to[0]: m for m in mailoutbox}
    assert sorted(by_address) == sorted([board_user.email, manager.email, recommendation.cluster.contact_email])
    to_manager = by_address[manager.email]
    assert subject in to_manager.subject and recommendation.cluster.name in to_manager.subject
    assert undone in to_manager.body and label.code in to_manager.body
    assert date_in(language, recommendation.decided_on or TODAY()) in to_manager.body  # the day of the award
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
