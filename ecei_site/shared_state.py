"""What the settings make of CACHE_URL, TRUSTED_PROXIES and FILE_STORAGE (issue 26).

Several app servers behind a proxy must share every piece of state and agree on who the
client is. These helpers turn the three environment variables into Django, DRF, axes and
gunicorn settings. They import nothing from Django's settings, so settings.py and
gunicorn.conf.py both use them, and the tests call them with other values.
"""

from django.core.exceptions import ImproperlyConfigured

REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
# A cache that does not answer fails fast: the site goes on without it and /health/ says so.
REDIS_TIMEOUT_SECONDS = 2

STORAGE_BACKENDS = {
    # One server: files under MEDIA_ROOT (make run, make serve on a single machine).
    "local": "ecei_site.storage.LocalFileStorage",
    # Several servers: files in the shared database, next to the rows they belong to.
    "database": "ecei_site.storage.DatabaseStorage",
}


def cache_config(url: str) -> dict:
    """CACHES["default"]: Django's Redis cache at `url`, shared by every process and server; the
    local-memory cache (one per process) without one."""
    if not url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ecei"}
    if not url.startswith(REDIS_SCHEMES):
        raise ImproperlyConfigured(f"CACHE_URL must be a Redis URL (redis://host:6379/1), not {url!r}.")
    return {
        # Django's RedisCache, answering as an empty cache while Redis is down (ecei_site/cache.py).
        "BACKEND": "ecei_site.cache.DegradingRedisCache",
        "LOCATION": url,
        "KEY_PREFIX": "ecei",
        "OPTIONS": {"socket_connect_timeout": REDIS_TIMEOUT_SECONDS, "socket_timeout": REDIS_TIMEOUT_SECONDS},
    }


def file_storage_config(name: str) -> dict:
    """STORAGES["default"] for FILE_STORAGE=`name`."""
    if name not in STORAGE_BACKENDS:
        raise ImproperlyConfigured(f"FILE_STORAGE must be one of {', '.join(STORAGE_BACKENDS)}, not {name!r}.")
    # On a disk the files are the site's alone: readable by its group (the backup user), nobody else.
    return {"BACKEND": STORAGE_BACKENDS[name], "OPTIONS": {"file_permissions_mode": 0o640} if name == "local" else {}}


def proxy_config(trusted_proxies: int) -> dict:
    """Where DRF's throttles and axes find the client's address, behind `trusted_proxies` proxies.

    0: the site faces the clients; the peer's address (REMOTE_ADDR) is the client and any
    X-Forwarded-For is ignored. N: each of the N proxies appends the address it was called from
    to X-Forwarded-For (nginx: $proxy_add_x_forwarded_for), so the client is the N-th address from
    the right; whatever a client puts further left is its own invention and never read.
    """
    if trusted_proxies < 0:
        raise ImproperlyConfigured("TRUSTED_PROXIES must be 0 or more: the number of proxies in front of the site.")
    if trusted_proxies == 0:
        return {
            "NUM_PROXIES": 0,
            "AXES_IPWARE_PROXY_COUNT": None,
            "AXES_IPWARE_PROXY_ORDER": "left-most",
            "AXES_IPWARE_META_PRECEDENCE_ORDER": ("REMOTE_ADDR",),
            "IPWARE_STRICT": True,
        }
    return {
        # DRF: the N-th address from the right of X-Forwarded-For.
        "NUM_PROXIES": trusted_proxies,
        # django-ipware counts the proxies *listed in* X-Forwarded-For after the client; the last
        # proxy's own address is REMOTE_ADDR, not in the header. Hence N - 1, read left-most and
        # not strict (a client's own entries make the chain longer than N; they are skipped).
        "AXES_IPWARE_PROXY_COUNT": trusted_proxies - 1,
        "AXES_IPWARE_PROXY_ORDER": "left-most",
        "AXES_IPWARE_META_PRECEDENCE_ORDER": ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
        "IPWARE_STRICT": False,
    }


def client_address(meta: dict, trusted_proxies: int) -> str:
    """The client's address as DRF's throttles read it (for the access log, where Django is not loaded)."""
    remote = meta.get("REMOTE_ADDR") or "-"
    forwarded = meta.get("HTTP_X_FORWARDED_FOR")
    if trusted_proxies == 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",")]
    return hops[-min(trusted_proxies, len(hops))] or remote


def storages_config(file_storage: str, debug: bool) -> dict:
    """STORAGES: the site's files after FILE_STORAGE=`file_storage`, the backups, the static files."""
    return {
        "default": file_storage_config(file_storage),
        "backups": {
            "BACKEND": "ecei_site.storage.BackupStorage",
            # They hold password hashes and personal data.
            "OPTIONS": {"file_permissions_mode": 0o600, "directory_permissions_mode": 0o700},
        },
        "staticfiles": {
            "BACKEND": (
                "django.contrib.staticfiles.storage.StaticFilesStorage"
                if debug
                else "whitenoise.storage.CompressedManifestStaticFilesStorage"
            )
        },
    }
