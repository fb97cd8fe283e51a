"""Django's Redis cache, degrading when Redis is down (issue 26).

Nothing the site keeps in the cache is needed to answer a request: the overview's counts are
computed again, the API's rate limits and the password-reset counts let the request through
(they count nothing until Redis is back), sessions and login lockouts are in the database. So a
Redis that does not answer must cost a warning in the log, never a 500 page.

`DegradingRedisCache` is Django's built-in `RedisCache` whose every call that meets a Redis error
logs a warning and answers as an empty cache would: `get` the default, `add` and `set` nothing,
`incr` the delta (a count that starts again), `has_key` False. After a failure the process does
not ask Redis again for `RETRY_AFTER_SECONDS`, so that a Redis that hangs (no answer within the
socket timeout) costs one timeout every few seconds, not one per call. `/health/` asks Redis
directly through `round_trip`, which raises, so it reports the cache as down (ecei_site/health.py).
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5.0
# Per process and Redis location: when Redis may be asked again (time.monotonic()).
_down_until: dict[str, float] = {}


class DegradingRedisCache(RedisCache):
    @property
    def _location(self) -> str:
        return ",".join(self._servers)

    def _degrade(self, operation: str, fallback, call, *args, **kwargs):
        if _down_until.get(self._location, 0.0) > time.monotonic():
            return fallback
        try:
            return call(*args, **kwargs)
        except RedisError as error:
            _down_until[self._location] = time.monotonic() + RETRY_AFTER_SECONDS
            logger.warning(
                "Cache unavailable (%s on %s: %s); answering without it for %.0f s.",
                error.__class__.__name__, operation, error, RETRY_AFTER_SECONDS,
            )  # fmt: skip
            return fallback

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._degrade("add", False, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._degrade("get", default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._degrade("set", None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._degrade("touch", False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._degrade("delete", False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._degrade("get_many", {}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._degrade("has_key", False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        return self._degrade("incr", delta, super().incr, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._degrade("set_many", list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        self._degrade("delete_many", None, super().delete_many, keys, version)

    def clear(self):
        return self._degrade("clear", False, super().clear)

    def round_trip(self, key: str, value: str):
        """Set, read back and delete `key` in Redis itself, raising its errors (for /health/). A
        success ends the pause after a failure: the cache is used again at once."""
        RedisCache.set(self, key, value, timeout=10)
        read = RedisCache.get(self, key)
        RedisCache.delete(self, key)
        _down_until.pop(self._location, None)
        return read
