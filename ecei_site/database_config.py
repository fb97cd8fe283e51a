"""What the settings make of DATABASE_URL: SQLite by default, or PostgreSQL.

It imports nothing from Django's settings, so settings.py uses it and the tests can call it
with other values.
"""

import environ
from django.core.exceptions import ImproperlyConfigured

# SQLite by default. Several workers write to it, so: WAL (readers never block the
# writer), a busy timeout (a writer waits instead of failing), and IMMEDIATE transactions
# (the write lock is taken at BEGIN, so a read-then-write transaction can't deadlock into
# "database is locked").
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": (
        "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=20000;PRAGMA foreign_keys=ON;"
    ),
}


def database_config(url: str, default_sqlite_path) -> dict:
    """DATABASES for DATABASE_URL=`url`; the SQLite file at `default_sqlite_path` without one."""
    if not url:
        return {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": default_sqlite_path,
                "OPTIONS": SQLITE_OPTIONS,
            }
        }
    try:
        databases = {"default": environ.Env.db_url_config(url)}
    except Exception as exc:  # environ raises several types for a malformed URL
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
    if databases["default"].get("ENGINE") not in {"django.db.backends.sqlite3", "django.db.backends.postgresql"}:
        raise ImproperlyConfigured("DATABASE_URL must start with postgres:// or sqlite:// (PostgreSQL or SQLite).")
    if databases["default"]["ENGINE"] == "django.db.backends.sqlite3":
        databases["default"]["OPTIONS"] = SQLITE_OPTIONS
    else:
        databases["default"].setdefault("CONN_MAX_AGE", 60)
        databases["default"]["CONN_HEALTH_CHECKS"] = True
    return databases
