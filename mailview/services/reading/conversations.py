"""Conversations: a folder's messages grouped into threads, listed one row per conversation
(or as an indented tree), and one conversation opened with the person's own replies.

Threads come from the server (`UID THREAD REFERENCES`, RFC 5256) where it advertises them,
else from the headers (`mailview.imap.threads.thread_messages`, the same algorithm). A
folder's threads are kept in the cache (`FolderThreads`, packed arrays: ~8 bytes a message)
under its UIDVALIDITY, with the UIDNEXT and EXISTS they describe, and brought up to date
incrementally:

- nothing changed (or only flags: HIGHESTMODSEQ moves, threads do not): no IMAP at all;
- new mail (UIDNEXT moved): `UID SEARCH UID <old UIDNEXT>:*`, one FETCH of the new messages'
  threading headers, and only when one refers to a message whose Message-ID is not in the
  folder's id index (Redis hash) one `UID SEARCH OR HEADER Message-ID ...`: each new message
  joins its parent's conversation (or, for a reply to a message that is not in the folder, the
  conversation of another message referring to the same one), else starts its own (the live
  sync hands over the UIDs it searched and the headers it FETCHed with the rows: `NewMail`);
- mail went away (EXISTS lower than the kept UIDs): one `UID SEARCH ALL`, the gone UIDs dropped;
- a new UIDVALIDITY, or nothing kept: the full THREAD (or every message's headers); on a
  folder bigger than the caller's `build_limit` not here but in a Celery task
  (`thread_building.py`), the list showing the folder flat meanwhile.

A new message joined only by subject (RFC 5256 step 5) is its own conversation until the next
full THREAD (after `THREADS_SECONDS`).
"""
from __future__ import annotations

import dataclasses
import hashlib
import logging
import re
import time
from array import array
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.parser import BytesHeaderParser
from email.policy import compat32
from typing import Any

from redis.exceptions import RedisError

from mailview.imap.connection import ImapConnection, SelectedFolder
from mailview.imap.errors import ImapTimeout, MessageNotFound
from mailview.imap.threads import ThreadHeaders, ThreadNode, message_ids, thread_messages
from mailview.mime import decode_header_value
from mailview.services.live.state import FolderState
from mailview.services.reading.messages import (
    KNOWN_PAGE_SECONDS,
    MAX_PER_PAGE,
    MessageSummary,
    Paging,
    _picklable,
    _remember_labels,
    _selection_of,
    message_previews,
    previews_kept,
    selected_state_token,
    summarize,
)
from webmail.cache import optional_cache as cache
from webmail.redis_client import get_redis, key_prefix

log = logging.getLogger(__name__)

VIEWS = ("conversations", "threads", "flat")
# A folder's threads are built afresh after this (one full THREAD: subject joins catch up); a
# big folder's in the background (`thread_building`), its kept threads shown meanwhile.
THREADS_SECONDS = 24 * 3600
# Kept this long after their last change, so a big folder that nobody changed for a day still
# shows its conversations while they are built afresh.
THREADS_KEPT_SECONDS = 7 * 24 * 3600
# A conversation row is built from the newest this many of its messages (flags of all): its
# participants, attachment mark and labels; fewer rows to FETCH than every message of long ones.
ROW_MESSAGES = 4
MAX_DEPTH = 255


