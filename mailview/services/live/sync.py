"""Background sync: fetch exactly what changed in some folders since the last sync, keep
each folder's state in Redis (`state.py`) and publish typed events (`events.py`).

Called by the `mailview.sync_folders` task (the watcher sends it on a change; filing and
sending send it after they changed folders). Per folder:

1. `STATUS (MESSAGES UNSEEN UIDNEXT UIDVALIDITY HIGHESTMODSEQ)`; nothing else when it
   equals the kept state (a sync of an unchanged folder costs one round trip). The folder the
   connection still has selected (from the last sync) is caught up in place instead: NOOP,
   then STATUS of the session's view (`ImapConnection.selected_counts`), and step 3 runs on
   that selection without a new EXAMINE.
2. No kept state: record it, publish nothing (the open pages show the server's state).
   Another UIDVALIDITY: record it, publish `resync` (every UID the pages hold is void).
3. Else EXAMINE, and with CONDSTORE `UID FETCH 1:<known UIDNEXT-1> (FLAGS)
   (CHANGEDSINCE <known modseq> VANISHED)` (QRESYNC enabled first) for changed flags and
   expunged UIDs; new mail is `UID SEARCH UID <known UIDNEXT>:*`, FETCHed as list rows
   (with the threading headers when the folder's conversations are kept: they take the new
   mail from that answer, no SEARCH or FETCH of their own).
   Without CONDSTORE: the new UIDs plus the flags of the newest `TOP_SIZE` known
   messages (the first page); when the numbers do not add up, `resync`.
4. `counts` with every synced folder when any folder's counts changed.

A lock per person makes concurrent syncs (the watcher's and a filing task's) run one after
the other, so no change is published twice; a second run finds nothing new.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from django.utils import timezone

from mailview.imap.connection import ImapConnection, RawSummary
from mailview.imap.errors import ImapError, MailboxNotFound
from mailview.mime.preview import preview_from_server
from mailview.services.reading.conversations import NewMail, kept_threads_with_new_mail, threads_kept_for_sync
from mailview.services.reading.messages import MessageSummary, labels_of, summarize
from mailview.services.special_folders import special_folders
from webmail.redis_client import get_redis, key_prefix

from . import events
from .state import FolderState, folder_states, folder_states_save, now, redis_clock

log = logging.getLogger(__name__)

# More changes than this in one folder are not sent row by row: the pages reload instead.
MAX_DELTA = 500
# Without CONDSTORE, the flags of this many newest messages are compared (the first page).
TOP_SIZE = 50
LOCK_SECONDS = 120

RenderRows = Callable[[list[MessageSummary], str], str]


class SyncBusy(Exception):
    """Another sync of the same person held the lock for too long: try again later."""


@dataclass
class FolderDelta:
    """What one folder's sync found (before it is published)."""

    state: FolderState | None  # None: the folder is gone
    resync: bool = False
    added: list[RawSummary] = field(default_factory=list)
    flags: dict[int, frozenset[str]] = field(default_factory=dict)
    vanished: list[int] = field(default_factory=list)
    counts_changed: bool = False
    # Which added UIDs are a conversation of their own (None: the folder's conversations are not kept).
    alone: set[int] | None = None


@dataclass(frozen=True)
class SyncResult:
    folders: list[str]
    events: list[str]  # ids of the published events


def folders_sync(
    *, imap: ImapConnection, user_pk: int, folders: list[str], render_rows: RenderRows, reason: str = "", lock_timeout: float = 60.0
) -> SyncResult:
    """Sync `folders` of the person and publish what changed. Needs a checked-out
    connection (it may UNSELECT once to enable QRESYNC, then EXAMINEs changed folders)."""
    wanted = list(dict.fromkeys(f for f in folders if f))
    if reason == "sent":
        found = special_folders(imap=imap, user_key=str(user_pk))
        wanted = list(dict.fromkeys([*(name for name in (found.sent, found.drafts) if name), *wanted]))
    if not wanted:
        return SyncResult(folders=[], events=[])
    redis: Any = get_redis()
    lock = redis.lock(f"{key_prefix()}:live:sync-lock:{int(user_pk)}", timeout=LOCK_SECONDS, blocking_timeout=lock_timeout)
    if not lock.acquire():
        raise SyncBusy(f"sync of user {user_pk} is busy")
    home = imap.selected.name if imap.selected is not None else None
    try:
        result = _sync_locked(imap=imap, user_pk=user_pk, folders=wanted, render_rows=render_rows)
    finally:
        try:
            lock.release()
        except Exception:  # noqa: BLE001 - expired meanwhile: nothing to release
            pass
    _reselect(imap, home)
    return result


