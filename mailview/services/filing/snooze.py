"""Snooze: a message leaves its folder now and comes back to the top of the inbox, unread, later.

While it waits it is in the Snoozed folder on the IMAP server (created under the personal
namespace when missing), so every other client sees where it went; the due time is a
`Snooze` row in the database, so a worker restart loses nothing. The beat sweep
(`snoozes_wake_due`, every WEBMAIL_SNOOZE_SWEEP_SECONDS) brings due messages back: APPEND to
INBOX with the arrival time of now (the list sorts by arrival, so it is on top) and without
\\Seen, marked with a header naming its row, then the copy in Snoozed is expunged; a return
stopped in between (a worker died) finds its marked copy on the next try and only expunges.
A message another client moved or deleted out of Snoozed meanwhile is not found (by UID, else
by Message-ID): its row is dropped, nothing fails.
"""
from __future__ import annotations

import email.parser
import email.policy
import hashlib
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mailview.imap.connection import ImapConnection
from mailview.imap.errors import ImapProtocolError, MailboxNotFound
from mailview.mime import decode_header_value
from mailview.models import Snooze
from mailview.services.chosen_time import TimeInvalid, custom_time, future_time, morning, person_zone

log = logging.getLogger(__name__)

CHOICES = ("later_today", "tomorrow", "next_week", "custom")
# A claim older than this is a worker that died mid-way: another sweep takes the row over.
CLAIM_STALE = timedelta(minutes=5)
# At most this many messages snoozed in one request (a selection, not a folder), and per batch
# of a whole folder or search, which the filing worker snoozes up to MAX_SELECTED at once.
MAX_AT_ONCE = 500
MAX_SELECTED = 10_000
# The header the copy brought back carries (`_return_marker`): which snooze returned it, so a
# return tried again finds its copy instead of adding a second.
RETURN_HEADER = "X-Webmail-Snooze-Return"
# System flags a message does not take back with it.
_DROPPED_FLAGS = {"\\seen", "\\recent", "\\deleted"}


class SnoozeInvalid(Exception):
    """The request cannot be done as asked; `str(exc)` is a sentence for the person."""


@dataclass
class WakeResult:
    returned: int = 0
    dropped: int = 0


def snooze_time(*, choice: str, custom: str = "", tz_offset: str = "", now: datetime | None = None) -> datetime:
    """When a snooze preset means, in UTC, in the person's time zone (the browser's offset from
    UTC in minutes as `getTimezoneOffset()` gives it, else the server's zone): "later_today"
    (three hours from now, on the hour), "tomorrow" (8:00), "next_week" (Monday 8:00) or a
    `custom` <input type=datetime-local> value. Raises SnoozeInvalid."""
    now = now or timezone.now()
    zone = person_zone(tz_offset)
    local_now = now.astimezone(zone)
    try:
        if choice == "later_today":
            when = (local_now + timedelta(hours=3)).replace(minute=0, second=0, microsecond=0)
        elif choice in ("tomorrow", "next_week"):
            when = morning(local_now, next_monday=choice == "next_week")
        elif choice == "custom":
            when = custom_time(custom, zone)
        else:
            raise SnoozeInvalid(_("Choose until when to snooze."))
        return future_time(when, now=now)
    except TimeInvalid as exc:
        raise SnoozeInvalid(str(exc)) from None


def snooze_folder_ensure(*, imap: ImapConnection) -> str:
    """The Snoozed folder (WEBMAIL_SNOOZE_FOLDER under the personal namespace), created and
    subscribed when missing (by this call or, at the same moment, another one). An existing
    folder of that name at the top level counts too."""
    namespace = imap.personal_namespace()
    wanted = namespace.prefix + settings.WEBMAIL_SNOOZE_FOLDER
    names = {f.name for f in imap.list_folders(with_status=False) if "\\noselect" not in f.attributes}
    for name in (wanted, settings.WEBMAIL_SNOOZE_FOLDER):
        if name in names:
            return name
    try:
        imap.create_folder(wanted)
    except ImapProtocolError:
        # Made meanwhile by a parallel snooze (a search's results are one action per folder).
        if wanted not in {f.name for f in imap.list_folders(with_status=False)}:
            raise
        return wanted
    try:
        imap.subscribe_folder(wanted)
    except ImapProtocolError:
        pass  # still usable; the folders page lists unsubscribed folders
    return wanted


def _header_fields(raw: bytes | None) -> tuple[str, str, str]:
    """Message-ID, Subject and From of a header block (decoded, cut to fit the row)."""
    if not raw:
        return "", "", ""
    parsed = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(raw)
    message_id = " ".join(str(parsed.get("Message-ID", "")).split())[:998]
    return (
        message_id if message_id.startswith("<") and message_id.endswith(">") else "",
        decode_header_value(parsed.get("Subject"))[:998],
        decode_header_value(parsed.get("From"))[:998],
    )