@dataclass
class FolderThreads:
    """A folder's conversations, newest first (by their highest UID: the newest arrival)."""

    uidvalidity: int
    uidnext: int
    exists: int
    uids: array[int]  # every message, thread after thread, each in tree order
    depths: bytearray  # each message's depth in its thread's tree
    starts: array[int]  # where each thread begins in `uids`
    source: str = "thread"  # "thread" (the server's THREAD) or "headers"
    built_at: float = 0.0  # when the whole folder was last threaded (wall clock); updates keep it

    def due(self, now: float | None = None) -> bool:
        """Built more than `THREADS_SECONDS` ago: time for a full THREAD."""
        return (time.time() if now is None else now) - self.built_at > THREADS_SECONDS

    @property
    def count(self) -> int:
        return len(self.starts)

    def bounds(self, index: int) -> tuple[int, int]:
        end = self.starts[index + 1] if index + 1 < len(self.starts) else len(self.uids)
        return self.starts[index], end

    def thread(self, index: int) -> list[tuple[int, int]]:
        """(UID, depth) of the index-th conversation, in tree order."""
        start, end = self.bounds(index)
        return list(zip(self.uids[start:end], self.depths[start:end], strict=True))

    def index_of(self, uid: int) -> int | None:
        """Which conversation holds `uid`."""
        try:
            position = self.uids.index(uid)
        except ValueError:
            return None
        return bisect_right(self.starts, position) - 1

    @classmethod
    def of(cls, threads: Iterable[list[tuple[int, int]]], *, selected: SelectedFolder, source: str) -> FolderThreads:
        ordered = sorted((t for t in threads if t), key=lambda t: max(u for u, _d in t), reverse=True)
        uids, depths, starts = array("I"), bytearray(), array("I")
        for thread in ordered:
            starts.append(len(uids))
            uids.extend(u for u, _d in thread)
            depths.extend(min(d, MAX_DEPTH) for _u, d in thread)
        return cls(selected.uidvalidity, selected.uidnext, selected.exists, uids, depths, starts, source, time.time())

    def threads(self) -> list[list[tuple[int, int]]]:
        return [self.thread(i) for i in range(self.count)]

    def _newest(self, index: int) -> int:
        start, end = self.bounds(index)
        return max(self.uids[start:end])

    def _position(self, newest: int) -> int:
        """How many of these conversations are newer than one whose newest UID is `newest`
        (they are ordered by it, so a binary search reads O(log n) of them)."""
        low, high = 0, self.count
        while low < high:
            middle = (low + high) // 2
            if self._newest(middle) > newest:
                low = middle + 1
            else:
                high = middle
        return low

    def rearranged(self, replaced: dict[int, list[tuple[int, int]]], added: list[list[tuple[int, int]]]) -> FolderThreads:
        """These conversations with the ones at the `replaced` indexes swapped for their new
        messages (left out when none are left) and the `added` ones, each put where its newest
        UID orders it. Costs the changed conversations plus array copies of the others, not a
        Python loop over every message: new mail in a 100k folder is a few milliseconds."""
        moving = sorted(
            ((self._position(newest), -newest, thread) for thread in (*replaced.values(), *added) if thread
             for newest in [max(u for u, _d in thread)]),
            key=lambda item: (item[0], item[1]),
        )
        uids, depths, starts = array("I"), bytearray(), array("I")

        def put(thread: list[tuple[int, int]]) -> None:
            starts.append(len(uids))
            uids.extend(u for u, _d in thread)
            depths.extend(min(d, MAX_DEPTH) for _u, d in thread)

        def copy(first: int, last: int) -> None:  # conversations first..last-1, as they are
            if first >= last:
                return
            start, end = self.starts[first], self.bounds(last - 1)[1]
            shift = len(uids) - start
            starts.extend(array("I", [s + shift for s in self.starts[first:last]]))
            uids.extend(self.uids[start:end])
            depths.extend(self.depths[start:end])

        skipped = sorted(replaced)
        cursor = next_move = next_skip = 0
        while True:
            insert_at = moving[next_move][0] if next_move < len(moving) else self.count
            skip_at = skipped[next_skip] if next_skip < len(skipped) else self.count
            stop = min(insert_at, skip_at)
            copy(cursor, stop)
            cursor = stop
            if next_move < len(moving) and insert_at == cursor:
                put(moving[next_move][2])
                next_move += 1
            elif next_skip < len(skipped) and skip_at == cursor:
                cursor += 1
                next_skip += 1
            else:
                break
        return FolderThreads(self.uidvalidity, self.uidnext, self.exists, uids, depths, starts, self.source, self.built_at)

    def without(self, gone: set[int]) -> FolderThreads:
        """These conversations without the messages `gone` (expunged, moved away)."""
        positions = [position for position, uid in enumerate(self.uids) if uid in gone]
        indexes = {bisect_right(self.starts, position) - 1 for position in positions}
        return self.rearranged({i: [(u, d) for u, d in self.thread(i) if u not in gone] for i in indexes}, [])

    def packed(self) -> dict[str, Any]:
        return {
            "v": 1, "uidvalidity": self.uidvalidity, "uidnext": self.uidnext, "exists": self.exists, "source": self.source,
            "uids": self.uids.tobytes(), "depths": bytes(self.depths), "starts": self.starts.tobytes(), "built_at": self.built_at,
        }

    @classmethod
    def unpacked(cls, data: dict[str, Any]) -> FolderThreads | None:
        if not isinstance(data, dict) or data.get("v") != 1:
            return None
        uids, starts = array("I"), array("I")
        uids.frombytes(data["uids"])
        starts.frombytes(data["starts"])
        return cls(
            data["uidvalidity"], data["uidnext"], data["exists"], uids, bytearray(data["depths"]), starts, data["source"],
            float(data.get("built_at", 0.0)),
        )


def _folder_key(user_key: str, folder: str) -> str:
    return hashlib.sha256(f"{user_key}|{folder}".encode()).hexdigest()[:32]


