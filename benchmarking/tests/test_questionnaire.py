"""The questionnaire in advance (issue 16): invitation, token, proposals, sources, e-mails."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from benchmarking.models import Answer, Interview, ManagerInvitation, Proposal
from benchmarking.selectors.interviews import unanswered_codes, with_progress
from benchmarking.services.interviews import StaleVersionError, interview_save_step
from benchmarking.services.questionnaire import (
    QuestionnaireError,
    invitation_accept,
    invitation_for_token,
    invitation_link_refusal,
    invitation_resend,
    invitation_revoke,
    invitation_send,
    proposals_save_step,
    questionnaire_mark_ready,
    token_hash,
)
from benchmarking.services.reminders import send_questionnaire_reminders
from benchmarking.services.review import interview_approve
from benchmarking.tests.interview_helpers import login, post_step, valid_step_data
from benchmarking.tests.questionnaire_helpers import invite, invited_manager, token_from_mail
from tests.factories import PASSWORD, InterviewFactory, UserFactory, answer_all


@pytest.fixture
def interview(expert):
    return InterviewFactory(expert=expert)


def accept_url(token):
    return f"/questionnaire/invitation/{token}/"


# --- The invitation and its token ------------------------------------------------------------------


def test_the_token_is_stored_only_as_its_hash(interview):
    invitation, token = invite(interview)
    assert invitation.token_hash == token_hash(token) != token
    assert len(token) >= 40
    assert not ManagerInvitation.objects.filter(token_hash=token).exists()
    assert "token_hash" not in [f.name for f in ManagerInvitation.history.model._meta.fields]


def test_the_invitation_mail_is_in_the_chosen_language(interview):
    invite(interview, language="de")
    message = mail.outbox[-1]
    assert message.to == ["manager@example.org"]
    assert "Fragebogen" in message.subject
    assert accept_url(token_from_mail()) in message.body


def test_the_expiry_comes_from_the_setting(interview, settings):
    settings.ECEI_INVITATION_VALID_DAYS = 3
    before = timezone.now()
    invitation, _ = invite(interview)
    assert before + datetime.timedelta(days=3) <= invitation.expires_at <= timezone.now() + datetime.timedelta(days=3)


def test_expiry_is_exact_at_the_boundary(interview):
    invitation, _ = invite(interview)
    just_before = invitation.expires_at - datetime.timedelta(microseconds=1)
    assert invitation_link_refusal(invitation, now=just_before) is None
    assert "expired" in invitation_link_refusal(invitation, now=invitation.expires_at)


def test_an_expired_link_gets_a_clear_page(client, interview):
    invitation, token = invite(interview)
    ManagerInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    response = client.get(accept_url(token))
    assert response.status_code == 410
    assert "has expired" in response.text and "Ask the expert" in response.text


def test_a_wrong_token_gets_a_clear_page(client, interview):
    invite(interview)
    response = client.get(accept_url("not-a-token"))
    assert response.status_code == 404
    assert "This link is not valid" in response.text


def test_a_revoked_link_gets_a_clear_page(client, interview):
    invitation, token = invite(interview)
    invitation_revoke(invitation=invitation, user=interview.expert.user)
    response = client.get(accept_url(token))
    assert response.status_code == 410 and "withdrawn" in response.text


def test_a_used_link_gets_a_clear_page(client, interview):
    invitation, token = invite(interview)
    invitation_accept(invitation=invitation, user=UserFactory(email=invitation.email))
    response = client.get(accept_url(token))
    assert response.status_code == 410 and "already been used" in response.text
    login(client, UserFactory())
    assert client.post(accept_url(token)).status_code == 410
    invitation.refresh_from_db()
    assert invitation.manager.username != "someone-else"


def test_resend_kills_the_old_link(client, interview):
    invitation, old = invite(interview)
    with TestCase.captureOnCommitCallbacks(execute=True):
        invitation_resend(invitation=invitation, user=interview.expert.user)
    new = token_from_mail()
    assert new != old
    assert invitation_for_token(old) is None
    assert client.get(accept_url(old)).status_code == 404
    assert client.get(accept_url(new)).status_code == 200


def test_only_one_live_invitation_per_interview(interview):
    invite(interview)
    with pytest.raises(QuestionnaireError, match="already has an invitation"):
        invitation_send(interview=interview, email="b@example.org", language="en-gb", user=interview.expert.user)


def test_a_revoked_invitation_allows_a_new_one(interview):
    invitation, _ = invite(interview)
    invitation_revoke(invitation=invitation, user=interview.expert.user)
    invite(interview, email="b@example.org")
    assert ManagerInvitation.objects.filter(interview=interview).count() == 2


def test_only_the_expert_invites_and_only_a_draft(interview, other_expert):
    with pytest.raises(QuestionnaireError, match="Only the interview's expert"):
        invitation_send(interview=interview, email="a@example.org", language="en-gb", user=other_expert.user)
    Interview.objects.filter(pk=interview.pk).update(status=Interview.Status.SUBMITTED)
    interview.refresh_from_db()
    with pytest.raises(QuestionnaireError, match="submitted"):
        invitation_send(interview=interview, email="a@example.org", language="en-gb", user=interview.expert.user)


def test_the_expert_cannot_accept_their_own_invitation(interview):
    invitation, _ = invite(interview, email=interview.expert.user.email)
    with pytest.raises(QuestionnaireError, match="expert"):
        invitation_accept(invitation=invitation, user=interview.expert.user)


def test_the_invitation_history_records_who_did_what(interview):
    invitation, manager = invited_manager(interview)
    invitation_revoke(invitation=invitation, user=interview.expert.user)
    records = list(invitation.history.order_by("history_date"))
    assert [r.history_user for r in records] == [interview.expert.user, manager, interview.expert.user]
    assert records[-1].revoked_at is not None


# --- Accepting through the page -------------------------------------------------------------------


def test_a_new_account_from_the_invitation(client, interview):
    invitation, token = invite(interview, email="Ana@Example.org")
    data = {
        "first_name": "Ana",
        "last_name": "Ruiz",
        "password1": "a-long-enough-pass-31",
        "password2": "a-long-enough-pass-31",
    }
    response = client.post(accept_url(token), data)
    assert response.status_code == 302 and response["Location"] == f"/questionnaire/{interview.pk}/"
    invitation.refresh_from_db()
    assert invitation.manager.email.lower() == invitation.manager.username.lower() == "ana@example.org"
    assert client.get(f"/questionnaire/{interview.pk}/").status_code == 200


def test_a_new_account_needs_a_good_password(client, interview):
    _, token = invite(interview)
    data = {"first_name": "Ana", "last_name": "Ruiz", "password1": "123", "password2": "123"}
    response = client.post(accept_url(token), data)
    assert response.status_code == 400
    assert "too short" in response.text or "too common" in response.text
    assert not ManagerInvitation.objects.filter(manager__isnull=False).exists()


def test_a_new_account_with_differing_passwords(client, interview):
    _, token = invite(interview)
    data = {"first_name": "A", "last_name": "R", "password1": "a-long-enough-pass-31", "password2": "other-pass-31x"}
    response = client.post(accept_url(token), data)
    assert response.status_code == 400 and "The two passwords differ." in response.text


def test_an_existing_address_must_log_in(client, interview):
    UserFactory(username="taken", email="manager@example.org")
    _, token = invite(interview)
    data = {
        "first_name": "A",
        "last_name": "R",
        "password1": "a-long-enough-pass-31",
        "password2": "a-long-enough-pass-31",
    }
    response = client.post(accept_url(token), data)
    assert response.status_code == 400 and "log in instead" in response.text


def test_an_existing_account_accepts_after_login(client, interview):
    """Anonymous, then logged in as the addressee (the address compared whatever its case)."""
    invitation, token = invite(interview)
    manager = UserFactory(email="Manager@Example.ORG")
    page = client.get(accept_url(token))
    assert f"/accounts/login/?next=/questionnaire/invitation/{token}/" in page.text.replace("%2F", "/")
    client.post("/accounts/login/", {"username": manager.username, "password": PASSWORD})
    assert client.post(accept_url(token)).status_code == 302
    invitation.refresh_from_db()
    assert invitation.manager == manager


def test_the_invited_manager_becomes_a_manager_of_the_cluster_and_reads_its_reports(client, expert, staff_user):
    """Taking up the invitation (a new account through the page) makes the manager one of the
    cluster's managers, recorded in the cluster's history; once the interview is approved its
    report is theirs to read."""
    interview = InterviewFactory(expert=expert, cluster__eligible=True)
    _, token = invite(interview, email="ana@example.org")
    password = "a-long-enough-pass-31"
    data = {"first_name": "Ana", "last_name": "Ruiz", "password1": password, "password2": password}
    assert client.post(accept_url(token), data).status_code == 302
    manager = ManagerInvitation.objects.get(interview=interview).manager
    cluster = interview.cluster
    assert list(cluster.managers.all()) == [manager]
    record = cluster.history.latest()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "~",
        manager,
        f"Manager by invitation to interview {interview.pk}",
    )
    assert [m.user for m in record.managers.all()] == [manager]
    assert cluster.name in client.get("/my-cluster/").text
    answer_all(interview)
    Interview.objects.filter(pk=interview.pk).update(status=Interview.Status.SUBMITTED)
    interview.refresh_from_db()
    interview_approve(interview=interview, user=staff_user)  # the report follows (at once: immediate backend)
    report = interview.reports.get()
    assert client.get(f"/reports/{report.code}/").status_code == 200


def test_an_existing_account_becomes_a_manager_once(client, interview):
    """Logged in, through the page; a manager already is not added (nor recorded) twice."""
    manager = UserFactory(email="manager@example.org")
    interview.cluster.managers.add(manager)
    records = interview.cluster.history.count()
    _, token = invite(interview)
    client.force_login(manager)
    assert client.post(accept_url(token)).status_code == 302
    assert list(interview.cluster.managers.all()) == [manager]
    assert interview.cluster.history.count() == records


def test_a_refused_acceptance_makes_nobody_a_manager(client, interview):
    invitation, token = invite(interview)
    invitation_revoke(invitation=invitation, user=interview.expert.user)
    client.force_login(UserFactory())
    assert client.post(accept_url(token)).status_code == 410
    assert not interview.cluster.managers.exists()


# --- Proposals ----------------------------------------------------------------------------------------


def _post_manager_step(client, invitation, code, data, **extra):
    invitation.refresh_from_db()
    payload = {"version": invitation.version, "save": "1", **data, **extra}
    return client.post(f"/questionnaire/{invitation.interview_id}/step/{code}/", payload)


def test_the_manager_saves_proposals_not_answers(client, interview):
    invitation, manager = invited_manager(interview)
    login(client, manager)
    response = _post_manager_step(client, invitation, "E", valid_step_data(interview, "E"))
    assert response.status_code == 302
    assert Proposal.objects.filter(interview=interview).count() == 3
    assert not Answer.objects.filter(interview=interview).exists()
    interview.refresh_from_db()
    assert interview.version == 1  # the expert's open page stays valid


def test_the_manager_gets_the_same_validation(client, interview):
    invitation, manager = invited_manager(interview)
    login(client, manager)
    data = valid_step_data(interview, "E") | {"E1-value": "abc"}
    response = _post_manager_step(client, invitation, "E", data)
    assert response.status_code == 200
    assert "“abc” cannot be read as a number here." in response.text
    data = valid_step_data(interview, "E") | {"E2-missing_reason": "unknown"}
    response = _post_manager_step(client, invitation, "E", data)
    assert "Give either a value or a reason" in response.text


def test_a_missing_value_reason_is_a_proposal_too(client, interview):
    invitation, manager = invited_manager(interview)
    login(client, manager)
    _post_manager_step(client, invitation, "E", {"E1-missing_reason": "not_disclosed"})
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
    response = _post_manager_step(client, invitation, "E", valid_step_data(interview, "E"))
    assert response.status_code == 403
    assert not Proposal.objects.exists()
    page = client.get(f"/questionnaire/{interview.pk}/step/E/")
    assert page.status_code == 200 and "can no longer be changed" in page.text and "disabled" in page.text


def test_proposals_never_count_as_answers(client, interview):
    invitation, manager = invited_manager(interview)
    for code in "ABCDEF":
        proposals_save_step(
            invitation=invitation, expected_version=invitation.version, user=manager,
            values=_values(interview, code),
        )  # fmt: skip
    assert Proposal.objects.filter(interview=interview).count() > 30
    assert len(unanswered_codes(interview)) == Proposal.objects.filter(interview=interview).count()
    assert with_progress([interview])[0].progress.answered == 0
    login(client, interview.expert.user)
    response = client.get(f"/interviews/{interview.pk}/")
    assert "disabled" in response.text.split("Submit to the secretariat")[0][-200:] or "cannot" in response.text


def _values(interview, code):
    """The step's valid answers as Answer columns, as the form would produce them."""
    from benchmarking.forms.interviews import InterviewStepForm
    from benchmarking.selectors.interviews import interview_sheet

    sheet = interview_sheet(interview)
    step = InterviewStepForm(
        valid_step_data(interview, code) | {"version": 1}, sheet=sheet, category=sheet.category(code)
    )
    step.validate()
    return step.saveable_values()