def messages_snooze(*, imap: ImapConnection, user: User, folder: str, uids: list[int], due_at: datetime) -> int:
    """Move these messages of `folder` to Snoozed and remember when they come back. Returns
    how many were snoozed (those no longer there are skipped). Raises SnoozeInvalid."""
    if not uids:
        raise SnoozeInvalid(_("Select at least one message."))
    if len(uids) > MAX_AT_ONCE:
        raise SnoozeInvalid(_("Snooze at most 500 messages at once."))
    target = snooze_folder_ensure(imap=imap)
    if folder == target:
        raise SnoozeInvalid(_("These messages are snoozed already: change their time on the scheduled page."))
    imap.select(folder, readonly=False, refresh=True)
    present = imap.present_uids(uids)
    return len(snooze_selected(imap=imap, user_id=int(user.pk), target=target, present=present, due_at=due_at))


def snooze_selected(*, imap: ImapConnection, user_id: int, target: str, present: list[int], due_at: datetime) -> set[int]:
    """Move `present` (UIDs in the selected folder now, selected read-write) to `target` (the
    Snoozed folder) and write each one's Snooze row; returns the UIDs that left the folder.

    A whole folder or search ("select all", the filing worker) goes in batches of MAX_AT_ONCE
    (one FETCH of three header fields and one MOVE each), up to MAX_SELECTED (raises
    SnoozeInvalid past that: nothing is moved). A batch's rows are written before its MOVE: a
    worker dying after the MOVE leaves rows that find their messages (by Message-ID), never
    messages in Snoozed that nothing brings back; a row whose message did not move is dropped
    at its time (`_bring_back` does not find it in Snoozed)."""
    if len(present) > MAX_SELECTED:
        raise SnoozeInvalid(
            ngettext("Snooze at most %(n)s message at once.", "Snooze at most %(n)s messages at once.", MAX_SELECTED)
            % {"n": number_format(MAX_SELECTED, force_grouping=True)}
        )
    done: set[int] = set()
    uidvalidity: int | None = None
    for start in range(0, len(present), MAX_AT_ONCE):
        heads = imap.fetch_header_fields(present[start : start + MAX_AT_ONCE], ("Message-ID", "Subject", "From"))
        batch = [uid for uid in present[start : start + MAX_AT_ONCE] if uid in heads]  # the rest left meanwhile
        if not batch:
            continue
        rows: dict[int, Snooze] = {}
        for uid in batch:
            message_id, subject, sender = _header_fields(heads[uid])
            rows[uid] = Snooze(
                user_id=user_id, folder=target, message_id=message_id, subject=subject, sender=sender, return_to="INBOX", due_at=due_at
            )
        Snooze.objects.bulk_create(rows.values())
        moved = imap.move(batch, target)
        left = set(batch) - set(imap.present_uids(batch))
        if uidvalidity is None:
            uidvalidity = imap.folder_status(target).get("UIDVALIDITY")
        for uid in left:
            rows[uid].uid, rows[uid].uidvalidity = moved.get(uid), uidvalidity
        Snooze.objects.bulk_update([rows[uid] for uid in left], ["uid", "uidvalidity"])
        Snooze.objects.filter(pk__in=[rows[uid].pk for uid in batch if uid not in left]).delete()  # the server kept them here
        done |= left
    return done


def snoozed_list(*, user: User) -> list[Snooze]:
    """This person's snoozed messages, soonest back first (/mail/scheduled/)."""
    return list(Snooze.objects.filter(user=user).order_by("due_at", "pk"))


def snooze_reschedule(*, user: User, snooze_id: int, due_at: datetime) -> bool:
    """A new time for one snoozed message; False when it is not this person's (or gone)."""
    return bool(Snooze.objects.filter(pk=snooze_id, user=user).update(due_at=due_at, claimed_at=None))


def snooze_due_users(*, now: datetime | None = None) -> list[int]:
    """Who has snoozed mail due now (the sweep checks out one session per person)."""
    now = now or timezone.now()
    return list(Snooze.objects.filter(due_at__lte=now).values_list("user_id", flat=True).distinct()[:1000])