def _cache_key(user_key: str, folder: str) -> str:
    return f"threads:{_folder_key(user_key, folder)}"


def _ids_key(user_key: str, folder: str, uidvalidity: int) -> str:
    """Redis hash: Message-ID → UID ("id:<msgid>"), and referenced id → a UID referring to it ("ref:<msgid>")."""
    return f"{key_prefix()}:threads:ids:{_folder_key(user_key, folder)}:{uidvalidity}"


def folder_threads(*, imap: ImapConnection, user_key: str, selected: SelectedFolder) -> FolderThreads:
    """The selected folder's conversations, from the cache brought up to date, or built."""
    threads = folder_threads_kept(imap=imap, user_key=user_key, selected=selected, build_limit=None)
    assert threads is not None  # no limit: built when not kept
    return threads


def folder_threads_kept(
    *, imap: ImapConnection, user_key: str, selected: SelectedFolder, build_limit: int | None
) -> FolderThreads | None:
    """As `folder_threads`, but None instead of a full build when the folder has more than
    `build_limit` messages: a whole-folder THREAD (or every message's headers) costs seconds
    on a big folder, more than a web request may wait on a cold server; the caller lists the
    folder flat and has the threads built in the background (`thread_building`). Keeping kept
    threads up to date stays here (it costs a few small commands); None too when that upkeep
    timed out (with a `build_limit`: in a request).

    Kept threads built more than `THREADS_SECONDS` ago (`FolderThreads.due`) are built afresh
    here, unless the folder is over `build_limit`: then they are still used (brought up to
    date), and the caller asks for the background build (`ConversationPage.rebuild_due`)."""
    key = _cache_key(user_key, selected.name)
    kept = FolderThreads.unpacked(cache.get(key))
    too_big_here = build_limit is not None and selected.exists > build_limit
    if kept is not None and kept.uidvalidity == selected.uidvalidity and selected.uidnext and (too_big_here or not kept.due()):
        if kept.uidnext == selected.uidnext and kept.exists == selected.exists:
            return kept
        try:
            updated = _update(imap=imap, user_key=user_key, kept=kept, selected=selected)
        except ImapTimeout:
            if build_limit is None:
                raise
            # Its searches (`HEADER Message-ID`, which a cold server answers by reading every
            # message) did not finish in time: the background build does it, with time.
            log.info("thread upkeep timed out; left to the background build")
            return None
        if updated is not None:
            cache.set(key, updated.packed(), THREADS_KEPT_SECONDS)
            return updated
    if too_big_here:
        return None
    built = _build(imap=imap, user_key=user_key, selected=selected)
    cache.set(key, built.packed(), THREADS_KEPT_SECONDS)
    return built


@dataclass(frozen=True)
class NewMail:
    """What the live sync already asked the server about a folder's new mail, so the kept
    conversations take it without asking again: `uids` are every UID from `first` up to the
    view's UIDNEXT (its `UID SEARCH UID <first>:*`), and `headers` their threading header
    fields and INTERNALDATE, FETCHed with their rows (as `fetch_thread_headers` gives them; a
    UID missing there had gone by then)."""

    first: int
    uids: list[int]
    headers: dict[int, tuple[bytes, object]]


def threads_kept_for_sync(*, user_key: str, folder: str, uidvalidity: int, uidnext: int) -> FolderThreads | None:
    """The folder's kept conversations when the live sync can bring them up to its view
    (`kept_threads_with_new_mail`), else None: read before its FETCH of the new rows, so the
    threading headers come in that same FETCH only when something will join them."""
    kept = FolderThreads.unpacked(cache.get(_cache_key(user_key, folder)))
    if kept is None or kept.uidvalidity != uidvalidity or kept.uidnext > uidnext:
        return None
    return kept


