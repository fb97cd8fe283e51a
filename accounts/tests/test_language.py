"""The language switch: the browser's first choice, the session, the profile preference."""

import pytest
from django.urls import reverse

from accounts.models import Profile
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SWITCH = reverse("set_language")


def switch(client, language, next_url="/"):
    return client.post(SWITCH, {"language": language, "next": next_url})


def test_the_browser_language_chooses_on_the_first_visit(client):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9,en;q=0.5")
    assert response["Content-Language"] == "de"
    assert '<html lang="de">' in response.content.decode()
    assert "Bewertete Cluster" in response.content.decode()


def test_an_unknown_browser_language_falls_back_to_english(client):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="fr-FR")
    assert response["Content-Language"] == "en-gb"
    assert "Benchmarked clusters" in response.content.decode()


def test_the_switch_redirects_back_and_is_remembered_for_the_session(client):
    response = switch(client, "es", "/labels/verify/")
    assert response.status_code == 302
    assert response["Location"] == "/labels/verify/"
    # The session's choice wins over the browser's.
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="de")
    assert page["Content-Language"] == "es"
    assert "Clústeres evaluados" in page.content.decode()


def test_the_switch_is_a_form_in_the_navigation(client):
    html = client.get(reverse("home")).content.decode()
    assert f'action="{SWITCH}"' in html
    assert '<option value="es" lang="es">Español</option>' in html
    assert 'src="/jsi18n/"' in html


def test_the_switch_refuses_get(client):
    assert client.get(SWITCH).status_code == 405


@pytest.mark.parametrize("language", ["fr", "", "xx-yy"])
def test_an_unknown_language_changes_nothing(client, language):
    response = switch(client, language)
    assert response.status_code == 302
    assert client.get(reverse("home"))["Content-Language"] == "en-gb"
    assert not Profile.objects.exists()


def test_the_switch_never_redirects_off_site(client):
    response = switch(client, "de", "https://evil.example/")
    assert response["Location"] == "/"


def test_a_logged_in_users_choice_is_saved_as_their_preference(client):
    user = UserFactory(username="ana")
    client.force_login(user)
    switch(client, "es")
    assert Profile.objects.get(user=user).language == "es"


def test_the_preference_is_applied_at_login(client):
    user = UserFactory(username="jonas")
    Profile.objects.create(user=user, language="de")
    client.post(reverse("login"), {"username": "jonas", "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="es")
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="es")
    assert page["Content-Language"] == "de"
    assert "Abmelden" in page.content.decode()


def test_the_javascript_catalogue_is_served_in_the_language(client):
    switch(client, "de")
    response = client.get(reverse("javascript-catalog"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")


# (url name, method) -> status for anonymous, a plain user, staff: all are open to everyone.
MATRIX = {
    ("set_language", "post"): (302, 302, 302),
    ("set_language", "get"): (405, 405, 405),
    ("javascript-catalog", "get"): (200, 200, 200),
    ("favicon", "get"): (301, 301, 301),  # to the icon in static/
    ("favicon", "post"): (405, 405, 405),
}


CASES = [
    pytest.param(name, method, who, expected[i], id=f"{name}-{method}-{who}")
    for (name, method), expected in MATRIX.items()
    for i, who in enumerate(("anonymous", "plain", "staff"))
]


@pytest.mark.parametrize(("name", "method", "who", "expected"), CASES)
def test_permission_matrix(client, name, method, who, expected):
    if who != "anonymous":
        client.force_login(UserFactory(username=who, is_staff=who == "staff"))
    response = getattr(client, method)(reverse(name), {"language": "de", "next": "/"} if method == "post" else {})
    assert response.status_code == expected
