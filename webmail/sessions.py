"""Sessions read from Redis and written through to the database, that survive Redis going away.

Django's `cached_db` already writes every session to the database; this store also reads it
from there whenever the cache fails (and skips the cache while this process knows Redis is
down), so signing in and staying signed in never depend on Redis.

A session changed or ended while Redis was unreachable leaves an old copy in the cache. The
process remembers those keys, never reads them from the cache, and deletes them there once
Redis answers again, so a sign-out during an outage is not undone when Redis comes back.
"""
from __future__ import annotations

import threading
from typing import Any

from asgiref.sync import sync_to_async
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDbStore
from django.core.cache.backends.base import BaseCache

from webmail.outage import REDIS_ERRORS, redis_health

_stale: set[str] = set()  # cache keys whose cached copy may be older than the database's
_stale_lock = threading.Lock()


def _mark_stale(cache_key: str) -> None:
    with _stale_lock:
        _stale.add(cache_key)


def _forget_stale() -> None:
    """Delete the old cached copies as soon as this process sees Redis back."""
    if _stale:
        SessionStore()._cache_usable()  # noqa: SLF001 - our own subclass below


class SessionStore(CachedDbStore):
    # Set by Django's cached_db store; its stubs leave these private members out.
    _cache: BaseCache

    def _cache_usable(self) -> bool:
        if redis_health.is_down():
            return False
        if _stale:
            with _stale_lock:
                keys = list(_stale)
            try:
                self._cache.delete_many(keys)
            except REDIS_ERRORS as exc:
                redis_health.failed(exc)
                return False
            with _stale_lock:
                _stale.difference_update(keys)
        return True

    def load(self) -> dict[str, Any]:
        key = self.cache_key
        data = None
        if self._cache_usable():
            try:
                data = self._cache.get(key)
            except REDIS_ERRORS as exc:
                redis_health.failed(exc)
            except Exception:  # noqa: BLE001 - as Django: an invalid key resets the session
                data = None
        if data is not None:
            return data
        s = self._get_session_from_db()  # type: ignore[attr-defined]  # the database store's, not in the stubs
        if not s:
            return {}
        data = self.decode(s.session_data)
        self._cache_set(key, data, self.get_expiry_age(expiry=s.expire_date))
        return data

    async def aload(self) -> dict[str, Any]:
        # The event server (ASGI) reads sessions with `await request.auser()`: the same load,
        # with its outage handling, not cached_db's own async one.
        return await sync_to_async(self.load)()

    def exists(self, session_key: str | None) -> bool:
        if session_key and self._cache_usable():
            try:
                if (self.cache_key_prefix + session_key) in self._cache:
                    return True
            except REDIS_ERRORS as exc:
                redis_health.failed(exc)
        return session_key is not None and super(CachedDbStore, self).exists(session_key)

    def save(self, must_create: bool = False) -> None:
        super(CachedDbStore, self).save(must_create)  # the database: what counts
        self._cache_set(self.cache_key, self._session, self.get_expiry_age())  # type: ignore[attr-defined]  # SessionBase._session, not in the stubs

    def delete(self, session_key: str | None = None) -> None:
        super(CachedDbStore, self).delete(session_key)
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        key = self.cache_key_prefix + session_key
        if not self._cache_usable():
            _mark_stale(key)
            return
        try:
            self._cache.delete(key)
        except REDIS_ERRORS as exc:
            redis_health.failed(exc)
            _mark_stale(key)

    def _cache_set(self, key: str, data: dict[str, Any], timeout: int) -> None:
        if not self._cache_usable():
            _mark_stale(key)
            return
        try:
            self._cache.set(key, data, timeout)
        except REDIS_ERRORS as exc:
            redis_health.failed(exc)
            _mark_stale(key)


redis_health.on_recovered(_forget_stale)
