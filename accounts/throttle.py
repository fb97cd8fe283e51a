"""How often a password reset may be asked for: per address and per client, in a window of an
hour (settings.ECEI_PASSWORD_RESETS_PER_HOUR each).

Every request counts against both, whether or not an account has the address: the page
answers the same either way, so the count must not depend on it either. Beyond the limit no
e-mail goes out and the page still shows its neutral message; a flood of reset e-mails to one
mailbox, or a sweep of addresses from one client, stops there.

The counts live in Django's cache (django.core.cache), which every worker shares once the
cache is a shared one (Redis, memcached); a local-memory cache counts per worker process.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 60 * 60


def _count(key: str) -> int:
    """This request's number within the key's window (1 for the first)."""
    cache.add(key, 0, timeout=WINDOW_SECONDS)  # starts the window; a no-op while it runs
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        return 1


def password_reset_allowed(*, email: str, client: str | None) -> bool:
    """Count this request for `email` from `client`; whether an e-mail may still go out."""
    # The address is hashed: the cache (and anyone who reads it) need not hold addresses.
    address = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    counts = [_count(f"password-reset:address:{address}"), _count(f"password-reset:client:{client or 'unknown'}")]
    return max(counts) <= settings.ECEI_PASSWORD_RESETS_PER_HOUR
