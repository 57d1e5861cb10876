"""The app wires its layers together here, once, at start-up (`MailviewConfig.ready()`).

The low layers take what they need as arguments and import no app code: the IMAP pool
gets its settings, its cross-process budget (Redis) and a `credentials_for` callable
(the accounts app's stored credentials); the IMAP layer's time goes to the request's
Server-Timing record. This module is the one place that knows both sides.
"""
from __future__ import annotations

from django.conf import settings

from mailview.imap import SessionPool, install_pool_factory
from mailview.imap.budget import ConnectionBudget
from mailview.imap.connection import install_partial_refusal_store
from mailview.imap.timing import install_timer
from webmail.timing import timed


def build_pool() -> SessionPool:
    """This process's IMAP session pool, from settings (called on first use, and after a fork)."""
    from accounts.services import imap_credentials_for
    from webmail.outage import redis_health
    from webmail.redis_client import get_redis, key_prefix

    budget = ConnectionBudget(
        get_redis(),
        limit=settings.WEBMAIL_POOL_PER_USER_TOTAL,
        prefix=f"{key_prefix()}:imap",
    )
    return SessionPool(
        credentials_for=imap_credentials_for,
        budget=budget,
        per_process=settings.WEBMAIL_POOL_PER_PROCESS,
        max_open=settings.WEBMAIL_POOL_MAX_OPEN,
        idle_timeout=settings.WEBMAIL_POOL_IDLE_TIMEOUT,
        noop_after=settings.WEBMAIL_POOL_NOOP_AFTER,
        wait_timeout=settings.WEBMAIL_POOL_WAIT_TIMEOUT,
        max_waiters=settings.WEBMAIL_POOL_MAX_WAITERS,
        budget_down=redis_health.failed,
        budget_up=redis_health.recovered,
    )


def _partial_refusals_key() -> str:
    from webmail.redis_client import key_prefix

    return f"{key_prefix()}:imap:partial-sort-refused"


def _partial_refused(endpoint: str) -> bool:
    from webmail.redis_client import get_redis

    return bool(get_redis().sismember(_partial_refusals_key(), endpoint))


def _partial_refused_remember(endpoint: str) -> None:
    from webmail.redis_client import get_redis

    get_redis().sadd(_partial_refusals_key(), endpoint)


def wire() -> None:
    """Plug the app into its low layers (idempotent)."""
    install_pool_factory(build_pool)
    install_timer(timed)
    # Servers that refuse SORT RETURN (PARTIAL): remembered by every process together.
    install_partial_refusal_store(_partial_refused, _partial_refused_remember)