def kept_threads_with_new_mail(
    *, imap: ImapConnection, user_key: str, folder: str, uidvalidity: int, uidnext: int, exists: int, new: list[int],
    kept: FolderThreads | None = None, known: NewMail | None = None,
) -> set[int] | None:
    """For the live sync, with `folder` selected and its view at (`uidvalidity`, `uidnext`,
    `exists`): the folder's kept conversations brought up to it (so the next page needs no
    threading), and which of the `new` UIDs are a conversation of their own (an open list
    inserts those rows as they are; a message joining a conversation changes a row instead).
    None when no conversations are kept: building them (a full THREAD) is the page's job.
    `kept`: as `threads_kept_for_sync` read them (else read here); `known`: what the sync
    already asked (no second SEARCH or FETCH of the new mail when it covers it)."""
    key = _cache_key(user_key, folder)
    if kept is None:
        kept = threads_kept_for_sync(user_key=user_key, folder=folder, uidvalidity=uidvalidity, uidnext=uidnext)
    if kept is None or kept.uidvalidity != uidvalidity or kept.uidnext > uidnext:
        return None
    if (kept.uidnext, kept.exists) != (uidnext, exists):
        view = SelectedFolder(name=folder, readonly=True, uidvalidity=uidvalidity, exists=exists, uidnext=uidnext, highestmodseq=None)
        try:
            updated = _update(imap=imap, user_key=user_key, kept=kept, selected=view, known=known)
        except ImapTimeout:
            return None  # a slow server: the page's upkeep or the background build catches up
        if updated is None:
            return None
        cache.set(key, updated.packed(), THREADS_KEPT_SECONDS)
        kept = updated
    alone = set()
    for uid in new:
        index = kept.index_of(uid)
        if index is not None and kept.bounds(index)[1] - kept.bounds(index)[0] == 1:
            alone.add(uid)
    return alone


def folder_threads_forget(*, user_key: str, folder: str) -> None:
    cache.delete(_cache_key(user_key, folder))


def _build(*, imap: ImapConnection, user_key: str, selected: SelectedFolder) -> FolderThreads:
    if not selected.exists:
        return FolderThreads.of([], selected=selected, source="thread")
    nodes = imap.thread(algorithm="REFERENCES")
    if nodes is not None:
        return FolderThreads.of((n.walk() for n in nodes), selected=selected, source="thread")
    headers = thread_headers(imap=imap, uids=imap.all_uids())
    _remember_ids(user_key, selected, headers.values())
    nodes = thread_messages(headers.values())
    return FolderThreads.of((n.walk() for n in nodes), selected=selected, source="headers")


def thread_headers(*, imap: ImapConnection, uids: Iterable[int], fetched: dict[int, tuple[bytes, object]] | None = None) -> dict[int, ThreadHeaders]:
    """Each message's threading headers, decoded (one FETCH, in chunks), or from `fetched`
    (`fetch_thread_headers`' answer for these UIDs, already asked: no FETCH)."""
    parser = BytesHeaderParser(policy=compat32)
    out: dict[int, ThreadHeaders] = {}
    wanted = list(uids)
    answered = {uid: fetched[uid] for uid in wanted if uid in fetched} if fetched is not None else imap.fetch_thread_headers(wanted)
    for uid, (raw, internaldate) in answered.items():
        header = parser.parsebytes(raw)
        date: datetime | None = None
        try:
            from email.utils import parsedate_to_datetime

            value = header.get("Date")
            date = parsedate_to_datetime(str(value)) if value else None
        except (TypeError, ValueError, IndexError):
            date = None
        if date is None and isinstance(internaldate, datetime):
            date = internaldate
        ids = message_ids(str(header.get("Message-ID") or ""))
        out[uid] = ThreadHeaders(
            uid=uid,
            message_id=ids[0] if ids else None,
            in_reply_to=str(header.get("In-Reply-To") or "") or None,
            references=str(header.get("References") or "") or None,
            subject=decode_header_value(header.get("Subject")),
            date=date,
        )
    return out


_SEARCHABLE_ID = re.compile(r"[\x21-\x7e]{1,300}")


def _searchable(message_id: str) -> bool:
    """A Message-ID worth a SEARCH: printable ASCII without quotes or backslashes (a hostile
    header's id is never asked about; its message simply starts its own conversation)."""
    return bool(_SEARCHABLE_ID.fullmatch(message_id)) and '"' not in message_id and "\\" not in message_id


def _remember_ids(user_key: str, selected: SelectedFolder, headers: Iterable[ThreadHeaders]) -> None:
    mapping: dict[str, int] = {}
    for h in headers:
        if h.message_id:
            mapping[f"id:{h.message_id}"] = h.uid
        for ref in h.parent_ids()[-3:]:
            mapping.setdefault(f"ref:{ref}", h.uid)
    if not mapping:
        return
    try:
        redis: Any = get_redis()
        key = _ids_key(user_key, selected.name, selected.uidvalidity)
        items = list(mapping.items())
        pipe = redis.pipeline()
        for start in range(0, len(items), 5000):
            pipe.hset(key, mapping=dict(items[start : start + 5000]))
        pipe.expire(key, THREADS_SECONDS * 7)
        pipe.execute()
    except RedisError as exc:
        log.warning("thread id index not kept: %s", exc)


