"""`make run PORT=...` serves on that port, and every absolute link (e-mails, the printed
verification link and its QR code) points there: SITE_URL follows PORT (issue 27)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_sets_site_url_from_the_port():
    commands = subprocess.run(
        ["make", "-n", "run", "PORT=8123"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    server = next(line for line in commands.splitlines() if "runserver" in line)
    assert "SITE_URL=http://127.0.0.1:8123 " in server and server.endswith("runserver 127.0.0.1:8123")
    assert "--site-url http://127.0.0.1:8123" in commands  # the printed logins and links


def test_site_url_comes_from_the_environment():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(SITE_URL="http://127.0.0.1:8123", DEBUG="True")
    printed = subprocess.run(
        [sys.executable, "-c", "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
         "'ecei_site.settings'); django.setup(); from django.conf import settings; print(settings.SITE_URL)"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    assert printed == "http://127.0.0.1:8123"