def test_proposals_never_reach_statistics_or_reports(interview):
    """The peer pool (statistics) and a report's own values read Answer only: an approved
    interview whose indicators hold only proposals adds no value anywhere."""
    from benchmarking.selectors.reports.inputs import catalogue_indicators, load_report_inputs
    from benchmarking.selectors.reports.peers import load_peer_pool
    from benchmarking.services.peer_values import peer_values_refresh

    invitation, manager = invited_manager(interview)
    proposals_save_step(invitation=invitation, expected_version=1, values=_values(interview, "A"), user=manager)
    Interview.objects.filter(pk=interview.pk).update(status=Interview.Status.APPROVED)
    peer_values_refresh([interview.cluster_id])  # as the approval does
    indicators = catalogue_indicators(interview.catalogue)
    own = load_peer_pool(interview.catalogue, indicators, today=timezone.localdate()).own_values(interview.cluster_id)
    assert own.member and not own.numbers and not own.options
    assert load_report_inputs(interview).own_rows == {}


# --- The expert confirms: each answer's source ------------------------------------------------------


def test_each_answer_records_its_source(interview):
    invitation, manager = invited_manager(interview)
    proposals = _values(interview, "E")
    proposals_save_step(invitation=invitation, expected_version=1, values=proposals, user=manager)
    codes = [i.code for i in proposals]
    answers = {i: dict(f) for i, f in proposals.items()}
    changed = next(i for i in answers if i.code == codes[1])
    answers[changed]["number"] = (answers[changed]["number"] or 0) + 1
    interview_save_step(interview=interview, expected_version=1, values=answers, user=interview.expert.user)
    sources = dict(Answer.objects.filter(interview=interview).values_list("indicator__code", "source"))
    assert sources[codes[0]] == Answer.Source.CONFIRMED
    assert sources[codes[1]] == Answer.Source.CHANGED
    other = _values(interview, "F")
    interview_save_step(interview=interview, expected_version=2, values=other, user=interview.expert.user)
    assert set(
        Answer.objects.filter(interview=interview, indicator__category__code="F").values_list("source", flat=True)
    ) == {Answer.Source.ENTERED}