def _lookup(user_key: str, selected: SelectedFolder, names: list[str]) -> dict[str, int]:
    if not names:
        return {}
    try:
        redis: Any = get_redis()
        values = redis.hmget(_ids_key(user_key, selected.name, selected.uidvalidity), names)
    except RedisError:
        return {}
    return {name: int(v) for name, v in zip(names, values, strict=True) if v is not None}


def _update(
    *, imap: ImapConnection, user_key: str, kept: FolderThreads, selected: SelectedFolder, known: NewMail | None = None
) -> FolderThreads | None:
    """`kept` brought up to the folder's state: new mail joined to its conversations, gone
    mail dropped; None when a full build is cheaper or needed. `known`: the new mail the live
    sync already asked for, used when it covers all of it (no SEARCH, no FETCH here)."""
    if selected.uidnext > kept.uidnext:
        asked = known if known is not None and known.first <= kept.uidnext else None
        new = [u for u in asked.uids if u >= kept.uidnext] if asked is not None else imap.uids_from(kept.uidnext)
        if len(new) > 5000:
            return None  # a big import: one full THREAD is cheaper
        if new:
            fetched = asked.headers if asked is not None else None
            kept = _join_new(imap=imap, user_key=user_key, selected=selected, kept=kept, new=new, fetched=fetched)
    if len(kept.uids) != selected.exists:
        gone = set(kept.uids) - set(imap.all_uids())
        if gone:
            kept = kept.without(gone)
    return dataclasses.replace(kept, uidvalidity=selected.uidvalidity, uidnext=selected.uidnext, exists=selected.exists)


def _join_new(
    *, imap: ImapConnection, user_key: str, selected: SelectedFolder, kept: FolderThreads, new: list[int],
    fetched: dict[int, tuple[bytes, object]] | None = None,
) -> FolderThreads:
    """`kept` with the `new` messages joined to their parents' conversations (or their
    siblings', or their own): only the conversations they join are unpacked. `fetched`: their
    threading headers, already asked (see `thread_headers`)."""
    headers = thread_headers(imap=imap, uids=new, fetched=fetched)
    changed: dict[int, list[tuple[int, int]]] = {}  # kept conversation index -> its messages now
    added: list[list[tuple[int, int]]] = []
    placed: dict[int, list[tuple[int, int]]] = {}  # UID -> the unpacked conversation holding it

    def thread_of(uid: int) -> list[tuple[int, int]] | None:
        thread = placed.get(uid)
        if thread is not None:
            return thread
        index = kept.index_of(uid)
        if index is None:
            return None
        thread = changed[index] = kept.thread(index)
        placed.update((u, thread) for u, _d in thread)
        return thread

    wanted = sorted({f"id:{ref}" for h in headers.values() for ref in h.parent_ids()[-10:]})
    known = _lookup(user_key, selected, wanted)
    unknown = [name[3:] for name in wanted if name not in known]
    unknown = [ref for ref in unknown if _searchable(ref) and not any(h.message_id == ref for h in headers.values())]
    if unknown:
        # Messages the index has not seen (the folder was threaded by the server): ask once.
        found = thread_headers(imap=imap, uids=imap.uids_with_message_ids(unknown[-20:]))
        known.update({f"id:{h.message_id}": h.uid for h in found.values() if h.message_id})
        _remember_ids(user_key, selected, found.values())
    refs = _lookup(user_key, selected, sorted({f"ref:{ref}" for h in headers.values() for ref in h.parent_ids()[-3:]}))
    for uid in sorted(headers):
        h = headers[uid]
        parent, parent_thread = None, None
        for ref in reversed(h.parent_ids()):
            candidate = known.get(f"id:{ref}")
            if candidate is not None and (found_thread := thread_of(candidate)) is not None:
                parent, parent_thread = candidate, found_thread
                break
        sibling, sibling_thread = None, None
        if parent is None:
            for ref in reversed(h.parent_ids()[-3:]):
                candidate = refs.get(f"ref:{ref}")
                if candidate is not None and (found_thread := thread_of(candidate)) is not None:
                    sibling, sibling_thread = candidate, found_thread
                    break
        if parent_thread is not None:
            thread = parent_thread
            at = next(i for i, (u, _d) in enumerate(thread) if u == parent)
            depth = thread[at][1] + 1
            end = at + 1
            while end < len(thread) and thread[end][1] >= depth:
                end += 1
            thread.insert(end, (uid, depth))
        elif sibling_thread is not None:
            thread = sibling_thread
            depth = next(d for u, d in thread if u == sibling)
            thread.append((uid, depth))
        else:
            thread = [(uid, 0)]
            added.append(thread)
        placed[uid] = thread
        if h.message_id:
            known[f"id:{h.message_id}"] = uid
        for ref in h.parent_ids()[-3:]:
            refs.setdefault(f"ref:{ref}", uid)
    _remember_ids(user_key, selected, headers.values())
    return kept.rearranged(changed, added)


