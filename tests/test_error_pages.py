"""400, 403, 404 and 500 pages in the site's layout; refusals are logged as one line."""

import logging

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views import defaults

LAYOUT = 'class="navbar'


@pytest.fixture
def production(settings):
    settings.DEBUG = False


def test_404_is_the_site_page_with_the_address(client, db, production):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert LAYOUT in html and "There is no such page" in html
    assert "/no/such/page/" in html


def test_403_is_the_site_page_naming_the_account(client, plain_user, production):
    client.force_login(plain_user)
    response = client.get(reverse("benchmarking:review_queue"))
    assert response.status_code == 403
    html = response.content.decode()
    assert LAYOUT in html and "You may not do this" in html and plain_user.username in html


def test_400_is_the_site_page(db):
    """Django renders 400 and 500 without a request: the layout must not need one."""
    response = defaults.bad_request(RequestFactory().get("/"), exception=None)
    assert response.status_code == 400
    html = response.content.decode()
    assert LAYOUT in html and "could not be understood" in html


def test_500_is_the_site_page(db):
    response = defaults.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert LAYOUT in html and "went wrong on our side" in html


def test_a_broken_host_header_gets_the_400_page(db, production, settings):
    settings.ALLOWED_HOSTS = ["benchmarking.example.eu"]
    response = Client().get("/", HTTP_HOST="attacker.example.com")
    assert response.status_code == 400
    assert "could not be understood" in response.content.decode()


def _request_records(caplog):
    return [r for r in caplog.records if r.name == "django.request"]


def test_a_403_is_logged_as_one_line(client, plain_user, caplog):
    client.force_login(plain_user)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(reverse("benchmarking:review_queue"))
    assert response.status_code == 403
    (record,) = _request_records(caplog)
    assert record.exc_info is None
    line = logging.Formatter().format(record)
    assert line == "Forbidden (Permission denied): /review/"


def test_a_404_is_logged_as_one_line(client, db, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get("/no/such/page/")
    (record,) = _request_records(caplog)
    assert logging.Formatter().format(record) == "Not Found: /no/such/page/"


def test_a_500_keeps_its_traceback(db, caplog, settings):
    """Only refusals lose the traceback: a real error is logged with it."""
    settings.ROOT_URLCONF = "tests.urls_failing"
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = Client(raise_request_exception=False).get("/fail/")
    assert response.status_code == 500
    (record,) = _request_records(caplog)
    assert "Traceback" in logging.Formatter().format(record)
    assert "went wrong on our side" in response.content.decode()


def test_the_404_page_escapes_the_address(client, db, production):
    html = client.get("/no/<script>alert(1)</script>/").content.decode()
    assert "<script>alert(1)" not in html


def test_error_pages_follow_the_visitor_s_language(client, db, production):
    """Their texts are marked for translation; the navigation and buttons already have theirs."""
    german = client.get("/no/such/page/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    english = client.get("/no/such/page/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="de"' in german and 'lang="en' in english
    # The page's own "Benchmarked clusters" button, as well as the navigation's.
    assert german.count("Bewertete Cluster") == english.count("Benchmarked clusters") >= 2
