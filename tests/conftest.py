from __future__ import annotations

import os

import pytest

REQUIRED = ("WEBMAIL_IMAP_PORT", "MAILSTACK_DOVECOT_LOG", "WEBMAIL_CREDENTIALS_KEY", "REDIS_URL")


def pytest_configure(config: pytest.Config) -> None:
    missing = [name for name in REQUIRED if not os.environ.get(name)]
    if missing:
        raise pytest.UsageError(f"run the suite with `bash scripts/test.sh` (it starts the mail stack); missing: {', '.join(missing)}")


@pytest.fixture(scope="session", autouse=True)
def _clean_test_redis() -> None:
    from webmail.redis_client import get_redis

    get_redis().flushdb()


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
