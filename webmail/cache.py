"""Django's Redis cache, with one redis-py client per connection pool.

Django's client builds a new `redis.Redis` for every cache call, and that
constructor (it fills the response-callback tables) costs more than a GET on
loopback. redis-py clients are safe to share between threads: connections are
taken from the pool per command, and the pool notices a fork by itself.
"""
from __future__ import annotations

import threading
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}
        self._clients_lock = threading.Lock()

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]  # Django internals django-stubs leaves out
        client = self._clients.get(id(pool))
        if client is None:
            with self._clients_lock:
                client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))  # type: ignore[attr-defined]  # as above
        return client


class SharedClientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient


class OptionalCache:
    """The shared cache for what only saves work (sorted UIDs, kept pages, threads, previews,
    the quota): with Redis down a read is a miss and a write is skipped, so reading mail goes
    on without Redis (the outage page is for what cannot: actions, sending, sign-in limits).
    Same methods as Django's cache, for the ones used."""

    def _tolerant(self, call: Any, default: Any) -> Any:
        import redis

        try:
            return call()
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError):
            return default

    def get(self, key: str, default: Any = None) -> Any:
        from django.core.cache import cache

        return self._tolerant(lambda: cache.get(key, default), default)

    def get_many(self, keys: list[str]) -> dict[str, Any]:
        from django.core.cache import cache

        found: dict[str, Any] = self._tolerant(lambda: cache.get_many(keys), {})
        return found

    def set(self, key: str, value: Any, timeout: float | None = None) -> None:
        from django.core.cache import cache

        self._tolerant(lambda: cache.set(key, value, timeout), None)

    def set_many(self, data: dict[str, Any], timeout: float | None = None) -> None:
        from django.core.cache import cache

        self._tolerant(lambda: cache.set_many(data, timeout), None)

    def delete(self, key: str) -> None:
        from django.core.cache import cache

        self._tolerant(lambda: cache.delete(key), None)


optional_cache = OptionalCache()
