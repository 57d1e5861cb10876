"""Incremental Content-Transfer-Encoding decoders, for streaming big parts in chunks.

A part fed in chunks decodes to exactly what :func:`mailview.mime.decode.decode_transfer`
gives for the whole part, broken input included (junk skipped, separately padded blocks
decoded one by one, a cut-off end padded or dropped), so a download and the text shown
on the page never disagree. Memory stays at about one chunk: what is held back between
chunks is bounded even when the input has no line breaks at all.
"""
from __future__ import annotations

import binascii
from collections.abc import Callable

from .decode import UU_ENCODINGS, _b64_tolerant, _uu_tolerant

_BASE64_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="
# bytes.translate with a delete table: ten times faster than a regex on megabytes.
NOT_BASE64 = bytes(b for b in range(256) if b not in _BASE64_ALPHABET)
#: Quoted-printable or uuencoded input held back waiting for a line end, at most.
MAX_PENDING = 64 * 1024


class StreamDecoder:
    """Feed encoded chunks, get decoded bytes; memory stays at one chunk."""

    def __init__(self, encoding: str) -> None:
        self.encoding = (encoding or "").strip().strip('"').lower()
        self._pending = b""

    def feed(self, chunk: bytes) -> bytes:
        if self.encoding == "base64":
            return self._base64(self._pending + chunk.translate(None, NOT_BASE64))
        if self.encoding == "quoted-printable":
            return self._lines(chunk, binascii.a2b_qp, _qp_cut)
        if self.encoding in UU_ENCODINGS:
            return self._lines(chunk, _uu_tolerant, None)
        return chunk

    def finish(self) -> bytes:
        rest, self._pending = self._pending, b""
        if self.encoding == "base64":
            return _b64_tolerant(rest)
        if self.encoding == "quoted-printable":
            return binascii.a2b_qp(rest)
        if self.encoding in UU_ENCODINGS:
            return _uu_tolerant(rest)
        return rest

    def _base64(self, data: bytes) -> bytes:
        # `_b64_tolerant` decodes each run between "=" paddings on its own: everything up to
        # the last "=" is complete; after it, whole 4-character quanta decode the same now
        # as later, and only the last 0-3 characters wait for the next chunk.
        cut = data.rfind(b"=") + 1
        if cut == 0:
            # The usual case, no padding yet: `data` holds only base64 characters (`feed`
            # deleted the rest), so whole quanta decode directly, 7x faster than the
            # tolerant path (20 MB: 77 ms instead of 540 ms) and to the same bytes.
            usable = len(data) - len(data) % 4
            self._pending = data[usable:]
            return binascii.a2b_base64(data[:usable])
        head, tail = data[:cut], data[cut:]
        usable = len(tail) - len(tail) % 4
        self._pending = tail[usable:]
        return _b64_tolerant(head) + _b64_tolerant(tail[:usable]) if head else _b64_tolerant(tail[:usable])

    def _lines(self, chunk: bytes, decode: Callable[[bytes], bytes], cut_line: Callable[[bytes], int] | None) -> bytes:
        data = self._pending + chunk
        cut = data.rfind(b"\n") + 1  # only complete lines: a soft break may end the chunk
        if cut == 0 and len(data) > MAX_PENDING:
            # One endless line: decode most of it now rather than hold it all.
            cut = cut_line(data) if cut_line else len(data)
        self._pending = data[cut:]
        return decode(data[:cut])


def _qp_cut(data: bytes) -> int:
    """Where a quoted-printable line can be cut without splitting an ``=XX`` escape."""
    cut = len(data) - 2
    while cut > 0 and b"=" in data[cut - 2:cut]:
        cut -= 1
    return cut
