"""A big folder's threads, built in the background instead of in a web request.

A whole-folder `UID THREAD REFERENCES` costs about a second on a warm 100k-message folder and
more than the IMAP timeout on a cold one (the server reads every message's References first);
the header-based build where THREAD is not advertised costs more. So when a folder's threads
are not kept and it has more than `WEBMAIL_THREADS_INLINE_LIMIT` messages, the list shows the
folder flat with a notice and asks for a build here:

- `threads_build_request` (the list or conversation page, after rendering): one build per
  folder at a time, by a Redis lock (`SET NX` with an expiry, so a worker that dies lets go);
  queues the Celery task through the `enqueue` it is handed.
- `threads_build_run` (the task): the build with a long, bounded IMAP timeout, kept where the
  pages read it (`conversations.folder_threads`).
- `threads_build_done` publishes `threads_ready` on the person's channel (an open list reloads
  into conversations) and lets go of the lock; `threads_build_failed` keeps the lock for a
  backoff that doubles per failure (60 s up to an hour), so the next build is asked for by a
  page after that, never in a loop; the flat list works meanwhile.
"""
from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

from redis.exceptions import RedisError

from mailview.imap.connection import ImapConnection
from mailview.services.live import events
from mailview.services.reading.conversations import FolderThreads, _folder_key, folder_threads
from webmail.redis_client import get_redis, key_prefix

log = logging.getLogger(__name__)

BACKOFF_SECONDS = 60  # after the first failure; doubles per failure
BACKOFF_MAX_SECONDS = 3600
FAILURES_KEPT_SECONDS = 24 * 3600


def _lock_key(user_pk: int, folder: str) -> str:
    return f"{key_prefix()}:threads:building:{_folder_key(str(int(user_pk)), folder)}"


def _failures_key(user_pk: int, folder: str) -> str:
    return f"{key_prefix()}:threads:failures:{_folder_key(str(int(user_pk)), folder)}"


def lock_seconds(build_seconds: int) -> int:
    """How long a build holds its folder's lock at most: its IMAP timeout, with room for the
    queue and the login (a worker that died lets go after this)."""
    return int(build_seconds) + 120


def threads_build_request(*, user_pk: int, folder: str, enqueue: Callable[..., object], build_seconds: int) -> bool:
    """Queue one background build of the folder's threads, unless one is queued or running
    (or waiting out the backoff after a failure). True when this call queued it.
    `enqueue` is the task's `apply_async` (called with `kwargs=`)."""
    token = uuid.uuid4().hex
    key = _lock_key(user_pk, folder)
    try:
        redis: Any = get_redis()
        if not redis.set(key, token, nx=True, ex=lock_seconds(build_seconds)):
            return False
    except RedisError as exc:
        log.warning("threads of a folder not queued for building (Redis): %s", exc)
        return False
    try:
        enqueue(kwargs={"user_id": int(user_pk), "folder": folder, "token": token})
    except Exception:  # the broker is down: the flat list still works; the next page asks again
        log.warning("could not queue the threads build for user %s", user_pk, exc_info=True)
        _release(key, token)
        return False
    return True


def threads_build_run(*, imap: ImapConnection, user_pk: int, folder: str, build_seconds: int) -> FolderThreads:
    """Build (or bring up to date) and keep the folder's threads, each IMAP command allowed
    `build_seconds`. Needs a checked-out connection (the worker's). Safe to run twice: a second
    run finds them kept."""
    with imap.slow_commands(build_seconds):
        selected = imap.select(folder, readonly=True, refresh=True)
        return folder_threads(imap=imap, user_key=str(int(user_pk)), selected=selected)


def threads_build_done(*, user_pk: int, folder: str, token: str, uidvalidity: int) -> None:
    """The build is kept: tell the person's open pages, forget past failures, let go of the lock."""
    try:
        redis: Any = get_redis()
        redis.delete(_failures_key(user_pk, folder))
        events.publish(int(user_pk), "threads_ready", {"folder": folder, "uidvalidity": int(uidvalidity)})
    except RedisError as exc:
        log.warning("threads built, but not announced: %s", exc)
    _release(_lock_key(user_pk, folder), token)


def threads_build_failed(*, user_pk: int, folder: str, token: str) -> int:
    """The build failed: the lock is kept for a backoff (60 s, doubling per failure, at most an
    hour), so no page asks again before; returns the backoff in seconds."""
    try:
        redis: Any = get_redis()
        failures_key = _failures_key(user_pk, folder)
        failures = int(redis.incr(failures_key))
        redis.expire(failures_key, FAILURES_KEPT_SECONDS)
        backoff = min(BACKOFF_MAX_SECONDS, BACKOFF_SECONDS * 2 ** min(failures - 1, 16))
        key = _lock_key(user_pk, folder)
        if _text(redis.get(key)) in (token, ""):
            redis.set(key, token, ex=backoff)
        return int(backoff)
    except RedisError as exc:
        log.warning("threads build failure not recorded: %s", exc)
        return 0


def threads_build_pending(*, user_pk: int, folder: str) -> bool:
    """A build of the folder's threads is queued or running (or waits out a backoff)."""
    try:
        return bool(get_redis().exists(_lock_key(user_pk, folder)))
    except RedisError:
        return False


def _release(key: str, token: str) -> None:
    """Let go of the lock if it is still this build's (one that expired may be another's now)."""
    try:
        redis: Any = get_redis()
        if _text(redis.get(key)) == token:
            redis.delete(key)
    except RedisError as exc:
        log.warning("threads build lock not released (it expires): %s", exc)


def _text(value: bytes | str | None) -> str:
    if value is None:
        return ""
    return value.decode() if isinstance(value, bytes) else value