def _reselect(imap: ImapConnection, folder: str | None) -> None:
    """After the events went out: select again the folder this sync found selected and had to
    leave (another changed folder was EXAMINEd), so the next sync of it (most often INBOX)
    is caught up in place instead of paying a new EXAMINE while a tab waits."""
    if folder is None or (imap.selected is not None and imap.selected.name == folder):
        return
    try:
        imap.select(folder, readonly=True)
    except ImapError:  # gone or broken: the next sync selects what it needs anyway
        pass


def _sync_locked(*, imap: ImapConnection, user_pk: int, folders: list[str], render_rows: RenderRows) -> SyncResult:
    started = redis_clock()  # before the server is asked: changes marked until now are seen (state.folder_states_changed)
    token = events.watch_token(user_pk)  # read first: state synced from here on is current under it
    known = folder_states(user_pk=user_pk)
    imap.enable_qresync()
    deltas: dict[str, FolderDelta] = {}
    # The folder still selected from the last sync first: it is caught up without a new EXAMINE.
    kept = imap.selected.name if imap.selected is not None else None
    for folder in sorted(folders, key=lambda name: name != kept):
        try:
            deltas[folder] = _folder_delta(imap=imap, folder=folder, known=known.get(folder), token=token, user_pk=user_pk)
        except MailboxNotFound:
            deltas[folder] = FolderDelta(state=None)
    # Saved before publishing: a crash between the two loses events (the pages' slow poll
    # and the next resync catch up), never publishes them twice.
    folder_states_save(
        user_pk=user_pk,
        states=[d.state for d in deltas.values() if d.state is not None],
        forget=[name for name, d in deltas.items() if d.state is None and name in known],
        synced_since=started,
    )
    published: list[str] = []
    recipients_shown: set[str] | None = None
    for folder, delta in deltas.items():
        if delta.state is None:
            continue
        validity = delta.state.uidvalidity
        if delta.resync:
            published.append(events.publish(user_pk, "resync", {"folder": folder}))
            continue
        if delta.vanished:
            published.append(events.publish(user_pk, "vanished", {"folder": folder, "uidvalidity": validity, "uids": delta.vanished}))
        if delta.flags:
            changes = [_flag_change(uid, flags) for uid, flags in sorted(delta.flags.items())]
            published.append(events.publish(user_pk, "flags", {"folder": folder, "uidvalidity": validity, "changes": changes}))
        if delta.added:
            if recipients_shown is None:
                found = special_folders(imap=imap, user_key=str(user_pk))
                recipients_shown = {name for name in (found.sent, found.drafts) if name}
            rows = _rows(delta.added, folder=folder, show_recipient=folder in recipients_shown, render_rows=render_rows, alone=delta.alone)
            published.append(events.publish(user_pk, "rows_added", {"folder": folder, "uidvalidity": validity, "rows": rows}))
    if any(d.counts_changed for d in deltas.values()):
        counts = {name: {"messages": d.state.messages, "unseen": d.state.unseen} for name, d in deltas.items() if d.state is not None}
        published.append(events.publish(user_pk, "counts", {"folders": counts}))
    return SyncResult(folders=list(deltas), events=published)