def snoozes_wake(*, imap: ImapConnection, user: User, now: datetime | None = None, only: int | None = None) -> WakeResult:
    """Bring this person's due snoozed messages back (or just `only`, whatever its time: "unsnooze
    now"). Each row is claimed first (compare-and-set in the database), so a sweep and an
    "unsnooze now" never both bring one back; a row whose message is gone is dropped."""
    now = now or timezone.now()
    rows = Snooze.objects.filter(user=user)
    rows = rows.filter(pk=only) if only is not None else rows.filter(due_at__lte=now)
    result = WakeResult()
    for row in list(rows.order_by("due_at")[:MAX_AT_ONCE]):
        claimed = (
            Snooze.objects.filter(pk=row.pk)
            .exclude(claimed_at__gt=now - CLAIM_STALE)
            .update(claimed_at=now)
        )
        if not claimed:
            continue
        try:
            back = _bring_back(imap=imap, row=row, now=now)
        except Exception:
            Snooze.objects.filter(pk=row.pk).update(claimed_at=None)  # the next sweep tries again
            raise
        Snooze.objects.filter(pk=row.pk).delete()
        if back:
            result.returned += 1
        else:
            result.dropped += 1
    return result


def _return_marker(row: Snooze) -> str:
    """What the copy brought back for this row carries in RETURN_HEADER: unique to the row
    (its id and the moment it was made) and the same on every try."""
    return hashlib.sha256(f"snooze-return:{row.pk}:{row.created_at.isoformat()}".encode()).hexdigest()[:32]


def _with_marker(body: bytes, marker: str) -> bytes:
    """The message with the marker as its first header line (the marker of an earlier return of
    the same message, always the first line, is dropped: they would pile up)."""
    while body[: len(RETURN_HEADER) + 1].lower() == RETURN_HEADER.lower().encode() + b":":
        body = body.partition(b"\n")[2]
    return f"{RETURN_HEADER}: {marker}\r\n".encode() + body


def _returned_already(*, imap: ImapConnection, row: Snooze, marker: str) -> bool:
    """Whether an earlier try of this return put its copy back already (it carries `marker`).
    Only mail that arrived since the snooze was made is searched (a day's slack for zones)."""
    since = (row.created_at - timedelta(days=1)).date()
    for name in dict.fromkeys([row.return_to or "INBOX", "INBOX"]):
        try:
            imap.select(name, readonly=True, refresh=True)
        except MailboxNotFound:
            continue
        if imap.uids_with_header(RETURN_HEADER, marker, since=since):
            return True
        if imap.header_search_blind() and _marked_copy_read(imap=imap, marker=marker, since=since):
            return True
    return False


#: How many of the newest messages since the snooze are read for the marker on a server whose
#: header search cannot see it (the copy is APPENDed: among the newest).
MARKER_SCAN = 1000


def _marked_copy_read(*, imap: ImapConnection, marker: str, since: date) -> bool:
    """The marked copy looked for by reading RETURN_HEADER of the selected folder's newest mail
    since `since`, on a server whose `SEARCH HEADER` cannot see our header (Dovecot with
    fts-xapian answers it from a full-text index without it)."""
    uids = imap.uids_since(since)[-MARKER_SCAN:]
    fields = imap.fetch_header_fields(uids, [RETURN_HEADER]) if uids else {}
    return any(line.partition(b":")[2].strip() == marker.encode() for raw in fields.values() for line in raw.splitlines())


def _bring_back(*, imap: ImapConnection, row: Snooze, now: datetime) -> bool:
    """APPEND the snoozed message to its folder (arrival: now; unread), then expunge it from
    Snoozed. False when it is no longer in Snoozed (moved or deleted by another client).

    Safe to run again after it stopped at any point (a worker that died, a connection lost):
    the copy carries a marker of this row, so a try that finds its copy back already only
    expunges the original. Exactly one copy, never none, never two."""
    try:
        selected = imap.select(row.folder, readonly=False, refresh=True)
    except MailboxNotFound:
        return False
    uid: int | None = None
    if row.uid and (row.uidvalidity is None or selected.uidvalidity == row.uidvalidity):
        uid = next(iter(imap.present_uids([row.uid])), None)
    if uid is None and row.message_id:
        uid = next(iter(imap.search_uids(["HEADER", "Message-ID", row.message_id])), None)
    if uid is None:
        log.info("snoozed message %s of user %s is no longer in %s; dropped", row.pk, row.user_id, row.folder)
        return False
    message = imap.fetch_messages([uid]).get(uid)
    if message is None:
        return False
    flags = [f for f in message.flags if f.casefold() not in _DROPPED_FLAGS]
    marker = _return_marker(row)
    # APPEND first, expunge after: stopping in between leaves the original, whose next try
    # finds the marked copy and only expunges.
    if not _returned_already(imap=imap, row=row, marker=marker):
        body = _with_marker(message.body, marker)
        try:
            imap.append(row.return_to or "INBOX", body, flags=flags, when=now)
        except MailboxNotFound:
            imap.append("INBOX", body, flags=flags, when=now)
    imap.select(row.folder, readonly=False, refresh=True)
    imap.delete_permanently([uid])
    return True
