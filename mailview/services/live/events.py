"""Each person's event channel and presence, in Redis: the contract of the live mailbox.

Producers (the sync task, filing tasks, the watcher) call `publish`; the event server
(`/events/`, ASGI) forwards events to every open tab of the person as Server-Sent Events.

- **Stream** `<prefix>:live:events:<user_pk>`: every event, capped at `STREAM_LENGTH`
  entries. The stream entry id is the SSE event id, so a browser that reconnects with
  `Last-Event-ID` gets what it missed from `events_after` (XRANGE); when its id is older
  than the stream's oldest entry, `events_after` returns None and the tab must resync.
- **Channel** `<prefix>:live:channel:<user_pk>`: the same event, as JSON
  `{"id": …, "kind": …, "data": …}`, published after XADD, for event servers to push
  at once (subscribe to `channel_pattern()`). A server subscribes first, then catches
  up from the stream, and drops ids it has already sent (ids increase).
- **Watched**: `<prefix>:live:watched:<user_pk>` exists (with a TTL the watcher renews)
  while a watcher's IMAP connection for the person is up and waiting for changes
  (NOTIFY/IDLE). While it exists, the folder state that sync keeps in Redis is current
  (up to the push delay), so pages may use it instead of asking the server.
- **Presence**: a sorted set `<prefix>:live:present` of user pks scored by the time
  their presence expires. Event servers call `mark_present` for every person with an
  open stream at least every `PRESENCE_TTL / 3` seconds; watchers watch `present_users()`.

Sync is requested through the Celery task named `mailview.sync_folders` with kwargs
`user_id` (int), `folders` (list of IMAP names) and `reason` (str); the watcher sends it by
name (`send_task`), so it needs no import of the task module.

Event kinds and their data (all folder names are IMAP names, UIDs ints):
- `rows_added`: {"folder", "uidvalidity", "rows": [{"uid", "html", "date", "arrival"}]}
  — `html` is one list row (`<tr>`) rendered by `templatetags.mail_list.message_rows`;
  `date`/`arrival` are Unix seconds for placing the row in the open list's sort.
- `flags`: {"folder", "uidvalidity", "changes": [{"uid", "seen", "flagged", "answered", "labels": [..]}]}
- `vanished`: {"folder", "uidvalidity", "uids": [..]}
- `counts`: {"folders": {name: {"messages", "unseen"}}}
- `folders`: {} — the folder tree changed (created, renamed, deleted): refetch it.
- `resync`: {"folder": name or None} — state was lost (server restart, UIDVALIDITY
  change, too many changes, a gap): refetch what is shown.
- `threads_ready`: {"folder", "uidvalidity"} — the folder's conversations were built in the
  background (`services/reading/thread_building.py`): a list showing that folder flat while
  they were prepared reloads into conversations.
- `signed_out`: {} — the person signed out (their stored mail password is gone, so no tab
  of theirs can read mail any more): the event server ends every stream of the person after
  sending it, and each tab goes to the sign-in page.

Rows in `rows_added` are rendered in the reader's language: each page that listens records
the language it was served in (`latest_event_id(..., language=)`), and the sync renders in
`reader_language` (the site's default when none is known).
"""
from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

from webmail.redis_client import get_redis, key_prefix

# `signed_out`: the person signed out, or was signed out everywhere (accounts/sessions.py); a
# stream that forwards it ends there, and the page goes to the sign-in.
KINDS = frozenset({"rows_added", "flags", "vanished", "counts", "folders", "resync", "signed_out", "threads_ready"})
STREAM_LENGTH = 1000
PRESENCE_TTL = 90  # seconds a presence mark lasts unless renewed
LANGUAGE_TTL = 7 * 24 * 3600  # a reader's language is kept this long after their last page


@dataclass(frozen=True)
class Event:
    id: str
    kind: str
    data: dict[str, Any]

    def as_json(self) -> str:
        return json.dumps({"id": self.id, "kind": self.kind, "data": self.data}, separators=(",", ":"))


def stream_key(user_pk: int) -> str:
    return f"{key_prefix()}:live:events:{int(user_pk)}"


def channel_name(user_pk: int) -> str:
    return f"{key_prefix()}:live:channel:{int(user_pk)}"


def channel_pattern() -> str:
    return f"{key_prefix()}:live:channel:*"


def user_pk_of_channel(channel: str | bytes) -> int:
    name = channel.decode() if isinstance(channel, bytes) else channel
    return int(name.rsplit(":", 1)[1])


def publish(user_pk: int, kind: str, data: dict[str, Any]) -> str:
    """Append an event to the person's stream and announce it; returns its id."""
    if kind not in KINDS:
        raise ValueError(f"unknown event kind {kind!r}")
    payload = json.dumps(data, separators=(",", ":"))
    redis: Any = get_redis()  # redis-py's reply types are unions of every reply shape
    event_id = redis.xadd(stream_key(user_pk), {"kind": kind, "data": payload}, maxlen=STREAM_LENGTH, approximate=True)
    event = Event(id=_text(event_id), kind=kind, data=data)
    redis.publish(channel_name(user_pk), event.as_json())
    return event.id


