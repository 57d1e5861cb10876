"""Downloads: one MIME part, or the whole source, streamed from IMAP in partial fetches.

`BODY.PEEK[section]<offset.length>` chunk by chunk, decoded on the fly, so the
web process's memory stays at about one chunk whatever the attachment's size.

A part whose transfer encoding is broken still downloads: what decodes is served (the
same tolerant decoding that shows text on the page), without a Content-Length, under a
name that says so ("report (damaged).pdf"). Damage is known up front only from the
server: Dovecot refuses `BINARY.SIZE` of broken base64 (``NO [PARSE]``, or it drops the
connection when the data stops mid-quantum). A part in an encoding nobody knows is
served as it is, the encoding added to its name ("data.bin.x-rot13").
"""
from __future__ import annotations

import hashlib
import logging
import pickle
import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import gettext as _

from accounts.crypto import decrypt_bytes, encrypt_bytes
from mailview.imap.connection import ImapConnection
from mailview.imap.errors import ImapConnectionError, ImapProtocolError, MessageNotFound
from mailview.mime import MimePart, find_part, parse_bodystructure, safe_filename
from mailview.mime.decode import IDENTITY_ENCODINGS, UU_ENCODINGS
from mailview.mime.stream import StreamDecoder
from mailview.services.reading.messages import message_meta

log = logging.getLogger(__name__)

# Bigger chunks mean fewer round trips; memory stays at about two chunks.
CHUNK = 2 * 1024 * 1024
# Shown inline (in an <img>, or opened in the browser): raster images only. Never HTML or SVG.
INLINE_SAFE = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp"}
# Parts the message page can preview (templatetags `preview_kind`), by kind: images in an
# <img>, plain text and PDF in a sandboxed frame. Nothing here can run in the app's origin.
PREVIEW_KINDS = {**{t: "image" for t in INLINE_SAFE}, "image/svg+xml": "image", "text/plain": "text", "application/pdf": "pdf"}
_CHARSET = re.compile(r"[A-Za-z0-9._:-]{1,40}")


def preview_kind(mime_type: str) -> str | None:
    """"image", "text" or "pdf" for a part the page can preview in place, else None."""
    return PREVIEW_KINDS.get(mime_type.lower())

# A download without an exact Content-Length carries its estimated decoded size here
# (static/js/message.js shows progress by it).
ESTIMATED_LENGTH_HEADER = "X-Estimated-Content-Length"

SessionFactory = Callable[[], AbstractContextManager[ImapConnection]]


class PartLengthMismatch(Exception):
    """The decoded part is shorter than the Content-Length already promised: the download
    is cut off (the browser reports it) rather than padded into a file that only looks whole."""


@dataclass(frozen=True)
class PartInfo:
    section: str
    filename: str
    content_type: str
    inline_safe: bool
    encoding: str
    encoded_size: int
    decoded_size: int | None = None  # from BINARY.SIZE where the server has it
    damaged: bool = False  # the server could not undo the transfer encoding
    # The type it is served as for a preview (`?preview=1`); None: no preview of this part.
    preview_type: str | None = None

    @property
    def estimated_size(self) -> int:
        """The decoded size, or the best guess from BODYSTRUCTURE when the server cannot tell
        (no BINARY: Courier): progress for a download that has no Content-Length."""
        exact = self.exact_size
        return exact if exact is not None else decoded_size_estimate(self.encoding, self.encoded_size)

    @property
    def exact_size(self) -> int | None:
        """Decoded size when known: no transfer encoding, or the server told (BINARY.SIZE).
        With it the browser shows a download's progress."""
        if self.encoding in IDENTITY_ENCODINGS:
            return self.encoded_size
        return self.decoded_size


def decoded_size_estimate(encoding: str, encoded_size: int) -> int:
    """What `encoded_size` bytes in this transfer encoding decode to, as mail is usually
    written: base64 in 76-character lines + CRLF (57 bytes a line), uuencode in 61-character
    lines + LF (45 bytes a line); quoted-printable and unknown encodings: the encoded size
    (an upper bound). Only for a progress bar, never a Content-Length."""
    if encoding == "base64":
        return encoded_size * 57 // 78
    if encoding in UU_ENCODINGS:
        return encoded_size * 45 // 62
    return encoded_size


def damaged_filename(name: str) -> str:
    """``report.pdf`` -> ``report (damaged).pdf``: the file may open, but not whole."""
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext) > 16:
        stem, ext = name, ""
    label = _("damaged")
    return safe_filename(f"{stem} ({label}).{ext}" if ext else f"{stem} ({label})")


# How long a message's parsed structure is kept for its part downloads.
STRUCTURE_CACHE_SECONDS = 600


def message_structure(*, imap: ImapConnection, folder: str, uid: int, user_key: str | None = None) -> MimePart:
    """The message's parsed BODYSTRUCTURE. With `user_key`, kept in the cache (sealed: it holds
    file names and forwarded subjects) per folder, UIDVALIDITY and UID, for which it never
    changes: a message with thousands of parts costs seconds of parsing, so each download of
    one of its parts must not parse it again. A cached structure is used only while the
    message is still there (one FETCH FLAGS). Raises MessageNotFound when it is gone."""
    if user_key is None:
        _selected, meta = message_meta(imap=imap, folder=folder, uid=uid)
        return parse_bodystructure(meta.bodystructure)
    selected = imap.select(folder, readonly=True)
    ident = f"{user_key}|{folder}|{selected.uidvalidity}|{uid}|{STRUCTURE_FORMAT}"
    key = "structure:" + hashlib.sha256(ident.encode()).hexdigest()
    sealed = cache.get(key)
    plain = decrypt_bytes(sealed) if isinstance(sealed, bytes) else None
    if plain is not None:
        if uid not in imap.fetch_flags([uid]):
            raise MessageNotFound(f"{folder}/{uid}")
        tree: MimePart = pickle.loads(plain)  # noqa: S301 - sealed by us (Fernet authenticates it)
        return tree
    _selected, meta = message_meta(imap=imap, folder=folder, uid=uid)
    tree = parse_bodystructure(meta.bodystructure)
    cache.set(key, encrypt_bytes(pickle.dumps(tree)), STRUCTURE_CACHE_SECONDS)
    return tree


