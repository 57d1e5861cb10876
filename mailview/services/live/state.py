"""Each folder's state as the last sync saw it, in Redis: what the next sync compares with,
and what pages may use instead of asking the server while the person is watched.

One hash per person, `<prefix>:live:state:<user_pk>`, a field per folder (its IMAP name)
holding a `FolderState` as JSON. Only `services.live.sync` writes it: the state is the
baseline of the events already published, so a page must never write it.
"""
from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from redis.exceptions import RedisError

from webmail.redis_client import get_redis, key_prefix

from . import events

log = logging.getLogger(__name__)

# Kept this long after the last sync; a person who comes back later starts with a silent first sync.
STATE_TTL = 7 * 24 * 3600


@dataclass(frozen=True)
class FolderState:
    folder: str
    uidvalidity: int
    uidnext: int
    highestmodseq: int | None  # None where the server has no CONDSTORE
    messages: int
    unseen: int
    watch: str | None = None  # the watch token (events.watch_token) this was synced under
    synced_at: float = 0.0
    # Without CONDSTORE only: UID → flags of the newest messages (the first page), to tell
    # what changed there; with CONDSTORE HIGHESTMODSEQ says it.
    top: dict[int, list[str]] = field(default_factory=dict)

    def as_json(self) -> str:
        data = asdict(self)
        data["top"] = {str(uid): flags for uid, flags in self.top.items()}
        return json.dumps(data, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str | bytes) -> FolderState:
        data: dict[str, Any] = json.loads(text)
        data["top"] = {int(uid): list(flags) for uid, flags in (data.get("top") or {}).items()}
        return cls(**data)

    @property
    def cache_token(self) -> str:
        """Changes whenever the folder's content or flags change (the sort cache's key)."""
        return f"{self.uidvalidity}-{self.uidnext}-{self.messages}-{self.highestmodseq or 0}-{self.unseen}"


def _key(user_pk: int) -> str:
    return f"{key_prefix()}:live:state:{int(user_pk)}"


def folder_states(*, user_pk: int) -> dict[str, FolderState]:
    """Every kept folder state of the person (no trust implied: see `folder_states_trusted`)."""
    redis: Any = get_redis()
    return _parse_states(redis.hgetall(_key(user_pk)))


def _parse_states(raw: Any) -> dict[str, FolderState]:
    out: dict[str, FolderState] = {}
    for name, value in (raw or {}).items():
        try:
            state = FolderState.from_json(value)
        except (ValueError, TypeError, KeyError):
            continue  # written by another version: the next sync starts that folder afresh
        out[name.decode() if isinstance(name, bytes) else str(name)] = state
    return out


def folder_states_save(*, user_pk: int, states: list[FolderState], forget: list[str] | None = None) -> None:
    redis: Any = get_redis()
    key = _key(user_pk)
    pipe = redis.pipeline()
    if states:
        pipe.hset(key, mapping={s.folder: s.as_json() for s in states})
    if forget:
        pipe.hdel(key, *forget)
    pipe.expire(key, STATE_TTL)
    pipe.execute()


def folder_states_forget(*, user_pk: int) -> None:
    get_redis().delete(_key(user_pk))


def folder_states_trusted(*, user_pk: int) -> dict[str, FolderState] | None:
    """The kept states a page may use instead of asking the server: None unless a watcher
    watches the person now; then only states synced under the current watch (older ones
    may have missed changes made while nobody watched)."""
    try:
        # One round trip for the mark and the states (every watched page asks this).
        pipe = get_redis().pipeline(transaction=False)
        pipe.get(events.watched_key(user_pk))
        pipe.hgetall(_key(user_pk))
        raw_token, raw_states = pipe.execute()
    except RedisError:
        return None  # Redis is down: the page asks the server, as it does unwatched
    if raw_token is None:
        return None
    token = raw_token.decode() if isinstance(raw_token, bytes) else str(raw_token)
    return {name: state for name, state in _parse_states(raw_states).items() if state.watch == token}


def folder_states_read(known: dict[str, FolderState], *, folder: str, count: int) -> dict[str, FolderState]:
    """`known` as it is once `count` unread messages of `folder` were marked read by this
    request (opening a message): what a page shows right away; the kept state itself changes
    only with the sync that follows."""
    state = known.get(folder)
    if state is None or count <= 0:
        return known
    return {**known, folder: replace(state, unseen=max(0, state.unseen - count))}


# A page asks for the missing states at most this often per person (the sync takes a moment).
PRIME_EVERY_SECONDS = 20


def folder_states_prime(*, user_pk: int, folders: list[str], enqueue: Callable[..., Any]) -> bool:
    """Queue a sync of folders a watched person's page found without trusted state (never
    synced, or synced before this watch began), so the next pages can use it. At most once
    per `PRIME_EVERY_SECONDS`; `enqueue` is the sync task's `apply_async`. Returns whether
    it queued one."""
    if not folders:
        return False
    redis: Any = get_redis()
    if not redis.set(f"{key_prefix()}:live:prime:{int(user_pk)}", "1", ex=PRIME_EVERY_SECONDS, nx=True):
        return False
    try:
        enqueue(kwargs={"user_id": int(user_pk), "folders": list(folders), "reason": "prime"})
    except Exception:  # the broker is down: the page was served the usual way anyway
        log.warning("could not queue a live sync for user %s", user_pk, exc_info=True)
        return False
    return True


def now() -> float:
    return time.time()
