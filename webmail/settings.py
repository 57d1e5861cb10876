"""Settings, all from the environment (12-factor), with safe defaults for the demo.

Bad values fail loudly at start-up rather than at the first request.
"""
from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from accounts.login_names import login_format_check

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be >= {minimum}, got {value}")
    return value


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


HSTS_ONE_YEAR = 365 * 24 * 3600


def hsts_default(*, ssl_redirect: bool) -> int:
    """HSTS follows the HTTPS redirect: a site that sends http to https should also tell
    browsers never to try http again (else the first request of every visit can be
    intercepted). `WEBMAIL_HSTS_SECONDS` still overrides it; 0 turns it off."""
    return HSTS_ONE_YEAR if ssl_redirect else 0


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set (the demo script makes one)")
    SECRET_KEY = "insecure-dev-only-key"  # noqa: S105 - DEBUG only
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "accounts",
    "mailview",
]

# Server-Timing headers (time in IMAP and the database per request): for developer
# tools and the benchmark; off by default in production, where it is not needed.
SERVER_TIMING = env_bool("WEBMAIL_SERVER_TIMING", DEBUG)
MIDDLEWARE = [
    "webmail.request_log.RequestIdMiddleware",
    "webmail.fairness.PersonConcurrencyMiddleware",  # first: refusing a burst must cost nothing
    *(["webmail.timing.ServerTimingMiddleware"] if SERVER_TIMING else []),
    "webmail.request_log.AccessLogMiddleware",  # after the timing: reads its IMAP time
    "webmail.middleware.RawPathMiddleware",
    "webmail.middleware.OriginatingIpMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "webmail.outage.OutageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserTimeZoneMiddleware",  # dates in the person's time zone
    "mailview.middleware.UploadSizeMiddleware",  # before anything reads a POST body (CSRF does, in its view phase)
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "webmail.middleware.ContentSecurityPolicyMiddleware",
    "webmail.middleware.NoStoreMiddleware",
    "webmail.middleware.ImapErrorMiddleware",
]

ROOT_URLCONF = "webmail.urls"
WSGI_APPLICATION = "webmail.wsgi.application"
ASGI_APPLICATION = "webmail.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "accounts.middleware.preferences",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'webmail.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if env_str("DATABASE_TEST_NAME"):
    # A file, not SQLite's in-memory default, so a Celery worker or gunicorn started by the
    # tests reads the same test database.
    DATABASES["default"]["TEST"] = {"NAME": env_str("DATABASE_TEST_NAME")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:21379/0")
CACHES: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": "webmail.cache.SharedClientRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env_str("WEBMAIL_CACHE_PREFIX", "webmail"),
        # A Redis that stops answering must fail a request fast (a 503 page), not hang it.
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 5},
    },
    # Per process, no network: only for skipping work already done recently (never for
    # anything another process must see).
    "local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "webmail-local",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    },
}

