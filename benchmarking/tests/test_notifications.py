"""E-mails on submission and approval: who gets them, the link in them, and that a failing
mail server never fails the expert's or the secretariat's action (issue 10)."""

import logging

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from benchmarking.models import Interview
from benchmarking.tests.interview_helpers import login
from tests import factories

ECCP = "https://clustercollaboration.eu/cluster-organisations/test"


@pytest.fixture
def secretariat(db):
    return [
        factories.UserFactory(is_staff=True, username="sec1", email="sec1@example.org"),
        factories.UserFactory(is_staff=True, username="sec2", email="sec2@example.org"),
    ]


@pytest.fixture
def others(db):
    """People who must not be told: a former member of the secretariat, an ordinary user."""
    factories.UserFactory(is_staff=True, is_active=False, username="gone", email="gone@example.org")
    factories.UserFactory(username="plain", email="plain@example.org")


@pytest.fixture
def complete_interview(expert):
    expert.user.email = "eva@example.org"
    expert.user.save()
    interview = factories.InterviewFactory(expert=expert, cluster__eligible=True)  # eligible
    return factories.answer_all(interview)


def _submit(client, interview):
    return client.post(
        reverse("benchmarking:interview_submit", kwargs={"pk": interview.pk}), {"version": interview.version}
    )


def _approve(client, interview):
    interview.refresh_from_db()
    return client.post(reverse("benchmarking:review_approve", kwargs={"pk": interview.pk}),
                       {"version": interview.version, "confirm": "1"})


# --- Submitted: the secretariat -------------------------------------------------------------


def test_the_secretariat_is_told_of_a_submission(client, complete_interview, secretariat, others, mailoutbox,
                                                 django_capture_on_commit_callbacks, settings):
    settings.SITE_URL = "https://ecei.example.org"
    login(client, complete_interview.expert.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = _submit(client, complete_interview)
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mailoutbox) == ["sec1@example.org", "sec2@example.org"]
    assert all(len(m.to) == 1 for m in mailoutbox)  # one message each: no shared recipient list
    mail = mailoutbox[0]
    assert complete_interview.cluster.name in mail.subject
    assert f"https://ecei.example.org/review/interviews/{complete_interview.pk}/" in mail.body


def test_nothing_is_sent_when_the_submission_is_refused(client, expert, secretariat, mailoutbox,
                                                        django_capture_on_commit_callbacks):
    interview = factories.InterviewFactory(expert=expert)  # nothing answered yet
    login(client, expert.user)
    with django_capture_on_commit_callbacks(execute=True):
        _submit(client, interview)
    interview.refresh_from_db()
    assert interview.status == Interview.Status.DRAFT
    assert mailoutbox == []


# --- Approved and report issued: the expert and the cluster's managers ------------------------


@pytest.fixture
def submitted(complete_interview):
    cluster = complete_interview.cluster
    cluster.managers.add(
        factories.UserFactory(username="m1", email="manager1@example.org"),
        factories.UserFactory(username="m2", email="manager2@example.org"),
        factories.UserFactory(username="m3", email="gone@example.org", is_active=False),
    )
    Interview.objects.filter(pk=complete_interview.pk).update(status=Interview.Status.SUBMITTED)
    complete_interview.refresh_from_db()
    return complete_interview


