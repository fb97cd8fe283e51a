"""The board's decision, approve or decline, is mailed to the cluster's managers, the experts whose
work it rests on and the recommending secretariat member, each in their language."""

import datetime

import pytest
from django.utils import translation
from django.utils.formats import date_format

from benchmarking.selectors.progress import improved_indicators
from benchmarking.services.silver_gold import silver_audit_record
from benchmarking.tests.test_board import _speaks, decide, recommended
from benchmarking.tests.test_silver_gold import REPORT, areas, findings, two_benchmarkings
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
        _speaks(user, language)
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
    _speaks(expert, language)
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