def test_the_expert_step_shows_the_proposals(client, interview):
    invitation, manager = invited_manager(interview)
    proposals_save_step(invitation=invitation, expected_version=1, values=_values(interview, "E"), user=manager)
    login(client, interview.expert.user)
    response = client.get(f"/interviews/{interview.pk}/step/E/")
    assert response.text.count('class="proposal ') == 3
    assert "Accept all proposals of this step" in response.text


def test_the_history_and_the_review_page_show_the_source(client, interview, staff_user):
    invitation, manager = invited_manager(interview)
    proposals_save_step(invitation=invitation, expected_version=1, values=_values(interview, "E"), user=manager)
    interview_save_step(
        interview=interview, expected_version=1, values=_values(interview, "E"), user=interview.expert.user
    )
    login(client, interview.expert.user)
    history = client.get(f"/interviews/{interview.pk}/history/")
    assert "Proposed by the manager and confirmed" in history.text
    Interview.objects.filter(pk=interview.pk).update(status=Interview.Status.SUBMITTED)
    login(client, staff_user)
    review = client.get(f"/review/interviews/{interview.pk}/")
    assert "Proposed by the manager and confirmed" in review.text


# --- Ready, reminder ------------------------------------------------------------------------------------


def test_ready_tells_the_expert_once(client, interview):
    invitation, manager = invited_manager(interview)
    login(client, manager)
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"/questionnaire/{interview.pk}/ready/")
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[interview.expert.user.email]]
    assert f"/interviews/{interview.pk}/" in mail.outbox[0].body
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(f"/questionnaire/{interview.pk}/ready/")
    assert len(mail.outbox) == 1


