"""Settings for the ECEI benchmarking site.

Everything that differs between a laptop and production comes from the environment
(see `.env.example`). The defaults give a working local site on SQLite with DEBUG on;
with DEBUG off every secret must be supplied and the security settings are strict.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from ecei_site import api_config, database_config, env_checks, security_headers
from ecei_site.log_filters import logging_config
from ecei_site.shared_state import cache_config, proxy_config, storages_config
from ecei_site.task_config import task_config

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def _env(reader, name, **kwargs):
    """Read one variable; a malformed value stops start-up with its name in the message."""
    try:
        return reader(name, **kwargs)
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(f"Environment variable {name} has a bad value: {exc}") from exc


DEBUG = _env(env.bool, "DEBUG", default=True)

# Checked in ecei_site/env_checks.py: with DEBUG off each must be supplied.
SECRET_KEY = env_checks.checked_secret_key(
    env.str("SECRET_KEY", default=env_checks.DEV_SECRET_KEY if DEBUG else ""), DEBUG
)
ALLOWED_HOSTS = env_checks.checked_allowed_hosts(
    _env(env.list, "ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else []), DEBUG
)
CSRF_TRUSTED_ORIGINS = _env(env.list, "CSRF_TRUSTED_ORIGINS", default=[])

# The absolute address in QR codes and e-mails.
SITE_URL = env_checks.checked_site_url(
    env.str("SITE_URL", default="http://127.0.0.1:8000" if DEBUG else "").rstrip("/"), DEBUG
)

INSTALLED_APPS = [
    # Before the admin, so that the catalogue's translated fields get its tabs and widgets.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_countries",
    "simple_history",
    "import_export",
    "axes",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "csp",
    "clusters",
    "benchmarking",
    "directory",  # the public database of clusters and the admin of their records
    "exchange",
    "api",
    "comparisons",  # a cluster's own comparison groups (docs/comparisons.md)
    "activity",  # the named actions and their timelines
    "django_tasks",  # the backport of Django 6's django.tasks (background work, issue 26)
    "django_tasks_db",  # its database backend: the tasks are rows, `manage.py db_worker` runs them
    "opendata",  # statistics, the open dataset, badges and signed credentials (issue 29)
    "ecei_site",  # manage.py backup and restore
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, which serves static files pre-compressed: only pages are gzipped here.
    "django.middleware.gzip.GZipMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: the browser's Accept-Language and the cookie (Django), then the choice
    # of this session or the user's profile (accounts), which wins.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.SessionLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it sees the outcome of the login view.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ecei_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "ecei_site.wsgi.application"

# --- Databases -------------------------------------------------------------------
# SQLite by default (WAL, a busy timeout, IMMEDIATE transactions: ecei_site/database_config.py),
# or PostgreSQL.
SQLITE_OPTIONS = database_config.SQLITE_OPTIONS
DATABASE_URL = env.str("DATABASE_URL", default="")
DATABASES = database_config.database_config(DATABASE_URL, BASE_DIR / "db.sqlite3")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- State shared by every app server (issue 26; docs/deployment.md, "Several app servers") ---
# The cache holds the API's rate-limit counts and the overview's counts: with several gunicorn
# workers or servers it must be one Redis, else each process counts on its own.
CACHE_URL = env.str("CACHE_URL", default="") or env.str("REDIS_URL", default="")
CACHES = {"default": cache_config(CACHE_URL)}
# How many reverse proxies stand in front of the site (nginx alone: 1). DRF's throttles, axes'
# lockouts and the access log all read the client's address through it; 0 ignores X-Forwarded-For.
TRUSTED_PROXIES = _env(env.int, "TRUSTED_PROXIES", default=0)
_PROXIES = proxy_config(TRUSTED_PROXIES)
AXES_IPWARE_PROXY_COUNT = _PROXIES["AXES_IPWARE_PROXY_COUNT"]
AXES_IPWARE_PROXY_ORDER = _PROXIES["AXES_IPWARE_PROXY_ORDER"]
AXES_IPWARE_META_PRECEDENCE_ORDER = _PROXIES["AXES_IPWARE_META_PRECEDENCE_ORDER"]
IPWARE_STRICT = _PROXIES["IPWARE_STRICT"]

# --- Background work (issue 26; ecei_site/tasks.py, docs/deployment.md "The task worker") -----
# TASK_BACKEND=database (the default): a task is a row in the site's own database, run by
# `manage.py db_worker`; TASK_BACKEND=immediate runs it at once (ecei_site/task_config.py).
TASK_BACKEND = env.str("TASK_BACKEND", default="database")
TASKS = task_config(TASK_BACKEND)
# A failing task is tried again this many times in all, waiting TASK_RETRY_SECONDS, then twice
# as long each time (30 s, 1 min, 2 min, 4 min); then it stays failed, listed in the admin
# (Task results) and counted by /health/.
TASK_ATTEMPTS = _env(env.int, "TASK_ATTEMPTS", default=5)
TASK_RETRY_SECONDS = _env(env.int, "TASK_RETRY_SECONDS", default=30)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "home"

# --- Login throttling (django-axes) -----------------------------------------------
# Attempts and lockouts are rows in the database (axes' database handler, said here rather than
# left to the default): every app server sees the same lockouts without the cache.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = _env(env.int, "AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = _env(env.float, "AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Password reset e-mails an hour, per address and per client (accounts/throttle.py). The counts
# are kept in Django's cache (CACHES; the local-memory cache unless configured).
ECEI_PASSWORD_RESETS_PER_HOUR = _env(env.int, "ECEI_PASSWORD_RESETS_PER_HOUR", default=3)

LANGUAGE_CODE = "en-gb"
# The interface, the catalogue, reports, certificates and e-mails exist in these languages.
# English is the source: a string or catalogue text missing in another language shows in English.
LANGUAGES = [("en-gb", "English"), ("es", "Español"), ("de", "Deutsch")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The catalogue's translated fields (django-modeltranslation): wording_en, wording_es, ...
MODELTRANSLATION_LANGUAGES = ("en", "es", "de")
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Brussels")
USE_I18N = True
# One way to write a date per language (ecei_site/formats); numbers keep Django's separators per
# language, grouped where a figure is written (ecei_site.numbers), never in ids and form values.
FORMAT_MODULE_PATH = ["ecei_site.formats"]
USE_THOUSAND_SEPARATOR = False
USE_TZ = True

STATIC_URL = "static/"
# Files the site writes (the stored PDFs of issued reports), through STORAGES["default"]; never
# served directly. FILE_STORAGE=local keeps them under MEDIA_ROOT on this server (one server);
# FILE_STORAGE=database in the shared database, for several app servers (ecei_site/storage.py).
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
FILE_STORAGE = env.str("FILE_STORAGE", default="local")
# Where `manage.py backup` keeps its dated files (STORAGES["backups"]): always outside the
# database it copies; with several app servers, on the host that runs the backup job.
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(BASE_DIR / "backups")))
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# "default" after FILE_STORAGE, "backups" under BACKUP_DIR, "staticfiles" (ecei_site/shared_state.py).
STORAGES = storages_config(FILE_STORAGE, DEBUG)

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# History is read in the admin, never reverted: a revert would save old values (a status,
# dates) around the services' rules. benchmarking.admin.HistoryAdmin also refuses the POST.
SIMPLE_HISTORY_REVERT_DISABLED = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- E-mail ----------------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default=(
        "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend"
    ),
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = _env(env.int, "EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = _env(env.bool, "EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = _env(env.bool, "EMAIL_USE_SSL", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ECEI Secretariat <secretariat@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security (strict whenever DEBUG is off) ---------------------------------------
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = _env(env.bool, "SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = _env(env.int, "SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # The proxy and monitoring ask the workers directly, over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]

# --- Going live (issue 11): admin path, backups, headers; docs/deployment.md -------
ADMIN_URL = env_checks.checked_admin_url(env.str("ADMIN_URL", default="admin/"))
# No inline script; inline style attributes allowed, <style> with the nonce (ecei_site/security_headers.py).
CONTENT_SECURITY_POLICY = security_headers.CONTENT_SECURITY_POLICY
PERMISSIONS_POLICY = security_headers.PERMISSIONS_POLICY

# Refused requests (403, 404) on one line, real errors with their traceback (ecei_site/log_filters.py).
LOGGING = logging_config(env.str("LOG_LEVEL", default="WARNING"))

# --- The domain's periods (domain.md, "Labels") -------------------------------------
# Kept as settings so the secretariat's rules can change without a code change.
ECEI_LABEL_FIRST_VALIDITY_YEARS = _env(env.int, "ECEI_LABEL_FIRST_VALIDITY_YEARS", default=2)
ECEI_LABEL_RENEWAL_VALIDITY_YEARS = _env(env.int, "ECEI_LABEL_RENEWAL_VALIDITY_YEARS", default=3)
ECEI_LABEL_RENEWAL_GRACE_YEARS = _env(env.int, "ECEI_LABEL_RENEWAL_GRACE_YEARS", default=1)
ECEI_SILVER_MIN_MONTHS = _env(env.int, "ECEI_SILVER_MIN_MONTHS", default=18)
ECEI_SILVER_MAX_MONTHS = _env(env.int, "ECEI_SILVER_MAX_MONTHS", default=24)
ECEI_SILVER_VALIDITY_YEARS = _env(env.int, "ECEI_SILVER_VALIDITY_YEARS", default=2)
ECEI_GOLD_VALIDITY_YEARS = _env(env.int, "ECEI_GOLD_VALIDITY_YEARS", default=2)
ECEI_GOLD_MIN_SCORE = _env(env.int, "ECEI_GOLD_MIN_SCORE", default=80)
ECEI_REPORT_MIN_GROUP_SIZE = _env(env.int, "ECEI_REPORT_MIN_GROUP_SIZE", default=6)
# The comparison groups a process keeps decoded between reports (MB of arrays; about 60 MB a
# catalogue at 100,000 clusters): benchmarking.selectors.reports.stored_groups.DecodedGroups.
ECEI_PEER_GROUPS_KEPT_MB = _env(env.int, "ECEI_PEER_GROUPS_KEPT_MB", default=256)
# The questionnaire in advance (issue 16): how long an invitation link works, and how many
# days before the interview a manager who has not marked it ready is reminded.
ECEI_INVITATION_VALID_DAYS = _env(env.int, "ECEI_INVITATION_VALID_DAYS", default=30)
ECEI_QUESTIONNAIRE_REMINDER_DAYS = _env(env.int, "ECEI_QUESTIONNAIRE_REMINDER_DAYS", default=7)

# The body that awards the labels, by date (domain.md, "EUCLES awards the labels"): EUCLES
# since its creation in December 2020, with ESCA as operational partner; ESCA before.
# Newest first; read through benchmarking.awarding.awarding_body(day), never directly.
ECEI_AWARDING_BODIES = [
    {"since": "2020-12-01", "name": "EUCLES", "partner": "ESCA"},
    {"since": None, "name": "ESCA", "partner": ""},
]

# --- Open data (issue 29): the keys that sign the labels' credentials ---------------------
# A JSON Web Key Set of RSA keys, outside the repository (`manage.py credential_keys FILE` makes
# or rotates it): the first private key signs, every key stays published to verify. Unset with
# DEBUG on: an ephemeral key per process; unset with DEBUG off: no credential is issued.
ECEI_CREDENTIAL_KEYS_FILE = env.str("ECEI_CREDENTIAL_KEYS_FILE", default="")

# --- The read-only REST API (issue 12) ------------------------------------------------
# DRF and the OpenAPI schema: ecei_site/api_config.py.
REST_FRAMEWORK = api_config.rest_framework_config(_PROXIES["NUM_PROXIES"])
# Requests per address (public) and per token (secretariat), e.g. "60/minute".
ECEI_API_RATE_ANONYMOUS = env.str("ECEI_API_RATE_ANONYMOUS", default="60/minute")
ECEI_API_RATE_USER = env.str("ECEI_API_RATE_USER", default="1200/minute")
SPECTACULAR_SETTINGS = api_config.SPECTACULAR_SETTINGS
