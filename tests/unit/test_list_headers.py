"""A list row's header fields, parsed from `HEADER.FIELDS` instead of ENVELOPE (issue #12):
encoded words decoded by our tolerant decoder, not the stdlib's; groups, quoted commas,
8-bit names, empty and unreadable addresses; hostile sizes bounded; never an exception."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mailview.imap import headers
from mailview.imap.headers import MAX_VALUE_BYTES, header_fields, parse_addresses, row_headers
from mailview.mime import decode_header_value


def shown(value: bytes) -> list[tuple[str, str]]:
    """(decoded display name, address) of each mailbox, as a row would show them."""
    return [(decode_header_value(a.name), f"{a.mailbox}@{a.host}" if a.host else a.mailbox) for a in parse_addresses(value)]


def test_encoded_words_stay_raw_for_our_decoder():
    # A UTF-8 character split across two encoded words: the stdlib's parser makes two U+FFFD of it.
    assert shown(b"=?utf-8?b?SsO?= =?utf-8?b?tnJn?= <j@example.org>") == [("Jörg", "j@example.org")]
    assert shown(b"=?utf-8?q?J=C3?= =?utf-8?q?=B6rg?= <j@example.org>") == [("Jörg", "j@example.org")]
    assert parse_addresses(b"=?utf-8?q?J=C3=B6rg?= <j@example.org>")[0].name == b"=?utf-8?q?J=C3=B6rg?="
    assert shown(b'"=?utf-8?q?J=C3=B6rg?=" <j@example.org>') == [("Jörg", "j@example.org")]
    assert shown(b"=?UTF-8?Q?M=C3=BCller=2C_Hans?= <h@example.org>, b@example.org") == [("Müller, Hans", "h@example.org"), ("", "b@example.org")]
    assert shown(b"=?iso-2022-jp?b?GyRCJUYlOSVIGyhC?= <t@example.org>") == [("テスト", "t@example.org")]
    assert shown(b"=?x-unknown?q?abc?= <u@example.org>") == [("abc", "u@example.org")]
    # Folded between words, as long headers are.
    assert shown(b"=?utf-8?q?Ren=C3=A9e?=\r\n =?utf-8?q?_M=C3=BCller?= <r@example.org>") == [("Renée Müller", "r@example.org")]


def test_eight_bit_names_keep_their_bytes():
    assert parse_addresses(b'"M\xc3\xbcller, Hans" <h@example.org>')[0].name == b"M\xc3\xbcller, Hans"
    assert shown(b'"M\xc3\xbcller, Hans" <h@example.org>') == [("Müller, Hans", "h@example.org")]
    assert shown(b"M\xfcller <h@example.org>") == [("Müller", "h@example.org")]  # Latin-1, as ENVELOPE's bytes read
    assert shown(b"<j\xc3\xb6rg@example.org>") == [("", "jörg@example.org")]


def test_groups_list_their_members_not_themselves():
    assert shown(b'Team: a@example.org, "X Y" <d@example.org>;, z@example.org') == [
        ("", "a@example.org"), ("X Y", "d@example.org"), ("", "z@example.org"),
    ]
    assert shown(b"undisclosed-recipients:;") == []
    assert shown(b"=?utf-8?q?T=C3=A9am?=: a@example.org;") == [("", "a@example.org")]


def test_names_as_dovecots_envelope_gives_them():
    # Old-style `address (Name)`: the last comment after the address starts is the name.
    assert shown(b"bbb@example.org (John X. Doe)") == [("John X. Doe", "bbb@example.org")]
    assert shown(b"(first) a@example.org (second)") == [("second", "a@example.org")]
    assert shown(b"a(x)@example.org") == [("x", "a@example.org")]
    assert shown(b"a@example.org (=?utf-8?q?J=C3=B6rg?=)") == [("Jörg", "a@example.org")]
    assert shown(b"a@example.org ()") == [("", "a@example.org")]
    # ... but not before an address, nor beside a phrase or an angle address.
    assert shown(b"Team: (c) x@example.org;") == [("", "x@example.org")]
    assert shown(b"Name <a@example.org> (comment)") == [("Name", "a@example.org")]
    assert shown(b'"" <a@example.org> (c)') == [("", "a@example.org")]
    assert shown(b"(c) <d@example.org>") == [("", "d@example.org")]
    # Blanks made one, quoted or not; quotes and escapes gone.
    assert shown(b"Ann   Smith <a@example.org>") == [("Ann Smith", "a@example.org")]
    assert shown(b'"Ann \t  Smith" <a@example.org>') == [("Ann Smith", "a@example.org")]
    assert shown(b'Ann "the" Smith <a@example.org>') == [("Ann the Smith", "a@example.org")]
    assert shown(b'"a\\"b" <a@example.org>') == [('a"b', "a@example.org")]
    # A name without an address is still a name (Dovecot: MISSING_MAILBOX@MISSING_DOMAIN).
    assert shown(b"MAILER DAEMON <>") == [("MAILER DAEMON", "")]


def test_odd_and_broken_addresses():
    assert shown(b"<>") == []
    assert shown(b"") == []
    assert shown(b"just-a-name") == [("", "just-a-name")]  # Dovecot: just-a-name@MISSING_DOMAIN
    assert shown(b"<@route.example:a@example.org>") == [("", "a@example.org")]
    assert shown(b"a@[192.0.2.1]") == [("", "a@[192.0.2.1]")]
    assert shown(b"@@@,,,<<<>>>") == []
    # A hostile value: "=?" words holding address delimiters are not swapped out, and the
    # result is still one address with text, never an exception.
    assert shown(b"=?utf-8?q?a<b?= <q@example.org>") == [("a<b", "q@example.org")]
    assert shown(b'"unterminated <a@example.org>')
    # What the stdlib parser raises on is None for the whole row: the caller asks ENVELOPE.
    assert row_headers(b"From: a@\r\n\r\n") is None


def test_markup_and_controls_are_only_text_here():
    # Escaping is the template's job; the parser keeps what the name says (the row decodes it).
    name = shown(b'"<script>alert(1)</script>" <x@example.org>')[0][0]
    assert name == "<script>alert(1)</script>"
    assert "\x00" not in shown(b"=?utf-8?q?a=00b?= <n@example.org>")[0][0]


def test_first_of_each_field_folds_kept_case_ignored():
    raw = (
        b"subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\n aus K\xc3\xb6ln\r\n"
        b"FROM: Ann <ann@example.org>\r\nFrom: Second <second@example.org>\r\n"
        b"Sender: list@example.org\r\nTo: Bob <bob@example.org>\r\n"
        b"Date: Tue, 01 Dec 2026 10:00:00 +0100\r\n\r\n"
    )
    fields = header_fields(raw)
    assert fields["subject"] == b"=?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\n aus K\xc3\xb6ln"
    parsed = row_headers(raw)
    assert parsed is not None
    assert decode_header_value(parsed.subject) == "Grüße aus Köln"
    assert [a.mailbox for a in parsed.from_] == ["ann"] and [a.mailbox for a in parsed.sender] == ["list"]
    assert [a.host for a in parsed.to] == ["example.org"]
    assert parsed.date is not None and parsed.date.isoformat() == "2026-12-01T10:00:00+01:00"
    # Only the fields asked for: the others are empty, as ENVELOPE's NIL.
    lean = row_headers(raw, fields=("from", "subject"))
    assert lean is not None and lean.to == () and lean.sender == () and lean.date is None


def test_missing_fields_and_a_bad_date_are_empty():
    parsed = row_headers(b"X-Other: 1\r\nDate: not a date\r\n\r\n")
    assert parsed is not None
    assert parsed.subject is None and parsed.from_ == () and parsed.date is None
    assert row_headers(b"") == row_headers(b"\r\n")


def test_huge_values_are_cut_before_parsing():
    subject = b"Subject: start " + b"word " * 60_000 + b"\r\n"
    many = b"To: " + b",\r\n ".join(f"person{i} <p{i}@example.org>".encode() for i in range(20_000)) + b"\r\n"
    parsed = row_headers(subject + many + b"\r\n")
    assert parsed is not None
    assert parsed.subject is not None and len(parsed.subject) == MAX_VALUE_BYTES
    assert parsed.to[0].mailbox == "p0" and len(parsed.to) < 2000


def test_a_cut_list_of_addresses_ends_at_its_last_whole_address():
    """50,000 recipients (a hostile Cc; its ENVELOPE is over imaplib's line limit, so the
    message page reads the header field): the cut keeps whole addresses only."""
    many = b",\r\n ".join(f"p{i}@example.org".encode() for i in range(50_000))
    found = parse_addresses(many)
    assert found[0].mailbox == "p0" and len(found) > 1000
    assert all(a.host == "example.org" for a in found)


@settings(max_examples=300)
@given(st.binary(max_size=400))
def test_any_bytes_give_fields_or_none_never_an_exception(value):
    parsed = row_headers(b"From: " + value + b"\r\nTo: " + value + b"\r\nSubject: " + value + b"\r\n\r\n")
    if parsed is not None:
        for address in parsed.from_ + parsed.to:
            assert isinstance(address.mailbox, str) and isinstance(address.host, str)
            decode_header_value(address.name)


@settings(max_examples=300)
@given(st.lists(st.sampled_from([
    '"', "\\", "<", ">", ",", ";", ":", "@", "(", ")", "[", "]", " ", "\r\n ", "=?utf-8?q?", "?=", "=?", "a", "é", "\x00",
]), max_size=40))
def test_address_syntax_soup_never_raises(pieces):
    parsed = row_headers(("From: " + "".join(pieces) + "\r\n\r\n").encode("utf-8"))
    assert parsed is None or isinstance(parsed.from_, tuple)


# The shapes of nearly all mail take a fast path; it must answer as the stdlib parser does.
_WORD = st.one_of(
    st.text(alphabet=st.sampled_from(list("abcXYZ019.!#$%&'*+-/=?^_`{|}~") + ["é", "ö", "\xa0", "\x85", "…"]), min_size=1, max_size=8),
    st.sampled_from(["=?utf-8?q?J=C3=B6rg?=", "=?utf-8?b?SsO?=", "=?iso-8859-1?q?caf=E9?="]),
)
_NAME = st.lists(_WORD, min_size=0, max_size=4).map(" ".join)
_LOCAL = st.lists(st.text(alphabet=st.sampled_from(list("abcz09+-_=") + ["é"]), min_size=1, max_size=6), min_size=1, max_size=3).map(".".join)
_HOST = st.lists(st.text(alphabet=st.sampled_from(list("abcz09-")), min_size=1, max_size=6), min_size=1, max_size=3).map(".".join)
_ADDRESS = st.one_of(
    st.builds(lambda n, lo, h, blank: f"{n}{blank}<{lo}@{h}>", _NAME, _LOCAL, _HOST, st.sampled_from(["", " ", "  ", "\t"])),
    st.builds(lambda n, lo, h: f'"{n}" <{lo}@{h}>', st.one_of(_NAME, st.sampled_from(["Doe, Jane", "a;b:c", "<x@y>", "  spaced  out "])), _LOCAL, _HOST),
    st.builds(lambda lo, h: f"{lo}@{h}", _LOCAL, _HOST),
)


@settings(max_examples=200)
@given(st.lists(_ADDRESS, min_size=1, max_size=4), st.sampled_from([",", ", ", " , ", ",\t"]))
def test_the_fast_path_answers_as_the_stdlib_parser(addresses, comma):
    text = comma.join(addresses).encode("utf-8").decode("latin-1")
    fast = headers._simple_addresses(text)
    try:
        slow = headers._stdlib_addresses(text)
    except Exception:  # noqa: BLE001 - the stdlib's own bugs (`. <a@b>`): the row would ask ENVELOPE
        slow = fast
    if fast is not None:
        assert fast == slow, text
    if not any("\x85" in a or "\xa0" in a or "é" in a.split("@")[0] for a in addresses):
        assert fast is not None, text  # the common shapes do take it


def test_shapes_off_the_fast_path():
    for text in ["a@b.c (c)", "G: a@b.c;", '"a\\"b" <a@b.c>', "<@r:a@b.c>", "a@[1.2.3.4]", "<>", "x <>", "   ", "a@b.c,,d@e.f"]:
        assert headers._simple_addresses(text) is None, text
    # Hostile sizes stay linear on both paths (a backtracking regex would hang here).
    for text in [" " * 30_000 + "x", "a " * 15_000 + "x", '"' + "a" * 30_000, "a@" * 15_000, "a b" * 10_000 + "@"]:
        assert headers._simple_addresses(text) is None