def _folder_delta(*, imap: ImapConnection, folder: str, known: FolderState | None, token: str | None, user_pk: int = 0) -> FolderDelta:
    # The folder this connection still has selected from the last sync is caught up in place
    # (NOOP + STATUS of the session's view): no UNSELECT and no new EXAMINE, which cost
    # ~0.4 s of every sync of a 100k-message INBOX.
    kept = imap.selected_counts(folder) if known is not None else None
    status = kept or imap.folder_counts(folder)
    fresh = FolderState(
        folder=folder,
        uidvalidity=status.uidvalidity,
        uidnext=status.uidnext,
        highestmodseq=status.highestmodseq,
        messages=status.messages,
        unseen=status.unseen,
        watch=token,
        synced_at=now(),
    )
    if known is None or known.uidvalidity != status.uidvalidity:
        # First sync: nothing to compare with, nothing to say. Another UIDVALIDITY: every UID
        # the pages hold is void.
        return FolderDelta(state=_with_top(imap, fresh), resync=known is not None, counts_changed=known is not None)
    counts_changed = (known.messages, known.unseen) != (status.messages, status.unseen)
    if (known.uidnext, known.highestmodseq, known.messages, known.unseen) == (status.uidnext, status.highestmodseq, status.messages, status.unseen):
        return FolderDelta(state=replace(known, watch=token, synced_at=fresh.synced_at))
    if known.highestmodseq is None and status.highestmodseq is not None:
        return FolderDelta(state=_with_top(imap, fresh), resync=True, counts_changed=True)

    if kept is not None:
        # The selection is the view STATUS just described: UID SEARCH/FETCH see exactly the
        # messages below its UIDNEXT and the changes up to its HIGHESTMODSEQ.
        selected = _ViewOf(uidvalidity=kept.uidvalidity, uidnext=kept.uidnext, highestmodseq=kept.highestmodseq, exists=kept.messages)
    else:
        examined = imap.select(folder, readonly=True, refresh=True)
        selected = _ViewOf(
            uidvalidity=examined.uidvalidity, uidnext=examined.uidnext, highestmodseq=examined.highestmodseq, exists=examined.exists
        )
    if selected.uidvalidity != known.uidvalidity:
        return FolderDelta(state=_with_top(imap, replace(fresh, uidvalidity=selected.uidvalidity)), resync=True, counts_changed=True)
    new_uids = [u for u in imap.uids_from(known.uidnext) if u < selected.uidnext] if selected.uidnext > known.uidnext else []
    state = replace(fresh, uidnext=max(selected.uidnext, known.uidnext), messages=selected.exists)
    if known.highestmodseq is not None and selected.highestmodseq is not None:
        changes = imap.changes_since(known.highestmodseq, below_uid=known.uidnext)
        # Changes after our EXAMINE are left for the next sync (it is coming: they are news).
        flags = {uid: f for uid, f in changes.flags.items() if changes.modseqs.get(uid, 0) <= selected.highestmodseq}
        vanished = changes.vanished
        state = replace(state, highestmodseq=selected.highestmodseq)
        complete = imap.qresync_enabled
    else:
        flags, vanished, top = _top_changes(imap, known, new_uids)
        state = replace(state, top=top)
        complete = False
    too_big = max(len(new_uids), len(flags), len(vanished)) > MAX_DELTA
    adds_up = known.messages + len(new_uids) - len(vanished) == selected.exists
    if too_big or (not complete and not adds_up):
        # Too much to send row by row, or changes we cannot see (expunges without QRESYNC).
        return FolderDelta(state=_with_top(imap, state) if state.highestmodseq is None else state, resync=True, counts_changed=True)
    threads = (
        threads_kept_for_sync(user_key=str(user_pk), folder=folder, uidvalidity=selected.uidvalidity, uidnext=selected.uidnext)
        if new_uids and user_pk else None
    )
    # Kept conversations as old as our state or newer take the new mail from this sync's answers.
    join = threads is not None and threads.uidnext >= known.uidnext
    # PREVIEW where advertised; the threading headers in the same FETCH when they are joined.
    # `announced`: the UIDs come from this session's SEARCH, so one not answered was expunged
    # meanwhile (no NOOP and second FETCH).
    added = imap.fetch_summaries(new_uids, preview=new_uids, thread_headers=join, announced=True) if new_uids else {}
    alone = None
    if threads is not None:
        # While the folder is selected: its kept conversations take the new mail now (the tab's
        # next page needs no threading), and rows that start a conversation can be shown as they
        # are. The new UIDs and their headers are the ones just asked: no second SEARCH or FETCH.
        headers = {uid: (raw.thread_headers or b"", raw.internaldate) for uid, raw in added.items()}
        alone = kept_threads_with_new_mail(
            imap=imap, user_key=str(user_pk), folder=folder, uidvalidity=selected.uidvalidity, uidnext=selected.uidnext,
            exists=selected.exists, new=new_uids, kept=threads,
            known=NewMail(first=known.uidnext, uids=new_uids, headers=headers) if join else None,
        )
    if state.highestmodseq is None:
        top = dict(state.top)
        top.update({uid: sorted(raw.flags) for uid, raw in added.items()})
        state = replace(state, top=dict(sorted(top.items())[-TOP_SIZE:]))
    return FolderDelta(
        state=state,
        added=[added[uid] for uid in new_uids if uid in added],
        flags={uid: f for uid, f in flags.items() if uid not in vanished},
        vanished=vanished,
        counts_changed=counts_changed,
        alone=alone,
    )


