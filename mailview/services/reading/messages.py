"""Message lists: one page at a time, sorted on the server.

Cost does not grow with the folder: the page's UIDs come from `UID SORT RETURN
(COUNT PARTIAL a:b)` where the server has ESORT (Dovecot does), and only those
UIDs are FETCHed. Without ESORT the full sorted UID list is fetched once and
cached, keyed by everything that changes when the folder changes.
"""
from __future__ import annotations

import dataclasses
import hashlib
import logging
import math
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime

import redis

from mailview.imap.connection import ImapConnection, RawAddress, RawSummary, SelectedFolder
from mailview.imap.errors import MessageNotFound
from mailview.imap.query import parse_query
from mailview.imap.search import query_keys, search_keys
from mailview.mime import decode_header_value, has_attachment, parse_bodystructure
from mailview.mime.preview import preview_bytes, preview_from_part, preview_from_server, preview_part
from mailview.services.fulltext.lookup import indexed_folder_search
from mailview.services.live.state import FolderState
from webmail.cache import optional_cache as cache

SORTS = ("date", "from", "subject", "size")
ORDERS = ("asc", "desc")
MAX_PER_PAGE = 200


# Keywords that are protocol plumbing, not labels a person set.
HIDDEN_KEYWORDS = {"$junk", "$notjunk", "$forwarded", "$mdnsent", "$submitpending", "$submitted", "nonjunk", "junk", "$phishing"}


@dataclass(frozen=True)
class Label:
    name: str
    color: int  # 0..7, stable per name


def labels_of(flags: frozenset[str]) -> tuple[Label, ...]:
    names = sorted(f for f in flags if not f.startswith("\\") and f.lower() not in HIDDEN_KEYWORDS)
    return tuple(Label(name=n, color=zlib.crc32(n.encode()) % 8) for n in names)


@dataclass(frozen=True)
class MessageSummary:
    uid: int
    subject: str
    correspondent: str  # display name (or address) of the sender; of the first recipient in Sent/Drafts
    correspondent_email: str
    date: datetime | None
    size: int
    seen: bool
    flagged: bool
    answered: bool
    draft: bool
    has_attachment: bool
    labels: tuple[Label, ...] = ()
    preview: str = ""  # the first words of the text, one line (`message_previews`)


class Paging:
    """Page arithmetic of page `page` (`per_page` rows) of `total`: for the list, the
    conversation list and search results (which override what differs)."""

    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def last_index(self) -> int:
        return min(self.page * self.per_page, self.total)


@dataclass(frozen=True)
class MessagePage(Paging):
    folder: str
    selected: SelectedFolder
    page: int
    per_page: int
    total: int
    sort: str
    order: str
    messages: list[MessageSummary]
    query: str = ""


def message_meta(*, imap: ImapConnection, folder: str, uid: int, readonly: bool = True) -> tuple[SelectedFolder, RawSummary]:
    """Select the folder and fetch one message's summary (flags, envelope, size, structure):
    the first step of everything done to one message. MessageNotFound when it is not there."""
    selected = imap.select(folder, readonly=readonly)
    meta = imap.fetch_message_meta(uid)
    if meta is None:
        raise MessageNotFound(f"{folder}/{uid}")
    return selected, meta


def normalize_sort(sort: str | None, order: str | None) -> tuple[str, str]:
    sort = sort if sort in SORTS else "date"
    default_order = "desc" if sort in ("date", "size") else "asc"
    return sort, (order if order in ORDERS else default_order)


