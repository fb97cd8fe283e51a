"""The shared cache (issue 26): with CACHE_URL the cache is one Redis for every app server, so
the API's rate limit counts each client once however many servers and workers answer it.

Run against a real Redis (TEST_REDIS_URL, default redis://127.0.0.1:6379/15). Skipped when none
answers, except in CI, which starts one (.ci/run) and must run these tests.
"""

import os
import uuid

import pytest
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.request import Request

from api.throttling import PublicRateThrottle
from ecei_site.shared_state import cache_config

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_url():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        reason = f"no Redis answers at {REDIS_URL} ({error}); `redis-server` starts one (.ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the shared cache's tests: {reason}")
        pytest.skip(reason)
    return REDIS_URL


@pytest.fixture
def two_servers(settings, redis_url):
    """The cache as two app servers have it: each its own connection to the one Redis. A prefix
    of this test's own keeps it apart from other runs sharing the Redis."""
    config = {**cache_config(redis_url), "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
    settings.CACHES = {"default": config, "other server": dict(config)}
    yield caches["default"], caches["other server"]
    for alias in ("default", "other server"):
        caches[alias].close()


def test_the_settings_use_redis_when_a_url_is_given_and_local_memory_otherwise():
    assert cache_config("")["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    redis = cache_config("redis://127.0.0.1:6379/1")
    assert redis["BACKEND"] == "ecei_site.cache.DegradingRedisCache"
    assert redis["LOCATION"] == "redis://127.0.0.1:6379/1"


def test_a_url_that_is_not_redis_stops_start_up():
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL must be a Redis URL"):
        cache_config("memcached://127.0.0.1:11211")


def test_two_connections_see_one_value(two_servers):
    here, there = two_servers
    assert here is not there and here._cache is not there._cache
    here.set("greeting", "hello from the first server")
    assert there.get("greeting") == "hello from the first server"


def test_the_rate_limit_counts_across_servers(client, db, settings, two_servers):
    """Three requests allowed a minute: two go to one server through the view, the third to the
    other server's throttle, and the fourth is refused on the first server."""
    settings.ECEI_API_RATE_ANONYMOUS = "3/minute"
    _here, there = two_servers
    url = reverse("api:portfolio_list")
    assert [client.get(url).status_code for _ in range(2)] == [200, 200]

    other_server = PublicRateThrottle()
    other_server.cache = there  # DRF's throttles hold the default cache; this one is the other server's
    request = Request(RequestFactory().get(url))  # the test client's address, 127.0.0.1
    assert other_server.allow_request(request, view=None)
    assert len(there.get(other_server.get_cache_key(request, view=None))) == 3

    assert client.get(url).status_code == 429
