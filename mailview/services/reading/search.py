"""Searching every folder at once: one list of results, newest first, paged.

The query is parsed once (`mailview.imap.query`) and becomes the same SEARCH keys in
every folder. Servers that search several mailboxes in one command (RFC 7377
MULTISEARCH) are rare; Dovecot 2.3 does not advertise it, so each folder is searched
on its own, in parallel on as many of the person's pooled connections as are free at
once (never more than the pool allows: extra ones are taken only when free, without
waiting), each folder in two steps:

1. `UID SORT RETURN (COUNT PARTIAL 1:N) (REVERSE ARRIVAL)`: how many match, and the N
   newest (N = the last position of the page asked for), then their INTERNALDATE;
2. after merging every folder's newest by date, one FETCH of the list-row items for
   the page's messages, per folder that has any on the page.

The whole search has a deadline (`deadline` seconds): folders not searched by then are
named in the result ("not searched in time"), and the page says so, instead of waiting
for a slow server. A folder still being searched at the deadline finishes on its own
connection, which goes back to the pool when it is done.
"""
from __future__ import annotations

import dataclasses
import hashlib
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from concurrent.futures import wait as wait_futures
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

import redis
from django.core.cache import cache

from mailview.imap.connection import ImapConnection
from mailview.imap.errors import ImapError
from mailview.imap.query import ParsedQuery, parse_query
from mailview.imap.search import query_keys
from mailview.services.fulltext.lookup import indexed_folder_search
from mailview.services.reading.folders import FolderInfo
from mailview.services.reading.labels import labels_remember
from mailview.services.reading.messages import MAX_PER_PAGE, MessageSummary, Paging, message_previews, previews_kept, summarize

log = logging.getLogger(__name__)
T = TypeVar("T")

#: Folders left out of "all folders" unless asked for (`in:trash`, `in:anywhere`, the checkbox).
SKIPPED_BY_DEFAULT = ("trash", "junk")
#: `in:` values that mean "every folder, Trash and Junk too".
EVERYWHERE = ("anywhere", "all", "*")
#: How long a folder's matches are kept (the key changes whenever the folder does).
CACHE_SECONDS = 600
#: How deep into the merged list a page may go (N newest per folder are fetched for it).
MAX_POSITION = 5000

SessionFactory = Callable[[float | None], AbstractContextManager[ImapConnection]]


@dataclass(frozen=True)
class SearchHit:
    folder: str
    folder_display: str
    message: MessageSummary


@dataclass(frozen=True)
class FolderCount:
    folder: str
    display_name: str
    count: int


