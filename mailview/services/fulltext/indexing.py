"""Filling a person's full-text index from IMAP, asking for it, showing progress, removing it.

A fill pass (`index_fill`, run by the `mailview.search_index_fill` task) goes through the
person's folders, INBOX first. Per folder: `STATUS`; nothing more when the index already
has everything below UIDNEXT and as many messages as the server. Else EXAMINE, forget
indexed UIDs that left (one `UID SEARCH ALL`, only when the numbers do not add up), then
`UID SEARCH UID <next>:*` and, per batch of `BATCH` UIDs, one FETCH of the indexed header
fields, INTERNALDATE and BODYSTRUCTURE, and one round trip (pipelined FETCHes, one per
shape of message) of the first bytes of the text parts `mime.index_plan` chooses (every
part a reader sees as text, forwarded messages' text, text attachments; at most
`WEBMAIL_SEARCH_INDEX_TEXT_BYTES` a message), decoded and written in one transaction. A
pass stops at its deadline and the task queues itself again, so a task stays short and a
100k mailbox is indexed while the person reads mail.

One pass per person at a time (a Redis lock); asking while one runs leaves a note the
running pass reads before it ends, so mail that arrived meanwhile is never skipped.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from redis.exceptions import RedisError

from mailview.imap.connection import ImapConnection
from mailview.imap.errors import ImapProtocolError, MailboxNotFound
from mailview.mime import parse_bodystructure
from mailview.mime.message_text import TextPlan, index_plan, message_text
from mailview.textindex import IndexedDoc, TextIndex, index_path, remove_index
from webmail.redis_client import get_redis, key_prefix

log = logging.getLogger(__name__)

#: UIDs per FETCH round (and per transaction).
BATCH = 500
#: What is read of a message (`mime.index_plan`); an index made otherwise is filled again.
#: "2": every text part, forwarded messages and text attachments (before: parts 1 and 1.1).
TEXT_VERSION = "2"
#: A folder whose index holds more forgotten entries than this share is indexed again.
ORPHAN_SHARE = 0.25
LOCK_SECONDS = 300

Enqueue = Callable[..., Any]


def index_enabled() -> bool:
    return bool(settings.WEBMAIL_SEARCH_INDEX)


def user_index_path(user_pk: int) -> Path:
    return index_path(settings.WEBMAIL_SEARCH_INDEX_DIR, user_pk)


def _key(kind: str, user_pk: int) -> str:
    return f"{key_prefix()}:fts:{kind}:{int(user_pk)}"


# -- asking for a fill ---------------------------------------------------------------


def index_request(*, user_pk: int, enqueue: Enqueue, folders: Iterable[str] | None = None) -> bool:
    """Ask for the person's index to catch up (some folders, or all), and queue the fill
    task unless one is queued already. Never raises: without Redis or a broker the index
    just waits (search works without it). True when a task was queued."""
    if not index_enabled():
        return False
    names = [f for f in (folders or ()) if f] or ["*"]
    try:
        redis: Any = get_redis()
        redis.sadd(_key("want", user_pk), *names)
        redis.expire(_key("want", user_pk), 86400)
        if not redis.set(_key("queued", user_pk), "1", nx=True, ex=60):
            return False
        enqueue(kwargs={"user_id": int(user_pk)})
        return True
    except Exception:
        log.warning("could not ask for a search index fill of user %s", user_pk, exc_info=True)
        return False


def index_exists(*, user_pk: int) -> bool:
    """Whether the person has an index (begun) to keep up to date."""
    return index_enabled() and user_index_path(user_pk).exists()


def index_running(*, user_pk: int) -> bool:
    """Whether a fill pass holds the person's lock right now."""
    try:
        return bool(get_redis().exists(_key("lock", user_pk)))
    except RedisError:
        return False


def index_take_turn(*, user_pk: int) -> bool:
    """A fill task starts: its "queued" mark goes (a new request queues another task); True
    when no other pass runs, so this one may open a connection and fill."""
    try:
        get_redis().delete(_key("queued", user_pk))
    except RedisError:
        pass
    return not index_running(user_pk=user_pk)


def index_pending(*, user_pk: int) -> bool:
    """Whether a fill was asked for that no pass has taken yet."""
    try:
        return bool(get_redis().exists(_key("want", user_pk)))
    except RedisError:
        return False


