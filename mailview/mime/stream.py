"""Incremental Content-Transfer-Encoding decoders, for streaming big parts in chunks."""
from __future__ import annotations

import binascii

_BASE64_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="
# bytes.translate with a delete table: ten times faster than a regex on megabytes.
_NOT_BASE64 = bytes(b for b in range(256) if b not in _BASE64_ALPHABET)


class StreamDecoder:
    """Feed encoded chunks, get decoded bytes; memory stays at one chunk."""

    def __init__(self, encoding: str) -> None:
        self.encoding = (encoding or "").lower()
        self._pending = b""

    def feed(self, chunk: bytes) -> bytes:
        if self.encoding == "base64":
            data = self._pending + chunk.translate(None, _NOT_BASE64)
            usable = len(data) - len(data) % 4
            self._pending = data[usable:]
            return _b64(data[:usable])
        if self.encoding == "quoted-printable":
            data = self._pending + chunk
            cut = data.rfind(b"\n") + 1  # only complete lines: a soft break may end the chunk
            self._pending = data[cut:]
            return binascii.a2b_qp(data[:cut])
        return chunk

    def finish(self) -> bytes:
        rest, self._pending = self._pending, b""
        if self.encoding == "base64":
            if not rest:
                return b""
            return _b64(rest + b"=" * (-len(rest) % 4))
        if self.encoding == "quoted-printable":
            return binascii.a2b_qp(rest)
        return rest


def _b64(data: bytes) -> bytes:
    # Padding in the middle (concatenated base64 blobs) is legal-ish in the wild: decode per block.
    try:
        return binascii.a2b_base64(data)
    except binascii.Error:
        out = bytearray()
        for start in range(0, len(data), 4):
            try:
                out += binascii.a2b_base64(data[start : start + 4])
            except binascii.Error:
                continue
        return bytes(out)
