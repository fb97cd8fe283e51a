"""A Redis that is down (issue 26): the site degrades instead of answering 500.

CACHE_URL points at a real Redis URL on a port where nothing listens, so every call meets the
redis client's own ConnectionError, as it does when redis-server has stopped. The pages that use
the cache answer; the API's rate limit and the password-reset limit let requests through (they
count nothing until Redis is back); /health/ says the cache is down.
"""

import logging
import socket

import pytest
from django.core.cache import cache
from django.urls import reverse

from ecei_site import cache as degrading
from ecei_site.shared_state import cache_config
from tests.factories import UserFactory


@pytest.fixture
def redis_down(settings):
    # The port stays bound, never listening, for the whole test: a connection to it is refused, and
    # no other process (the suite's other worker, its live server, the multi-node test's Redis) can
    # take it meanwhile, as it could a port freed at once.
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        degrading._down_until.clear()
        settings.CACHES = {"default": cache_config(f"redis://127.0.0.1:{closed.getsockname()[1]}/0")}
        yield
        degrading._down_until.clear()


class Kept(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records = []

    def emit(self, record):
        self.records.append(record)


def test_the_cache_answers_as_an_empty_one_and_logs_a_warning(redis_down):
    # A handler on the module's own logger: what runs before this test in the suite (the task
    # worker's command among others) may leave the root logger's handlers or levels changed.
    kept, log = Kept(), logging.getLogger("ecei_site.cache")
    log.addHandler(kept)
    level, disabled, log.disabled = log.level, log.disabled, False
    log.setLevel(logging.WARNING)
    try:
        cache.set("key", "value")
        assert cache.get("key", "default") == "default"
        assert cache.add("key", "value") is False
        assert cache.incr("count", 2) == 2
        assert cache.get_many(["a", "b"]) == {}
        assert cache.get_or_set("computed", lambda: 42) == 42
        assert cache.has_key("key") is False
        cache.delete("key")
    finally:
        log.removeHandler(kept)
        log.setLevel(level)
        log.disabled = disabled
    warnings = [r.getMessage() for r in kept.records if r.levelno == logging.WARNING]
    # One warning for the outage, then no call tries Redis again for a few seconds.
    assert len(warnings) == 1
    assert warnings[0].startswith("Cache unavailable (ConnectionError on set")


def test_pages_that_use_the_cache_answer(client, reference_data, redis_down):
    assert client.get(reverse("home")).status_code == 200  # the overview's cached counts


def test_the_api_rate_limit_lets_requests_through(client, db, redis_down, settings):
    """Nothing can be counted: fail open (the API is public and read-only) rather than refuse all."""
    settings.ECEI_API_RATE_ANONYMOUS = "2/minute"
    assert [client.get(reverse("api:portfolio_list")).status_code for _ in range(4)] == [200] * 4


def test_a_password_reset_is_still_answered(client, db, redis_down, mailoutbox):
    UserFactory(username="anna", email="anna@example.org")
    response = client.post(reverse("password_reset"), {"email": "anna@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1


def test_health_says_the_cache_is_down(client, db, redis_down):
    cache.get("anything")  # the degrading cache has noticed the outage and stopped asking
    state = client.get(reverse("health")).json()
    assert state["status"] == "degraded"
    assert state["cache"] == "unreachable: ConnectionError"