def _take_wanted(redis: Any, user_pk: int) -> set[str]:
    pipe = redis.pipeline()
    pipe.smembers(_key("want", user_pk))
    pipe.delete(_key("want", user_pk))
    members, _ = pipe.execute()
    return {m.decode() if isinstance(m, bytes) else str(m) for m in members}


# -- the fill --------------------------------------------------------------------------


@dataclass(frozen=True)
class FillResult:
    done: bool  # False: stopped at the deadline, more to do
    added: int
    busy: bool = False  # another pass holds the person's lock


def index_fill(*, imap: ImapConnection, user_pk: int, seconds: float) -> FillResult:
    """One fill pass for the person (see the module docstring), at most `seconds` long.
    Needs a checked-out connection; EXAMINEs folders."""
    redis: Any = get_redis()
    redis.delete(_key("queued", user_pk))
    lock = redis.lock(_key("lock", user_pk), timeout=LOCK_SECONDS, blocking_timeout=0)
    if not lock.acquire(blocking=False):
        return FillResult(done=True, added=0, busy=True)
    deadline = time.monotonic() + seconds
    added = 0
    try:
        with TextIndex.open(user_index_path(user_pk)) as index:
            wanted = _take_wanted(redis, user_pk) or {"*"}
            if index.meta("text") != TEXT_VERSION:
                # Made by a version that read less of each message: read it all again.
                index.clear(meta={"text": TEXT_VERSION})
                wanted = {"*"}
            while wanted:
                names = _folders_to_fill(imap, index, wanted)
                for name in names:
                    lock.extend(LOCK_SECONDS, replace_ttl=True)
                    try:
                        count, complete = _fill_folder(imap, index, name, deadline)
                    except MailboxNotFound:
                        index.folder_forget([name])
                        continue
                    added += count
                    if not complete:
                        # Come back for the rest (and whatever was asked for meanwhile).
                        redis.sadd(_key("want", user_pk), *wanted)
                        return FillResult(done=False, added=added)
                wanted = _take_wanted(redis, user_pk)
            if added > BATCH * 20:
                index.optimize()
    finally:
        try:
            lock.release()
        except Exception:  # noqa: BLE001 - expired meanwhile
            pass
    return FillResult(done=True, added=added)


def _folders_to_fill(imap: ImapConnection, index: TextIndex, wanted: set[str]) -> list[str]:
    """The folders a pass looks at: the ones asked for, or (with "*") every selectable one,
    INBOX first; folders gone from the server are forgotten."""
    listed = [f.name for f in imap.list_folders(with_status=False) if "\\noselect" not in f.attributes and "\\nonexistent" not in f.attributes]
    if "*" in wanted:
        gone = [name for name in index.folders() if name not in listed]
        if gone:
            index.folder_forget(gone)
        names = listed
    else:
        names = [n for n in listed if n in wanted]
    return sorted(names, key=lambda n: (n.upper() != "INBOX", n))


def _fill_folder(imap: ImapConnection, index: TextIndex, name: str, deadline: float) -> tuple[int, bool]:
    """Index what is new in one folder: (messages added, whether the folder is complete)."""
    # The folder this connection has selected (INBOX, after the live sync that asked for this
    # fill) is caught up in place: leaving it for STATUS and EXAMINEing it again costs ~0.3 s
    # each on a 100k Maildir.
    in_place = imap.selected_counts(name)
    counts = in_place or imap.folder_counts(name)
    entry = index.folder(name)
    if (
        entry is not None
        and entry.uidvalidity == counts.uidvalidity
        and entry.next_uid >= counts.uidnext
        and entry.indexed == counts.messages
    ):
        if entry.total != counts.messages:
            index.folder_total(name, counts.messages)
        return 0, True
    entry = index.folder_start(name, uidvalidity=counts.uidvalidity, total=counts.messages)
    if entry.orphans > max(1000, entry.indexed * ORPHAN_SHARE / (1 - ORPHAN_SHARE)):
        index.folder_reset(name)
        entry = index.folder_start(name, uidvalidity=counts.uidvalidity, total=counts.messages)
    selected = imap.select(name, readonly=True, refresh=in_place is None)
    if selected.uidvalidity != entry.uidvalidity:
        entry = index.folder_start(name, uidvalidity=selected.uidvalidity, total=selected.exists)
    new_uids = imap.uids_from(entry.next_uid) if selected.uidnext > entry.next_uid else []
    if entry.indexed + len(new_uids) != selected.exists:
        # Some indexed mail left the folder (moved, deleted elsewhere): forget it.
        present = set(imap.all_uids())
        gone = [uid for uid in index.uids(name) if uid not in present]
        index.remove(name, gone)
    added = 0
    for start in range(0, len(new_uids), BATCH):
        if time.monotonic() >= deadline:
            return added, False
        batch = new_uids[start : start + BATCH]
        docs = message_docs(imap, batch)
        added += index.add(name, docs, next_uid=batch[-1] + 1)
    index.add(name, [], next_uid=selected.uidnext)
    return added, True


