from __future__ import annotations

import os

import pytest
from hypothesis import settings as hypothesis_settings

REQUIRED = ("WEBMAIL_IMAP_PORT", "MAILSTACK_DOVECOT_LOG", "WEBMAIL_CREDENTIALS_KEY", "REDIS_URL")

# Hypothesis: no example database anywhere (a run does not depend on what earlier runs found
# in .hypothesis/), and in CI a fixed derivation of the examples from each test, so a CI run is
# reproducible; locally every run explores new examples and prints how to replay a failure.
hypothesis_settings.register_profile("ci", database=None, derandomize=True, print_blob=True)
hypothesis_settings.register_profile("dev", database=None, print_blob=True)


def hypothesis_profile_name(environ: os._Environ[str] | dict[str, str]) -> str:
    """HYPOTHESIS_PROFILE if set, else "ci" when the CI variable says so, else "dev"."""
    if environ.get("HYPOTHESIS_PROFILE"):
        return environ["HYPOTHESIS_PROFILE"]
    return "ci" if environ.get("CI", "").lower() not in ("", "0", "false", "no") else "dev"


hypothesis_settings.load_profile(hypothesis_profile_name(os.environ))


def pytest_configure(config: pytest.Config) -> None:
    missing = [name for name in REQUIRED if not os.environ.get(name)]
    if missing:
        raise pytest.UsageError(f"run the suite with `bash scripts/test.sh` (it starts the mail stack); missing: {', '.join(missing)}")


SESSION_MAIL_USERS: list[str] = []


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef: pytest.FixtureDef, request: pytest.FixtureRequest):
    """Mail users a session-scoped fixture makes live as long as the session, not as the module
    that happened to use the fixture first."""
    from tests.support import CREATED_MAIL_USERS

    before = len(CREATED_MAIL_USERS)
    yield
    if fixturedef.scope == "session" and len(CREATED_MAIL_USERS) > before:
        SESSION_MAIL_USERS.extend(CREATED_MAIL_USERS[before:])
        del CREATED_MAIL_USERS[before:]


@pytest.fixture(scope="session", autouse=True)
def _remove_session_mail_users():
    """Mail users of session fixtures, or made at collection, are deleted at the end."""
    from tests.support import CREATED_MAIL_USERS, remove_mail_users_since, remove_reserved_mail_users

    yield
    CREATED_MAIL_USERS.extend(SESSION_MAIL_USERS)
    SESSION_MAIL_USERS.clear()
    remove_mail_users_since(0)
    remove_reserved_mail_users()


@pytest.fixture(scope="module", autouse=True)
def _remove_module_mail_users(_remove_session_mail_users):
    """A module's mail users and their mail are deleted when it ends (otherwise var/ grows by
    every test run). Autouse, so set up before the module's own fixtures and torn down after
    them."""
    from tests.support import CREATED_MAIL_USERS, remove_mail_users_since

    mark = len(CREATED_MAIL_USERS)
    yield
    remove_mail_users_since(mark)


@pytest.fixture(scope="session", autouse=True)
def _clean_test_redis() -> None:
    from webmail.redis_client import get_redis

    get_redis().flushdb()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request the test client served in German
    left German active in this thread (Django's LocaleMiddleware does not reset it)."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_pool_and_cache():
    """Each test starts with an empty pool and cache (counts and budgets are per test)."""
    from django.core.cache import cache

    from mailview.imap import reset_pool_for_tests

    reset_pool_for_tests()
    cache.clear()
    yield
    reset_pool_for_tests()


@pytest.fixture
def client():
    from tests.support import RawUriClient

    return RawUriClient()


@pytest.fixture
def mail_user():
    from tests.support import new_mail_user

    return new_mail_user("alice")


@pytest.fixture
def other_mail_user():
    from tests.support import new_mail_user

    return new_mail_user("bob")


@pytest.fixture
def signed_in(client, mail_user, db):
    response = client.post("/accounts/login/", {"email": mail_user.email, "password": mail_user.password})
    assert response.status_code == 302, response.content[:500]
    return client


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker):
    """A real Celery worker on the test database, for the whole session."""
    from django.conf import settings

    from tests.support import CeleryWorker

    worker = CeleryWorker(settings.DATABASES["default"]["NAME"])
    worker.start()
    try:
        yield worker
    finally:
        worker.stop()


@pytest.fixture(scope="session")
def watcher_process(django_db_setup, django_db_blocker):
    """A real watcher (`manage.py watch_mailboxes`) on the test database, for the whole session:
    it watches every person marked present (open event streams) and requests syncs by Celery."""
    from django.conf import settings

    from tests.support import WatcherProcess

    watcher = WatcherProcess(settings.DATABASES["default"]["NAME"])
    watcher.start()
    try:
        yield watcher
    finally:
        watcher.stop()


@pytest.fixture(scope="session")
def event_server(django_db_setup, django_db_blocker):
    """The event server (`uvicorn webmail.asgi:application`, `/events/`) on the test database,
    for the whole session, on WEBMAIL_EVENTS_PORT (default 31082); CORS for the browser tests'
    web origin. Yields the `tests.support.EventServer` (`.url` is the events URL)."""
    from django.conf import settings

    from tests.support import EventServer

    port = int(os.environ.get("WEBMAIL_EVENTS_PORT", "31082"))
    web_port = os.environ.get("WEBMAIL_TEST_HTTP_PORT", "21080")
    server = EventServer(
        settings.DATABASES["default"]["NAME"], port,
        allowed_origins=(f"http://127.0.0.1:{web_port}", f"http://localhost:{web_port}"),
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()
