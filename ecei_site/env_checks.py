"""The checks settings.py makes of the values that must be right before the site starts.

With DEBUG on the defaults give a working local site; with DEBUG off every secret and address
must be supplied, and a missing or malformed one stops start-up with its name in the message.
"""

from django.core.exceptions import ImproperlyConfigured

# The key of a laptop with DEBUG on; refused with DEBUG off.
DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105


def checked_secret_key(key: str, debug: bool) -> str:
    if not debug and (len(key) < 50 or key.startswith("dev-only")):
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random value of at least 50 characters when DEBUG is off "
            "(for example: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    return key


def checked_allowed_hosts(hosts: list, debug: bool) -> list:
    if not debug and not hosts:
        raise ImproperlyConfigured("ALLOWED_HOSTS must list the site's host names when DEBUG is off.")
    return hosts


def checked_site_url(url: str, debug: bool) -> str:
    """The absolute address in QR codes and e-mails. Required in production: a default would
    print certificates whose QR code points at somebody's laptop."""
    if not debug and not url:
        raise ImproperlyConfigured("SITE_URL must be set to the site's public address (https://...) when DEBUG is off.")
    if url and not url.startswith(("https://", "http://")):
        raise ImproperlyConfigured(f"SITE_URL must start with https:// or http://, not {url!r}.")
    return url


def checked_admin_url(path: str) -> str:
    if not path.endswith("/") or path.startswith("/"):
        raise ImproperlyConfigured("ADMIN_URL must be a relative path ending in a slash, for example ecei-office/.")
    return path