# Read from Redis, written through to the database: a signed-in request costs no session query;
# while Redis is down, read from the database (webmail/sessions.py).
SESSION_ENGINE = "webmail.sessions"
SESSION_COOKIE_AGE = env_int("WEBMAIL_SESSION_AGE", 14 * 24 * 3600, minimum=60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Behind TLS (the deployed case) cookies must be Secure; the loopback demo runs on http.
SECURE_COOKIES = env_bool("WEBMAIL_SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Only the message body document may be framed (by our own page); it says so itself.
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("WEBMAIL_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("WEBMAIL_HSTS_SECONDS", hsts_default(ssl_redirect=SECURE_SSL_REDIRECT))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("WEBMAIL_HSTS_INCLUDE_SUBDOMAINS", False)
if env_bool("WEBMAIL_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

AUTHENTICATION_BACKENDS = ["accounts.backends.ImapBackend", "django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "mailview:home"

LANGUAGE_CODE = env_str("WEBMAIL_LANGUAGE", "en")
LANGUAGES = [("en", "English"), ("de", "Deutsch")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("WEBMAIL_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

# To stderr, where an operator looks: every line names its request and user (webmail/request_log.py).
# text: one readable line per event; json: one JSON object per line, plus one per request and per task.
WEBMAIL_LOG_FORMAT = env_str("WEBMAIL_LOG_FORMAT", "text")
if WEBMAIL_LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"WEBMAIL_LOG_FORMAT must be text or json, got {WEBMAIL_LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "webmail.request_log.RequestContextFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(process)d req=%(request_id)s user=%(user_id)s %(message)s"},
        "json": {"()": "webmail.request_log.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": "json" if WEBMAIL_LOG_FORMAT == "json" else "plain",
            "filters": ["request"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("WEBMAIL_LOG_LEVEL", "INFO")},
    # imapclient logs commands at DEBUG, LOGIN included: never let that through.
    "loggers": {
        "imapclient": {"level": "WARNING"},
        # A web process waiting for task results logs every reconnect to a dead result store
        # (and "must be restarted", which is not so); webmail.outage logs one line per outage.
        "celery.backends.redis": {"level": "CRITICAL"},
        "celery.backends.asynchronous": {"level": "CRITICAL", "propagate": False, "handlers": []},
    },
}

# --- Mail -------------------------------------------------------------------
# The default server profile, used for any domain without its own profile in the admin.
WEBMAIL_IMAP_HOST = env_str("WEBMAIL_IMAP_HOST", "127.0.0.1")
WEBMAIL_IMAP_PORT = env_int("WEBMAIL_IMAP_PORT", 21143, minimum=1)
WEBMAIL_IMAP_SECURITY = env_str("WEBMAIL_IMAP_SECURITY", "starttls")
WEBMAIL_SMTP_HOST = env_str("WEBMAIL_SMTP_HOST", WEBMAIL_IMAP_HOST)
WEBMAIL_SMTP_PORT = env_int("WEBMAIL_SMTP_PORT", 21587, minimum=1)
WEBMAIL_SMTP_SECURITY = env_str("WEBMAIL_SMTP_SECURITY", "starttls")
WEBMAIL_IMAP_CA_FILE = env_str("WEBMAIL_IMAP_CA_FILE", "")
WEBMAIL_TLS_VERIFY = env_bool("WEBMAIL_TLS_VERIFY", True)
for _name, _value in (("WEBMAIL_IMAP_SECURITY", WEBMAIL_IMAP_SECURITY), ("WEBMAIL_SMTP_SECURITY", WEBMAIL_SMTP_SECURITY)):
    if _value not in {"ssl", "starttls", "none"}:
        raise ImproperlyConfigured(f"{_name} must be ssl, starttls or none, got {_value!r}")
if WEBMAIL_IMAP_CA_FILE and not Path(WEBMAIL_IMAP_CA_FILE).is_file():
    raise ImproperlyConfigured(f"WEBMAIL_IMAP_CA_FILE {WEBMAIL_IMAP_CA_FILE!r} is not a readable file")
# The login names the default profile's servers expect: address, localpart or a template
# (%u, %n, %d, as in Dovecot); see accounts/login_names.py. SMTP defaults to the IMAP one.


def env_login_format(name: str, default: str) -> str:
    try:
        return login_format_check(env_str(name, default))
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}: {exc}") from None


WEBMAIL_IMAP_LOGIN = env_login_format("WEBMAIL_IMAP_LOGIN", "address")
WEBMAIL_SMTP_LOGIN = env_login_format("WEBMAIL_SMTP_LOGIN", WEBMAIL_IMAP_LOGIN)

# Fernet key for mail passwords at rest. Never in the repo: the demo script generates one.
WEBMAIL_CREDENTIALS_KEY = env_str("WEBMAIL_CREDENTIALS_KEY")

# ManageSieve (RFC 5804) of the default profile: filters and the vacation reply are Sieve scripts
# kept there. An empty host turns the filter and vacation pages off for the default profile.
WEBMAIL_MANAGESIEVE_HOST = env_str("WEBMAIL_MANAGESIEVE_HOST", WEBMAIL_IMAP_HOST)
WEBMAIL_MANAGESIEVE_PORT = env_int("WEBMAIL_MANAGESIEVE_PORT", 21190, minimum=1)
WEBMAIL_MANAGESIEVE_SECURITY = env_str("WEBMAIL_MANAGESIEVE_SECURITY", "starttls")
if WEBMAIL_MANAGESIEVE_SECURITY not in {"ssl", "starttls", "none"}:
    raise ImproperlyConfigured(f"WEBMAIL_MANAGESIEVE_SECURITY must be ssl, starttls or none, got {WEBMAIL_MANAGESIEVE_SECURITY!r}")
WEBMAIL_MANAGESIEVE_TIMEOUT = env_int("WEBMAIL_MANAGESIEVE_TIMEOUT", 20, minimum=1)

# CardDAV (RFC 6352) of the default profile: the address book (/contacts/). The server's root,
# the person's principal or home, or an address book's URL; the person signs in with their IMAP
# login name and password. Empty: no address book server, /contacts/ shows the collected addresses.
WEBMAIL_CARDDAV_URL = env_str("WEBMAIL_CARDDAV_URL", "")
if WEBMAIL_CARDDAV_URL and not WEBMAIL_CARDDAV_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"WEBMAIL_CARDDAV_URL must be an http:// or https:// URL, got {WEBMAIL_CARDDAV_URL!r}")
WEBMAIL_CARDDAV_TIMEOUT = env_int("WEBMAIL_CARDDAV_TIMEOUT", 15, minimum=1)
# How long the address book kept for completion is trusted before the server is asked again
# (its getctag/sync-token; our own changes refresh it at once).
WEBMAIL_CARDDAV_CACHE_SECONDS = env_int("WEBMAIL_CARDDAV_CACHE_SECONDS", 60, minimum=0)

WEBMAIL_IMAP_TIMEOUT = env_int("WEBMAIL_IMAP_TIMEOUT", 20, minimum=1)
# The longest answer line about a whole folder (a plain SEARCH, SORT or THREAD of every message:
# ~7 bytes a message, 1.4 MB at 200,000) read from the IMAP server; every other line keeps
# imaplib's 1 MB. 50 MB: folders of several million messages (see mailview/imap/connection.py).
WEBMAIL_IMAP_MAX_ANSWER_BYTES = env_int("WEBMAIL_IMAP_MAX_ANSWER_BYTES", 50_000_000, minimum=1_000_000)
# The session pool (see mailview/imap/pool.py).
WEBMAIL_POOL_PER_PROCESS = env_int("WEBMAIL_POOL_PER_PROCESS", 2, minimum=1)
WEBMAIL_POOL_PER_USER_TOTAL = env_int("WEBMAIL_POOL_PER_USER_TOTAL", 4, minimum=1)
# All users together, per process: past this, the least recently used idle connection closes.
WEBMAIL_POOL_MAX_OPEN = env_int("WEBMAIL_POOL_MAX_OPEN", 200, minimum=1)
WEBMAIL_POOL_IDLE_TIMEOUT = env_int("WEBMAIL_POOL_IDLE_TIMEOUT", 300, minimum=1)
WEBMAIL_POOL_NOOP_AFTER = env_int("WEBMAIL_POOL_NOOP_AFTER", 60, minimum=0)
WEBMAIL_POOL_WAIT_TIMEOUT = env_int("WEBMAIL_POOL_WAIT_TIMEOUT", 15, minimum=1)
# One person's requests in flight across every web process (webmail/fairness.py): of any kind,
# and of them the heavy ones (pages, searches, actions: the renders that take CPU). One more is
# answered 429 at once, so one person's burst neither holds the server threads nor the CPU.
WEBMAIL_PAGES_PER_PERSON = env_int("WEBMAIL_PAGES_PER_PERSON", 1, minimum=1)
# Heavy requests of one person that may wait (a few seconds, holding a thread but no CPU) for
# the running one instead of being refused: a click while the last page is still loading.
WEBMAIL_PAGES_WAITING_PER_PERSON = env_int("WEBMAIL_PAGES_WAITING_PER_PERSON", 1, minimum=0)
WEBMAIL_PAGES_WAIT_SECONDS = env_int("WEBMAIL_PAGES_WAIT_SECONDS", 10, minimum=1)
WEBMAIL_REQUESTS_PER_PERSON = env_int("WEBMAIL_REQUESTS_PER_PERSON", 6, minimum=1)
# Requests of one user allowed to wait for that user's busy connections, per process; one more
# is answered 429 at once. The door above already bounds a person's web requests, so by default
# this lets all of those wait (inline images of one message come several at once); it bounds
# processes without the door (a task that meets it retries).
WEBMAIL_POOL_MAX_WAITERS = env_int("WEBMAIL_POOL_MAX_WAITERS", WEBMAIL_REQUESTS_PER_PERSON, minimum=0)

# Sign-in rate limits (accounts/ratelimit.py): per (address, client IP) a few free failures,
# then a growing wait; hard caps per window per client IP and per address across all IPs.
WEBMAIL_LOGIN_FAILURES_PER_IP = env_int("WEBMAIL_LOGIN_FAILURES_PER_IP", 20, minimum=1)
WEBMAIL_LOGIN_FAILURES_PER_ADDRESS = env_int("WEBMAIL_LOGIN_FAILURES_PER_ADDRESS", 100, minimum=1)
WEBMAIL_LOGIN_WINDOW = env_int("WEBMAIL_LOGIN_WINDOW", 15 * 60, minimum=1)
WEBMAIL_LOGIN_FREE_FAILURES = env_int("WEBMAIL_LOGIN_FREE_FAILURES", 5, minimum=1)
WEBMAIL_LOGIN_BACKOFF_BASE = env_int("WEBMAIL_LOGIN_BACKOFF_BASE", 1, minimum=1)
WEBMAIL_LOGIN_BACKOFF_MAX = env_int("WEBMAIL_LOGIN_BACKOFF_MAX", 300, minimum=1)
# How many reverse proxies in front of the app append to X-Forwarded-For: the client's IP
# is read that many entries from the right (0: REMOTE_ADDR, the header is ignored).
WEBMAIL_TRUSTED_PROXIES = env_int("WEBMAIL_TRUSTED_PROXIES", 0)

# --- Celery -----------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "redis://127.0.0.1:21379/1")
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A task whose worker died unacknowledged is redelivered after this many seconds. A live
# worker refreshes its running tasks every quarter of it (webmail/celery.py), so a long task
# (a big send, a bulk action on a huge folder) is never handed to a second worker meanwhile.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 120, minimum=5),
    # How often a worker looks for such tasks: every interval × throttle seconds.
    "unacked_restore_interval": env_int("CELERY_UNACKED_RESTORE_INTERVAL", 10, minimum=1),
    "unacked_restore_throttle": env_int("CELERY_UNACKED_RESTORE_THROTTLE", 1, minimum=1),
}
CELERY_RESULT_EXPIRES = env_int("CELERY_RESULT_EXPIRES", 7 * 24 * 3600, minimum=60)
# Queuing a task subscribes to its result first: with the store down, give up after about a
# second (the user is told "not done, try again") instead of Celery's 20 retries of a second.
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}}
# Periodic work (run `celery -A webmail beat`, or a worker with -B in the demo).
CELERY_BEAT_SCHEDULE = {
    # Removes abandoned uploads and compose sessions, and re-queues stuck sends.
    "compose-cleanup": {"task": "mailview.compose_cleanup", "schedule": 3600.0},
    # Sends waiting messages (undo send, send later) whose time has come and whose task is gone.
    "compose-send-due": {"task": "mailview.compose_send_due", "schedule": float(env_int("WEBMAIL_SEND_SWEEP_SECONDS", 30, minimum=5))},
    # Brings snoozed mail back to its folder when its time has come; removes expired exports.
    "snooze-wake-due": {"task": "mailview.snooze_wake_due", "schedule": float(env_int("WEBMAIL_SNOOZE_SWEEP_SECONDS", 30, minimum=5))},
    "transfer-cleanup": {"task": "mailview.transfer_cleanup", "schedule": 600.0},
}
# How often an open message list asks whether its folder changed (another device).
WEBMAIL_LIST_POLL_SECONDS = env_int("WEBMAIL_LIST_POLL_SECONDS", 20, minimum=1)
# The live mailbox's event stream (Server-Sent Events, served by the ASGI event server:
# `uvicorn webmail.asgi:application`). Pages connect to this URL: a path when a reverse proxy
# routes it to the event server on the same origin (the deployed case), or an absolute URL of
# the event server's own port (demo, tests). Empty: no stream, lists poll as before.
WEBMAIL_EVENTS_URL = env_str("WEBMAIL_EVENTS_URL", "/events/").strip()
if WEBMAIL_EVENTS_URL and not (
    (WEBMAIL_EVENTS_URL.startswith("/") and not WEBMAIL_EVENTS_URL.startswith("//"))
    or WEBMAIL_EVENTS_URL.startswith(("http://", "https://"))
):
    raise ImproperlyConfigured(f"WEBMAIL_EVENTS_URL must be a path (/events/) or an http(s) URL, got {WEBMAIL_EVENTS_URL!r}")
# Web origins (scheme://host:port) whose pages may read the event stream across origins (with
# the session cookie): the web server's origin when WEBMAIL_EVENTS_URL is another origin.
WEBMAIL_EVENTS_ALLOWED_ORIGINS = env_list("WEBMAIL_EVENTS_ALLOWED_ORIGINS", "")
for _origin in WEBMAIL_EVENTS_ALLOWED_ORIGINS:
    if not _origin.startswith(("http://", "https://")) or _origin.rstrip("/").count("/") != 2:
        raise ImproperlyConfigured(f"WEBMAIL_EVENTS_ALLOWED_ORIGINS: {_origin!r} is not an origin like https://mail.example.com")
WEBMAIL_EVENTS_ALLOWED_ORIGINS = [_origin.rstrip("/") for _origin in WEBMAIL_EVENTS_ALLOWED_ORIGINS]
# A message page may show folder counts this many seconds old (from the list just seen)
# instead of asking the server again; 0 always asks.
WEBMAIL_FOLDER_COUNTS_REUSE_SECONDS = env_int("WEBMAIL_FOLDER_COUNTS_REUSE_SECONDS", 15, minimum=0)
# A search of all folders waits at most this long; folders not searched by then are
# named on the results page ("not searched in time") instead of holding it up.
WEBMAIL_SEARCH_SECONDS = env_int("WEBMAIL_SEARCH_SECONDS", 8, minimum=1)
# Body search: the webmail's own full-text index (SQLite FTS5), one file per person in this
# directory (shared by the web and Celery processes), filled in the background.
WEBMAIL_SEARCH_INDEX = env_bool("WEBMAIL_SEARCH_INDEX", True)
# Start a person's index by itself: at sign-in and at their first body search (an index once
# started is kept up to date either way; without it, indexes start only where one exists).
WEBMAIL_SEARCH_INDEX_AUTOSTART = env_bool("WEBMAIL_SEARCH_INDEX_AUTOSTART", True)
WEBMAIL_SEARCH_INDEX_DIR = Path(env_str("WEBMAIL_SEARCH_INDEX_DIR", str(BASE_DIR / "var" / "search-index")))
# Body search without a complete index scans the server: from this many messages in the
# searched folders the page first says so ("this may take a while", with Cancel).
WEBMAIL_SEARCH_SCAN_NOTICE_MESSAGES = env_int("WEBMAIL_SEARCH_SCAN_NOTICE_MESSAGES", 2000, minimum=0)
# Conversations: a folder with more messages than this whose threads are not kept yet is
# listed flat (with a notice) while a Celery task builds them; smaller ones are built in the request.
WEBMAIL_THREADS_INLINE_LIMIT = env_int("WEBMAIL_THREADS_INLINE_LIMIT", 20000, minimum=0)
# How long the background build's IMAP commands may take (a whole-folder THREAD on a cold server).
WEBMAIL_THREADS_BUILD_SECONDS = env_int("WEBMAIL_THREADS_BUILD_SECONDS", 300, minimum=20)
# How long one indexing task runs before it queues the rest (tasks stay short).
WEBMAIL_SEARCH_INDEX_TASK_SECONDS = env_int("WEBMAIL_SEARCH_INDEX_TASK_SECONDS", 20, minimum=1)
# Bytes of a message's text the index reads at most (its text parts, attachments' text and
# forwarded mail's, in that order); the rest of a very long message is not searchable.
WEBMAIL_SEARCH_INDEX_TEXT_BYTES = env_int("WEBMAIL_SEARCH_INDEX_TEXT_BYTES", 64 * 1024, minimum=1024)
# The search page is answered after this long with the folders searched by then; the
# others go on (until WEBMAIL_SEARCH_SECONDS) and arrive on the open page ("still searching").
WEBMAIL_SEARCH_FIRST_MS = env_int("WEBMAIL_SEARCH_FIRST_MS", 1500, minimum=50)
# The queue filing actions go to (a deployment may give them dedicated workers).
WEBMAIL_ACTIONS_QUEUE = env_str("WEBMAIL_ACTIONS_QUEUE", "celery")
# /metrics (Prometheus): answered only with this bearer token and/or from these networks (CIDRs); neither set: 404.
WEBMAIL_METRICS_TOKEN = env_str("WEBMAIL_METRICS_TOKEN", "")
WEBMAIL_METRICS_ALLOWED_NETWORKS = [n.strip() for n in env_str("WEBMAIL_METRICS_ALLOWED_NETWORKS", "").split(",") if n.strip()]
for _network in WEBMAIL_METRICS_ALLOWED_NETWORKS:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"WEBMAIL_METRICS_ALLOWED_NETWORKS: not a network: {_network!r}") from None
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# --- The watcher (`manage.py watch_mailboxes`; see mailview/services/live/watching.py) ---
# People stay watched this long after their last tab closed.
WEBMAIL_WATCH_GRACE_SECONDS = env_int("WEBMAIL_WATCH_GRACE_SECONDS", 180, minimum=0)
# Changes reported within this many milliseconds become one sync request. Short: Dovecot
# already gathers a mailbox's changes for 500 ms before it notifies (NOTIFY_DELAY_MSECS), and
# every millisecond here is push latency.
WEBMAIL_WATCH_COALESCE_MS = env_int("WEBMAIL_WATCH_COALESCE_MS", 25, minimum=0)
# A replica's hold on a person expires this long after its last renewal (renewed every 3 s);
# a dead replica's people move to another within about this time.
WEBMAIL_WATCH_LEASE_SECONDS = env_int("WEBMAIL_WATCH_LEASE_SECONDS", 8, minimum=4)
# At most this many people per watcher process (more replicas share the rest).
WEBMAIL_WATCH_MAX_PEOPLE = env_int("WEBMAIL_WATCH_MAX_PEOPLE", 5000, minimum=1)
# Reconnects back off from 1 s, doubling, up to this.
WEBMAIL_WATCH_BACKOFF_CAP = env_int("WEBMAIL_WATCH_BACKOFF_CAP", 60, minimum=1)
# Without NOTIFY: the other folders are checked with STATUS this often (IDLE covers INBOX);
# without IDLE: every folder this often.
WEBMAIL_WATCH_SWEEP_SECONDS = env_int("WEBMAIL_WATCH_SWEEP_SECONDS", 60, minimum=5)
WEBMAIL_WATCH_POLL_SECONDS = env_int("WEBMAIL_WATCH_POLL_SECONDS", 120, minimum=10)
# IDLE is restarted at least this often (servers end it after 30 min), and after this much
# silence from the server (Dovecot speaks every 2 min while idling), to find dead connections.
WEBMAIL_WATCH_REIDLE_SECONDS = env_int("WEBMAIL_WATCH_REIDLE_SECONDS", 600, minimum=10)
WEBMAIL_WATCH_KEEPALIVE_SECONDS = env_int("WEBMAIL_WATCH_KEEPALIVE_SECONDS", 300, minimum=5)
# Connections a watcher process opens at once (connect, TLS, LOGIN: mostly waiting for the
# server). A replica taking over a dead one's people logs them in this many at a time; bounded
# so the IMAP server's login processes (Dovecot: imap-login's process_limit, default 100) and
# per-IP limits are never flooded.
WEBMAIL_WATCH_CONNECT_WORKERS = env_int("WEBMAIL_WATCH_CONNECT_WORKERS", 16, minimum=1)
if WEBMAIL_WATCH_CONNECT_WORKERS > 64:
    raise ImproperlyConfigured("WEBMAIL_WATCH_CONNECT_WORKERS must be at most 64 (simultaneous logins to the IMAP server)")
# Capabilities the watcher acts as if the server lacked (e.g. "NOTIFY" for a server whose NOTIFY misbehaves).
WEBMAIL_WATCH_IGNORE_CAPABILITIES = [c.upper() for c in env_list("WEBMAIL_WATCH_IGNORE_CAPABILITIES", "")]
if WEBMAIL_WATCH_REIDLE_SECONDS > 29 * 60:
    raise ImproperlyConfigured("WEBMAIL_WATCH_REIDLE_SECONDS must be below 1740 (servers end IDLE after 30 minutes)")

# --- Writing mail (compose, drafts, uploads, sending) ---------------------------
# Uploaded attachments wait here (per user, per compose) until sent or discarded.
# Web and worker processes must share it (a volume in docker compose).
WEBMAIL_UPLOAD_DIR = Path(env_str("WEBMAIL_UPLOAD_DIR", str(BASE_DIR / "var" / "uploads")))
# Bytes per upload request: below DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB), so one chunk is one small request.
WEBMAIL_UPLOAD_CHUNK_SIZE = env_int("WEBMAIL_UPLOAD_CHUNK_SIZE", 1024 * 1024, minimum=16 * 1024)
if WEBMAIL_UPLOAD_CHUNK_SIZE > 2 * 1024 * 1024:
    raise ImproperlyConfigured("WEBMAIL_UPLOAD_CHUNK_SIZE must be at most 2097152 bytes")
# Snoozed mail waits in this folder (created under the personal namespace when missing).
WEBMAIL_SNOOZE_FOLDER = env_str("WEBMAIL_SNOOZE_FOLDER", "Snoozed").strip() or "Snoozed"
# Exports (zip, mbox) and uploaded imports wait here until their link expires (web and workers share it).
WEBMAIL_EXPORT_DIR = Path(env_str("WEBMAIL_EXPORT_DIR", str(BASE_DIR / "var" / "exports")))
# How long an export's download link works (hours); the beat sweep removes the file after.
WEBMAIL_EXPORT_HOURS = env_int("WEBMAIL_EXPORT_HOURS", 24, minimum=1)
# The largest file one import may upload (bytes), and the largest message it appends.
WEBMAIL_IMPORT_MAX_BYTES = env_int("WEBMAIL_IMPORT_MAX_BYTES", 1024 * 1024 * 1024, minimum=1024)
# The largest .vcf one contacts import may upload (bytes); its cards are written by a Celery task.
WEBMAIL_CONTACTS_IMPORT_MAX_BYTES = env_int("WEBMAIL_CONTACTS_IMPORT_MAX_BYTES", 64 * 1024 * 1024, minimum=1024)
# The message size limit when the SMTP server does not advertise SIZE (bytes, as sent).
WEBMAIL_MAX_MESSAGE_SIZE = env_int("WEBMAIL_MAX_MESSAGE_SIZE", 25 * 1024 * 1024, minimum=64 * 1024)
# Bytes of attachments one person may have uploaded and not yet sent or discarded (all drafts together).
WEBMAIL_UPLOAD_QUOTA_BYTES = env_int("WEBMAIL_UPLOAD_QUOTA_BYTES", 200 * 1024 * 1024, minimum=0)
# Trust for the default SMTP server's certificate (the mail stack exports its own CA).
WEBMAIL_SMTP_CA_FILE = env_str("WEBMAIL_SMTP_CA_FILE", WEBMAIL_IMAP_CA_FILE)
if WEBMAIL_SMTP_CA_FILE and not Path(WEBMAIL_SMTP_CA_FILE).is_file():
    raise ImproperlyConfigured(f"WEBMAIL_SMTP_CA_FILE {WEBMAIL_SMTP_CA_FILE!r} is not a readable file")
WEBMAIL_SMTP_TIMEOUT = env_int("WEBMAIL_SMTP_TIMEOUT", 30, minimum=1)
# Sending retries while the SMTP server is unreachable: backoff doubles from the base, up to the cap.
WEBMAIL_SEND_MAX_RETRIES = env_int("WEBMAIL_SEND_MAX_RETRIES", 8, minimum=0)
WEBMAIL_SEND_RETRY_BASE = env_int("WEBMAIL_SEND_RETRY_BASE", 30, minimum=1)
WEBMAIL_SEND_RETRY_CAP = env_int("WEBMAIL_SEND_RETRY_CAP", 30 * 60, minimum=1)
# Undo send: the seconds a sent message waits before it goes out, for people who have not
# chosen (settings offer off, 5, 10, 20, 30).
WEBMAIL_UNDO_SEND_SECONDS = env_int("WEBMAIL_UNDO_SEND_SECONDS", 10, minimum=0)
if WEBMAIL_UNDO_SEND_SECONDS > 30:
    raise ImproperlyConfigured("WEBMAIL_UNDO_SEND_SECONDS must be at most 30")
# The Celery queue sends go to (a deployment may give them dedicated workers).
WEBMAIL_SEND_QUEUE = env_str("WEBMAIL_SEND_QUEUE", "celery")
# Seconds between sweeps (celery beat) that send waiting messages whose time has come and
# whose task was lost (a broker restart); a worker restart is covered by redelivery.
WEBMAIL_SEND_SWEEP_SECONDS = env_int("WEBMAIL_SEND_SWEEP_SECONDS", 30, minimum=5)
# Seconds between draft autosaves while the person types.
WEBMAIL_DRAFT_AUTOSAVE_SECONDS = env_int("WEBMAIL_DRAFT_AUTOSAVE_SECONDS", 5, minimum=1)
# Identities may use any From address (true: only if the SMTP server checks senders itself), or
# only the sign-in address and the allowed aliases (false). The envelope sender is always the sign-in address.
WEBMAIL_IDENTITY_ANY_ADDRESS = env_bool("WEBMAIL_IDENTITY_ANY_ADDRESS", False)
# Aliases (addresses or patterns like *@example.com, {local}@alias.example) allowed as From for people
# whose domain has no server profile; a profile has its own list ("allowed sender addresses").
WEBMAIL_ALLOWED_SENDERS = env_list("WEBMAIL_ALLOWED_SENDERS", "")
# Unsent compose sessions (and their uploads) untouched this long are removed.
WEBMAIL_COMPOSE_RETENTION_DAYS = env_int("WEBMAIL_COMPOSE_RETENTION_DAYS", 7, minimum=1)
