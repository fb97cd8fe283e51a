"""Label actions appear only where the rules allow them: one refusal per action decides both the
button on the cluster's label page and the service (services/labels.py, services/board.py)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from benchmarking.models import Label
from benchmarking.rules.label_periods import renewal_deadline
from benchmarking.services.labels import label_reinstate_refusal, label_suspend_refusal, label_withdraw_refusal
from tests.factories import LabelFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def test_a_label_is_suspended_up_to_its_last_valid_day_not_after():
    assert label_suspend_refusal(label=LabelFactory(valid_until=TODAY())) is None
    assert "expired on" in label_suspend_refusal(label=LabelFactory(valid_until=TODAY() - DAY))


def test_a_label_is_withdrawn_up_to_the_end_of_its_renewal_year_not_after(reference_data):
    label = LabelFactory(valid_from=datetime.date(2018, 1, 1), valid_until=datetime.date(2020, 1, 1))
    deadline = renewal_deadline(label)
    assert label_withdraw_refusal(label=label, today=deadline) is None
    assert "more than a year ago" in label_withdraw_refusal(label=label, today=deadline + DAY)


def test_a_withdrawn_label_is_never_reinstated():
    assert "never reinstated" in label_reinstate_refusal(label=LabelFactory(status=Label.Status.WITHDRAWN))
    assert label_reinstate_refusal(label=LabelFactory(status=Label.Status.SUSPENDED)) is None


def buttons(client, label) -> set[str]:
    html = client.get(reverse("benchmarking:cluster_labels", args=[label.cluster_id])).content.decode()
    actions = {"suspend", "reinstate", "withdraw"}
    shown = {a for a in actions if reverse("benchmarking:label_status_change", args=[label.code, a]) in html}
    return shown | ({"undo"} if "/undo/" in html else set())


def test_a_label_that_expired_years_ago_offers_no_action(staff_client, reference_data):
    old = LabelFactory(valid_from=datetime.date(2017, 5, 3), valid_until=datetime.date(2019, 5, 3))
    assert buttons(staff_client, old) == set()


def test_a_valid_label_offers_suspend_and_withdraw(staff_client, reference_data):
    valid = LabelFactory(valid_from=TODAY() - DAY * 100, valid_until=TODAY() + DAY * 600)
    assert buttons(staff_client, valid) == {"suspend", "withdraw"}


def test_a_withdrawn_label_shows_no_reinstate_form(staff_client, reference_data):
    withdrawn = LabelFactory(status=Label.Status.WITHDRAWN, valid_until=TODAY() + DAY * 600)
    assert buttons(staff_client, withdrawn) == set()
    response = staff_client.get(reverse("benchmarking:label_status_change", args=[withdrawn.code, "reinstate"]))
    html = response.content.decode()
    assert "never reinstated" in html and 'name="reason"' not in html


def test_the_service_refuses_what_the_page_does_not_offer(staff_client, reference_data):
    old = LabelFactory(valid_from=datetime.date(2017, 5, 3), valid_until=datetime.date(2019, 5, 3))
    for action in ("suspend", "withdraw"):
        url = reverse("benchmarking:label_status_change", args=[old.code, action])
        response = staff_client.post(url, {"reason": "Complaint"})
        assert response.status_code == 409
    old.refresh_from_db()
    assert old.status == Label.Status.ACTIVE and old.history.count() == 1


def test_the_boards_decision_on_a_label_over_for_good_is_not_undone(reference_data, staff_user, board_user):
    from benchmarking.services.board import BoardError
    from benchmarking.services.board_undo import board_decision_undo, board_decision_undo_refusal
    from benchmarking.tests.board.helpers import decide, recommended

    recommendation = decide(recommended(staff_user), board_user)
    label = recommendation.label
    assert board_decision_undo_refusal(user=staff_user, recommendation=recommendation) is None
    Label.objects.filter(pk=label.pk).update(
        valid_from=datetime.date(2017, 5, 3), valid_until=datetime.date(2019, 5, 3)
    )
    recommendation.label.refresh_from_db()
    assert "more than a year ago" in board_decision_undo_refusal(user=staff_user, recommendation=recommendation)
    with pytest.raises(BoardError, match="more than a year ago"):
        board_decision_undo(recommendation=recommendation, reason="An error", user=staff_user)
