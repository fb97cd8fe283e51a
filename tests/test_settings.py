"""Production settings: strict, and a missing or bad value stops start-up with a clear message."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "False",
    "SECRET_KEY": "k" * 20 + "-not-the-real-one-but-long-enough-for-the-check-0123456789",
    "ALLOWED_HOSTS": "benchmarking.example.eu",
    "SITE_URL": "https://benchmarking.example.eu",
    "DATABASE_URL": "sqlite:////tmp/ecei-deploy-check.sqlite3",
}


def manage(*args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_nothing_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_missing_secret_key_stops_start_up():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_missing_allowed_hosts_stop_start_up():
    result = manage("check", **{**PRODUCTION, "ALLOWED_HOSTS": ""})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_a_missing_site_url_stops_start_up():
    """Else QR codes and e-mail links would point at http://127.0.0.1:8000."""
    env = {k: v for k, v in PRODUCTION.items() if k != "SITE_URL"}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "SITE_URL must be set" in result.stderr


def test_a_site_url_that_is_not_http_stops_start_up():
    result = manage("check", **{**PRODUCTION, "SITE_URL": "javascript:alert(1)"})
    assert result.returncode != 0
    assert "SITE_URL must start with https://" in result.stderr


@pytest.mark.parametrize(
    "name, value",
    [
        ("EMAIL_PORT", "twenty-five"),
        ("DATABASE_URL", "nonsense://"),
        ("CACHE_URL", "memcached://127.0.0.1:11211"),
        ("TRUSTED_PROXIES", "nginx"),
        ("TRUSTED_PROXIES", "-1"),
        ("FILE_STORAGE", "s3"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(name, value):
    result = manage("check", **{**PRODUCTION, name: value})
    assert result.returncode != 0
    assert name in result.stderr


def test_several_app_servers_are_set_up_by_four_variables():
    """CACHE_URL (or REDIS_URL), FILE_STORAGE and TRUSTED_PROXIES, as docs/deployment.md §11 sets them."""
    code = (
        "from django.conf import settings as s; from django.core.files.storage import storages; "
        "print(s.CACHES['default']['BACKEND'], s.CACHES['default']['LOCATION'], type(storages['default']).__name__, "
        "s.REST_FRAMEWORK['NUM_PROXIES'], s.AXES_IPWARE_PROXY_COUNT, s.AXES_HANDLER)"
    )
    env = {**PRODUCTION, "REDIS_URL": "redis://10.0.0.5:6379/1", "FILE_STORAGE": "database", "TRUSTED_PROXIES": "1"}
    result = manage("shell", "-v0", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "ecei_site.cache.DegradingRedisCache", "redis://10.0.0.5:6379/1", "DatabaseStorage", "1", "0",
        "axes.handlers.database.AxesDatabaseHandler",
    ]  # fmt: skip


def test_one_server_keeps_the_simple_defaults():
    code = (
        "from django.conf import settings as s; "
        "print(s.CACHES['default']['BACKEND'], s.STORAGES['default']['BACKEND'], s.REST_FRAMEWORK['NUM_PROXIES'])"
    )
    result = manage("shell", "-v0", "-c", code, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.cache.backends.locmem.LocMemCache", "ecei_site.storage.LocalFileStorage", "0",
    ]  # fmt: skip


def test_sqlite_is_set_up_for_several_workers(settings):
    options = settings.DATABASES["default"].get("OPTIONS", {})
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("runs on the SQLite leg of CI")
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
    assert options["timeout"] >= 5


def test_env_example_lists_every_variable_the_settings_read():
    import re

    source = (ROOT / "ecei_site" / "settings.py").read_text()
    read = set(re.findall(r'env\.\w+\(\s*"([A-Z][A-Z0-9_]+)"', source))
    read |= set(re.findall(r'_env\(env\.\w+, "([A-Z][A-Z0-9_]+)"', source))
    assert "SECRET_KEY" in read and "EMAIL_PORT" in read
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    assert read <= listed, read - listed


def test_the_admin_path_is_a_setting():
    code = "from django.urls import reverse; print(reverse('admin:index'))"
    result = manage("shell", "-v0", "-c", code, **PRODUCTION, ADMIN_URL="ecei-office/")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "/ecei-office/"


@pytest.mark.parametrize("value", ["/admin/", "admin"])
def test_a_malformed_admin_path_stops_start_up(value):
    result = manage("check", **{**PRODUCTION, "ADMIN_URL": value})
    assert result.returncode != 0
    assert "ADMIN_URL" in result.stderr
