"""Log-in: the page, throttling of repeated failures, and where each role lands."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, ExpertFactory, UserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_the_login_page_renders(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b'name="username"' in response.content
    assert b"csrfmiddlewaretoken" in response.content


def test_a_correct_login_lands_on_the_start_page(client):
    UserFactory(username="anna")
    response = login(client, "anna", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("start")


def test_a_wrong_password_shows_a_message(client):
    UserFactory(username="anna")
    response = login(client, "anna", "wrong")
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()


def test_logins_are_throttled_after_repeated_failures(client, settings):
    UserFactory(username="anna")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "anna", "wrong")
    response = login(client, "anna", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_throttling_is_per_user_so_others_can_still_log_in(client, settings):
    UserFactory(username="anna")
    UserFactory(username="ben")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "anna", "wrong")
    assert login(client, "ben", PASSWORD).status_code == 302


def test_logout_needs_a_post(client):
    client.force_login(UserFactory())
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302


def test_the_start_page_needs_login(client):
    response = client.get(reverse("start"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_expert_starts_at_their_interviews(client, reference_data):
    client.force_login(ExpertFactory().user)
    assert client.get(reverse("start"))["Location"] == reverse("benchmarking:interview_list")


def test_the_secretariat_starts_at_the_review_queue(client, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("start"))["Location"] == reverse("benchmarking:review_queue")


def test_a_user_without_a_role_starts_at_the_public_database(client):
    client.force_login(UserFactory())
    assert client.get(reverse("start"))["Location"] == reverse("home")


def test_no_template_loads_anything_from_another_site():
    pattern = re.compile(r"""<(?:script|link|img)[^>]+(?:src|href)=["']https?://""", re.IGNORECASE)
    offenders = [str(p) for p in (ROOT / "templates").rglob("*.html") if pattern.search(p.read_text())]
    assert offenders == []
