"""Several app servers behind haproxy, started and stopped by the caller (issue 26).

Used by tests/test_multinode.py and benchmarks/bench_capacity.py: a Redis of its own, N gunicorn
app servers (production settings, DEBUG off, each in its own working directory with its own
MEDIA_ROOT and BACKUP_DIR), an optional task worker, and haproxy in front of them, round robin,
retrying idempotent requests on another server. Every process listens on a free high port of
127.0.0.1 and logs to a file of its own in the stack's directory.
"""

import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# haproxy as docs/deployment.md §11 configures it, on local ports. `option forwardfor` appends
# the client's address as X-Forwarded-For (TRUSTED_PROXIES=1 on the app servers); `retries` and
# `option redispatch` send an idempotent request that met a dead server to the other one; the
# health check takes a server out within `fall` x `inter`. One log line per request names the
# server that answered and the retries (a leading + when redispatched).
HAPROXY_CONFIG = """\
global
    maxconn 512
    log stdout format raw local0
    stats socket {socket} mode 600 level admin

defaults
    mode http
    log global
    log-format "%ci %HM %HU server=%s status=%ST retries=%rc time=%Ta"
    option forwardfor
    option redispatch 1
    retries 3
    retry-on conn-failure empty-response response-timeout
    timeout connect 2s
    timeout queue 60s
    timeout client 60s
    timeout server 65s
    timeout check 10s  # a loaded server answers /health/ slowly; a dead one refuses at once

frontend web
    bind 127.0.0.1:{port}
    default_backend app

backend app
    balance roundrobin
    option httpchk
    http-check send meth GET uri /health/ ver HTTP/1.1 hdr Host 127.0.0.1
    http-check expect status 200
{servers}
"""
# No maxconn per server: with one, the surviving server is full when a dead one's requests are
# redispatched, and haproxy retries them on the dead one until it is marked down (503s).
SERVER_LINE = "    server {name} 127.0.0.1:{port} check inter 1s fall 3 rise 2"

LOG_LINE = re.compile(
    r"^(?P<client>\S+) (?P<method>\S+) (?P<uri>\S+) server=(?P<server>\S+) status=(?P<status>-?\d+) "
    r"retries=(?P<retries>\+?\d+) time=(?P<time>-?\d+)$"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[:4]} stopped (exit {process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"Nothing answered on port {port} within {timeout} s:\n{log.read_text()[-3000:]}")


def database_url(settings_dict: dict) -> str:
    """A postgres:// URL for Django's DATABASES entry (the test database pytest-django made)."""
    user = urllib.parse.quote(settings_dict.get("USER") or "")
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{urllib.parse.quote(password)}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"


def clean_env() -> dict:
    return {
        k: v for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "PORT"}
        and not k.startswith("PYTEST")
    }  # fmt: skip


def collect_static() -> None:
    """DEBUG off serves static files from WhiteNoise's manifest (as `make serve` collects it):
    collected once, again only when a file under static/ is newer than the manifest."""
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    if manifest.exists():
        collected = manifest.stat().st_mtime
        if all(path.stat().st_mtime <= collected for path in (ROOT / "static").rglob("*") if path.is_file()):
            return
    env = clean_env() | {
        "DEBUG": "False", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "http://127.0.0.1",
    }  # fmt: skip
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)