# -- the list ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Conversation:
    """One row of the conversation list."""

    uids: tuple[int, ...]  # every message of it in the folder, ascending
    latest: MessageSummary  # the newest message: its date, and the row's link when it is alone
    subject: str
    participants: tuple[str, ...]
    count: int
    unread: int
    flagged: bool
    has_attachment: bool
    messages: tuple[tuple[MessageSummary, int], ...] = ()  # the threaded view: (message, depth) in tree order

    @property
    def first_uid(self) -> int:
        """The conversation's URL key: its oldest message in the folder."""
        return self.uids[0]


@dataclass(frozen=True)
class ConversationPage(Paging):
    folder: str
    selected: SelectedFolder
    page: int
    per_page: int
    total: int
    order: str
    view: str
    conversations: list[Conversation] = field(default_factory=list)
    sort: str = "date"
    query: str = ""
    # The folder's threads are due to be built afresh and too big to build in this request:
    # the view asks for the background build (`thread_building.threads_build_request`).
    rebuild_due: bool = False

    # What the list template and live.js read of a `MessagePage`.
    @property
    def messages(self) -> list[MessageSummary]:
        return [c.latest for c in self.conversations]


def conversation_page(
    *,
    imap: ImapConnection,
    user_key: str,
    folder: str,
    page: int,
    per_page: int,
    order: str,
    view: str,
    show_recipient: bool = False,
    known: FolderState | None = None,
    build_limit: int | None = None,
) -> ConversationPage | None:
    """One page of a folder's conversations, newest first (`order` "asc": oldest first); None
    when its threads are not kept and it is too big to build them here (`folder_threads_kept`).
    IMAP: NOOP, the thread cache's upkeep (nothing when the folder did not change), one FETCH
    of the newest `ROW_MESSAGES` of each of the page's conversations and, for longer ones, one
    FETCH FLAGS of the rest.

    `known` (the folder's synced state, while a watcher watches the person): the page is kept
    under that state, as `messages.message_page` keeps its rows, so an unchanged folder's page
    needs no IMAP at all (with CONDSTORE; without it the rows are built again)."""
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    page = max(1, page)

    def kept_page(kind: str, token: str, selected: SelectedFolder) -> tuple[str, ConversationPage | None]:
        state = f"{user_key}|{folder}|{token}|{page}|{per_page}|{order}|{view}|{show_recipient}"
        key = f"{kind}:" + hashlib.sha256(state.encode()).hexdigest()
        hit = cache.get(key)
        if hit is None:
            return key, None
        total, rows = hit
        return key, ConversationPage(
            folder=folder, selected=selected, page=page, per_page=per_page, total=total, order=order, view=view, conversations=rows
        )

    key = ""
    if known is not None:
        key, hit = kept_page("live-conversations", known.cache_token, _selection_of(known))
        if hit is not None:
            return hit
    selected = imap.select(folder, readonly=True, refresh=True)
    if known is None and (token := selected_state_token(selected)):
        # Not watched: the selection's own CONDSTORE state names the folder exactly (as
        # messages.message_page keeps its rows), so an unchanged folder costs this NOOP only.
        key, hit = kept_page("selected-conversations", token, selected)
        if hit is not None:
            return hit
    threads = folder_threads_kept(imap=imap, user_key=user_key, selected=selected, build_limit=build_limit)
    if threads is None:
        return None
    total = threads.count
    indexes = range(total)
    chosen = list(indexes[(page - 1) * per_page : page * per_page]) if order != "asc" else [
        total - 1 - i for i in indexes[(page - 1) * per_page : page * per_page]
    ]
    trees = [threads.thread(i) for i in chosen]
    tree_view = view == "threads"
    full: set[int] = set()
    flags_only: set[int] = set()
    for tree in trees:
        newest = sorted((u for u, _d in tree), reverse=True)
        keep = newest if tree_view else newest[:ROW_MESSAGES]
        full.update(keep)
        flags_only.update(newest[len(keep):])
    # A row's preview line is its newest message's (threaded: every message's).
    shown = sorted(full) if tree_view else [max(u for u, _d in tree if u in full) for tree in trees if any(u in full for u, _d in tree)]
    kept = previews_kept(user_key=user_key, folder=folder, uidvalidity=selected.uidvalidity, uids=shown)
    raw = imap.fetch_list_rows(sorted(full), preview=[u for u in shown if u not in kept], recipients=show_recipient)
    previews = message_previews(
        imap=imap, raw={u: raw[u] for u in shown if u in raw}, folder=folder, uidvalidity=selected.uidvalidity, user_key=user_key, kept=kept,
    )
    flags = imap.fetch_flags(sorted(flags_only)) if flags_only else {}
    conversations = []
    for tree in trees:
        row = _conversation(tree, raw=raw, flags=flags, show_recipient=show_recipient, with_tree=tree_view, previews=previews)
        if row is not None:
            conversations.append(row)
    if (known is not None and known.highestmodseq is not None and selected.uidvalidity == known.uidvalidity) or (known is None and key):
        # Asked after a NOOP, so at least as new as `known`; every flag change makes a new state.
        cache.set(key, (total, [_picklable_conversation(c) for c in conversations]), KNOWN_PAGE_SECONDS)
    _remember_labels(user_key, [m for c in conversations for m in (c.latest, *(m for m, _d in c.messages))])
    return ConversationPage(
        folder=folder, selected=selected, page=page, per_page=per_page, total=total, order=order, view=view, conversations=conversations,
        rebuild_due=threads.due(),
    )



