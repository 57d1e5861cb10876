"""Exports, streamed from IMAP to a file: memory stays at about one batch of messages.

The folder's UIDs (all, or those matching a search) and their RFC822.SIZE come first; then
`UID FETCH (BODY.PEEK[] FLAGS INTERNALDATE)` of batches of at most BATCH_BYTES (or
BATCH_MESSAGES), written as they come: to an mbox with the stdlib `mailbox` (From_ lines,
`>From` quoting, LF line ends) or to a zip of .eml files with `zipfile` (each message as the
server stores it). A message bigger than a batch goes alone; into a zip it is streamed in
partial fetches. Progress is saved after each batch, which is also where Cancel is seen.
"""
from __future__ import annotations

import mailbox
import time
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from django.utils.translation import gettext as _

from mailview.imap.connection import ImapConnection
from mailview.imap.errors import MessageNotFound
from mailview.imap.search import search_keys
from mailview.mime import display_plan, parse_bodystructure
from mailview.mime.stream import StreamDecoder
from mailview.models import Transfer
from mailview.services.reading.messages import message_meta

from .store import Kind, TransferRefused, transfer_dir, transfer_progress

BATCH_BYTES = 4 * 1024 * 1024
BATCH_MESSAGES = 500
CHUNK = 1024 * 1024


def export_uids(*, imap: ImapConnection, folder: str, query: str = "") -> list[int]:
    """The folder's messages in arrival order (only those matching `query`, when given)."""
    imap.select(folder, readonly=True, refresh=True)
    return imap.sorted_uids(sort="date", reverse=False, keys=search_keys(query) if query else None)


def batches(sizes: dict[int, int], uids: list[int]) -> Iterator[list[int]]:
    """UIDs grouped so that each FETCH brings at most about BATCH_BYTES (pure)."""
    batch: list[int] = []
    weight = 0
    for uid in uids:
        size = sizes.get(uid)
        if size is None:
            continue  # gone since the search
        if batch and (weight + size > BATCH_BYTES or len(batch) >= BATCH_MESSAGES):
            yield batch
            batch, weight = [], 0
        batch.append(uid)
        weight += size
    if batch:
        yield batch


def _from_line(internaldate: object) -> bytes:
    when = internaldate if isinstance(internaldate, datetime) else datetime.now(UTC)
    if when.tzinfo is not None:
        when = when.astimezone(UTC)
    return b"From MAILER-DAEMON " + time.asctime(when.timetuple()).encode() + b"\n"


def folder_export(*, imap: ImapConnection, transfer: Transfer) -> tuple[Path, str]:
    """Write the folder (or the search) to a file; returns the file and its download name."""
    uids = export_uids(imap=imap, folder=transfer.folder, query=transfer.query)
    sizes = imap.fetch_sizes(uids)
    transfer_progress(transfer, total=len(sizes), done=0)
    where = transfer_dir(transfer)
    where.mkdir(parents=True, exist_ok=True)
    base = transfer.folder.replace("/", "_").replace(".", "_") or "mail"
    if transfer.kind == Kind.MBOX:
        path, name = where / "export.mbox", f"{base}.mbox"
        _write_mbox(imap, transfer, path, sizes, uids)
    else:
        path, name = where / "export.zip", f"{base}.zip"
        _write_eml_zip(imap, transfer, path, sizes, uids)
    return path, name


def _write_mbox(imap: ImapConnection, transfer: Transfer, path: Path, sizes: dict[int, int], uids: list[int]) -> None:
    box = mailbox.mbox(str(path), create=True)
    done = written = 0
    try:
        for batch in batches(sizes, uids):
            if len(batch) == 1 and sizes[batch[0]] > BATCH_BYTES:
                box.flush()  # its buffered writes first: the big one is appended after them
                written += _append_big_to_mbox(imap, batch[0], path)
            else:
                for uid, message in sorted(imap.fetch_messages(batch).items()):
                    # mbox wants LF line ends; the stdlib adds `>From ` quoting and the blank line between.
                    box.add(_from_line(message.internaldate) + message.body.replace(b"\r\n", b"\n"))
                    written += sizes.get(uid, len(message.body))
            done += len(batch)
            transfer_progress(transfer, done=done, size=written)
        box.flush()
    finally:
        box.close()