def message_page(
    *,
    imap: ImapConnection,
    user_key: str,
    folder: str,
    page: int,
    per_page: int,
    sort: str,
    order: str,
    show_recipient: bool = False,
    query: str = "",
    in_body: bool = False,
    known: FolderState | None = None,
) -> MessagePage:
    """One page of a folder's message list, or of the messages matching `query`.
    Needs a checked-out connection; selects read-only.

    `known`: the folder's state as the live sync keeps it, given only while a watcher
    watches the person (`services.live.state.folder_states_trusted`). The page's UIDs are
    then cached under that state, so a folder that has not changed since needs no NOOP and
    no SORT and (with CONDSTORE, where every flag change makes a new state) no FETCH."""
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    page = max(1, page)
    sort_key = _column_sort(sort, by_recipient=show_recipient)
    first = (page - 1) * per_page + 1
    last = first + per_page - 1
    reverse = order == "desc"
    keys = search_keys(query, in_body=in_body)
    key = ""
    if known is not None:
        key = _known_page_key(
            user_key=user_key, known=known, sort=sort_key, reverse=reverse, keys=keys, first=first, last=last, recipient=show_recipient
        )
        hit = _known_page(imap=imap, key=key, known=known, show_recipient=show_recipient, user_key=user_key)
        if hit is not None:
            total, messages = hit
            if known.highestmodseq is not None:  # every flag change makes a new state: the rows too are the kept ones
                messages = KeptMessages.of(messages, key)
            return MessagePage(
                folder=folder, selected=_selection_of(known), page=page, per_page=per_page, total=total, sort=sort, order=order,
                messages=messages, query=query,
            )
    selected = imap.select(folder, readonly=True, refresh=True)
    if known is None and not query:
        # Not watched (the first page of a visit): with CONDSTORE the selection's own state
        # names the folder's content and flags exactly, so an unchanged folder's page is kept
        # under it and costs this NOOP only; no SORT, no FETCH.
        key = _selected_page_key(
            user_key=user_key, selected=selected, sort=sort_key, reverse=reverse, first=first, last=last, recipient=show_recipient
        )
        hit = cache.get(key) if key else None
        if hit is not None:
            total, _uids, rows = hit
            return MessagePage(
                folder=folder, selected=selected, page=page, per_page=per_page, total=total, sort=sort, order=order,
                messages=KeptMessages.of(rows, key), query=query,
            )
    total, uids = 0, list[int]()
    indexed = None
    if selected.exists and query and in_body and sort_key == "date" and reverse and user_key.isdigit():
        # Newest first (the default): body text from the person's full-text index where it can.
        indexed = indexed_folder_search(
            imap=imap, user_pk=int(user_key), folder=folder, query=parse_query(query), wanted=last, selected=selected,
            fuzzy=imap.fuzzy_search,
        )
    if indexed is not None:
        total, uids = indexed.count, [uid for uid, _ in indexed.newest[first - 1 : last]]
    elif selected.exists:

        def window(keys: list[bytes]) -> tuple[int, list[int]]:
            hint = None if query else selected.exists
            partial = imap.sorted_page(sort=sort_key, reverse=reverse, first=first, last=last, keys=keys, total_hint=hint)
            if partial is not None:
                return partial
            everything = _cached_sorted_uids(imap=imap, user_key=user_key, selected=selected, sort=sort_key, reverse=reverse, keys=keys)
            return len(everything), everything[first - 1 : last]

        fuzzy = bool(in_body and query and imap.fuzzy_search)
        total, uids = window(query_keys(parse_query(query), in_body=True, fuzzy=True) if fuzzy else keys)
        if fuzzy and not total:
            # A server may advertise FUZZY and find nothing with it (Cyrus without a search engine).
            total, uids = window(keys)
            if total:
                imap.fuzzy_found_nothing()
    kept = previews_kept(user_key=user_key, folder=folder, uidvalidity=selected.uidvalidity, uids=uids)
    raw = imap.fetch_list_rows(uids, preview=[u for u in uids if u not in kept], recipients=show_recipient)
    previews = message_previews(imap=imap, raw=raw, folder=folder, uidvalidity=selected.uidvalidity, user_key=user_key, kept=kept)
    # A message expunged between SORT and FETCH is simply missing from the page.
    messages = [summarize(raw[uid], show_recipient=show_recipient, preview=previews.get(uid, "")) for uid in uids if uid in raw]
    if known is not None and selected.uidvalidity == known.uidvalidity:
        # Asked after a NOOP, so at least as new as `known` (a newer state has another key).
        # With CONDSTORE every flag change makes a new state, so the rows are kept too;
        # without it only the UIDs (flags are fetched again).
        rows = [_picklable(m) for m in messages] if known.highestmodseq is not None else None
        cache.set(key, (total, uids, rows), KNOWN_PAGE_SECONDS)
    elif known is None and key:
        cache.set(key, (total, uids, [_picklable(m) for m in messages]), KNOWN_PAGE_SECONDS)
    _remember_labels(user_key, messages)
    return MessagePage(
        folder=folder, selected=selected, page=page, per_page=per_page, total=total, sort=sort, order=order, messages=messages, query=query
    )


