"""The health endpoint: database reachable and migrations applied, the cache and the file storage
working, for the proxy and monitoring."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.urls import reverse

from ecei_site.models import StoredFile
from ecei_site.shared_state import cache_config, file_storage_config

ROOT = Path(__file__).resolve().parent.parent


def test_it_reports_ok_when_the_database_answers_and_is_migrated(client, db):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok", "database": "ok", "migrations": "applied", "cache": "ok", "storage": "ok",
        "tasks": {"backend": "immediate"},  # the tests' backend; tests/test_tasks.py reads the queue
    }  # fmt: skip
    assert "no-cache" in response["Cache-Control"]


def test_its_probe_file_is_gone_afterwards(client, db, settings):
    client.get(reverse("health"))
    assert default_storage.listdir("health") == ([], [])
    settings.STORAGES = {**settings.STORAGES, "default": file_storage_config("database")}
    assert client.get(reverse("health")).json()["storage"] == "ok"
    assert not StoredFile.objects.exists()


def test_it_reports_a_cache_that_does_not_answer_and_keeps_the_server_in(client, db, settings):
    """The site answers without its cache (ecei_site/cache.py): degraded, said, but still a 200, so
    that a shared Redis that is down does not take every app server out of the proxy."""
    settings.CACHES = {"default": cache_config("redis://127.0.0.1:1/0")}  # nothing listens on port 1
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() | {"cache": "?"} == {
        "status": "degraded", "database": "ok", "migrations": "applied", "cache": "?", "storage": "ok",
        "tasks": {"backend": "immediate"},
    }  # fmt: skip
    assert response.json()["cache"] == "unreachable: ConnectionError"


def test_it_reports_a_storage_that_cannot_be_written(client, db, settings, tmp_path):
    blocker = tmp_path / "a file, not a directory"
    blocker.write_text("")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**file_storage_config("local"), "OPTIONS": {"location": blocker / "media"}},
    }
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["storage"] == "failing: NotADirectoryError"
    assert response.json()["status"] == "error" and response.json()["cache"] == "ok"


def test_it_answers_head_for_cheap_probes(client, db):
    assert client.head(reverse("health")).status_code == 200


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_it_rejects_writes(client, db, method):
    assert getattr(client, method)(reverse("health")).status_code == 405


def test_it_reports_an_unapplied_migration(client, db):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = 'benchmarking'")
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert "benchmarking.0001_initial" in response.json()["unapplied_migrations"]


def test_it_reports_an_unreachable_database(tmp_path):
    """A database that cannot be opened: 503, not a 500 page (run in its own process)."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path}/missing-directory/db.sqlite3", ALLOWED_HOSTS="testserver")
    code = "from django.test import Client; r = Client().get('/health/'); print(r.status_code, r.content.decode())"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    status, body = result.stdout.strip().splitlines()[-1].split(" ", 1)
    assert status == "503"
    assert json.loads(body)["database"].startswith("unreachable")


@pytest.mark.parametrize("who", ["anonymous", "plain user", "staff"])
def test_it_is_open_to_everyone_and_shows_no_data(client, plain_user, staff_user, who):
    """Its row of the access matrix: the same answer for all, with nothing but the status."""
    if who != "anonymous":
        client.force_login(plain_user if who == "plain user" else staff_user)
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert set(response.json()) == {"status", "database", "migrations", "cache", "storage", "tasks"}
