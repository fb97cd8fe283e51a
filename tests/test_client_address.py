"""The client's address behind the proxy (issue 26): one setting, TRUSTED_PROXIES, for DRF's
rate limits, axes' lockouts and the access log.

With 0 the site faces its clients and X-Forwarded-For is a client's invention: it changes
nothing. With 1 (nginx appends the address it was called from), that last address is the
client, and whatever a client sends in its own X-Forwarded-For is never read.
"""

import datetime
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.request import Request

from api.throttling import PublicRateThrottle
from ecei_site.access_log import ClientAddressLogger
from ecei_site.shared_state import client_address, proxy_config
from tests.factories import PASSWORD, UserFactory

ROOT = Path(__file__).resolve().parent.parent
NGINX = "127.0.0.1"  # the proxy, on the app server itself, as in docs/deployment.md
CLIENT = "203.0.113.5"
OTHER_CLIENT = "198.51.100.20"


@pytest.fixture
def behind(settings):
    """Apply TRUSTED_PROXIES=n the way settings.py does."""

    def apply(trusted_proxies: int):
        config = proxy_config(trusted_proxies)
        settings.TRUSTED_PROXIES = trusted_proxies
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": config.pop("NUM_PROXIES")}
        for name, value in config.items():
            setattr(settings, name, value)

    return apply


def _api(client, *, remote: str, forwarded: str | None = None) -> int:
    headers = {"REMOTE_ADDR": remote} | ({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})
    return client.get(reverse("api:portfolio_list"), **headers).status_code


def _login(client, username: str, password: str, *, remote: str, forwarded: str | None = None) -> int:
    headers = {"REMOTE_ADDR": remote} | ({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})
    return client.post(reverse("login"), {"username": username, "password": password}, **headers).status_code


# --- No proxy: X-Forwarded-For changes nothing --------------------------------------------------


def test_without_a_proxy_a_forged_header_does_not_escape_the_rate_limit(client, db, settings, behind):
    behind(0)
    settings.ECEI_API_RATE_ANONYMOUS = "3/minute"
    statuses = [_api(client, remote=CLIENT, forwarded=f"192.0.2.{n}") for n in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert _api(client, remote=OTHER_CLIENT) == 200, "another address has its own count"


def test_without_a_proxy_a_lockout_locks_the_real_address(client, db, settings, behind):
    behind(0)
    UserFactory(username="anna")
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "anna", "wrong", remote=CLIENT, forwarded=f"192.0.2.{n}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {CLIENT}
    assert _login(client, "anna", PASSWORD, remote=CLIENT, forwarded="192.0.2.99") == 429
    assert _login(client, "anna", PASSWORD, remote=OTHER_CLIENT, forwarded=CLIENT) == 302


# --- Behind nginx: the address nginx appends ----------------------------------------------------


def test_behind_nginx_the_rate_limit_counts_the_address_nginx_appends(client, db, settings, behind):
    behind(1)
    settings.ECEI_API_RATE_ANONYMOUS = "3/minute"
    # The client sends an X-Forwarded-For of its own each time; nginx appends the real address.
    statuses = [_api(client, remote=NGINX, forwarded=f"192.0.2.{n}, {CLIENT}") for n in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert _api(client, remote=NGINX, forwarded=OTHER_CLIENT) == 200, "all come from nginx, each counts apart"


def test_behind_nginx_a_client_cannot_pick_the_address_it_is_counted_as(client, db, settings, behind):
    behind(1)
    settings.ECEI_API_RATE_ANONYMOUS = "3/minute"
    for _ in range(3):
        _api(client, remote=NGINX, forwarded=OTHER_CLIENT)
    # The attacker names the other client first: it is still counted as itself.
    assert _api(client, remote=NGINX, forwarded=f"{OTHER_CLIENT}, {CLIENT}") == 200


def test_behind_nginx_a_lockout_locks_the_client_not_everyone(client, db, settings, behind):
    behind(1)
    UserFactory(username="anna")
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "anna", "wrong", remote=NGINX, forwarded=f"192.0.2.{n}, {CLIENT}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {CLIENT}
    assert _login(client, "anna", PASSWORD, remote=NGINX, forwarded=f"192.0.2.99, {CLIENT}") == 429
    # Anna herself, from her own address through the same nginx, still gets in.
    assert _login(client, "anna", PASSWORD, remote=NGINX, forwarded=OTHER_CLIENT) == 302


# --- One reading everywhere ---------------------------------------------------------------------

CASES = [
    (0, "198.51.100.7", None),
    (0, "198.51.100.7", "192.0.2.1"),
    (0, "198.51.100.7", "192.0.2.1, 192.0.2.2"),
    (1, NGINX, None),
    (1, NGINX, CLIENT),
    (1, NGINX, f"192.0.2.1, {CLIENT}"),
    (1, NGINX, f"192.0.2.1, 192.0.2.2, {CLIENT}"),
    (1, NGINX, "10.1.2.3"),  # a client on the intranet
    (2, "10.0.0.2", f"{CLIENT}, 10.0.0.1"),
    (2, "10.0.0.2", f"192.0.2.1, {CLIENT}, 10.0.0.1"),
]


@pytest.mark.parametrize(("trusted", "remote", "forwarded"), CASES)
def test_drf_axes_and_the_log_agree_on_the_client(behind, trusted, remote, forwarded):
    behind(trusted)
    headers = {"REMOTE_ADDR": remote} | ({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})
    request = RequestFactory().get("/", **headers)
    drf = PublicRateThrottle().get_ident(Request(request))
    assert get_client_ip_address(request) == drf
    assert client_address(request.META, trusted) == drf


def test_a_negative_number_of_proxies_stops_start_up():
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXIES"):
        proxy_config(-1)


def test_the_access_log_names_the_client(monkeypatch):
    from gunicorn.config import Config

    monkeypatch.setenv("TRUSTED_PROXIES", "1")
    logger = ClientAddressLogger(Config())
    environ = {
        "REMOTE_ADDR": NGINX,
        "HTTP_X_FORWARDED_FOR": f"192.0.2.1, {CLIENT}",
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/",
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    assert logger.atoms(response, SimpleNamespace(headers=[]), environ, datetime.timedelta(0))["h"] == CLIENT


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.slow
def test_gunicorn_logs_the_client_behind_the_proxy(tmp_path):
    """gunicorn.conf.py as `make serve` starts it: the access log's first field is the client."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(TRUSTED_PROXIES="1", DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3", GUNICORN_WORKERS="1")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        request = urllib.request.Request(f"http://127.0.0.1:{port}/health/")
        request.add_header("X-Forwarded-For", f"192.0.2.1, {CLIENT}")
        for _ in range(100):
            try:
                urllib.request.urlopen(request, timeout=5)  # noqa: S310 (a local address)
                break
            except urllib.error.HTTPError:
                break  # 503: no migrations in this database; the request was logged all the same
            except OSError:
                time.sleep(0.2)
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert re.search(rf"^{re.escape(CLIENT)} - - \[.*\] \"GET /health/ HTTP/1.1\"", output, re.MULTILINE), output
