"""The questionnaire's doors: bad input, query counts, the printed questionnaire and the summary."""

from django.core import mail
from django.test import TestCase

from benchmarking.models import ManagerInvitation
from benchmarking.services.questionnaire import (
    invitation_accept,
    invitation_revoke,
    proposals_save_step,
    questionnaire_mark_ready,
)
from benchmarking.tests.interview_helpers import login, post_step, valid_step_data
from benchmarking.tests.questionnaire.helpers import post_manager_step, propose_step_a, stored_values
from benchmarking.tests.questionnaire_helpers import invite, invited_manager
from tests.factories import UserFactory

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
            response = post_manager_step(client, invitation, code, valid_step_data(interview, code))
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
    proposals_save_step(invitation=invitation, expected_version=1, values=stored_values(interview, "B"), user=manager)
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


def _item(page: str, code: str) -> str:
    """The printed question `code`, up to the next question."""
    return page.split(f'id="q-{code}"', 1)[1].split('class="q-item', 1)[0]


def test_the_printed_questionnaire_carries_the_managers_proposals(client, interview):
    options = propose_step_a(client, interview)
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

    propose_step_a(client, interview)
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
    propose_step_a(client, interview)
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