def test_the_expert_and_the_managers_are_told_of_the_approval_and_the_report(
    client, submitted, secretariat, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://ecei.example.org"
    login(client, secretariat[0])
    with django_capture_on_commit_callbacks(execute=True):
        response = _approve(client, submitted)
    assert response.status_code == 302
    report = submitted.reports.get()
    assert sorted(m.to[0] for m in mailoutbox) == ["eva@example.org", "manager1@example.org", "manager2@example.org"]
    for mail in mailoutbox:
        assert f"https://ecei.example.org/reports/{report.code}/" in mail.body
        assert "approved" in mail.subject.lower()


# --- A failing mail server ----------------------------------------------------------------------


@pytest.fixture
def mail_server_down(settings):
    """The real SMTP backend, pointed at a port where nothing listens: connection refused."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2


def test_a_failing_mail_server_never_fails_a_submission(client, complete_interview, secretariat, mail_server_down,
                                                        django_capture_on_commit_callbacks, caplog):
    login(client, complete_interview.expert.user)
    with caplog.at_level(logging.ERROR, logger="benchmarking.services.notifications"):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = _submit(client, complete_interview)
    assert callbacks  # the mails were attempted, one task per recipient
    assert response.status_code == 302
    complete_interview.refresh_from_db()
    assert complete_interview.status == Interview.Status.SUBMITTED
    assert "Could not send" in caplog.text


def test_a_failing_mail_server_never_fails_an_approval(client, submitted, secretariat, mail_server_down,
                                                       django_capture_on_commit_callbacks, caplog):
    login(client, secretariat[0])
    with caplog.at_level(logging.ERROR, logger="benchmarking.services.notifications"):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = _approve(client, submitted)
    assert callbacks
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Interview.Status.APPROVED
    assert submitted.reports.exists()
    assert "Could not send" in caplog.text


def test_a_failing_mail_server_never_fails_a_return(client, submitted, secretariat, mail_server_down,
                                                    django_capture_on_commit_callbacks, caplog):
    login(client, secretariat[0])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("benchmarking:review_return", kwargs={"pk": submitted.pk}),
                               {"version": submitted.version, "comment": "Check A5."})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Interview.Status.RETURNED


# --- Each recipient in their own language (issue 13) --------------------------------------------


def _speaks(user, language):
    from accounts.models import Profile

    Profile.objects.update_or_create(user=user, defaults={"language": language})


def _by_recipient(mailoutbox):
    return {m.to[0]: m for m in mailoutbox}


def test_the_secretariat_is_told_each_in_their_language(client, complete_interview, secretariat, mailoutbox,
                                                        django_capture_on_commit_callbacks):
    _speaks(secretariat[0], "de")
    _speaks(secretariat[1], "es")
    _speaks(complete_interview.expert.user, "en-gb")
    login(client, complete_interview.expert.user)
    client.post(reverse("set_language"), {"language": "es"})  # the expert's own page is Spanish
    with django_capture_on_commit_callbacks(execute=True):
        response = _submit(client, complete_interview)
    assert response.status_code == 302
    mails = _by_recipient(mailoutbox)
    cluster = complete_interview.cluster.name
    german, spanish = mails["sec1@example.org"], mails["sec2@example.org"]
    assert german.subject == f"Interview zur Prüfung eingereicht: {cluster}"
    assert german.body.startswith("Liebes ECEI-Sekretariat,")
    assert "zur Prüfung eingereicht" in german.body
    assert spanish.subject == f"Entrevista enviada para revisión: {cluster}"
    assert "ha enviado para revisión la entrevista" in spanish.body
    # The page the expert is redirected to stays in their language.
    assert client.get(response["Location"])["Content-Language"] == "es"


def test_approval_mails_follow_each_recipients_language(client, submitted, secretariat, mailoutbox,
                                                        django_capture_on_commit_callbacks):
    _speaks(submitted.expert.user, "es")
    _speaks(submitted.cluster.managers.get(username="m1"), "de")  # m2 has no preference: English
    login(client, secretariat[0])
    with django_capture_on_commit_callbacks(execute=True):
        _approve(client, submitted)
    mails = _by_recipient(mailoutbox)
    report = submitted.reports.get()
    assert mails["eva@example.org"].subject.startswith("Evaluación comparativa aprobada, informe emitido")
    assert f"ha emitido su informe individual de evaluación comparativa {report.code}" in mails["eva@example.org"].body
    assert mails["manager1@example.org"].subject.startswith("Benchmarking genehmigt, Bericht ausgestellt")
    assert "Zum Bericht (nach der Anmeldung):" in mails["manager1@example.org"].body
    assert mails["manager2@example.org"].subject.startswith("Benchmarking approved, report issued")


@pytest.mark.parametrize(
    ("language", "subject", "phrase"),
    [
        ("de", "Interview zurückgegeben", "Bitte überarbeiten Sie das Interview"),
        ("es", "Entrevista devuelta", "Revise la entrevista y envíela de nuevo"),
        ("en-gb", "Interview returned", "Please revise the interview"),
    ],
)
def test_a_returned_interview_is_announced_in_the_experts_language(
    client, submitted, secretariat, mailoutbox, django_capture_on_commit_callbacks, language, subject, phrase
):
    _speaks(submitted.expert.user, language)
    login(client, secretariat[0])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("benchmarking:review_return", kwargs={"pk": submitted.pk}),
                    {"version": submitted.version, "comment": "Prüfen Sie A5."})
    (mail,) = mailoutbox
    assert mail.subject == f"{subject}: {submitted.cluster.name}"
    assert phrase in mail.body
    assert "Prüfen Sie A5." in mail.body  # the reviewer's words stay as written


def test_a_rejection_is_announced_in_the_experts_language(client, submitted, secretariat, mailoutbox,
                                                          django_capture_on_commit_callbacks):
    _speaks(submitted.expert.user, "de")
    login(client, secretariat[0])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("benchmarking:review_reject", kwargs={"pk": submitted.pk}),
                    {"version": submitted.version, "reason": "Kein Cluster."})
    (mail,) = mailoutbox
    assert mail.subject == f"Interview abgelehnt: {submitted.cluster.name}"
    assert "Begründung: Kein Cluster." in mail.body
    with translation.override("de"):
        assert f"({date_format(submitted.date)})" in mail.body  # e.g. 18. November 2026