# Part of the structure cache key: changes when MimePart does.
STRUCTURE_FORMAT = 1


def part_info(*, imap: ImapConnection, folder: str, uid: int, section: str, user_key: str | None = None) -> PartInfo:
    """What a part is, from BODYSTRUCTURE (cached per message with `user_key`). Raises
    MessageNotFound for a missing message or part."""
    part: MimePart | None = find_part(message_structure(imap=imap, folder=folder, uid=uid, user_key=user_key), section)
    if part is None or part.is_multipart:
        raise MessageNotFound(f"{folder}/{uid}/{section}")
    mime_type = part.mime_type
    filename = part.suggested_filename
    decoded_size: int | None = None
    damaged = False
    if part.encoding == "base64":
        # Only for base64: where Dovecot decodes it, our decoder gives the same bytes (both
        # skip line breaks; anything else is damage Dovecot refuses), so the length holds.
        # Quoted-printable decoders differ on details (trailing blanks): no length then.
        try:
            decoded_size = imap.decoded_size(uid, part.section)
        except (ImapProtocolError, ImapConnectionError) as exc:
            log.info("part %s of %s/%s: the server cannot decode it (%s); serving what decodes", part.section, folder, uid, exc)
            damaged = True
    elif part.encoding not in IDENTITY_ENCODINGS and part.encoding != "quoted-printable" and part.encoding not in UU_ENCODINGS:
        filename = safe_filename(f"{filename}.{part.encoding}")  # served as it is
    return PartInfo(
        section=part.section,
        filename=damaged_filename(filename) if damaged else filename,
        content_type=mime_type if mime_type in INLINE_SAFE or mime_type == "message/rfc822" else "application/octet-stream",
        inline_safe=mime_type in INLINE_SAFE and not damaged,
        preview_type=None if damaged else _preview_type(mime_type, part.charset),
        encoding=part.encoding,
        encoded_size=part.size,
        decoded_size=decoded_size,
        damaged=damaged,
    )


def section_chunks(
    *, imap: ImapConnection, session: SessionFactory, folder: str, uid: int, section: str, encoding: str, chunk_size: int = CHUNK
) -> Iterator[bytes]:
    """Decoded bytes of a section ("" = the whole message): the first chunk fetched now, on
    `imap` (the view's connection), the rest, if any, streamed later by `stream_section`.

    So a part that cannot be fetched at all (gone, refused) is a clear error page rather
    than a response that breaks off after its headers, and a part that fits in one chunk
    (most do) is served without holding a connection while the client reads it.
    """
    decoder = StreamDecoder(encoding)
    imap.select(folder, readonly=True)
    chunk = imap.fetch_partial(uid, section, 0, chunk_size)
    if chunk is None:
        raise MessageNotFound(f"{folder}/{uid}")
    first = decoder.feed(chunk)
    if len(chunk) < chunk_size:
        return iter([first + decoder.finish()])
    rest = stream_section(
        session=session, folder=folder, uid=uid, section=section, encoding=encoding, chunk_size=chunk_size, offset=len(chunk), decoder=decoder
    )
    return _then(first, rest)


def _then(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    # A generator (not itertools.chain): closing it closes `rest`, which returns its connection.
    yield first
    yield from rest


def exactly(chunks: Iterator[bytes], length: int) -> Iterator[bytes]:
    """Exactly the `length` bytes promised in the Content-Length. Fewer: the download fails
    (PartLengthMismatch) instead of being padded; more: the rest is not sent, and logged.
    An error from `chunks` (the message vanished midway) propagates and ends the download."""
    sent = 0
    for chunk in chunks:
        if sent + len(chunk) > length:
            log.warning("a part decoded to more than its announced %d bytes; the rest is not sent", length)
            chunk = chunk[: length - sent]
        sent += len(chunk)
        if chunk:
            yield chunk
        if sent >= length:
            return
    if sent < length:
        raise PartLengthMismatch(f"decoded {sent} of the {length} bytes announced")


def stream_section(
    *, session: SessionFactory, folder: str, uid: int, section: str, encoding: str, chunk_size: int = CHUNK,
    offset: int = 0, decoder: StreamDecoder | None = None,
) -> Iterator[bytes]:
    """Decoded bytes of a section ("" = the whole message), chunk by chunk, from `offset`
    on (`decoder` carries the decoding state of what came before).

    Holds one pooled connection for the duration and gives it back when the response
    is finished or the client goes away (the WSGI server closes the generator).
    """
    decoder = decoder or StreamDecoder(encoding)
    with session() as imap:
        imap.select(folder, readonly=True)
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


def _preview_type(mime_type: str, charset: str | None) -> str | None:
    kind = preview_kind(mime_type)
    if kind is None:
        return None
    if kind == "text":  # its declared charset when it is a plausible name, else UTF-8
        return f"text/plain; charset={charset if charset and _CHARSET.fullmatch(charset) else 'utf-8'}"
    return mime_type.lower()