def test_ready_is_refused_after_revocation(interview):
    invitation, manager = invited_manager(interview)
    invitation_revoke(invitation=invitation, user=interview.expert.user)
    with pytest.raises(QuestionnaireError):
        questionnaire_mark_ready(invitation=invitation, user=manager)


def _planned(expert, days_ahead):
    return InterviewFactory(expert=expert, date=timezone.localdate() + datetime.timedelta(days=days_ahead))


def test_the_reminder_goes_a_week_before_once(expert):
    today = timezone.localdate()
    due = _planned(expert, 7)
    early = _planned(expert, 8)
    invite(due, email="due@example.org", language="es")
    invite(early, email="early@example.org")
    mail.outbox.clear()
    sent = send_questionnaire_reminders(today=today)
    assert [i.email for i in sent] == ["due@example.org"]
    assert mail.outbox[0].to == ["due@example.org"] and "Recordatorio" in mail.outbox[0].subject
    assert send_questionnaire_reminders(today=today) == []  # sent once


def test_no_reminder_when_ready_or_revoked(expert):
    ready = _planned(expert, 3)
    revoked = _planned(expert, 3)
    invitation, manager = invited_manager(ready)
    questionnaire_mark_ready(invitation=invitation, user=manager)
    other, _ = invite(revoked)
    invitation_revoke(invitation=other, user=expert.user)
    assert send_questionnaire_reminders(today=timezone.localdate()) == []


