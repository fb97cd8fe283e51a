"""The manager's proposals, never answers, and the source of each answer the expert confirms."""

import pytest
from django.utils import timezone

from benchmarking.models import Answer, Interview, Proposal
from benchmarking.selectors.interviews import unanswered_codes, with_progress
from benchmarking.services.interviews import StaleVersionError, interview_save_step
from benchmarking.services.questionnaire import (
    proposals_save_step,
)
from benchmarking.tests.interview_helpers import login, valid_step_data
from benchmarking.tests.questionnaire.helpers import post_manager_step, stored_values
from benchmarking.tests.questionnaire_helpers import invited_manager

# --- Proposals ----------------------------------------------------------------------------------------


def test_the_manager_saves_proposals_not_answers(client, interview):
    invitation, manager = invited_manager(interview)
    login(client, manager)
    response = post_manager_step(client, invitation, "E", valid_step_data(interview, "E"))
    assert response.status_code == 302
    assert Proposal.objects.filter(interview=interview).count() == 3
    assert not Answer.objects.filter(interview=interview).exists()
    interview.refresh_from_db()
    assert interview.version == 1  # the expert's open page stays valid


def test_the_manager_gets_the_same_validation(client, interview):
    invitation, manager = invited_manager(interview)
    login(client, manager)
    data = valid_step_data(interview, "E") | {"E1-value": "abc"}
    response = post_manager_step(client, invitation, "E", data)
    assert response.status_code == 200
    assert "“abc” cannot be read as a number here." in response.text
    data = valid_step_data(interview, "E") | {"E2-missing_reason": "unknown"}
    response = post_manager_step(client, invitation, "E", data)
    assert "Give either a value or a reason" in response.text


def test_a_missing_value_reason_is_a_proposal_too(client, interview):
    invitation, manager = invited_manager(interview)
    login(client, manager)
    post_manager_step(client, invitation, "E", {"E1-missing_reason": "not_disclosed"})
    assert Proposal.objects.get(interview=interview, indicator__code="E1").missing_reason == "not_disclosed"


def test_a_stale_manager_page_is_refused(interview):
    invitation, manager = invited_manager(interview)
    values = {}
    with pytest.raises(StaleVersionError):
        proposals_save_step(invitation=invitation, expected_version=99, values=values, user=manager)


def test_the_version_field_missing_is_a_clear_400(client, interview):
    invitation, manager = invited_manager(interview)
    login(client, manager)
    response = client.post(f"/questionnaire/{interview.pk}/step/E/", {"save": "1"})
    assert response.status_code == 400 and "did not say which version" in response.text


def test_after_submission_the_manager_can_no_longer_edit(client, interview):
    invitation, manager = invited_manager(interview)
    Interview.objects.filter(pk=interview.pk).update(status=Interview.Status.SUBMITTED)
    login(client, manager)
    response = post_manager_step(client, invitation, "E", valid_step_data(interview, "E"))
    assert response.status_code == 403
    assert not Proposal.objects.exists()
    page = client.get(f"/questionnaire/{interview.pk}/step/E/")
    assert page.status_code == 200 and "can no longer be changed" in page.text and "disabled" in page.text


def test_proposals_never_count_as_answers(client, interview):
    invitation, manager = invited_manager(interview)
    for code in "ABCDEF":
        proposals_save_step(
            invitation=invitation, expected_version=invitation.version, user=manager,
            values=stored_values(interview, code),
        )  # fmt: skip
    assert Proposal.objects.filter(interview=interview).count() > 30
    assert len(unanswered_codes(interview)) == Proposal.objects.filter(interview=interview).count()
    assert with_progress([interview])[0].progress.answered == 0
    login(client, interview.expert.user)
    response = client.get(f"/interviews/{interview.pk}/")
    assert "disabled" in response.text.split("Submit to the secretariat")[0][-200:] or "cannot" in response.text


def test_proposals_never_reach_statistics_or_reports(interview):
    """The peer pool (statistics) and a report's own values read Answer only: an approved
    interview whose indicators hold only proposals adds no value anywhere."""
    from benchmarking.selectors.reports.inputs import catalogue_indicators, load_report_inputs
    from benchmarking.selectors.reports.peers import load_peer_pool
    from benchmarking.services.peer_values import peer_values_refresh

    invitation, manager = invited_manager(interview)
    proposals_save_step(invitation=invitation, expected_version=1, values=stored_values(interview, "A"), user=manager)
    Interview.objects.filter(pk=interview.pk).update(status=Interview.Status.APPROVED)
    peer_values_refresh([interview.cluster_id])  # as the approval does
    indicators = catalogue_indicators(interview.catalogue)
    own = load_peer_pool(interview.catalogue, indicators, today=timezone.localdate()).own_values(interview.cluster_id)
    assert own.member and not own.numbers and not own.options
    assert load_report_inputs(interview).own_rows == {}


# --- The expert confirms: each answer's source ------------------------------------------------------


def test_each_answer_records_its_source(interview):
    invitation, manager = invited_manager(interview)
    proposals = stored_values(interview, "E")
    proposals_save_step(invitation=invitation, expected_version=1, values=proposals, user=manager)
    codes = [i.code for i in proposals]
    answers = {i: dict(f) for i, f in proposals.items()}
    changed = next(i for i in answers if i.code == codes[1])
    answers[changed]["number"] = (answers[changed]["number"] or 0) + 1
    interview_save_step(interview=interview, expected_version=1, values=answers, user=interview.expert.user)
    sources = dict(Answer.objects.filter(interview=interview).values_list("indicator__code", "source"))
    assert sources[codes[0]] == Answer.Source.CONFIRMED
    assert sources[codes[1]] == Answer.Source.CHANGED
    other = stored_values(interview, "F")
    interview_save_step(interview=interview, expected_version=2, values=other, user=interview.expert.user)
    assert set(
        Answer.objects.filter(interview=interview, indicator__category__code="F").values_list("source", flat=True)
    ) == {Answer.Source.ENTERED}


def test_the_expert_step_shows_the_proposals(client, interview):
    invitation, manager = invited_manager(interview)
    proposals_save_step(invitation=invitation, expected_version=1, values=stored_values(interview, "E"), user=manager)
    login(client, interview.expert.user)
    response = client.get(f"/interviews/{interview.pk}/step/E/")
    assert response.text.count('class="proposal ') == 3
    assert "Accept all proposals of this step" in response.text


def test_the_history_and_the_review_page_show_the_source(client, interview, staff_user):
    invitation, manager = invited_manager(interview)
    proposals_save_step(invitation=invitation, expected_version=1, values=stored_values(interview, "E"), user=manager)
    interview_save_step(
        interview=interview, expected_version=1, values=stored_values(interview, "E"), user=interview.expert.user
    )
    login(client, interview.expert.user)
    history = client.get(f"/interviews/{interview.pk}/history/")
    assert "Proposed by the manager and confirmed" in history.text
    Interview.objects.filter(pk=interview.pk).update(status=Interview.Status.SUBMITTED)
    login(client, staff_user)
    review = client.get(f"/review/interviews/{interview.pk}/")
    assert "Proposed by the manager and confirmed" in review.text
