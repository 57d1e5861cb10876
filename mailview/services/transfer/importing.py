"""Imports: .eml files or mbox files appended to a folder, read line by line with a bounded
line length, so memory stays at about one message whatever the file (a line of a gigabyte is
read in pieces; a message over the size limit is skipped, not held).

An mbox is split at `From ` lines that follow a blank line (or begin the file), the one blank
line before each separator is dropped and `>From ` is unquoted, as the stdlib `mailbox`
writes them; LF line ends become CRLF for IMAP. An entry that does not begin with a header
field is not mail and is skipped (counted); a file that is neither an mbox nor a message
fails the import with a sentence saying so.
"""
from __future__ import annotations

import email.utils
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _

from mailview.imap.connection import ImapConnection
from mailview.imap.errors import ImapProtocolError, MailboxNotFound
from mailview.models import Transfer

from .store import TransferRefused, transfer_dir, transfer_progress

# Lines are read at most this long at a time (a longer one comes in pieces).
LINE_PIECE = 64 * 1024
# Progress is saved every this many messages (and once at the end).
SAVE_EVERY = 50
_HEADER = re.compile(rb"^[!-9;-~]+:")
_FROM_LINE = re.compile(rb"^From \S*\s+(.*?)\s*$")


@dataclass
class Entry:
    body: bytes | None  # None: skipped (too large, or not mail)
    when: datetime | None
    end: int  # the file offset after it


def message_limit() -> int:
    return int(min(settings.WEBMAIL_IMPORT_MAX_BYTES, max(settings.WEBMAIL_MAX_MESSAGE_SIZE * 2, 64 * 1024 * 1024)))


def _crlf(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def _looks_like_mail(data: bytes) -> bool:
    return bool(_HEADER.match(data.lstrip(b"\r\n")[:1000]))


def _from_date(line: bytes) -> datetime | None:
    match = _FROM_LINE.match(line.rstrip(b"\r\n"))
    if not match:
        return None
    try:
        return datetime.strptime(" ".join(match.group(1).decode("ascii", "replace").split()[-5:]), "%a %b %d %H:%M:%S %Y")
    except ValueError:
        try:
            return email.utils.parsedate_to_datetime(match.group(1).decode("ascii", "replace"))
        except (TypeError, ValueError, IndexError):
            return None


def read_entries(handle: BinaryIO) -> Iterator[Entry]:
    """The messages of an mbox, or the one message of an .eml file (pure: a file in, entries out)."""
    first = handle.readline(LINE_PIECE)
    limit = message_limit()
    if not first.startswith(b"From "):
        yield from _single(first, handle, limit)
        return
    when = _from_date(first)
    parts: list[bytes] = []
    size = 0
    too_big = False
    previous_blank = False
    at_line_start = True
    while True:
        line = handle.readline(LINE_PIECE)
        if not line or (at_line_start and previous_blank and line.startswith(b"From ")):
            body = b"".join(parts)
            if body.endswith(b"\n\n"):
                body = body[:-1]  # the blank line mbox puts between messages
            elif body.endswith(b"\r\n\r\n"):
                body = body[:-2]
            ok = not too_big and _looks_like_mail(body)
            yield Entry(body=_crlf(body) if ok else None, when=when, end=handle.tell())
            if not line:
                return
            when, parts, size, too_big, previous_blank = _from_date(line), [], 0, False, False
            continue
        whole_line = line.endswith(b"\n")
        if at_line_start and re.match(rb"^>+From ", line):
            line = line[1:]
        if not too_big:
            size += len(line)
            if size > limit:
                too_big, parts = True, []
            else:
                parts.append(line)
        if whole_line:
            previous_blank = at_line_start and line in (b"\n", b"\r\n")
        at_line_start = whole_line


def _single(first: bytes, handle: BinaryIO, limit: int) -> Iterator[Entry]:
    if not _looks_like_mail(first):
        raise TransferRefused(_("This file is neither an mbox nor an e-mail message (.eml)."))
    parts = [first]
    size = len(first)
    while chunk := handle.read(LINE_PIECE):
        size += len(chunk)
        if size > limit:
            yield Entry(body=None, when=None, end=handle.tell())
            return
        parts.append(chunk)
    yield Entry(body=_crlf(b"".join(parts)), when=None, end=handle.tell())


def files_import(*, imap: ImapConnection, transfer: Transfer) -> None:
    """Append every message of the uploaded files to the folder, in order. A task run again
    (its worker died) skips the entries the first run recorded (at most one batch is doubled)."""
    imap.select(transfer.folder, readonly=True)  # MailboxNotFound when the folder is gone
    files = sorted((transfer_dir(transfer) / "upload").glob("*"))
    done, skipped = transfer.done, transfer.skipped
    already, seen, base = done + skipped, 0, 0
    for path in files:
        with open(path, "rb") as handle:
            for entry in read_entries(handle):
                seen += 1
                if seen <= already:
                    continue
                if entry.body is None:
                    skipped += 1
                else:
                    try:
                        imap.append(transfer.folder, entry.body, when=entry.when)
                        done += 1
                    except MailboxNotFound:
                        raise
                    except ImapProtocolError:
                        skipped += 1  # refused by the server (too big for it, unparseable): the rest goes on
                if (done + skipped) % SAVE_EVERY == 0:
                    transfer_progress(transfer, done=done, skipped=skipped, position=base + entry.end)
        base += path.stat().st_size
    if seen == 0:
        raise TransferRefused(_("The file is empty."))
    transfer_progress(transfer, done=done, skipped=skipped, position=base, total=done + skipped)
