"""gunicorn's settings for `make serve` and the systemd unit (docs/deployment.md).

Read from the environment or `.env`, like the Django settings.
"""

from pathlib import Path

import environ

env = environ.Env()
environ.Env.read_env(Path(__file__).resolve().parent / ".env", overwrite=False)

wsgi_app = "ecei_site.wsgi:application"
bind = env.str("GUNICORN_BIND", default="127.0.0.1:8000")
# Synchronous workers: each handles one request at a time. Two or three per core; with
# SQLite every worker shares the one file (WAL and a busy timeout keep writers waiting, not failing).
workers = env.int("GUNICORN_WORKERS", default=3)
# A report PDF takes a few seconds the first time; anything past this is a stuck worker.
timeout = env.int("GUNICORN_TIMEOUT", default=60)
graceful_timeout = 30
# Recycle workers now and then, so that a slow leak cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
# Access log on stdout (journald keeps it), errors on stderr. Its first field is the client's
# address behind TRUSTED_PROXIES proxies, as the site's rate limits and lockouts see it.
accesslog = "-"
logger_class = "ecei_site.access_log.ClientAddressLogger"
errorlog = "-"
