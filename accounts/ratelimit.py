"""Sign-in rate limits: failures counted per client IP and per address, in Redis.

A fixed window per key (INCR + EXPIRE on the first failure): simple, shared by
every process, and the remaining TTL tells the user when to try again.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings

from webmail.redis_client import get_redis, key_prefix

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limited:
    retry_after: int  # seconds


def _keys(ip: str, email: str) -> list[tuple[str, int]]:
    # Hash the address: the key names of Redis should not be a list of users' addresses.
    address = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    return [
        (f"{key_prefix()}:login-fail:ip:{ip}", settings.WEBMAIL_LOGIN_FAILURES_PER_IP),
        (f"{key_prefix()}:login-fail:addr:{address}", settings.WEBMAIL_LOGIN_FAILURES_PER_ADDRESS),
    ]


def login_limited(*, ip: str, email: str) -> Limited | None:
    """Whether this IP or address has used up its failures in the current window."""
    try:
        r = get_redis()
        pipe = r.pipeline()
        keys = _keys(ip, email)
        for key, _ in keys:
            pipe.get(key)
            pipe.ttl(key)
        values = pipe.execute()
    except Exception:  # noqa: BLE001 - fail open: a Redis outage must not lock everyone out
        log.exception("rate limit store unavailable")
        return None
    worst = 0
    for index, (_, limit) in enumerate(keys):
        count, ttl = values[2 * index], values[2 * index + 1]
        if count is not None and int(count) >= limit:
            worst = max(worst, int(ttl) if ttl and ttl > 0 else settings.WEBMAIL_LOGIN_WINDOW)
    return Limited(retry_after=worst) if worst else None


def login_failed(*, ip: str, email: str) -> None:
    try:
        pipe = get_redis().pipeline()
        for key, _ in _keys(ip, email):
            pipe.incr(key)
            pipe.expire(key, settings.WEBMAIL_LOGIN_WINDOW, nx=True)
        pipe.execute()
    except Exception:  # noqa: BLE001
        log.exception("rate limit store unavailable")


def login_succeeded(*, ip: str, email: str) -> None:
    """A success clears the address's count (not the IP's: one IP may try many addresses)."""
    try:
        get_redis().delete(_keys(ip, email)[1][0])
    except Exception:  # noqa: BLE001
        log.exception("rate limit store unavailable")
