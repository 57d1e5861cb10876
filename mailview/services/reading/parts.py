"""Downloads: one MIME part, or the whole source, streamed from IMAP in partial fetches.

`BODY.PEEK[section]<offset.length>` chunk by chunk, decoded on the fly, so the
web process's memory stays at about one chunk whatever the attachment's size.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass

from mailview.imap.connection import ImapConnection
from mailview.imap.errors import MessageNotFound
from mailview.mime import MimePart, find_part, parse_bodystructure
from mailview.mime.stream import StreamDecoder
from mailview.services.reading.messages import message_meta

# Bigger chunks mean fewer round trips; memory stays at about two chunks.
CHUNK = 2 * 1024 * 1024
# Shown inline (in an <img>, or opened in the browser): raster images only. Never HTML or SVG.
INLINE_SAFE = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp"}

SessionFactory = Callable[[], AbstractContextManager[ImapConnection]]


@dataclass(frozen=True)
class PartInfo:
    section: str
    filename: str
    content_type: str
    inline_safe: bool
    encoding: str
    encoded_size: int
    decoded_size: int | None = None  # from BINARY.SIZE where the server has it

    @property
    def exact_size(self) -> int | None:
        """Decoded size when known: no transfer encoding, or the server told (BINARY.SIZE).
        With it the browser shows a download's progress."""
        if self.encoding in ("7bit", "8bit", "binary", ""):
            return self.encoded_size
        return self.decoded_size


def part_info(*, imap: ImapConnection, folder: str, uid: int, section: str) -> PartInfo:
    """What a part is, from BODYSTRUCTURE. Raises MessageNotFound for a missing message or part."""
    _selected, meta = message_meta(imap=imap, folder=folder, uid=uid)
    part: MimePart | None = find_part(parse_bodystructure(meta.bodystructure), section)
    if part is None or part.is_multipart:
        raise MessageNotFound(f"{folder}/{uid}/{section}")
    mime_type = part.mime_type
    return PartInfo(
        section=part.section,
        filename=part.suggested_filename,
        content_type=mime_type if mime_type in INLINE_SAFE or mime_type == "message/rfc822" else "application/octet-stream",
        inline_safe=mime_type in INLINE_SAFE,
        encoding=part.encoding,
        encoded_size=part.size,
        decoded_size=imap.decoded_size(uid, part.section) if part.encoding in ("base64", "quoted-printable") else None,
    )


def exactly(chunks: Iterator[bytes], length: int) -> Iterator[bytes]:
    """Exactly `length` bytes: the promised Content-Length holds even where our tolerant
    decoder and the server's disagree about broken base64 (padded with NULs then). An
    error from `chunks` (the message vanished midway) propagates and ends the download."""
    sent = 0
    for chunk in chunks:
        chunk = chunk[: length - sent]
        sent += len(chunk)
        if chunk:
            yield chunk
        if sent >= length:
            return
    if sent < length:
        yield b"\0" * (length - sent)


def stream_section(*, session: SessionFactory, folder: str, uid: int, section: str, encoding: str, chunk_size: int = CHUNK) -> Iterator[bytes]:
    """Decoded bytes of a section ("" = the whole message), chunk by chunk.

    Holds one pooled connection for the duration and gives it back when the response
    is finished or the client goes away (the WSGI server closes the generator).
    """
    decoder = StreamDecoder(encoding)
    with session() as imap:
        imap.select(folder, readonly=True)
        offset = 0
        while True:
            chunk = imap.fetch_partial(uid, section, offset, chunk_size)
            if chunk is None:
                # Gone before the first byte: a clear 404. Gone midway (expunged by another
                # client): fail the download, so the browser reports it instead of keeping
                # a file of the right length with a hole in it.
                raise MessageNotFound(f"{folder}/{uid}" + (f" (vanished after {offset} bytes)" if offset else ""))
            decoded = decoder.feed(chunk)
            if decoded:
                yield decoded
            offset += len(chunk)
            if len(chunk) < chunk_size:
                break
        tail = decoder.finish()
        if tail:
            yield tail


def message_size(*, imap: ImapConnection, folder: str, uid: int) -> int:
    _selected, meta = message_meta(imap=imap, folder=folder, uid=uid)
    return meta.size