def _append_big_to_mbox(imap: ImapConnection, uid: int, path: Path) -> int:
    """A message bigger than a batch, streamed into the mbox in partial fetches, written as the
    stdlib writes one (LF line ends, `>From ` quoting, a blank line after): memory stays at a chunk."""
    dates = imap.fetch_dates([uid])
    offset = 0
    carry = b""
    last = b"\n"
    with open(path, "ab") as out:
        out.write(_from_line(dates.get(uid)))
        first_line = True
        while True:
            chunk = imap.fetch_partial(uid, "", offset, CHUNK)
            if chunk is None:
                raise MessageNotFound(f"{uid}")
            offset += len(chunk)
            lines = (carry + chunk).split(b"\n")
            carry = lines.pop()  # an unfinished line waits for the next chunk
            for line in lines:
                if line.endswith(b"\r"):
                    line = line[:-1]
                if line.startswith(b"From ") and not first_line:
                    line = b">" + line
                first_line = False
                out.write(line + b"\n")
            if len(chunk) < CHUNK:
                break
        if carry:
            if carry.startswith(b"From ") and not first_line:
                carry = b">" + carry
            out.write(carry + b"\n")  # the stdlib ends every message with a line end
            last = b"\n"
        out.write(last)  # and the blank line between messages
    return offset


def _write_eml_zip(imap: ImapConnection, transfer: Transfer, path: Path, sizes: dict[int, int], uids: list[int]) -> None:
    done = written = 0
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for batch in batches(sizes, uids):
            if len(batch) == 1 and sizes[batch[0]] > BATCH_BYTES:
                with archive.open(f"{done + 1:06d}-{batch[0]}.eml", "w", force_zip64=True) as out:
                    offset = 0
                    while True:
                        chunk = imap.fetch_partial(batch[0], "", offset, CHUNK)
                        if not chunk:
                            break
                        out.write(chunk)
                        offset += len(chunk)
                        if len(chunk) < CHUNK:
                            break
                written += offset
            else:
                for index, (uid, message) in enumerate(sorted(imap.fetch_messages(batch).items())):
                    archive.writestr(f"{done + index + 1:06d}-{uid}.eml", message.body)
                    written += len(message.body)
            done += len(batch)
            transfer_progress(transfer, done=done, size=written)


def attachments_export(*, imap: ImapConnection, transfer: Transfer) -> tuple[Path, str]:
    """Every attachment of one message, decoded, into a zip (each streamed in partial fetches)."""
    uid = int(transfer.uid or 0)
    _selected, meta = message_meta(imap=imap, folder=transfer.folder, uid=uid)
    parts = display_plan(parse_bodystructure(meta.bodystructure)).attachments
    if not parts:
        raise TransferRefused(_("This message has no attachments."))
    transfer_progress(transfer, total=len(parts), done=0)
    where = transfer_dir(transfer)
    where.mkdir(parents=True, exist_ok=True)
    path = where / "attachments.zip"
    used: set[str] = set()
    written = 0
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for index, part in enumerate(parts):
            name = _unique(part.suggested_filename or "attachment", used)
            decoder = StreamDecoder(part.encoding)
            with archive.open(name, "w", force_zip64=True) as out:
                offset = 0
                while True:
                    chunk = imap.fetch_partial(uid, part.section, offset, CHUNK)
                    if chunk is None:
                        raise MessageNotFound(f"{transfer.folder}/{uid}")
                    data = decoder.feed(chunk)
                    out.write(data)
                    written += len(data)
                    offset += len(chunk)
                    if len(chunk) < CHUNK:
                        break
                tail = decoder.finish()
                out.write(tail)
                written += len(tail)
            transfer_progress(transfer, done=index + 1, size=written)
    return path, f"attachments-{uid}.zip"


def _unique(name: str, used: set[str]) -> str:
    """`a.pdf`, `a (2).pdf`, ...: two attachments of one name both land in the zip."""
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    candidate, n = name, 1
    while candidate.casefold() in used:
        n += 1
        candidate = f"{stem} ({n}){'.' + ext if ext else ''}"
    used.add(candidate.casefold())
    return candidate
