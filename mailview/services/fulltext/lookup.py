"""Answering one folder's body search from the person's index, checked against the server.

The query's top-level terms made only of free words and phrases (with `-`, `OR` and
parentheses among them) are answered by the index: sets of UIDs. The other terms
(`from:`, `is:unread`, dates, ...) are one `UID SORT`/`SEARCH` on the server, whose UIDs
the index's are intersected with: that also drops every indexed UID that left the folder.
Without other terms the server is asked for all its UIDs only when the numbers say some
indexed mail left (indexed + unindexed ≠ EXISTS). Mail that arrived after the last fill
(UIDs from the index's `next_uid` on) is searched on the server with the whole query
(`UID <next>:* TEXT ...`): a scan of a few messages. The hits are ordered newest first
by arrival (kept in the index) like `REVERSE ARRIVAL`.

`None` means the index cannot answer this folder (not indexed far enough, another
UIDVALIDITY, a term without letters or digits): search the server instead.
"""
from __future__ import annotations

import heapq
import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from mailview.imap.connection import ImapConnection, SelectedFolder
from mailview.imap.query import Node, Not, Or, ParsedQuery, Term
from mailview.imap.search import query_keys
from mailview.textindex import TextIndex, fts_query

from .indexing import index_enabled, user_index_path

log = logging.getLogger(__name__)

#: More unindexed UIDs than this (an initial fill under way): the folder is not answered.
MAX_TAIL = 2000


@dataclass(frozen=True)
class IndexedHits:
    count: int
    newest: list[tuple[int, datetime]]  # (uid, arrival in UTC), newest first


def indexed_folder_search(
    *, imap: ImapConnection, user_pk: int, folder: str, query: ParsedQuery, wanted: int, fuzzy: bool = False,
    selected: SelectedFolder | None = None,
) -> IndexedHits | None:
    """The `wanted` newest matches of a body search in `folder` and how many there are, from
    the index; None when it cannot answer (see the module docstring). Needs a checked-out
    connection; asks the folder's STATUS, or uses its fresh `selected`, and EXAMINEs it only
    when the server has to search too."""
    try:
        return _indexed_folder_search(imap=imap, user_pk=user_pk, folder=folder, query=query, wanted=wanted, fuzzy=fuzzy, selected=selected)
    except sqlite3.Error:
        # Being created by the first fill right now, or damaged: the server searches instead.
        log.warning("full-text index unusable for a search", exc_info=True)
        return None


def _indexed_folder_search(
    *, imap: ImapConnection, user_pk: int, folder: str, query: ParsedQuery, wanted: int, fuzzy: bool = False,
    selected: SelectedFolder | None = None,
) -> IndexedHits | None:
    """The `wanted` newest matches of a body search in `folder` and how many there are, from
    the index; None when it cannot answer (see the module docstring). Needs a checked-out
    connection; EXAMINEs the folder (unless given its fresh `selected`)."""
    if not index_enabled():
        return None
    text_nodes = [n for n in query.nodes if _text_only(n)]
    if not text_nodes:
        return None
    path = user_index_path(user_pk)
    if not path.exists():
        return None
    if selected is None or selected.name != folder:
        current = imap.selected
        if current is not None and current.name == folder:
            selected = imap.select(folder, readonly=True, refresh=True)
        else:
            # STATUS, not SELECT: the index needs the folder's numbers, not the folder (a SELECT
            # of a 100k folder another connection used last costs a tenth of a second or more).
            counts = imap.folder_counts(folder)
            selected = SelectedFolder(
                name=folder, readonly=True, uidvalidity=counts.uidvalidity, exists=counts.messages, uidnext=counts.uidnext,
                highestmodseq=counts.highestmodseq,
            )
    with TextIndex.open(path, create=False) as index:
        entry = index.folder(folder)
        if entry is None or entry.uidvalidity != selected.uidvalidity or (entry.next_uid <= 1 and selected.exists):
            return None
        if selected.uidnext - entry.next_uid > MAX_TAIL:
            return None
        tail: list[int] = []
        if selected.uidnext > entry.next_uid:
            imap.select(folder, readonly=True, refresh=True)
            tail = imap.uids_from(entry.next_uid)
        other = [n for n in query.nodes if not _text_only(n)]
        other_query = ParsedQuery(tuple(other))
        needs_server = not other_query.is_empty and query_keys(other_query, in_body=True) != [b"ALL"]
        if not needs_server and entry.indexed + len(tail) == selected.exists and all(isinstance(n, Term) for n in text_nodes):
            # The common case: words and phrases only, nothing left the folder. SQLite counts
            # and orders; only the page's newest leave it.
            expressions = [fts_query(n.value) for n in text_nodes if isinstance(n, Term)]
            if all(e is not None for e in expressions):
                count, newest = index.newest(folder, " AND ".join(e for e in expressions if e), limit=wanted)
                return _with_tail(imap, query, fuzzy, entry.next_uid, tail, count, newest, wanted)
        everything: set[int] | None = None

        def all_uids() -> set[int]:
            nonlocal everything
            if everything is None:
                everything = set(index.uids(folder))
            return everything

        found: set[int] | None = None
        dates: dict[int, int] = {}
        for node in text_nodes:
            hits = _evaluate(node, index, folder, all_uids, dates)
            if hits is None:
                return None
            found = hits if found is None else found & hits
        assert found is not None
        if needs_server or entry.indexed + len(tail) != selected.exists:
            imap.select(folder, readonly=True, refresh=True)
        if needs_server:
            # The server decides the other terms (and which UIDs are still there).
            found &= set(imap.sorted_uids(sort="date", reverse=False, keys=_keys(other_query, fuzzy)))
        elif entry.indexed + len(tail) != selected.exists:
            found &= set(imap.all_uids())  # some indexed mail left the folder
        if missing := [uid for uid in found if uid not in dates]:  # only under a NOT
            dates.update(index.dates(folder, missing))
    ordered = heapq.nlargest(wanted, found, key=lambda uid: (dates.get(uid, 0), uid))
    return _with_tail(imap, query, fuzzy, entry.next_uid, tail, len(found), [(uid, dates.get(uid, 0)) for uid in ordered], wanted)


