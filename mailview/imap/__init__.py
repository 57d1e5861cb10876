"""The one door to IMAP: the session pool and typed connections.

    from mailview.imap import get_pool
    with get_pool().session(request.user) as imap:
        imap.list_folders()
"""
from __future__ import annotations

import os
import threading
from collections.abc import Callable

from .connection import Credentials, ServerEndpoint, verify_login
from .errors import (
    ImapAuthenticationError,
    ImapConnectionError,
    ImapError,
    ImapProtocolError,
    ImapResponseTooLarge,
    ImapServerBusy,
    ImapTimeout,
    InvalidImapInput,
    MailboxNotFound,
    MessageNotFound,
    NoStoredCredentials,
    PoolBusy,
    PoolTimeout,
)
from .pool import SessionPool, originating_ip

__all__ = [
    "get_pool",
    "install_pool_factory",
    "verify_login",
    "Credentials",
    "ServerEndpoint",
    "ImapAuthenticationError",
    "ImapConnectionError",
    "ImapError",
    "ImapProtocolError",
    "ImapResponseTooLarge",
    "ImapServerBusy",
    "ImapTimeout",
    "InvalidImapInput",
    "MailboxNotFound",
    "MessageNotFound",
    "NoStoredCredentials",
    "PoolBusy",
    "PoolTimeout",
    "SessionPool",
    "originating_ip",
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


PoolFactory = Callable[[], SessionPool]
_factory: PoolFactory | None = None


def install_pool_factory(factory: PoolFactory) -> None:
    """How this process builds its pool (settings, credentials, budget): the app's wiring
    (`mailview.wiring`, run by `MailviewConfig.ready()`) installs it, so this package
    imports no app code. A pool built by an earlier factory is closed and forgotten."""
    global _factory
    _factory = factory
    reset_pool_for_tests()


def _build_pool() -> SessionPool:
    if _factory is None:
        raise RuntimeError("no IMAP pool factory installed: Django's app registry runs mailview.wiring.wire() (MailviewConfig.ready)")
    return _factory()


def reset_pool_for_tests() -> None:
    """Close and forget this process's pool (tests change settings between cases)."""
    global _pool
    with _lock:
        if _pool is not None:
            _pool.close_all()
        _pool = None