@dataclass(frozen=True)
class SearchResults(Paging):
    query: ParsedQuery
    text: str
    in_body: bool
    page: int
    per_page: int
    total: int
    hits: list[SearchHit]
    folders: list[FolderInfo]  # the scope, in tree order
    counts: list[FolderCount] = field(default_factory=list)  # folders with matches
    late: list[FolderInfo] = field(default_factory=list)  # not searched in time
    failed: list[FolderInfo] = field(default_factory=list)  # the server refused (gone, no access)
    connections: int = 1
    # Body search: folders searched on the server because the index could not answer them.
    unindexed: list[FolderInfo] = field(default_factory=list)
    pending: list[FolderInfo] = field(default_factory=list)  # still being searched (see `search_progress`)
    run_id: str = ""  # the run to ask about (`search_progress`, `search_cancel`), when `pending`
    cancelled: bool = False  # the person stopped it: `late` were not searched

    @property
    def pages(self) -> int:
        return max(1, -(-min(self.total, MAX_POSITION) // self.per_page))

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.hits else 0

    @property
    def last_index(self) -> int:
        return self.first_index + len(self.hits) - 1 if self.hits else 0

    @property
    def complete(self) -> bool:
        return not self.late and not self.failed and not self.pending


def search_scope(*, folders: Iterable[FolderInfo], query: ParsedQuery, include_all: bool = False) -> list[FolderInfo]:
    """The folders a search covers: every selectable one except Trash and Junk, unless the
    query names folders (`in:Name`, by IMAP name, display name or special use such as
    `in:sent`), says `in:anywhere`, or `include_all`. `-in:Name` leaves a folder out."""
    selectable = [f for f in folders if f.selectable]
    wanted, excluded = query.folders()
    everywhere = include_all or any(w.lower() in EVERYWHERE for w in wanted)
    named = [w for w in wanted if w.lower() not in EVERYWHERE]
    if named:
        scope = [f for f in selectable if any(_folder_matches(f, w) for w in named)]
    elif everywhere:
        scope = selectable
    else:
        scope = [f for f in selectable if f.special_use not in SKIPPED_BY_DEFAULT]
    return [f for f in scope if not any(_folder_matches(f, x) for x in excluded)]


def _folder_matches(folder: FolderInfo, name: str) -> bool:
    low = name.casefold()
    return folder.name.casefold() == low or folder.display_name.casefold() == low or (folder.special_use or "") == low


@dataclass
class _FolderHead:
    """One folder's matches: how many, and the newest with their dates."""

    folder: FolderInfo
    count: int
    newest: list[tuple[int, datetime]]
    indexed: bool = False  # answered by the full-text index


def message_search(
    *,
    session: SessionFactory,
    folders: list[FolderInfo],
    text: str,
    in_body: bool,
    page: int,
    per_page: int,
    deadline: float,
    max_connections: int,
    by_recipient: Iterable[str] = (),
    user_key: str = "",
    answer_within: float | None = None,
    run_id: str = "",
) -> SearchResults:
    """Search `folders` (see `search_scope`) for `text` and return one page of results
    merged newest first. `session(timeout)` checks a connection out of the pool (None:
    wait as usual; 0: only if one is free now); at most `max_connections` are used.
    Folders in `by_recipient` (Sent, Drafts) show the recipient in their rows. With a
    `user_key`, each folder's matches are cached until the folder changes.

    Streaming (a `run_id` and a `user_key`): the page is answered after `answer_within`
    seconds with the folders searched by then; the others go on being searched in the
    background (until `deadline`) and their matches are kept under the run
    (`search_progress` says how far it is, `search_cancel` stops it). Called again with the
    same run, the kept matches are used and nothing is searched twice: folders still
    running are `pending`, folders stopped or out of time `late`."""
    query = parse_query(text)
    keys = query_keys(query, in_body=in_body)
    # Body text is looked up in the person's full-text index where it can answer.
    indexed_query = query if in_body and user_key.isdigit() and query.has_text() else None
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    page = max(1, min(page, -(-MAX_POSITION // per_page)))
    wanted = page * per_page
    recipients = set(by_recipient)
    started = time.monotonic()
    results = SearchResults(query=query, text=text, in_body=in_body, page=page, per_page=per_page, total=0, hits=[], folders=folders)
    if not folders:
        return results

    run = _Run(user_key, run_id, folders, keys, wanted) if run_id and user_key else None
    kept = run.load() if run is not None else None
    pending: list[FolderInfo] = []
    cancelled = False
    if kept is not None:
        # A later look at a run: what it found so far, the rest named, nothing searched again.
        heads = [_FolderHead(f, *kept.heads[f.name]) for f in folders if f.name in kept.heads]
        failed = [f for f in folders if f.name in kept.failed]
        late = [f for f in folders if f.name in kept.skipped]
        pending = [f for f in folders if f.name in kept.pending]
        cancelled = kept.cancelled
        answer_by = started + deadline
    else:
        if run is not None:
            run.start()
        answer_by = started + (deadline if answer_within is None else min(answer_within, deadline))
    with _Workers(
        session, max_connections=min(max_connections, len(folders)), deadline=answer_by, work_until=started + deadline,
        cancelled=run.cancelled if run is not None else (lambda: False),
    ) as workers:
        if kept is None:
            heads, late, failed = workers.map(
                lambda imap, f: _folder_head(imap, f, keys, wanted, user_key, indexed_query), folders, keep_going=run is not None,
                record=run.record if run is not None else None,
            )
            if run is not None:
                pending, late = late, []  # still being searched, in the background
        merged = sorted(
            ((when, head.folder, uid) for head in heads for uid, when in head.newest),
            key=lambda item: (item[0], item[1].name, item[2]),
            reverse=True,
        )
        on_page = merged[(page - 1) * per_page : wanted]
        page_folders = {f.name: f for _, f, _ in on_page}
        uids_of: dict[str, list[int]] = {name: [uid for _, f, uid in on_page if f.name == name] for name in page_folders}
        workers.extend(started + deadline)  # the page's rows: before any folder still searched
        summaries, late2, failed2 = workers.map(
            lambda imap, f: (f.name, _rows(imap, f.name, uids_of[f.name], show_recipient=f.name in recipients, user_key=user_key)),
            list(page_folders.values()),
            urgent=True,
        )
        rows = dict(summaries)
        connections = workers.opened
    hits = [
        SearchHit(folder=f.name, folder_display=f.display_name, message=rows[f.name][uid])
        for _, f, uid in on_page
        if f.name in rows and uid in rows[f.name]
    ]
    if user_key:
        labels_remember(user_key=user_key, labels={label for hit in hits for label in hit.message.labels})
    return SearchResults(
        query=query,
        text=text,
        in_body=in_body,
        page=page,
        per_page=per_page,
        total=sum(h.count for h in heads),
        hits=hits,
        folders=folders,
        counts=[FolderCount(h.folder.name, h.folder.display_name, h.count) for h in heads if h.count],
        late=late + [f for f in late2 if f not in late],
        failed=failed + [f for f in failed2 if f not in failed],
        connections=connections,
        unindexed=[h.folder for h in heads if not h.indexed] if indexed_query is not None else [],
        pending=pending,
        run_id=run_id if run is not None else "",
        cancelled=cancelled,
    )


def _folder_head(
    imap: ImapConnection, folder: FolderInfo, keys: list[bytes], wanted: int, user_key: str, indexed_query: ParsedQuery | None = None
) -> _FolderHead:
    fuzzy = indexed_query is not None and imap.fuzzy_search
    if indexed_query is not None:
        # Before any SELECT: the index needs only the folder's STATUS.
        hits = indexed_folder_search(imap=imap, user_pk=int(user_key), folder=folder.name, query=indexed_query, wanted=wanted, fuzzy=fuzzy)
        if hits is not None:
            return _FolderHead(folder, hits.count, hits.newest, indexed=True)
    plain_keys = keys
    if fuzzy and indexed_query is not None:
        keys = query_keys(indexed_query, in_body=True, fuzzy=True)
    selected = imap.select(folder.name, readonly=True, refresh=True)
    if not selected.exists:
        return _FolderHead(folder, 0, [], indexed=indexed_query is None)
    # Any change to the folder (mail in or out, any flag: HIGHESTMODSEQ) changes the key, so a
    # repeated search (the next page, back from a message) costs one SELECT per folder.
    cache_key = None
    if selected.highestmodseq is not None and user_key:
        state = (
            f"{user_key}|{selected.name}|{selected.uidvalidity}|{selected.exists}|{selected.uidnext}|{selected.highestmodseq}"
            f"|{wanted}|{b' '.join(keys)!r}"
        )
        cache_key = "search-head:" + hashlib.sha256(state.encode()).hexdigest()
        kept = _cache_get(cache_key)
        if isinstance(kept, tuple) and len(kept) == 2:
            return _FolderHead(folder, kept[0], kept[1])
    count, uids = _newest_matches(imap, keys, wanted)
    if fuzzy and not count:
        # A server may advertise FUZZY and find nothing with it (Cyrus without a search engine).
        count, uids = _newest_matches(imap, plain_keys, wanted)
        if count:
            imap.fuzzy_found_nothing()
    dates = imap.fetch_dates(uids)
    epoch = datetime.min.replace(tzinfo=UTC)
    # A message expunged since the SORT has no date: it is left out.
    # In UTC: comparable across folders, and picklable for the cache (imapclient's own
    # FixedOffset zones are not).
    newest = [(uid, when.astimezone(UTC) if isinstance(when, datetime) else epoch) for uid in uids if uid in dates for when in (dates[uid],)]
    if cache_key is not None:
        _cache_set(cache_key, (count, newest))
    return _FolderHead(folder, count, newest)


def _newest_matches(imap: ImapConnection, keys: list[bytes], wanted: int) -> tuple[int, list[int]]:
    """How many messages of the selected folder match `keys`, and the `wanted` newest."""
    partial = imap.sorted_page(sort="date", reverse=True, first=1, last=wanted, keys=keys)
    if partial is not None:
        return partial
    everything = imap.sorted_uids(sort="date", reverse=True, keys=keys)
    return len(everything), everything[:wanted]


# The cache only saves work: with Redis down a search still runs, uncached.
_CACHE_DOWN = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


def _cache_get(key: str) -> object:
    try:
        return cache.get(key)
    except _CACHE_DOWN:
        return None


def _cache_set(key: str, value: object, seconds: int = CACHE_SECONDS) -> None:
    try:
        cache.set(key, value, seconds)
    except _CACHE_DOWN:
        pass


def _rows(imap: ImapConnection, folder: str, uids: list[int], *, show_recipient: bool, user_key: str) -> dict[int, MessageSummary]:
    selected = imap.select(folder, readonly=True)
    kept = previews_kept(user_key=user_key, folder=folder, uidvalidity=selected.uidvalidity, uids=uids)
    raw = imap.fetch_list_rows(uids, preview=[u for u in uids if u not in kept], recipients=show_recipient)
    previews = message_previews(imap=imap, raw=raw, folder=folder, uidvalidity=selected.uidvalidity, user_key=user_key, kept=kept)
    return {uid: summarize(raw[uid], show_recipient=show_recipient, preview=previews.get(uid, "")) for uid in uids if uid in raw}


class _Workers:
    """Up to `max_connections` pooled connections, each with one thread that takes jobs
    from one queue (urgent jobs first: a page's rows go before folders still searched in
    the background).

    The first connection is checked out as any request's (waiting if need be), the others
    only if free at once. Connections are checked out in the caller's thread (opening one
    reads the person's credentials from the database) and handed to the threads; each goes
    back to the pool as soon as no job is left for it, even after the caller stopped waiting.
    A job not started by `work_until`, or once `cancelled()` says so, is not run (`_LATE`).
    """

    def __init__(
        self, session: SessionFactory, *, max_connections: int, deadline: float, work_until: float | None = None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> None:
        self._session = session
        self._max = max(1, max_connections)
        self._deadline = deadline
        self._work_until = max(deadline, work_until or deadline)
        self._cancelled = cancelled
        self._jobs: deque[tuple[Future[Any], Callable[[ImapConnection], Any]]] = deque()
        self._ready = threading.Condition()
        self._closing = False
        self._threads: list[threading.Thread] = []
        self.opened = 0

    def __enter__(self) -> _Workers:
        for index in range(self._max):
            hold = self._session(None if index == 0 else 0.0)
            try:
                connection = hold.__enter__()
            except ImapError:  # PoolTimeout, PoolBusy, a failed login
                if index == 0:
                    raise
                break  # the extra ones are a bonus: search on the ones there are
            thread = threading.Thread(target=self._serve, args=(hold, connection), name="search", daemon=True)
            self._threads.append(thread)
        self.opened = len(self._threads)
        for thread in self._threads:
            thread.start()
        return self

    def _serve(self, hold: AbstractContextManager[ImapConnection], connection: ImapConnection) -> None:
        try:
            while True:
                with self._ready:
                    while not self._jobs and not self._closing:
                        self._ready.wait()
                    if not self._jobs:
                        return
                    future, job = self._jobs.popleft()
                if not future.set_running_or_notify_cancel():
                    continue
                try:
                    future.set_result(job(connection))
                except Exception as exc:  # noqa: BLE001 - a bug, not the server: the caller sees it raised
                    future.set_exception(exc)
        finally:
            _release([hold])

    def submit(self, work: Callable[[ImapConnection, FolderInfo], T], folder: FolderInfo, *, urgent: bool = False,
               record: Callable[[FolderInfo, object], None] | None = None) -> Future[Any]:
        future: Future[Any] = Future()

        def job(connection: ImapConnection) -> object:
            outcome = self._run(work, folder, connection)
            if record is not None:
                try:
                    record(folder, outcome)
                except Exception:  # the progress is a convenience: never lose the search for it
                    log.exception("could not record a folder's search")
            return outcome

        with self._ready:
            (self._jobs.appendleft if urgent else self._jobs.append)((future, job))
            self._ready.notify()
        return future

    def map(
        self, work: Callable[[ImapConnection, FolderInfo], T], folders: list[FolderInfo], *, urgent: bool = False,
        keep_going: bool = False, record: Callable[[FolderInfo, object], None] | None = None,
    ) -> tuple[list[T], list[FolderInfo], list[FolderInfo]]:
        """Run `work` for each folder on a free connection until the deadline: (results in
        folder order, folders not done in time, folders the server refused). With
        `keep_going`, folders not done by the deadline go on being searched (until
        `work_until`) and `record` hears of each folder's outcome."""
        futures = [self.submit(work, folder, urgent=urgent, record=record) for folder in folders]
        wait_futures(futures, timeout=max(0.0, self._deadline - time.monotonic()))
        done: list[T] = []
        late: list[FolderInfo] = []
        failed: list[FolderInfo] = []
        for folder, future in zip(folders, futures, strict=True):
            if not future.done():
                if not keep_going:
                    future.cancel()
                late.append(folder)
                continue
            outcome = future.result()
            if outcome is _LATE:
                late.append(folder)
            elif outcome is _FAILED:
                failed.append(folder)
            else:
                done.append(outcome)
        return done, late, failed

    def extend(self, deadline: float) -> None:
        """Wait for the next `map` until `deadline` (never past `work_until`)."""
        self._deadline = min(max(self._deadline, deadline), self._work_until)

    def _run(self, work: Callable[[ImapConnection, FolderInfo], T], folder: FolderInfo, connection: ImapConnection) -> Any:
        if time.monotonic() >= self._work_until or self._cancelled():
            return _LATE
        try:
            return work(connection, folder)
        except ImapError as exc:
            log.info("search in a folder failed: %s", type(exc).__name__)
            return _FAILED

    def __exit__(self, *exc: object) -> None:
        # Jobs still queued (folders searched on in the background) are run by the threads,
        # which then return their connections; cancelled ones are skipped.
        with self._ready:
            self._closing = True
            self._ready.notify_all()


def _release(holds: list[AbstractContextManager[ImapConnection]]) -> None:
    for hold in holds:
        try:
            hold.__exit__(None, None, None)
        except Exception:
            log.exception("could not return a search connection to the pool")


_LATE = object()
_FAILED = object()


#: How long a search run's progress is kept (a page that polls it is open meanwhile).
RUN_SECONDS = 600
_run_locks: dict[str, threading.Lock] = {}
_run_locks_guard = threading.Lock()


@dataclass(frozen=True)
class SearchProgress:
    """How far a search run is: folders with their matches kept, refused, skipped (stopped
    or out of time), and still running."""

    folders: list[str]
    heads: dict[str, tuple[int, list[tuple[int, datetime]]]]
    failed: list[str]
    skipped: list[str]
    cancelled: bool

    @property
    def pending(self) -> list[str]:
        over = set(self.heads) | set(self.failed) | set(self.skipped)
        return [f for f in self.folders if f not in over]

    @property
    def finished(self) -> bool:
        return not self.pending


def _run_key(user_key: str, run_id: str) -> str:
    return f"search-run:{user_key}:{run_id}"


def _cancel_key(user_key: str, run_id: str) -> str:
    return f"search-cancel:{user_key}:{run_id}"


class _Run:
    """One streaming search's progress in the cache, written by the threads searching it
    (all in one process: a lock per run makes each read-change-write whole)."""

    def __init__(self, user_key: str, run_id: str, folders: list[FolderInfo], keys: list[bytes], wanted: int) -> None:
        self.key = _run_key(user_key, run_id)
        self.cancel_key = _cancel_key(user_key, run_id)
        self.folders = [f.name for f in folders]
        self.signature = hashlib.sha256(f"{self.folders!r}|{b' '.join(keys)!r}|{wanted}".encode()).hexdigest()
        with _run_locks_guard:
            self.lock = _run_locks.setdefault(self.key, threading.Lock())

    def load(self) -> SearchProgress | None:
        """The run's progress if it is this search (same folders, keys and depth)."""
        kept = _cache_get(self.key)
        if not isinstance(kept, dict) or kept.get("signature") != self.signature:
            return None
        progress = _progress_of(kept)
        return dataclasses.replace(progress, cancelled=True) if self.cancelled() else progress

    def start(self) -> None:
        _cache_set(self.key, {"signature": self.signature, "folders": self.folders, "heads": {}, "failed": [], "skipped": []}, RUN_SECONDS)

    def cancelled(self) -> bool:
        return bool(_cache_get(self.cancel_key))

    def record(self, folder: FolderInfo, outcome: object) -> None:
        with self.lock:
            kept = _cache_get(self.key)
            if not isinstance(kept, dict) or kept.get("signature") != self.signature:
                return
            if isinstance(outcome, _FolderHead):
                kept["heads"][folder.name] = (outcome.count, outcome.newest)
            else:
                kept["failed" if outcome is _FAILED else "skipped"].append(folder.name)
            _cache_set(self.key, kept, RUN_SECONDS)
            if all(name in kept["heads"] or name in kept["failed"] or name in kept["skipped"] for name in self.folders):
                with _run_locks_guard:
                    _run_locks.pop(self.key, None)


def _progress_of(kept: dict[str, Any]) -> SearchProgress:
    return SearchProgress(
        folders=list(kept["folders"]), heads=dict(kept["heads"]), failed=list(kept["failed"]), skipped=list(kept["skipped"]),
        cancelled=bool(kept.get("cancelled")),
    )


def search_progress(*, user_key: str, run_id: str) -> SearchProgress | None:
    """How far a streaming search is (any process may ask: it is in the cache); None when
    there is no such run (never started, another person's, or forgotten)."""
    kept = _cache_get(_run_key(user_key, run_id))
    if not isinstance(kept, dict):
        return None
    progress = _progress_of(kept)
    if bool(_cache_get(_cancel_key(user_key, run_id))):
        progress = dataclasses.replace(progress, cancelled=True)
    return progress


def search_cancel(*, user_key: str, run_id: str) -> bool:
    """Stop a streaming search: folders not started yet are not searched (the one being
    searched on each connection finishes). False when there is no such run."""
    if _cache_get(_run_key(user_key, run_id)) is None:
        return False
    _cache_set(_cancel_key(user_key, run_id), 1, RUN_SECONDS)
    return True
