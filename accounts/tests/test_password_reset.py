"""Password reset is throttled per address and per client (issue 23: 15 requests sent 15 e-mails
to one address). Over the limit the page answers as always, and no e-mail goes out."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEUTRAL = "We’ve emailed you instructions for setting your password"


@pytest.fixture
def users(settings):
    settings.ECEI_PASSWORD_RESETS_PER_HOUR = 3
    return [UserFactory(email=f"person{n}@example.org") for n in range(5)]


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def ask(client, email, address="192.0.2.1"):
    """One reset request from the client at `address`; the page it ends on (the site's page, whose
    language switch carries a CSRF token masked anew each time: left out of the comparison)."""
    response = client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address, follow=True)
    assert response.redirect_chain == [(reverse("password_reset_done"), 302)]
    return CSRF.sub('name="csrfmiddlewaretoken"', response.content.decode())


def test_the_first_three_requests_for_an_address_send_an_email_each(client, users):
    for _ in range(3):
        assert NEUTRAL in ask(client, users[0].email)
    assert [m.to for m in mail.outbox] == [[users[0].email]] * 3


def test_the_fourth_request_for_an_address_sends_nothing_and_shows_the_same_message(client, users):
    pages = [ask(client, users[0].email) for _ in range(3)]
    fourth = ask(client, users[0].email)
    assert len(mail.outbox) == 3
    assert fourth == pages[0]  # the same page: nothing tells that the limit was reached


def test_the_address_limit_holds_from_another_client(client, users):
    """Per address: a flood of mails to one mailbox stops, from however many clients."""
    for n in range(3):
        ask(client, users[0].email, address=f"192.0.2.{n + 1}")
    ask(client, users[0].email, address="198.51.100.7")
    assert len(mail.outbox) == 3


def test_another_address_from_another_client_is_not_held_back(client, users):
    for _ in range(4):
        ask(client, users[0].email)
    ask(client, users[1].email, address="198.51.100.7")
    assert mail.outbox[-1].to == [users[1].email] and len(mail.outbox) == 4


def test_the_client_limit_holds_for_other_addresses(client, users):
    """Per client: one client sweeping addresses gets three mails sent, then none."""
    for user in users[:3]:
        ask(client, user.email)
    ask(client, users[3].email)
    assert [m.to for m in mail.outbox] == [[u.email] for u in users[:3]]
    ask(client, users[4].email, address="198.51.100.7")  # another client still can
    assert mail.outbox[-1].to == [users[4].email]


def test_an_unknown_address_gets_the_same_message_and_counts_too(client, users):
    known = ask(client, users[0].email)
    unknown = ask(client, "nobody@example.org", address="198.51.100.7")
    assert unknown == known and len(mail.outbox) == 1
    for _ in range(3):
        ask(client, "nobody@example.org", address="198.51.100.7")
    ask(client, users[1].email, address="198.51.100.7")  # the client's 5th request
    assert len(mail.outbox) == 1


def test_the_address_is_counted_whatever_its_case(client, users):
    for email in ("person0@example.org", "PERSON0@example.org", " Person0@Example.org "):
        ask(client, email, address="198.51.100.7")
    ask(client, "person0@EXAMPLE.org", address="203.0.113.9")
    assert len(mail.outbox) == 3


def test_the_limit_is_a_setting(client, users, settings):
    settings.ECEI_PASSWORD_RESETS_PER_HOUR = 1
    ask(client, users[0].email)
    ask(client, users[0].email)
    assert len(mail.outbox) == 1


def test_the_window_ends_after_an_hour(client, users, monkeypatch):
    """The counts expire with their cache entries, an hour after the window's first request."""
    import time
    from types import SimpleNamespace

    from django.core.cache.backends import locmem

    for _ in range(4):
        ask(client, users[0].email)
    start = time.time()
    monkeypatch.setattr(locmem, "time", SimpleNamespace(time=lambda: start + 59 * 60))
    ask(client, users[0].email)
    assert len(mail.outbox) == 3  # still within the hour
    monkeypatch.setattr(locmem, "time", SimpleNamespace(time=lambda: start + 61 * 60))
    ask(client, users[0].email)
    assert len(mail.outbox) == 4


def test_a_bad_address_is_a_form_error_not_a_500(client, users):
    response = client.post(reverse("password_reset"), {"email": "not an address"})
    assert response.status_code == 200 and "Enter a valid email address." in response.content.decode()
    assert mail.outbox == []