def events_after(user_pk: int, last_id: str, *, limit: int = STREAM_LENGTH) -> list[Event] | None:
    """The person's events after `last_id`, oldest first; None when some were already
    trimmed away (or the id is not one of ours), so the caller must resync instead."""
    redis: Any = get_redis()  # redis-py's reply types are unions of every reply shape
    if not _valid_id(last_id):
        return None
    key = stream_key(user_pk)
    if redis.exists(key):
        # Trimming drops the oldest entries; Redis ≥ 7 counts every entry ever added, so
        # "more added than kept" means some were dropped, all of them older than the first kept.
        info = redis.xinfo_stream(key)
        first = info.get("first-entry")
        trimmed = int(info.get("entries-added", 0)) > int(info.get("length", 0))
        if trimmed and first is not None and _id_tuple(last_id) < _id_tuple(_text(first[0])):
            return None
    entries = redis.xrange(key, min=f"({last_id}", max="+", count=limit)
    return [_event(entry_id, fields) for entry_id, fields in entries]


def latest_event_id(user_pk: int, *, language: str | None = None) -> str:
    """The id a fresh page starts from ("0-0" when the person has no events yet). A page
    gives the `language` it is served in: rows pushed to it are rendered in it (same round trip)."""
    redis: Any = get_redis()
    if language:
        pipe = redis.pipeline(transaction=False)
        pipe.xrevrange(stream_key(user_pk), max="+", min="-", count=1)
        pipe.set(_language_key(user_pk), language[:16], ex=LANGUAGE_TTL)
        last = pipe.execute()[0]
    else:
        last = redis.xrevrange(stream_key(user_pk), max="+", min="-", count=1)
    return _text(last[0][0]) if last else "0-0"


def reader_language(user_pk: int) -> str | None:
    """The language the person's last listening page was served in (None: not known)."""
    value: Any = get_redis().get(_language_key(user_pk))
    return _text(value) if value is not None else None


def _language_key(user_pk: int) -> str:
    return f"{key_prefix()}:live:language:{int(user_pk)}"


def mark_present(user_pk: int, ttl: int = PRESENCE_TTL) -> None:
    get_redis().zadd(f"{key_prefix()}:live:present", {str(int(user_pk)): time.time() + ttl})


def publish_stream_count(process: str, count: int, ttl: int = PRESENCE_TTL) -> None:
    """An event-server process's number of open streams (for /metrics); gone `ttl` after it stops."""
    get_redis().set(f"{key_prefix()}:live:event-streams:{process}", int(count), ex=max(1, int(ttl)))


def stream_counts() -> dict[str, int]:
    """Open streams per live event-server process."""
    redis = get_redis()
    prefix = f"{key_prefix()}:live:event-streams:"
    counts: dict[str, int] = {}
    for key in redis.scan_iter(match=f"{prefix}*", count=200):
        value = redis.get(key)
        if value is not None:
            counts[_text(key)[len(prefix):]] = int(_text(value))
    return counts


def clear_present(user_pk: int) -> None:
    get_redis().zrem(f"{key_prefix()}:live:present", str(int(user_pk)))


def present_users() -> list[int]:
    """People with an open tab now (expired marks are dropped on the way)."""
    redis: Any = get_redis()  # redis-py's reply types are unions of every reply shape
    key = f"{key_prefix()}:live:present"
    now = time.time()
    redis.zremrangebyscore(key, "-inf", now)
    return [int(_text(member)) for member in redis.zrangebyscore(key, now, "+inf")]


def mark_watched(user_pk: int, ttl: int) -> None:
    """Called by the watcher while its connection for the person is up and notified.

    The mark's value is a token new for each unbroken watch (renewing keeps it): folder
    state synced under an earlier watch, or none, may have missed changes, so pages trust
    only state synced under the current token (`watch_token`)."""
    redis: Any = get_redis()
    key, ex = f"{key_prefix()}:live:watched:{int(user_pk)}", max(1, int(ttl))
    if not redis.set(key, uuid.uuid4().hex, ex=ex, nx=True) and not redis.expire(key, ex):
        redis.set(key, uuid.uuid4().hex, ex=ex)  # expired in between: a new watch


def mark_watched_many(user_pks: list[int], ttl: int) -> None:
    """`mark_watched` for many people in one round trip (a watcher renews thousands)."""
    if not user_pks:
        return
    pipe = get_redis().pipeline(transaction=False)
    ex = max(1, int(ttl))
    for user_pk in user_pks:
        # As `mark_watched`: a new token only for a new watch, renewing keeps it.
        key = f"{key_prefix()}:live:watched:{int(user_pk)}"
        pipe.set(key, uuid.uuid4().hex, ex=ex, nx=True)
        pipe.expire(key, ex)
    pipe.execute()


def clear_watched(user_pk: int) -> None:
    """Called by the watcher when it stops watching the person or its connection breaks."""
    get_redis().delete(f"{key_prefix()}:live:watched:{int(user_pk)}")


def watched_key(user_pk: int) -> str:
    """The key of the watched mark (its value is the watch token; see `mark_watched`)."""
    return f"{key_prefix()}:live:watched:{int(user_pk)}"


def is_watched(user_pk: int) -> bool:
    return bool(get_redis().exists(f"{key_prefix()}:live:watched:{int(user_pk)}"))


def watch_token(user_pk: int) -> str | None:
    """The current watch's token (see `mark_watched`), None while the person is not watched."""
    value: Any = get_redis().get(f"{key_prefix()}:live:watched:{int(user_pk)}")
    return _text(value) if value is not None else None


def _event(entry_id: bytes | str, fields: dict[bytes, bytes]) -> Event:
    return Event(id=_text(entry_id), kind=_text(fields[b"kind"]), data=json.loads(fields[b"data"]))


def _valid_id(value: str) -> bool:
    try:
        _id_tuple(value)
    except ValueError:
        return False
    return True


def _id_tuple(value: str) -> tuple[int, int]:
    millis, _, seq = value.partition("-")
    return int(millis), int(seq or 0)


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