@dataclass(frozen=True)
class _ViewOf:
    """The selected folder as the session sees it, whichever way it was learned."""

    uidvalidity: int
    uidnext: int
    highestmodseq: int | None
    exists: int


def _with_top(imap: ImapConnection, state: FolderState) -> FolderState:
    """Without CONDSTORE, remember the flags of the newest messages (to compare next time)."""
    if state.highestmodseq is not None or not state.messages:
        return replace(state, top={})
    selected = imap.select(state.folder, readonly=True, refresh=True)
    if not selected.exists:
        return replace(state, top={})
    # The newest by arrival are the last sequence numbers: a search of those, not of the whole
    # folder (a UID list of 200,000 messages is over a megabyte).
    newest = imap.search_uids([b"%d:*" % max(1, selected.exists - TOP_SIZE + 1)])[-TOP_SIZE:]
    return replace(state, top={uid: sorted(flags) for uid, flags in sorted(imap.fetch_flags(newest).items())})


def _top_changes(imap: ImapConnection, known: FolderState, new_uids: list[int]) -> tuple[dict[int, frozenset[str]], list[int], dict[int, list[str]]]:
    """Without CONDSTORE: which of the newest known messages changed flags or left."""
    # Below the UIDNEXT of the view just selected or caught up: every one still there has been
    # announced to the session, so one not answered has left (no NOOP and second FETCH).
    now_flags = imap.fetch_flags(list(known.top), announced=True) if known.top else {}
    vanished = sorted(uid for uid in known.top if uid not in now_flags)
    changed = {uid: flags for uid, flags in now_flags.items() if sorted(flags) != sorted(known.top[uid])}
    top = {uid: sorted(flags) for uid, flags in now_flags.items()}
    return changed, vanished, top


def _flag_change(uid: int, flags: frozenset[str]) -> dict[str, Any]:
    summary_flags = {f.lower() for f in flags}
    return {
        "uid": uid,
        "seen": "\\seen" in summary_flags,
        "flagged": "\\flagged" in summary_flags,
        "answered": "\\answered" in summary_flags,
        "labels": [label.name for label in labels_of(flags)],
    }


def _unix(value: object) -> int | None:
    if not isinstance(value, datetime):
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value, timezone.get_default_timezone())
    return int(value.timestamp())


def _rows(
    added: list[RawSummary], *, folder: str, show_recipient: bool, render_rows: RenderRows, alone: set[int] | None = None
) -> list[dict[str, Any]]:
    rows = []
    for raw in added:
        summary = summarize(raw, show_recipient=show_recipient, preview=preview_from_server(raw.preview) or "")
        row: dict[str, Any] = {
            "uid": raw.uid,
            "html": str(render_rows([summary], folder)),
            "date": _unix(raw.date_header) or _unix(raw.internaldate),
            "arrival": _unix(raw.internaldate) or _unix(raw.date_header),
        }
        if alone is not None:
            # A conversation of its own: its conversation row is this row (the list may insert it).
            row["alone"] = raw.uid in alone
        rows.append(row)
    return rows
