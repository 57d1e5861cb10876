"""Streaming decoders give the same bytes however the encoded data is chunked."""
from __future__ import annotations

import base64
import quopri

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailview.mime import decode_transfer, transfer_damaged
from mailview.mime.stream import MAX_PENDING, StreamDecoder
from mailview.services.reading.parts import PartLengthMismatch, damaged_filename, exactly


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


# Broken input of every kind: bytes drawn mostly from each encoding's own alphabet, so
# that near-valid data (bad padding, cut quanta, stray "=", junk) is what gets tested.
def _over(alphabet: bytes, prefix: bytes = b"") -> st.SearchStrategy[bytes]:
    return st.binary(max_size=400).map(lambda b: prefix + bytes(alphabet[x % len(alphabet)] for x in b))


BROKEN = {
    "base64": _over(b"AQZaz09+/=\r\n!%"),
    "quoted-printable": _over(b"aZ=09Fz \t\r\n\xe9"),
    "x-uuencode": _over(b"#0V%T`M!!\n ", b"begin 644 f\n"),
}


@settings(max_examples=300, deadline=None)
@given(st.data(), st.sampled_from(sorted(BROKEN)), st.lists(st.integers(min_value=0, max_value=500), max_size=8))
def test_a_broken_part_streams_to_what_the_page_decodes(data, encoding, cuts):
    """A download and the text on the page never disagree, however broken the encoding."""
    encoded = data.draw(BROKEN[encoding])
    assert decode_in_chunks(encoded, encoding, cuts) == decode_transfer(encoded, encoding)


def test_an_endless_line_is_decoded_without_holding_it_all():
    decoder = StreamDecoder("quoted-printable")
    line = b"abc=3D" * (MAX_PENDING // 3)
    out = decoder.feed(line)
    assert out and len(line) - len(out) * 6 // 4 < MAX_PENDING
    assert out + decoder.finish() == decode_transfer(line, "quoted-printable")


@pytest.mark.parametrize(("encoded", "encoding", "damaged"), [
    (base64.encodebytes(b"hello world"), "base64", False),
    (b"aGVsbG8=\r\n", "base64", False),
    (b"aGVs bG8=", "base64", False),
    (b"aGVs!bG8=", "base64", True),  # junk
    (b"aGk=aGk=", "base64", True),  # padding inside
    (b"aGVsbG8", "base64", True),  # cut off
    (b"aGVsbG8====", "base64", True),
    (b"caf=C3=A9 soft=\r\nbreak=", "quoted-printable", False),
    (b"bad=ZZ", "quoted-printable", True),
    (b"cut=4", "quoted-printable", True),
    (b"begin 644 x\n#:&D*\n`\nend\n", "x-uuencode", False),
    (b"raw \xff", "8bit", False),
    (b"anything", "x-rot13", True),  # unknown: shown as it came
])
def test_transfer_damage_is_recognised(encoded, encoding, damaged):
    assert transfer_damaged(encoded, encoding) is damaged


@pytest.mark.parametrize(("name", "expected"), [
    ("report.pdf", "report (damaged).pdf"), ("archive.tar.gz", "archive.tar (damaged).gz"), ("README", "README (damaged)"),
    (".hidden", "hidden (damaged)"),
])
def test_damaged_filenames_say_so_and_keep_the_extension(name, expected):
    assert damaged_filename(name) == expected


def test_broken_base64_decodes_what_it_can():
    assert decode_in_chunks(b"aGVs!!bG8=\r\n", "base64", [3, 7]) == b"hello"


def test_exactly_stops_at_the_promised_length_and_never_pads():
    assert b"".join(exactly(iter([b"abc", b"def"]), 4)) == b"abcd"
    chunks = exactly(iter([b"ab"]), 4)
    assert next(chunks) == b"ab"
    with pytest.raises(PartLengthMismatch):  # cut off, so the browser reports a failed download
        next(chunks)


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
