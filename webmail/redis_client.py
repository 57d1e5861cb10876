"""One Redis client per process for the pieces that need raw Redis (pool budget, rate limits)."""
from __future__ import annotations

import os
import threading

import redis
from django.conf import settings

_client: redis.Redis | None = None
_pid: int | None = None
_lock = threading.Lock()


def get_redis() -> redis.Redis:
    global _client, _pid
    with _lock:
        if _client is None or _pid != os.getpid():
            _client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=5, socket_connect_timeout=5)
            _pid = os.getpid()
        return _client


def key_prefix() -> str:
    return str(settings.CACHES["default"].get("KEY_PREFIX") or "webmail")