def test_the_reminder_command(expert):
    _planned(expert, 5)
    invite(Interview.objects.get())
    out = __import__("io").StringIO()
    call_command("questionnaire_reminders", stdout=out)
    assert "1 questionnaire reminder(s) sent" in out.getvalue()


# --- The doors: bad input, query counts, the printable questionnaire ------------------------------


def test_a_bad_address_is_refused_next_to_the_field(client, interview):
    login(client, interview.expert.user)
    response = client.post(f"/interviews/{interview.pk}/invitation/", {"email": "not an address", "language": "xx"})
    assert response.status_code == 400
    assert "Enter a valid email address." in response.text
    assert "Select a valid choice." in response.text
    assert not ManagerInvitation.objects.exists() and not mail.outbox


def test_the_invitation_page_invites(client, interview):
    login(client, interview.expert.user)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"/interviews/{interview.pk}/invitation/", {"email": "m@example.org", "language": "es"})
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["m@example.org"] and "cuestionario" in mail.outbox[-1].subject
    page = client.get(f"/interviews/{interview.pk}/invitation/")
    assert "m@example.org" in page.text and "Send a new link" in page.text


def test_a_known_address_gets_its_own_language(interview):
    from accounts.models import Profile

    user = UserFactory(email="known@example.org")
    Profile.objects.create(user=user, language="de")
    invite(interview, email="known@example.org", language="es")
    assert "Fragebogen" in mail.outbox[-1].subject


