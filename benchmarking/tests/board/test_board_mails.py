"""The board's decision, approve or decline, is mailed to the cluster's managers, the experts whose
work it rests on and the recommending secretariat member, each in their language."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from benchmarking.awarding import awarding_body
from benchmarking.selectors.progress import improved_indicators
from benchmarking.services.silver_gold import silver_audit_record
from benchmarking.tests.board.helpers import date_in, decide, post_batch, recommended, speaks
from benchmarking.tests.silver_gold.helpers import REPORT, areas, findings, two_benchmarkings
from tests import factories
from tests.factories import ExpertFactory, UserFactory

pytestmark = pytest.mark.django_db


DECLINED = {
    "en-gb": ("Bronze Label not awarded", "No label is awarded", "declined the Bronze label of"),
    "de": ("Bronze-Label nicht verliehen", "Es wird kein Label verliehen", "das Bronze-Label von"),
    "es": ("Sello Bronce no concedido", "No se concede ningún sello", "rechazó el sello Bronce de"),
}


def by_address(mailoutbox) -> dict[str, list]:
    mails = {}
    for message in mailoutbox:
        assert len(message.to) == 1  # one message per recipient
        mails.setdefault(message.to[0], []).append(message)
    return mails


@pytest.mark.parametrize("language", ["en-gb", "de", "es"])
def test_a_decline_is_mailed_to_the_managers_and_the_expert_in_their_language(
    reference_data, staff_user, board_user, mailoutbox, django_capture_on_commit_callbacks, language
):
    recommendation = recommended(staff_user)
    manager = UserFactory(email="manager@example.org")
    recommendation.cluster.managers.add(manager, UserFactory(email="gone@example.org", is_active=False))
    expert = recommendation.interview.expert.user
    for user in (manager, expert):
        speaks(user, language)
    with django_capture_on_commit_callbacks(execute=True):
        decide(recommendation, board_user, approve=False, note="Figures of 2019 only.")
    mails = by_address(mailoutbox)
    assert "gone@example.org" not in mails
    subject, sentence, expert_sentence = DECLINED[language]
    (to_manager,) = mails[manager.email]
    assert subject in to_manager.subject and recommendation.cluster.name in to_manager.subject
    assert sentence in to_manager.body
    assert "Figures of 2019 only." not in to_manager.body  # the board's reason stays with the secretariat
    (to_expert,) = mails[expert.email]
    assert expert_sentence in to_expert.body
    assert f"/interviews/{recommendation.interview_id}/" in to_expert.body
    assert mails[staff_user.email]  # the recommending member, as before
    assert mails[recommendation.cluster.contact_email]


@pytest.mark.parametrize("language", ["en-gb", "de", "es"])
def test_an_approval_is_mailed_to_the_expert_with_the_label(
    reference_data, staff_user, board_user, mailoutbox, django_capture_on_commit_callbacks, language
):
    recommendation = recommended(staff_user)
    expert = recommendation.interview.expert.user
    speaks(expert, language)
    with django_capture_on_commit_callbacks(execute=True):
        label = decide(recommendation, board_user).label
    (to_expert,) = by_address(mailoutbox)[expert.email]
    with translation.override(language):
        until = date_format(label.valid_until, "DATE_FORMAT")
    assert label.code in to_expert.body and until in to_expert.body
    assert recommendation.cluster.name in to_expert.subject


def test_a_silver_decision_is_mailed_to_the_auditor(
    reference_data, staff_user, board_user, mailoutbox, django_capture_on_commit_callbacks
):
    cluster, first, second = two_benchmarkings(20)
    auditor = ExpertFactory(user__email="auditor@example.org")
    outcome = silver_audit_record(
        cluster=cluster, auditor=auditor, audited_on=datetime.date(2023, 10, 1), findings=findings(), **REPORT,
        areas=areas(improved_indicators(first, second)), user=staff_user,
    )  # fmt: skip
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        label = decide(outcome.recommendation, board_user).label
    (to_auditor,) = by_address(mailoutbox)["auditor@example.org"]
    assert label.code in to_auditor.body and "/interviews/" not in to_auditor.body


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
    (for the decline that none is awarded, and the experts of both: the tests above)."""
    first, second = recommended(staff_user), recommended(staff_user)
    manager = factories.UserFactory(username="manager1", email="manager1@example.org")
    first.cluster.managers.add(manager, factories.UserFactory(username="gone", is_active=False))
    manager2 = factories.UserFactory(username="manager2", email="manager2@example.org")
    second.cluster.managers.add(manager2)
    for user in (staff_user, manager):
        speaks(user, language)
    client.force_login(board_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_batch(client, {first.pk: ("approve", ""), second.pk: ("decline", "No public body involved.")})
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
    )  # the declined cluster's people too (the tests above), nobody inactive
    to_secretariat = {m.subject: m.body for m in by_address[staff_user.email]}
    assert len(to_secretariat) == 2
    approval = next(body for subject, body in to_secretariat.items() if first.cluster.name in subject)
    decline = next(body for subject, body in to_secretariat.items() if second.cluster.name in subject)
    assert any(approved in s for s in to_secretariat if first.cluster.name in s)
    assert any(declined in s for s in to_secretariat if second.cluster.name in s)
    assert label.code in approval and date_in(language, label.valid_until) in approval
    assert "No public body involved." in decline and label.code not in decline
    assert reverse("benchmarking:review_interview", args=[second.interview.pk]) in decline
    assert reverse("benchmarking:label_staff", args=[label.code]) in approval  # pages the secretariat may open
    (to_manager,) = by_address[manager.email]
    assert label.code in to_manager.body and first.cluster.name in to_manager.subject
    assert f"{valid} {date_in(language, label.valid_from)}" in to_manager.body
    assert date_in(language, label.valid_until) in to_manager.body
    assert reverse("benchmarking:label_public", args=[label.code]) in to_manager.body
    (to_contact,) = by_address[first.cluster.contact_email]  # an address no user has: the site's language
    assert label.code in to_contact.body and "Valid from" in to_contact.body


def test_nothing_is_mailed_when_the_batch_is_refused(
    client, reference_data, staff_user, board_user, mailoutbox, django_capture_on_commit_callbacks
):
    first, second = recommended(staff_user), recommended(staff_user)
    client.force_login(board_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_batch(client, {first.pk: ("approve", ""), second.pk: ("decline", "")})
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
