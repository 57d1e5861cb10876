"""The one door to IMAP: the session pool and typed connections.

    from mailview.imap import get_pool
    with get_pool().session(request.user) as imap:
        imap.list_folders()
"""
from __future__ import annotations

import os
import threading

from .connection import Credentials, ServerEndpoint, verify_login
from .errors import (
    ImapAuthenticationError,
    ImapConnectionError,
    ImapError,
    ImapProtocolError,
    ImapServerBusy,
    InvalidImapInput,
    MailboxNotFound,
    MessageNotFound,
    NoStoredCredentials,
    PoolTimeout,
)
from .pool import SessionPool

__all__ = [
    "get_pool",
    "verify_login",
    "Credentials",
    "ServerEndpoint",
    "ImapAuthenticationError",
    "ImapConnectionError",
    "ImapError",
    "ImapProtocolError",
    "ImapServerBusy",
    "InvalidImapInput",
    "MailboxNotFound",
    "MessageNotFound",
    "NoStoredCredentials",
    "PoolTimeout",
    "SessionPool",
    "reset_pool_for_tests",
]

_pool: SessionPool | None = None
_pool_pid: int | None = None
_lock = threading.Lock()


def get_pool() -> SessionPool:
    """This process's pool, built from settings on first use (and anew after a fork)."""
    global _pool, _pool_pid
    if _pool is not None and _pool_pid == os.getpid():
        return _pool
    with _lock:
        if _pool is None or _pool_pid != os.getpid():
            _pool = _build_pool()
            _pool_pid = os.getpid()
    return _pool


def _build_pool() -> SessionPool:
    from django.conf import settings

    from accounts.services import imap_credentials_for
    from webmail.redis_client import get_redis, key_prefix

    from .budget import ConnectionBudget

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
    )


def reset_pool_for_tests() -> None:
    """Close and forget this process's pool (tests change settings between cases)."""
    global _pool
    with _lock:
        if _pool is not None:
            _pool.close_all()
        _pool = None