def test_a_manager_step_costs_the_same_for_3_or_10_indicators(client, interview):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    invitation, manager = invited_manager(interview)
    login(client, manager)

    def count(code):
        with CaptureQueriesContext(connection) as queries:
            response = _post_manager_step(client, invitation, code, valid_step_data(interview, code))
        assert response.status_code == 302
        return len(queries)

    assert count("E") == count("B")  # 3 and 10 indicators
    with CaptureQueriesContext(connection) as few:
        client.get(f"/questionnaire/{interview.pk}/step/E/")
    with CaptureQueriesContext(connection) as many:
        client.get(f"/questionnaire/{interview.pk}/step/B/")
    assert len(few) == len(many)


def test_the_expert_step_costs_the_same_with_proposals(client, interview, django_assert_num_queries):
    invitation, manager = invited_manager(interview)
    login(client, interview.expert.user)
    with django_assert_num_queries(8):
        client.get(f"/interviews/{interview.pk}/step/B/")
    proposals_save_step(invitation=invitation, expected_version=1, values=_values(interview, "B"), user=manager)
    with django_assert_num_queries(8):
        client.get(f"/interviews/{interview.pk}/step/B/")


def test_the_printable_questionnaire_is_in_the_readers_language(client, interview):
    invitation, manager = invited_manager(interview)
    login(client, manager)
    page = client.get(f"/questionnaire/{interview.pk}/print/", HTTP_ACCEPT_LANGUAGE="de")
    assert page.status_code == 200
    assert "Benchmarking-Fragebogen" in page.text and "v1" in page.text
    assert "Nicht offengelegt" in page.text  # the missing-value reasons
    pdf = client.get(f"/questionnaire/{interview.pk}/blank.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert 'filename="ECEI-questionnaire-v1-' in pdf["Content-Disposition"]


def _propose_step_a(client, interview):
    """The manager's proposals for step A: a year, a choice, two of a multi, counts and shares,
    and a reason with a comment; steps B to F stay unanswered."""
    invitation, manager = invited_manager(interview)
    login(client, manager)
    options = {i.code: i.options for i in interview.catalogue.indicators.filter(category__code="A")}
    data = valid_step_data(interview, "A") | {
        "A1-value": "1997",
        "A2-value": options["A2"][1],
        "A3-value": [options["A3"][0], options["A3"][2]],
        "A8-value": "",
        "A8-missing_reason": "not_disclosed",
        "A8-comment": "The board decides in May.",
    }
    assert _post_manager_step(client, invitation, "A", data).status_code == 302
    return options


def _item(page: str, code: str) -> str:
    """The printed question `code`, up to the next question."""
    return page.split(f'id="q-{code}"', 1)[1].split('class="q-item', 1)[0]


def test_the_printed_questionnaire_carries_the_managers_proposals(client, interview):
    options = _propose_step_a(client, interview)
    login(client, interview.expert.user)
    page = client.get(f"/questionnaire/{interview.pk}/print/").text
    assert "Printed with the manager's proposals for 8 questions" in page
    assert '<span class="q-blank-line q-filled">1997</span>' in _item(page, "A1")
    a2 = _item(page, "A2")
    assert a2.count("q-ticked") == 1 and a2.index("q-ticked") < a2.index(options["A2"][1]) > a2.index(options["A2"][0])
    assert _item(page, "A3").count("q-ticked") == 2
    assert _item(page, "A5").count('q-blank q-filled">1</td>') == 6
    a8 = _item(page, "A8")
    assert a8.count("q-ticked") == 1 and "Not disclosed" in a8.split("q-ticked", 1)[1]
    assert "The board decides in May." in a8
    b1 = _item(page, "B1")
    assert "q-ticked" not in b1 and "q-filled" not in b1  # not proposed: blank


def test_the_questionnaire_pdf_carries_the_proposals_in_the_readers_language(client, interview, tmp_path):
    import subprocess

    _propose_step_a(client, interview)
    login(client, interview.expert.user)
    pdf = client.get(f"/questionnaire/{interview.pk}/blank.pdf", HTTP_ACCEPT_LANGUAGE="de")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    (tmp_path / "q.pdf").write_bytes(pdf.content)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "q.pdf"), "-"], capture_output=True, text=True).stdout
    assert "Gedruckt mit den Vorschlägen des Managements zu 8 Fragen" in " ".join(text.split())
    assert "1997" in text and "The board decides in May." in text and "✓" in text