def _with_tail(
    imap: ImapConnection, query: ParsedQuery, fuzzy: bool, next_uid: int, tail: list[int], count: int, newest: list[tuple[int, int]], wanted: int
) -> IndexedHits:
    """The index's hits plus those among mail that arrived after the last fill (UIDs from
    `next_uid`), which the server searches with the whole query: a scan of a few messages."""
    if tail:
        keys = [b"UID", f"{next_uid}:*".encode(), *_keys(query, fuzzy)]
        late = [u for u in imap.sorted_uids(sort="date", reverse=False, keys=keys) if u >= next_uid]
        if late:
            count += len(late)
            for uid, when in imap.fetch_dates(late).items():
                if isinstance(when, datetime):
                    newest.append((uid, int((when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp())))
            newest = heapq.nlargest(wanted, newest, key=lambda pair: (pair[1], pair[0]))
    return IndexedHits(count=count, newest=[(uid, datetime.fromtimestamp(when, tz=UTC)) for uid, when in newest[:wanted]])


def _keys(query: ParsedQuery, fuzzy: bool) -> list[bytes]:
    return query_keys(query, in_body=True, fuzzy=fuzzy)


def _text_only(node: Node) -> bool:
    """Free words and phrases only (with NOT, OR, groups among them)."""
    if isinstance(node, Term):
        return node.op == "text" and not node.error
    if isinstance(node, Not):
        return _text_only(node.node)
    return bool(node.nodes) and all(_text_only(n) for n in node.nodes)


def _evaluate(node: Node, index: TextIndex, folder: str, all_uids: Callable[[], set[int]], dates: dict[int, int]) -> set[int] | None:
    """The UIDs a text-only node matches (None: it has a term the index cannot answer); the
    arrival dates of what the terms matched go into `dates`."""
    if isinstance(node, Term):
        expression = fts_query(node.value)
        if expression is None:
            return None
        matched = index.match_dated(folder, expression)
        dates.update(matched)
        return set(matched)
    if isinstance(node, Not):
        inner = _evaluate(node.node, index, folder, all_uids, dates)
        return None if inner is None else all_uids() - inner
    parts = [_evaluate(n, index, folder, all_uids, dates) for n in node.nodes]
    if any(p is None for p in parts):
        return None
    sets = [p for p in parts if p is not None]
    if isinstance(node, Or):
        return set().union(*sets)
    result = sets[0]
    for s in sets[1:]:
        result = result & s
    return result
