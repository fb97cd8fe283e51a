"""ecei_site.mail: every e-mail in its recipient's language (issue 13). The doors that send
mails are tested with their views (benchmarking/tests/test_notifications.py, test_reminders.py)."""

import pytest
from django.core import mail
from django.utils import translation

from accounts.models import Profile
from ecei_site.mail import render_mail, send_mail_after_commit, send_mail_in_language
from tests.factories import InterviewFactory, UserFactory

pytestmark = pytest.mark.django_db

TEMPLATE = "emails/interview_rejected.txt"


@pytest.fixture
def interview(expert):
    return InterviewFactory(expert=expert, decision_reason="Not a cluster.")


def user(name, language=None, **extra):
    person = UserFactory(username=name, **extra)
    if language is not None:
        Profile.objects.create(user=person, language=language)
    return person


def test_the_first_line_is_the_subject_and_the_rest_the_body(interview):
    subject, body = render_mail(TEMPLATE, {"interview": interview, "url": "https://x/"}, language="en-gb")
    assert subject == f"Interview rejected: {interview.cluster.name}"
    assert body.startswith(f"Dear {interview.expert},\n\nthe ECEI secretariat has rejected")
    assert "Reason: Not a cluster." in body and body.endswith("ECEI Secretariat\n")


def test_each_recipient_reads_their_language_and_nobody_sees_the_others(interview):
    recipients = [user("hans", "de"), user("lucia", "es"), user("jane"), "someone@elsewhere.example"]
    sent = send_mail_in_language(recipients, template=TEMPLATE, context={"interview": interview, "url": "https://x/"})
    assert sent == 4
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    cluster = interview.cluster.name
    assert subjects == {
        "hans@example.org": f"Interview abgelehnt: {cluster}",
        "lucia@example.org": f"Entrevista rechazada: {cluster}",
        "jane@example.org": f"Interview rejected: {cluster}",  # no preference: the site's default
        "someone@elsewhere.example": f"Interview rejected: {cluster}",  # no user: the site's default
    }
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mail.outbox)


def test_a_bare_address_gets_the_language_of_the_user_who_has_it(interview):
    user("greta", "de", email="Greta@Cluster.example")
    user("gone", "es", email="greta@cluster.example", is_active=False)
    send_mail_in_language("greta@cluster.example", template=TEMPLATE, context={"interview": interview})
    (message,) = mail.outbox
    assert message.subject.startswith("Interview abgelehnt")


def test_the_same_address_twice_gets_one_mail(interview):
    hans = user("hans", "de")
    send_mail_in_language([hans, "hans@example.org", ""], template=TEMPLATE, context={"interview": interview})
    assert [m.to for m in mail.outbox] == [["hans@example.org"]]


def test_the_callers_language_is_left_as_it_was(interview):
    with translation.override("es"):
        send_mail_in_language(user("hans", "de"), template=TEMPLATE, context={"interview": interview})
        assert translation.get_language() == "es"
    assert mail.outbox[0].subject.startswith("Interview abgelehnt")


def test_after_commit_mails_wait_for_the_commit(interview, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send_mail_after_commit([user("hans", "de")], template=TEMPLATE, context={"interview": interview})
    assert mail.outbox == [] and len(callbacks) == 1
    callbacks[0]()
    assert mail.outbox[0].subject.startswith("Interview abgelehnt")


def test_rendering_does_not_query_per_recipient(interview, django_assert_num_queries):
    few = [user(f"few{i}", "de") for i in range(2)]
    many = [user(f"many{i}", lang) for i, lang in enumerate(["de", "es", "en-gb"] * 4)]
    context = {"interview": interview, "url": "https://x/"}
    send_mail_in_language(few, template=TEMPLATE, context=context)  # warms the template cache
    # The users come with their profiles (as the notifications select them): no query at all.
    from django.contrib.auth import get_user_model

    few = list(get_user_model().objects.filter(username__startswith="few").select_related("profile"))
    many = list(get_user_model().objects.filter(username__startswith="many").select_related("profile"))
    interview = type(interview).objects.select_related("cluster", "expert__user").get(pk=interview.pk)
    context = {"interview": interview, "url": "https://x/"}
    with django_assert_num_queries(0):
        send_mail_in_language(few, template=TEMPLATE, context=context)
    with django_assert_num_queries(0):
        send_mail_in_language(many, template=TEMPLATE, context=context)