def conversation_neighbor(
    *, imap: ImapConnection, user_key: str, folder: str, uid: int, step: int, order: str = "desc", build_limit: int | None = None
) -> int | None:
    """The conversation `step` places after (or before, if negative) the one holding `uid`, in
    the conversation list's order (`order` "asc": oldest first), as the UID its row links (its
    oldest); None at either end, when `uid` is in none, or when the folder's conversations are
    not kept and bigger than `build_limit` (see `folder_threads_kept`). Needs a checked-out connection. Costs the NOOP and the
    kept threads' upkeep (nothing more when the folder did not change)."""
    selected = imap.select(folder, readonly=True, refresh=True)
    threads = folder_threads_kept(imap=imap, user_key=user_key, selected=selected, build_limit=build_limit)
    index = threads.index_of(uid) if threads is not None else None
    if threads is None or index is None:
        return None
    other = index + (step if order != "asc" else -step)
    if not 0 <= other < threads.count:
        return None
    return min(u for u, _d in threads.thread(other))

def _picklable_conversation(c: Conversation) -> Conversation:
    return dataclasses.replace(c, latest=_picklable(c.latest), messages=tuple((_picklable(m), d) for m, d in c.messages))


def _conversation(
    tree: list[tuple[int, int]], *, raw: dict[int, Any], flags: dict[int, frozenset[str]], show_recipient: bool, with_tree: bool,
    previews: dict[int, str] | None = None,
) -> Conversation | None:
    present = [(u, d) for u, d in tree if u in raw or u in flags]
    if not present:
        return None  # expunged since the threads were kept
    summaries = {u: summarize(raw[u], show_recipient=show_recipient, preview=(previews or {}).get(u, "")) for u, _d in present if u in raw}
    if not summaries:
        return None
    latest = summaries[max(summaries)]
    unread = sum(1 for u, _d in present if (u in summaries and not summaries[u].seen) or (u in flags and "\\Seen" not in flags[u]))
    by_age = [summaries[u] for u in sorted(summaries)]
    names: list[str] = []
    for m in by_age:
        if m.correspondent and m.correspondent not in names:
            names.append(m.correspondent)
    root = next((summaries[u] for u, _d in present if u in summaries), latest)
    return Conversation(
        uids=tuple(sorted(u for u, _d in present)),
        latest=latest,
        subject=root.subject or latest.subject,
        participants=tuple(names),
        count=len(present),
        unread=unread,
        flagged=any(m.flagged for m in summaries.values()) or any("\\Flagged" in f for f in flags.values() if f),
        has_attachment=any(m.has_attachment for m in summaries.values()),
        messages=tuple((summaries[u], d) for u, d in present if u in summaries) if with_tree else (),
    )


# -- one conversation ----------------------------------------------------------------------


@dataclass(frozen=True)
class ConversationMessage:
    folder: str
    uidvalidity: int
    message: MessageSummary
    expanded: bool
    own: bool  # from the Sent folder


@dataclass(frozen=True)
class OpenConversation:
    folder: str
    uid: int
    uidvalidity: int
    uids: tuple[int, ...]  # the conversation's messages in `folder` (what its actions apply to)
    subject: str
    messages: list[ConversationMessage]