class KeptMessages(list[MessageSummary]):
    """A page's rows as kept under the folder's synced state: `rows_key` names that page and
    state, so the rendered rows may be kept too (templatetags.mail_list.message_rows)."""

    rows_key: str = ""

    @classmethod
    def of(cls, messages: list[MessageSummary], rows_key: str) -> KeptMessages:
        kept = cls(messages)
        kept.rows_key = rows_key
        return kept


def _known_page(
    *, imap: ImapConnection, key: str, known: FolderState, show_recipient: bool, user_key: str
) -> tuple[int, list[MessageSummary]] | None:
    """The page kept under the folder's synced state: no IMAP at all when its rows were kept,
    else one FETCH of its UIDs' summaries (the selection must still be that folder's)."""
    hit = cache.get(key)
    if hit is None:
        return None
    total, uids, rows = hit
    if rows is not None:
        return total, rows
    selected = imap.select(known.folder, readonly=True)
    if selected.uidvalidity != known.uidvalidity:
        return None  # a resync is on its way: ask the server
    kept = previews_kept(user_key=user_key, folder=known.folder, uidvalidity=known.uidvalidity, uids=uids)
    raw = imap.fetch_list_rows(uids, preview=[u for u in uids if u not in kept], recipients=show_recipient)
    previews = message_previews(imap=imap, raw=raw, folder=known.folder, uidvalidity=known.uidvalidity, user_key=user_key, kept=kept)
    return total, [summarize(raw[uid], show_recipient=show_recipient, preview=previews.get(uid, "")) for uid in uids if uid in raw]


def _picklable(message: MessageSummary) -> MessageSummary:
    """imapclient's FixedOffset time zones do not unpickle: kept rows carry UTC times."""
    if message.date is None or message.date.tzinfo is None:
        return message
    return dataclasses.replace(message, date=message.date.astimezone(UTC))


def _selection_of(known: FolderState) -> SelectedFolder:
    """The folder as the synced state describes it (what the page's change token is built from)."""
    return SelectedFolder(
        name=known.folder, readonly=True, uidvalidity=known.uidvalidity, exists=known.messages, uidnext=known.uidnext,
        highestmodseq=known.highestmodseq,
    )


# How long a page stays cached under one kept folder state (a new state, a new key).
KNOWN_PAGE_SECONDS = 600


def _known_page_key(
    *, user_key: str, known: FolderState, sort: str, reverse: bool, keys: list[bytes], first: int, last: int, recipient: bool
) -> str:
    state = f"{user_key}|{known.folder}|{known.cache_token}|{sort}|{reverse}|{b' '.join(keys)!r}|{first}:{last}|{recipient}"
    return "live-page:" + hashlib.sha256(state.encode()).hexdigest()


def selected_state_token(selected: SelectedFolder) -> str:
    """Names the selected folder's content and flags exactly, or "" without CONDSTORE: every
    arrival moves UIDNEXT, every expunge EXISTS and HIGHESTMODSEQ, every flag change
    HIGHESTMODSEQ (the selection is re-read after a NOOP that reported any of them)."""
    if selected.highestmodseq is None or not selected.uidnext or selected.stale:
        return ""
    return f"{selected.uidvalidity}-{selected.uidnext}-{selected.exists}-{selected.highestmodseq}"


def _selected_page_key(
    *, user_key: str, selected: SelectedFolder, sort: str, reverse: bool, first: int, last: int, recipient: bool
) -> str:
    token = selected_state_token(selected)
    if not token:
        return ""
    state = f"{user_key}|{selected.name}|{token}|{sort}|{reverse}|{first}:{last}|{recipient}"
    return "selected-page:" + hashlib.sha256(state.encode()).hexdigest()


