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
  conversation of another message referring to the same one), else starts its own;
- mail went away (EXISTS lower than the kept UIDs): one `UID SEARCH ALL`, the gone UIDs dropped;
- a new UIDVALIDITY, or nothing kept: the full THREAD (or every message's headers).

A new message joined only by subject (RFC 5256 step 5) is its own conversation until the next
full THREAD (after `THREADS_SECONDS`).
"""
from __future__ import annotations

import dataclasses
import hashlib
import logging
import re
from array import array
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from email.parser import BytesHeaderParser
from email.policy import compat32
from typing import Any

from redis.exceptions import RedisError

from mailview.imap.connection import ImapConnection, SelectedFolder
from mailview.imap.errors import MessageNotFound
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
    summarize,
)
from webmail.cache import optional_cache as cache
from webmail.redis_client import get_redis, key_prefix

log = logging.getLogger(__name__)

VIEWS = ("conversations", "threads", "flat")
# A folder's threads are kept this long; then one full THREAD (subject joins catch up).
THREADS_SECONDS = 24 * 3600
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
        return cls(selected.uidvalidity, selected.uidnext, selected.exists, uids, depths, starts, source)

    def threads(self) -> list[list[tuple[int, int]]]:
        return [self.thread(i) for i in range(self.count)]

    def packed(self) -> dict[str, Any]:
        return {
            "v": 1, "uidvalidity": self.uidvalidity, "uidnext": self.uidnext, "exists": self.exists, "source": self.source,
            "uids": self.uids.tobytes(), "depths": bytes(self.depths), "starts": self.starts.tobytes(),
        }

    @classmethod
    def unpacked(cls, data: dict[str, Any]) -> FolderThreads | None:
        if not isinstance(data, dict) or data.get("v") != 1:
            return None
        uids, starts = array("I"), array("I")
        uids.frombytes(data["uids"])
        starts.frombytes(data["starts"])
        return cls(data["uidvalidity"], data["uidnext"], data["exists"], uids, bytearray(data["depths"]), starts, data["source"])


def _folder_key(user_key: str, folder: str) -> str:
    return hashlib.sha256(f"{user_key}|{folder}".encode()).hexdigest()[:32]


def _cache_key(user_key: str, folder: str) -> str:
    return f"threads:{_folder_key(user_key, folder)}"


def _ids_key(user_key: str, folder: str, uidvalidity: int) -> str:
    """Redis hash: Message-ID → UID ("id:<msgid>"), and referenced id → a UID referring to it ("ref:<msgid>")."""
    return f"{key_prefix()}:threads:ids:{_folder_key(user_key, folder)}:{uidvalidity}"


def folder_threads(*, imap: ImapConnection, user_key: str, selected: SelectedFolder) -> FolderThreads:
    """The selected folder's conversations, from the cache brought up to date, or built."""
    key = _cache_key(user_key, selected.name)
    kept = FolderThreads.unpacked(cache.get(key))
    if kept is not None and kept.uidvalidity == selected.uidvalidity and selected.uidnext:
        if kept.uidnext == selected.uidnext and kept.exists == selected.exists:
            return kept
        updated = _update(imap=imap, user_key=user_key, kept=kept, selected=selected)
        if updated is not None:
            cache.set(key, updated.packed(), THREADS_SECONDS)
            return updated
    built = _build(imap=imap, user_key=user_key, selected=selected)
    cache.set(key, built.packed(), THREADS_SECONDS)
    return built


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


def thread_headers(*, imap: ImapConnection, uids: Iterable[int]) -> dict[int, ThreadHeaders]:
    """Each message's threading headers, decoded (one FETCH, in chunks)."""
    parser = BytesHeaderParser(policy=compat32)
    out: dict[int, ThreadHeaders] = {}
    for uid, (raw, internaldate) in imap.fetch_thread_headers(uids).items():
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


def _update(*, imap: ImapConnection, user_key: str, kept: FolderThreads, selected: SelectedFolder) -> FolderThreads | None:
    """`kept` brought up to the folder's state: new mail joined to its conversations, gone
    mail dropped; None when a full build is cheaper or needed."""
    threads = kept.threads()
    if selected.uidnext > kept.uidnext:
        new = imap.uids_from(kept.uidnext)
        if len(new) > 5000:
            return None  # a big import: one full THREAD is cheaper
        if new:
            _join_new(imap=imap, user_key=user_key, selected=selected, threads=threads, new=new)
    if sum(len(t) for t in threads) != selected.exists:
        present = set(imap.all_uids())
        threads = [[(u, d) for u, d in t if u in present] for t in threads]
    return FolderThreads.of(threads, selected=selected, source=kept.source)


def _join_new(*, imap: ImapConnection, user_key: str, selected: SelectedFolder, threads: list[list[tuple[int, int]]], new: list[int]) -> None:
    headers = thread_headers(imap=imap, uids=new)
    where: dict[int, int] = {u: i for i, t in enumerate(threads) for u, _d in t}
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
        parent: int | None = None
        for ref in reversed(h.parent_ids()):
            candidate = known.get(f"id:{ref}")
            if candidate is not None and candidate in where:
                parent = candidate
                break
        sibling = None
        if parent is None:
            sibling = next((refs[f"ref:{r}"] for r in reversed(h.parent_ids()[-3:]) if refs.get(f"ref:{r}") in where), None)
        if parent is not None:
            thread = threads[where[parent]]
            at = next(i for i, (u, _d) in enumerate(thread) if u == parent)
            depth = thread[at][1] + 1
            end = at + 1
            while end < len(thread) and thread[end][1] >= depth:
                end += 1
            thread.insert(end, (uid, depth))
            where[uid] = where[parent]
        elif sibling is not None:
            thread = threads[where[sibling]]
            depth = next(d for u, d in thread if u == sibling)
            thread.append((uid, depth))
            where[uid] = where[sibling]
        else:
            threads.append([(uid, 0)])
            where[uid] = len(threads) - 1
        if h.message_id:
            known[f"id:{h.message_id}"] = uid
        for ref in h.parent_ids()[-3:]:
            refs.setdefault(f"ref:{ref}", uid)
    _remember_ids(user_key, selected, headers.values())


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
) -> ConversationPage:
    """One page of a folder's conversations, newest first (`order` "asc": oldest first).
    IMAP: NOOP, the thread cache's upkeep (nothing when the folder did not change), one FETCH
    of the newest `ROW_MESSAGES` of each of the page's conversations and, for longer ones, one
    FETCH FLAGS of the rest.

    `known` (the folder's synced state, while a watcher watches the person): the page is kept
    under that state, as `messages.message_page` keeps its rows, so an unchanged folder's page
    needs no IMAP at all (with CONDSTORE; without it the rows are built again)."""
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    page = max(1, page)
    key = ""
    if known is not None:
        state = f"{user_key}|{folder}|{known.cache_token}|{page}|{per_page}|{order}|{view}|{show_recipient}"
        key = "live-conversations:" + hashlib.sha256(state.encode()).hexdigest()
        hit = cache.get(key)
        if hit is not None:
            total, rows = hit
            return ConversationPage(
                folder=folder, selected=_selection_of(known), page=page, per_page=per_page, total=total, order=order, view=view,
                conversations=rows,
            )
    selected = imap.select(folder, readonly=True, refresh=True)
    threads = folder_threads(imap=imap, user_key=user_key, selected=selected)
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
    if known is not None and known.highestmodseq is not None and selected.uidvalidity == known.uidvalidity:
        # Asked after a NOOP, so at least as new as `known`; every flag change makes a new state.
        cache.set(key, (total, [_picklable_conversation(c) for c in conversations]), KNOWN_PAGE_SECONDS)
    _remember_labels(user_key, [m for c in conversations for m in (c.latest, *(m for m, _d in c.messages))])
    return ConversationPage(
        folder=folder, selected=selected, page=page, per_page=per_page, total=total, order=order, view=view, conversations=conversations
    )


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
    *, imap: ImapConnection, user_key: str, folder: str, uid: int, sent_folder: str | None, mark_read: bool
) -> OpenConversation:
    """The conversation holding `uid` (any of its messages): all its messages oldest first,
    the person's replies from Sent among them; the unread ones and the newest shown open,
    older read ones folded. Marks the unread ones read when `mark_read`."""
    selected = imap.select(folder, readonly=True, refresh=True)
    threads = folder_threads(imap=imap, user_key=user_key, selected=selected)
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
            sent = imap.select(sent_folder, readonly=True)
            replies = imap.uids_referring_to(ids[-25:])
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