def conversation_open(
    *, imap: ImapConnection, user_key: str, folder: str, uid: int, sent_folder: str | None, mark_read: bool,
    build_limit: int | None = None,
) -> OpenConversation | None:
    """The conversation holding `uid` (any of its messages): all its messages oldest first,
    the person's replies from Sent among them; the unread ones and the newest shown open,
    older read ones folded. Marks the unread ones read when `mark_read`. None when the
    folder's threads are not kept and it is too big to build them here (`folder_threads_kept`)."""
    selected = imap.select(folder, readonly=True, refresh=True)
    threads = folder_threads_kept(imap=imap, user_key=user_key, selected=selected, build_limit=build_limit)
    if threads is None:
        return None
    index = threads.index_of(uid)
    if index is None:
        raise MessageNotFound(f"{folder}/{uid}")
    uids = [u for u, _d in threads.thread(index)]
    raw = imap.fetch_summaries(uids)
    if uid not in raw:
        raise MessageNotFound(f"{folder}/{uid}")
    # In the order they were written (the Date header; the arrival where it has none).
    when = {(folder, u): _sent_at(r) for u, r in raw.items()}
    items = [(folder, selected.uidvalidity, summarize(raw[u]), False) for u in sorted(raw)]
    if sent_folder and sent_folder != folder:
        ids = [h.message_id for h in thread_headers(imap=imap, uids=sorted(raw)).values() if h.message_id and _searchable(h.message_id)]
        if ids:
            dated = [at for at in when.values() if at > 0]
            began = datetime.fromtimestamp(min(dated), tz=UTC) if dated else None
            sent, replies = _own_replies(imap=imap, sent_folder=sent_folder, ids=ids[-25:], began=began)
            mine = imap.fetch_summaries(replies) if replies else {}
            items += [(sent_folder, sent.uidvalidity, summarize(mine[u], show_recipient=True), True) for u in sorted(mine)]
            when.update({(sent_folder, u): _sent_at(r) for u, r in mine.items()})
    items.sort(key=lambda item: (when[(item[0], item[2].uid)], item[1], item[2].uid))
    unread = [m.uid for f, _v, m, _own in items if f == folder and not m.seen]
    if mark_read and unread:
        imap.select(folder, readonly=False)
        imap.add_flags(unread, ["\\Seen"])
    last = len(items) - 1
    messages = [
        ConversationMessage(folder=f, uidvalidity=v, message=m, expanded=(not m.seen) or i == last, own=own)
        for i, (f, v, m, own) in enumerate(items)
    ]
    first = summarize(raw[min(raw)])
    return OpenConversation(
        folder=folder, uid=uid, uidvalidity=selected.uidvalidity, uids=tuple(sorted(raw)), subject=first.subject, messages=messages
    )


#: How many of the newest Sent messages (since the conversation began) are read for replies on
#: a server whose header search cannot see References and In-Reply-To.
SENT_SCAN = 500


def _own_replies(*, imap: ImapConnection, sent_folder: str, ids: list[str], began: datetime | None) -> tuple[SelectedFolder, list[int]]:
    """The Sent folder (selected) and the UIDs there of the person's replies to the messages
    with these Message-IDs: one `UID SEARCH` of their References/In-Reply-To, or, on a server
    whose header search is blind to those (`ImapConnection.header_search_blind`: Dovecot with
    fts-xapian), the threading headers of the Sent mail since the conversation began (the
    newest `SENT_SCAN`)."""
    sent = imap.select(sent_folder, readonly=True)
    replies = imap.uids_referring_to(ids)
    if replies or not sent.exists or not imap.header_search_blind():
        return sent, replies
    if began is None:
        candidates = imap.uids_from(max(1, sent.uidnext - SENT_SCAN))
    else:
        candidates = imap.uids_since(began.date() - timedelta(days=1))  # a day early: time zones
    wanted = set(ids)
    headers = thread_headers(imap=imap, uids=candidates[-SENT_SCAN:])
    return sent, sorted(uid for uid, h in headers.items() if wanted & set(h.parent_ids()))


def _sent_at(raw: Any) -> float:
    for value in (raw.date_header, raw.internaldate):
        if isinstance(value, datetime):
            try:
                return value.timestamp()
            except (OverflowError, ValueError, OSError):
                continue
    return 0.0


def thread_nodes_of(threads: FolderThreads) -> list[ThreadNode]:
    """The kept threads as `ThreadNode`s (the tests compare them with the server's)."""
    out = []
    for tree in threads.threads():
        stack: list[ThreadNode] = []
        root: ThreadNode | None = None
        for uid, depth in tree:
            node = ThreadNode(uid)
            del stack[depth:]
            if stack:
                stack[-1].children.append(node)
            elif root is None:
                root = node
            else:
                root.children.append(node)  # a dummy's other children, under the first
            stack.append(node)
        if root is not None:
            out.append(root)
    return out