def _remember_labels(user_key: str, messages: list[MessageSummary]) -> None:
    """The sidebar lists labels seen on messages (services/reading/labels.py)."""
    from mailview.services.reading.labels import labels_remember  # labels.py imports this module

    labels_remember(user_key=user_key, labels={label for m in messages for label in m.labels})


@dataclass(frozen=True)
class ListPosition:
    """Where the user is in a list: what a message page returns to and steps through."""

    folder: str
    sort: str = "date"
    order: str = "desc"
    query: str = ""
    in_body: bool = False
    page: int = 1
    by_recipient: bool = False  # Sent and Drafts: the "from" column shows (and sorts by) recipients

    def query_params(self) -> dict[str, str]:
        """The list URL's parameters that differ from the defaults."""
        params: dict[str, str] = {}
        if self.page > 1:
            params["page"] = str(self.page)
        if (self.sort, self.order) != normalize_sort(None, None):
            params["sort"], params["order"] = self.sort, self.order
        if self.query:
            params["q"] = self.query
            if self.in_body:
                params["body"] = "1"
        return params


def message_neighbor(*, imap: ImapConnection, user_key: str, position: ListPosition, uid: int, step: int) -> int | None:
    """The message `step` places after (or before, if negative) `uid` in the list's order,
    or None at either end or if `uid` is no longer in that list. Needs a checked-out
    connection. Costs one SORT of the folder, cached until the folder changes."""
    selected = imap.select(position.folder, readonly=True, refresh=True)
    if not selected.exists:
        return None
    keys = search_keys(position.query, in_body=position.in_body)
    sort_key = _column_sort(position.sort, by_recipient=position.by_recipient)
    indexed = None
    if position.query and position.in_body and sort_key == "date" and position.order == "desc" and user_key.isdigit():
        # A body search's results, as its list got them: from the full-text index, not a scan.
        indexed = indexed_folder_search(
            imap=imap, user_pk=int(user_key), folder=position.folder, query=parse_query(position.query), wanted=10**9, selected=selected
        )
    if indexed is not None:
        uids = [u for u, _ in indexed.newest]
    else:
        uids = _cached_sorted_uids(imap=imap, user_key=user_key, selected=selected, sort=sort_key, reverse=position.order == "desc", keys=keys)
    try:
        index = uids.index(uid)
    except ValueError:
        return None
    other = index + step
    return uids[other] if 0 <= other < len(uids) else None


def _column_sort(sort: str, *, by_recipient: bool) -> str:
    """The sort key of a list column: the correspondent column of Sent and Drafts shows
    the recipient, so it sorts by recipient there."""
    return "to" if sort == "from" and by_recipient else sort


def _cached_sorted_uids(*, imap: ImapConnection, user_key: str, selected: SelectedFolder, sort: str, reverse: bool, keys: list[bytes]) -> list[int]:
    # Any change to the folder changes UIDVALIDITY, EXISTS, UIDNEXT or HIGHESTMODSEQ, so it
    # changes the key: a stale list is never served.
    state = (
        f"{user_key}|{selected.name}|{selected.uidvalidity}|{selected.exists}|{selected.uidnext}|{selected.highestmodseq}"
        f"|{sort}|{reverse}|{b' '.join(keys)!r}"
    )
    if not selected.uidnext or (selected.highestmodseq is None and keys not in ([], [b"ALL"])):
        # Without UIDNEXT the key would miss an expunge plus an arrival; without CONDSTORE it
        # misses flag changes, which a search may depend on: ask the server every time.
        return imap.sorted_uids(sort=sort, reverse=reverse, keys=keys)
    key = "sorted-uids:" + hashlib.sha256(state.encode()).hexdigest()
    uids: list[int] | None = cache.get(key)
    if uids is None:
        uids = imap.sorted_uids(sort=sort, reverse=reverse, keys=keys)
        cache.set(key, uids, 600)
    return uids


# A list row shows at most this much of a subject or name (one of 300 KB is hostile, not news).
MAX_ROW_TEXT = 500


def _clip(text: str) -> str:
    return text if len(text) <= MAX_ROW_TEXT else text[: MAX_ROW_TEXT - 1] + "…"