def test_without_proposals_the_printed_questionnaire_is_blank(client, interview):
    invitation, manager = invited_manager(interview)
    login(client, manager)
    page = client.get(f"/questionnaire/{interview.pk}/print/").text
    assert "q-ticked" not in page and "q-filled" not in page and "Printed with" not in page
    assert page.count('class="q-item"') == interview.catalogue.indicators.count()


def test_the_summary_shows_the_proposals_beside_the_answers(client, interview):
    _propose_step_a(client, interview)
    login(client, interview.expert.user)
    page = client.get(f"/interviews/{interview.pk}/").text
    assert "The manager proposed answers to 8 indicators" in page
    proposal = page.split('id="proposal-A1"', 1)[1].split("</div>", 1)[0]
    assert "1997" in proposal and "Confirmed" not in proposal and "Differs" not in proposal  # not answered yet
    assert "The board decides in May." in page.split('id="proposal-A8"', 1)[1].split("</div>", 1)[0]
    assert 'id="proposal-B1"' not in page
    data = valid_step_data(interview, "A") | {"A1-value": "1997", "A2-value": "", "A2-missing_reason": "unknown"}
    assert post_step(client, interview, "A", data).status_code == 302
    page = client.get(f"/interviews/{interview.pk}/").text
    assert "Confirmed" in page.split('id="proposal-A1"', 1)[1].split("</div>", 1)[0]
    assert "Differs from the answer" in page.split('id="proposal-A2"', 1)[1].split("</div>", 1)[0]
    page = client.get(f"/interviews/{interview.pk}/", HTTP_ACCEPT_LANGUAGE="es").text
    assert "Propuesta del gestor:" in page and "Difiere de la respuesta" in page


def test_the_interview_history_shows_the_invitation(client, interview):
    invitation, manager = invited_manager(interview, first_name="Ana", last_name="Ruiz")
    questionnaire_mark_ready(invitation=invitation, user=manager)
    invitation_revoke(invitation=invitation, user=interview.expert.user)
    login(client, interview.expert.user)
    rows = client.get(f"/interviews/{interview.pk}/history/").context["changes"]
    events = [(str(c.field), c.new) for c in rows if str(c.indicator) == "Manager's questionnaire"]
    assert events == [
        ("invitation revoked", "manager@example.org"),
        ("ready for the interview", "Ana Ruiz"),
        ("invitation accepted", "Ana Ruiz"),
        ("invitation sent", "manager@example.org"),
    ]
    assert invitation.token_hash not in client.get(f"/interviews/{interview.pk}/history/").text


def test_the_summary_tells_the_expert_where_the_questionnaire_stands(client, interview):
    login(client, interview.expert.user)
    assert "invitation-state" not in client.get(f"/interviews/{interview.pk}/").text
    invitation, _ = invite(interview)
    assert "not accepted yet" in client.get(f"/interviews/{interview.pk}/").text
    invitation_accept(invitation=invitation, user=UserFactory(email=invitation.email))
    assert "not marked ready yet" in client.get(f"/interviews/{interview.pk}/").text
    invitation.refresh_from_db()
    questionnaire_mark_ready(invitation=invitation, user=invitation.manager)
    assert "ready since" in client.get(f"/interviews/{interview.pk}/").text
