"""Each folder's state as the last sync saw it, in Redis: what the next sync compares with,
and what pages may use instead of asking the server while the person is watched.

One hash per person, `<prefix>:live:state:<user_pk>`, a field per folder (its IMAP name)
holding a `FolderState` as JSON. Only `services.live.sync` writes it: the state is the
baseline of the events already published, so a page must never write it.

A second hash, `<prefix>:live:changed:<user_pk>`, names the folders this webmail has just
changed (a filing action, an undo, a snooze) and when, by Redis's clock: until a sync that began
after that moment has saved them, their kept state is not trusted, so a page loaded right
after "done" (a reload after undo) asks the server instead of showing the folder as it was.
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


def folder_states_save(
    *, user_pk: int, states: list[FolderState], forget: list[str] | None = None, synced_since: int | None = None
) -> None:
    """Keep the synced `states` (and drop `forget`). `synced_since`: when the sync began
    (`redis_clock`); the folders it saved that were marked changed before then are trusted again."""
    redis: Any = get_redis()
    key = _key(user_pk)
    pipe = redis.pipeline()
    if states:
        pipe.hset(key, mapping={s.folder: s.as_json() for s in states})
    if forget:
        pipe.hdel(key, *forget)
    pipe.expire(key, STATE_TTL)
    saved = [s.folder for s in states] + list(forget or [])
    if synced_since is not None and saved:
        pipe.eval(_CLEAR_CHANGED, 1, _changed_key(user_pk), str(synced_since), *saved)
    pipe.execute()


def folder_states_forget(*, user_pk: int) -> None:
    get_redis().delete(_key(user_pk))


def _changed_key(user_pk: int) -> str:
    return f"{key_prefix()}:live:changed:{int(user_pk)}"


# A folder marked changed whose sync never comes (the broker down) is trusted again after this:
# meanwhile its pages ask the server, which is only slower.
CHANGED_TTL = 300

# Marks folders changed now, by Redis's clock in microseconds (one clock for every worker).
_MARK_CHANGED = """
local t = redis.call('TIME')
local now = t[1] .. string.format('%06d', tonumber(t[2]))
for i = 2, #ARGV do redis.call('HSET', KEYS[1], ARGV[i], now) end
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[1]))
return now
"""

# Unmarks the folders whose mark is not newer than ARGV[1] (the sync saw their change).
_CLEAR_CHANGED = """
local since = tonumber(ARGV[1])
for i = 2, #ARGV do
  local mark = redis.call('HGET', KEYS[1], ARGV[i])
  if mark and tonumber(mark) <= since then redis.call('HDEL', KEYS[1], ARGV[i]) end
end
return 0
"""


def redis_clock() -> int:
    """Now by Redis's clock, in microseconds: what a sync records as its start, before it asks
    the server anything (`folder_states_save(synced_since=...)`)."""
    seconds, micros = get_redis().time()
    return int(seconds) * 1_000_000 + int(micros)


def folder_states_changed(*, user_pk: int, folders: list[str]) -> None:
    """This webmail has just changed `folders` on the server (call it after the change, before
    the action reports done): pages stop trusting their kept state until a sync that began after
    now has saved it. Redis down: nothing is marked (the pages are then not watched anyway)."""
    names = [name for name in dict.fromkeys(folders) if name]
    if not names:
        return
    try:
        get_redis().eval(_MARK_CHANGED, 1, _changed_key(user_pk), str(CHANGED_TTL), *names)
    except RedisError:
        log.warning("could not mark folders of user %s changed", user_pk, exc_info=True)


def folder_states_trusted(*, user_pk: int) -> dict[str, FolderState] | None:
    """The kept states a page may use instead of asking the server: None unless a watcher
    watches the person now; then only states synced under the current watch (older ones
    may have missed changes made while nobody watched) and not changed by this webmail since
    (`folder_states_changed`)."""
    try:
        # One round trip for the mark and the states (every watched page asks this).
        pipe = get_redis().pipeline(transaction=False)
        pipe.get(events.watched_key(user_pk))
        pipe.hgetall(_key(user_pk))
        pipe.hkeys(_changed_key(user_pk))
        raw_token, raw_states, raw_changed = pipe.execute()
    except RedisError:
        return None  # Redis is down: the page asks the server, as it does unwatched
    if raw_token is None:
        return None
    token = raw_token.decode() if isinstance(raw_token, bytes) else str(raw_token)
    # Changed by this webmail since their last sync: the kept state is behind the server.
    changed = {name.decode() if isinstance(name, bytes) else str(name) for name in raw_changed or ()}
    return {name: state for name, state in _parse_states(raw_states).items() if state.watch == token and name not in changed}


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