def summarize(raw: RawSummary, *, show_recipient: bool = False, preview: str = "") -> MessageSummary:
    people = raw.to if show_recipient and raw.to else raw.sender
    first: RawAddress | None = people[0] if people else None
    name = decode_header_value(first.name) if first and first.name else ""
    email = first.email if first else ""
    date = raw.internaldate if isinstance(raw.internaldate, datetime) else (raw.date_header if isinstance(raw.date_header, datetime) else None)
    flags = {f.lower() for f in raw.flags}
    return MessageSummary(
        uid=raw.uid,
        subject=_clip(decode_header_value(raw.subject)) if raw.subject else "",
        correspondent=_clip(name or email),
        correspondent_email=email,
        date=date,
        size=raw.size,
        seen="\\seen" in flags,
        flagged="\\flagged" in flags,
        answered="\\answered" in flags,
        draft="\\draft" in flags,
        has_attachment=bool(raw.bodystructure) and has_attachment(raw.bodystructure),
        labels=labels_of(raw.flags),
        preview=preview,
    )


log = logging.getLogger(__name__)
#: How long a preview made from a fetched text part is kept (it never changes for a UID).
PREVIEW_SECONDS = 2 * 24 * 3600
_PREVIEW_CACHE_DOWN = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


def _preview_keys(user_key: str, folder: str, uidvalidity: int | None, uids: list[int]) -> dict[int, str]:
    scope = hashlib.sha256(f"{user_key}|{folder}|{uidvalidity}".encode()).hexdigest()[:32]
    return {uid: f"preview:{scope}:{uid}" for uid in uids}


def previews_kept(*, user_key: str, folder: str, uidvalidity: int | None, uids: list[int]) -> dict[int, str]:
    """The previews of these messages made before (a message never changes under its
    folder's UIDVALIDITY and UID); the rest need asking (`message_previews`)."""
    if uidvalidity is None or not uids:
        return {}
    keys = _preview_keys(user_key, folder, uidvalidity, uids)
    try:
        kept = cache.get_many(list(keys.values()))
    except _PREVIEW_CACHE_DOWN:
        return {}
    return {uid: value for uid, key in keys.items() if isinstance(value := kept.get(key), str)}


def message_previews(
    *, imap: ImapConnection, raw: dict[int, RawSummary], folder: str, uidvalidity: int | None, user_key: str,
    kept: dict[int, str] | None = None,
) -> dict[int, str]:
    """The one-line preview of each message of a page (needs `folder` selected; `raw` FETCHed
    with `preview=` the UIDs not in `kept`, see `previews_kept`).

    Where the server advertises PREVIEW (RFC 8970) it came with the FETCH. Elsewhere the
    first bytes of each message's text part (`mime.preview`: a few hundred bytes, never the
    whole message) are fetched, one FETCH per distinct part number. Either way each preview
    is kept in the cache by folder, UIDVALIDITY and UID, so a page seen before costs no
    preview bytes at all (the server's previews are ~200 characters a row, a third more than
    the row's FETCH of header fields; paid for by not asking ENVELOPE, `fetch_list_rows`).
    A cache that is down only means asking again."""
    out = {uid: text for uid, text in (kept or {}).items() if uid in raw}
    made: dict[int, str] = {}
    parts = {}
    for uid, summary in raw.items():
        if uid in out:
            continue
        server = preview_from_server(summary.preview)
        if server is not None:
            made[uid] = server
            continue
        part = preview_part(parse_bodystructure(summary.bodystructure)) if summary.bodystructure else None
        if part is not None:
            parts[uid] = part
    if parts:
        heads = imap.fetch_heads({uid: (part.section, preview_bytes(part)) for uid, part in parts.items()})
        made.update({uid: preview_from_part(heads[uid], parts[uid]) for uid in parts if uid in heads})
    out.update(made)
    if uidvalidity is not None and made:
        keys = _preview_keys(user_key, folder, uidvalidity, list(made))
        try:
            cache.set_many({keys[uid]: text for uid, text in made.items()}, PREVIEW_SECONDS)
        except _PREVIEW_CACHE_DOWN:
            log.info("previews not kept: the cache is down")
    return out