def task_worker_available(env: dict) -> bool:
    """Whether this checkout has a task worker (django-tasks' `manage.py db_worker`)."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "help", "db_worker"], cwd=ROOT, env=env, capture_output=True
    )
    return result.returncode == 0


@dataclass
class Stack:
    """Redis, app servers and haproxy under `directory`; `stop()` ends every process it started."""

    directory: Path
    database_url: str
    nodes: tuple[str, ...] = ("a", "b")
    workers_per_node: int = 2
    extra_env: dict = field(default_factory=dict)
    gunicorn_args: tuple[str, ...] = ()
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(50))
    processes: dict = field(default_factory=dict)
    ports: dict = field(default_factory=dict)

    # --- starting and stopping ---------------------------------------------------------------

    def start(self, *, task_worker: bool = True) -> "Stack":
        self.directory.mkdir(parents=True, exist_ok=True)
        collect_static()
        self.start_redis()
        for name in self.nodes:
            self.ports[name] = free_port()
            self.start_node(name, wait=False)
        for name in self.nodes:
            wait_for_port(self.ports[name], self.processes[name], self.log_path(name))
        if task_worker and task_worker_available(self.node_env(self.nodes[0])):
            self._spawn("worker", [sys.executable, str(ROOT / "manage.py"), "db_worker"], self.node_env(self.nodes[0]))
        self.start_haproxy()
        self.wait_until_up(*self.nodes)
        return self

    def stop(self) -> None:
        for name in list(self.processes):
            self.kill(name, signal.SIGTERM)

    def _spawn(self, name: str, command: list, env: dict, cwd: Path | None = None) -> subprocess.Popen:
        log = self.log_path(name).open("ab")
        process = subprocess.Popen(
            command, cwd=cwd or self.directory, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()
        self.processes[name] = process
        return process

    def kill(self, name: str, sig=signal.SIGKILL) -> None:
        """Signal the process and everything it started (gunicorn's workers) at once."""
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def log_path(self, name: str) -> Path:
        return self.directory / f"{name}.log"

    def log(self, name: str) -> str:
        path = self.log_path(name)
        return path.read_text(errors="replace") if path.exists() else ""

    # --- Redis -------------------------------------------------------------------------------

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.ports['redis']}/0"

    def start_redis(self) -> None:
        if shutil.which("redis-server") is None:
            raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
        self.ports.setdefault("redis", free_port())
        command = ["redis-server", "--bind", "127.0.0.1", "--port", str(self.ports["redis"]), "--save", "",
                   "--appendonly", "no", "--daemonize", "no"]  # fmt: skip
        wait_for_port(self.ports["redis"], self._spawn("redis", command, clean_env()), self.log_path("redis"))

    # --- app servers -------------------------------------------------------------------------

    def node_env(self, name: str) -> dict:
        home = self.directory / f"node-{name}"
        (home / "media").mkdir(parents=True, exist_ok=True)
        return (
            clean_env()
            | {
                "PYTHONPATH": str(ROOT),
                "DEBUG": "False",
                "SECRET_KEY": self.secret_key,
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "SITE_URL": f"http://127.0.0.1:{self.ports.get('proxy', 80)}",
                "SECURE_SSL_REDIRECT": "False",  # plain HTTP on the loopback; TLS is the proxy's in production
                "DATABASE_URL": self.database_url,
                "CACHE_URL": self.redis_url,
                "FILE_STORAGE": "database",
                "MEDIA_ROOT": str(home / "media"),
                "BACKUP_DIR": str(home / "backups"),
                "TRUSTED_PROXIES": "1",
                "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
                "GUNICORN_BIND": f"127.0.0.1:{self.ports[name]}",
                "GUNICORN_WORKERS": str(self.workers_per_node),
            }
            | self.extra_env
        )

    def media_root(self, name: str) -> Path:
        return self.directory / f"node-{name}" / "media"

    def start_node(self, name: str, *, wait: bool = True) -> None:
        """gunicorn with gunicorn.conf.py, as the systemd unit starts it, in the node's own directory."""
        env = self.node_env(name)
        command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), *self.gunicorn_args]
        process = self._spawn(name, command, env, cwd=self.directory / f"node-{name}")
        if wait:
            wait_for_port(self.ports[name], process, self.log_path(name))

    # --- haproxy -----------------------------------------------------------------------------

    def start_haproxy(self) -> None:
        self.ports["proxy"] = free_port()
        config = self.directory / "haproxy.cfg"
        servers = "\n".join(SERVER_LINE.format(name=name, port=self.ports[name]) for name in self.nodes)
        config.write_text(HAPROXY_CONFIG.format(socket=self.stats_socket, port=self.ports["proxy"], servers=servers))
        process = self._spawn("haproxy", ["haproxy", "-db", "-f", str(config)], clean_env())
        wait_for_port(self.ports["proxy"], process, self.log_path("haproxy"))

    @property
    def stats_socket(self) -> Path:
        return self.directory / "haproxy.sock"

    def haproxy_command(self, command: str) -> str:
        with socket.socket(socket.AF_UNIX) as connection:
            connection.connect(str(self.stats_socket))
            connection.sendall(command.encode() + b"\n")
            chunks = []
            while chunk := connection.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def server_states(self) -> dict:
        """haproxy's view of each app server: UP, DOWN, ... (from `show stat`)."""
        lines = self.haproxy_command("show stat").splitlines()
        header = lines[0].lstrip("# ").split(",")
        rows = [dict(zip(header, line.split(","), strict=False)) for line in lines[1:] if line]
        return {row["svname"]: row["status"] for row in rows if row["pxname"] == "app" and row["svname"] in self.nodes}

    def wait_until_up(self, *names: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            states = self.server_states()
            if all(states.get(name) == "UP" for name in names):
                return
            time.sleep(0.25)
        raise RuntimeError(f"haproxy does not see {names} up: {self.server_states()}\n{self.log('haproxy')[-2000:]}")

    def requests_served(self) -> list[dict]:
        """haproxy's log: one dict per request (client, method, uri, server, status, retries)."""
        return [m.groupdict() for line in self.log("haproxy").splitlines() if (m := LOG_LINE.match(line))]

    def served_by(self, uri_part: str, count: int) -> list[str]:
        """The servers that answered the `count` requests whose URI contains `uri_part`. haproxy
        logs a request once it has ended, a moment after the client has read the answer: wait."""
        deadline = time.monotonic() + 10
        while True:
            servers = [r["server"] for r in self.requests_served() if uri_part in r["uri"]]
            if len(servers) >= count or time.monotonic() > deadline:
                return servers
            time.sleep(0.1)


@dataclass
class Browser:
    """A client that keeps its cookies (the secure ones too: the loopback has no TLS), from a source
    address of its own on the loopback (127.0.0.2, ...), so that each is another client to haproxy."""

    port: int
    source: str = "127.0.0.1"
    cookies: dict = field(default_factory=dict)

    def request(self, method: str, path: str, *, body: dict | None = None, headers: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=90, source_address=(self.source, 0))
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for value in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(value)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        response.content = content
        return response

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def csrf_token(self, path: str, **kwargs) -> str:
        """The CSRF token of the form on the page at `path` (its cookie kept)."""
        page = self.get(path, **kwargs).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, f"no CSRF token on {path}"
        return token.group(1)

    def post_form(self, path: str, data: dict, *, token: str | None = None, **kwargs):
        """POST a form with the CSRF token of the page at `path` (fetched first unless given)."""
        token = token or self.csrf_token(path, **kwargs)
        return self.request("POST", path, body={"csrfmiddlewaretoken": token, **data}, **kwargs)

    def login(self, username: str, password: str, **kwargs):
        return self.post_form("/accounts/login/", {"username": username, "password": password}, **kwargs)