def message_docs(imap: ImapConnection, uids: list[int], *, text_bytes: int | None = None) -> list[IndexedDoc]:
    """The indexable text of these messages (the folder selected): one FETCH of their header
    fields, INTERNALDATE and BODYSTRUCTURE (`fetch_index_heads`), the parts to index chosen
    from the structure (`mime.index_plan`), then the first bytes of those parts
    (`fetch_index_sections`: one pipelined round trip) read by `mime.message_text`. A batch
    the server's answer to which cannot be read (a hostile message's structure too big for
    the client) is split, down to the one message, which is then indexed from its header
    fields alone: its neighbours are indexed whatever it holds."""
    budget = int(text_bytes if text_bytes is not None else settings.WEBMAIL_SEARCH_INDEX_TEXT_BYTES)
    try:
        return _docs(imap, uids, budget, structure=True)
    except ImapProtocolError:
        if len(uids) > 1:
            half = len(uids) // 2
            return message_docs(imap, uids[:half], text_bytes=budget) + message_docs(imap, uids[half:], text_bytes=budget)
        log.warning("indexing message %s from its header fields alone: its text could not be read", uids, exc_info=True)
        try:
            return _docs(imap, uids, budget, structure=False)
        except ImapProtocolError:
            return [IndexedDoc(uid=uid, date=0, subject="", people="", body="") for uid in uids]


def _docs(imap: ImapConnection, uids: list[int], budget: int, *, structure: bool) -> list[IndexedDoc]:
    heads = imap.fetch_index_heads(uids, structure=structure)
    plans = {
        uid: index_plan(parse_bodystructure(head.bodystructure), max_bytes=budget) if head.bodystructure is not None else TextPlan(parts=())
        for uid, head in heads.items()
    }
    wanted = {uid: plan.sections for uid, plan in plans.items() if plan.parts}
    sections = imap.fetch_index_sections(wanted, max_bytes=budget) if wanted else {}
    docs = []
    for uid in sorted(heads):
        text = message_text(header=heads[uid].header, plan=plans[uid], sections=sections.get(uid, {}), max_chars=budget)
        docs.append(IndexedDoc(uid=uid, date=_unix(heads[uid].internaldate), subject=text.subject, people=text.people, body=text.body))
    return docs


def _unix(value: object) -> int:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return int(value.timestamp())
    return 0


# -- progress and removal -----------------------------------------------------------------


@dataclass(frozen=True)
class IndexProgress:
    indexed: int
    total: int
    folders: int
    complete_folders: int
    running: bool

    @property
    def percent(self) -> int:
        if not self.total:
            return 100
        return min(100, int(self.indexed * 100 / self.total))

    @property
    def complete(self) -> bool:
        return self.indexed >= self.total


def index_progress(*, user_pk: int) -> IndexProgress | None:
    """How far the person's index is (None: there is none yet)."""
    path = user_index_path(user_pk)
    if not index_enabled() or not path.exists():
        return None
    try:
        with TextIndex.open(path, create=False) as index:
            folders = index.folders()
    except Exception:  # noqa: BLE001 - being created right now, or damaged: no progress to show
        return None
    running = index_running(user_pk=user_pk)
    return IndexProgress(
        indexed=sum(f.indexed for f in folders.values()),
        total=sum(max(f.total, f.indexed) for f in folders.values()),
        folders=len(folders),
        complete_folders=sum(1 for f in folders.values() if f.complete),
        running=running,
    )


def index_remove(*, user_pk: int) -> bool:
    """Delete the person's index (their account is being deleted). True if there was one."""
    removed = remove_index(user_index_path(user_pk))
    try:
        get_redis().delete(_key("want", user_pk), _key("queued", user_pk))
    except RedisError:
        pass
    return removed
