"""Streaming decoders give the same bytes however the encoded data is chunked."""
from __future__ import annotations

import base64
import quopri

from hypothesis import given, settings
from hypothesis import strategies as st

from mailview.mime.stream import StreamDecoder
from mailview.services.reading.parts import exactly


def decode_in_chunks(encoded: bytes, encoding: str, cuts: list[int]) -> bytes:
    decoder = StreamDecoder(encoding)
    out, start = [], 0
    for cut in sorted(set(c % (len(encoded) + 1) for c in cuts)) + [len(encoded)]:
        out.append(decoder.feed(encoded[start:cut]))
        start = cut
    out.append(decoder.finish())
    return b"".join(out)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=3000), st.lists(st.integers(min_value=0, max_value=5000), max_size=12))
def test_base64_chunks_decode_to_the_payload(payload, cuts):
    encoded = base64.encodebytes(payload).replace(b"\n", b"\r\n")
    assert decode_in_chunks(encoded, "base64", cuts) == payload


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=3000), st.lists(st.integers(min_value=0, max_value=5000), max_size=12))
def test_quoted_printable_chunks_decode_to_the_payload(payload, cuts):
    encoded = quopri.encodestring(payload).replace(b"\n", b"\r\n")
    assert decode_in_chunks(encoded, "quoted-printable", cuts) == quopri.decodestring(encoded)


def test_broken_base64_decodes_what_it_can():
    assert decode_in_chunks(b"aGVs!!bG8=\r\n", "base64", [3, 7]) == b"hello"


def test_exactly_truncates_or_pads_to_the_promised_length():
    assert b"".join(exactly(iter([b"abc", b"def"]), 4)) == b"abcd"
    assert b"".join(exactly(iter([b"ab"]), 4)) == b"ab\0\0"


class _Vanishing:
    """A connection stand-in whose message disappears after `chunks` answers (a real
    Dovecot keeps serving an open message to the session, so this cannot be staged there)."""

    def __init__(self, chunks: int) -> None:
        self.left = chunks

    def select(self, folder: str, *, readonly: bool = True) -> None:
        pass

    def fetch_partial(self, uid: int, section: str, offset: int, length: int) -> bytes | None:
        if self.left == 0:
            return None
        self.left -= 1
        return b"x" * length


def test_a_message_vanishing_midway_fails_the_download_instead_of_padding_it():
    import contextlib

    import pytest

    from mailview.imap import MessageNotFound
    from mailview.services.reading.parts import stream_section

    def session(chunks: int):
        return lambda: contextlib.nullcontext(_Vanishing(chunks))

    received = []
    with pytest.raises(MessageNotFound):
        for chunk in exactly(stream_section(session=session(2), folder="INBOX", uid=1, section="2", encoding="8bit", chunk_size=4), 100):
            received.append(chunk)
    assert b"".join(received) == b"x" * 8  # what came before, and no NUL padding after
    with pytest.raises(MessageNotFound):  # gone before the first byte: the view's 404
        next(stream_section(session=session(0), folder="INBOX", uid=1, section="2", encoding="8bit"))
