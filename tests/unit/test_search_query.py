"""The search query language (mailview/imap/query.py) and the SEARCH keys it becomes
(mailview/imap/search.py): no server. What the keys find on a real Dovecot is checked in
tests/test_search.py."""
from __future__ import annotations

import re
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from mailview.imap.query import MAX_TERMS, Group, Not, Or, Term, node_text, parse_query
from mailview.imap.search import query_keys, search_keys

TODAY = date(2026, 12, 6)


def keys(text: str, **kw: object) -> list[bytes]:
    return search_keys(text, today=TODAY, **kw)  # type: ignore[arg-type]


def test_operators_become_their_search_keys():
    assert keys("from:anna") == [b"FROM", b'"anna"']
    assert keys("to:bob cc:carl bcc:dora") == [b"TO", b'"bob"', b"CC", b'"carl"', b"BCC", b'"dora"']
    assert keys('subject:"budget 2025"') == [b"SUBJECT", b'"budget 2025"']
    assert keys("is:unread is:read is:flagged is:starred") == [b"UNSEEN", b"SEEN", b"FLAGGED", b"FLAGGED"]
    assert keys("label:$Work") == [b"KEYWORD", b"$Work"]
    assert keys("before:2025-03-01 after:2024/1/2") == [b"BEFORE", b"1-Mar-2025", b"SINCE", b"2-Jan-2024"]
    assert keys("older_than:7d newer_than:2w") == [b"BEFORE", b"29-Nov-2026", b"SINCE", b"22-Nov-2026"]
    assert keys("larger:5M smaller:20k") == [b"LARGER", b"5242880", b"SMALLER", b"20480"]
    assert keys("has:attachment") == [b"OR", b"HEADER", b'"Content-Type"', b'"multipart/mixed"', b"KEYWORD", b"$HasAttachment"]
    assert keys("in:Archive") == [b"ALL"]  # a scope, not a key


def test_free_words_match_headers_or_with_body_text_anywhere():
    assert keys("hello") == [b"OR", b"OR", b"OR", b"FROM", b'"hello"', b"TO", b'"hello"', b"CC", b'"hello"', b"SUBJECT", b'"hello"']
    assert keys('"exact phrase"', in_body=True) == [b"TEXT", b'"exact phrase"']
    assert keys("grüße", in_body=True) == [b"TEXT", "grüße".encode()]


def test_negation_or_and_parentheses():
    assert keys("-is:unread") == [b"NOT", b"UNSEEN"]
    assert keys("is:unread OR is:flagged OR label:x") == [b"OR", b"UNSEEN", b"OR", b"FLAGGED", b"KEYWORD", b"x"]
    assert keys("-(from:a OR from:b)") == [b"NOT", b"(ALL", b"OR", b"FROM", b'"a"', b"FROM", b'"b"', b"ALL)"]
    assert keys("(from:a to:b) OR is:draft") == [b"OR", b"(ALL", b"FROM", b'"a"', b"TO", b'"b"', b"ALL)", b"DRAFT"]
    # OR binds tighter than the implicit AND, as in Gmail
    parsed = parse_query("a b OR c")
    assert parsed.nodes == (Term("text", "a"), Or((Term("text", "b"), Term("text", "c"))))
    assert parse_query("--is:read").nodes == (Term("is", "read"),)
    assert parse_query("a or b").nodes == (Term("text", "a"), Term("text", "or"), Term("text", "b"))


def test_bad_values_are_marked_and_left_out():
    parsed = parse_query('before:tomorrow larger:huge is:sleepy label:"two words" words has:cats older_than:7x from:')
    assert {t.error for t in parsed.errors} == {"date", "size", "is", "label", "has", "age", "empty"}
    assert query_keys(parsed, today=TODAY) == [b"OR", b"OR", b"OR", b"FROM", b'"words"', b"TO", b'"words"', b"CC", b'"words"', b"SUBJECT", b'"words"']
    assert keys("unknown:op") == [b"OR", b"OR", b"OR", b"FROM", b'"unknown:op"', b"TO", b'"unknown:op"', b"CC", b'"unknown:op"', b"SUBJECT", b'"unknown:op"']
    assert keys("label:\\Deleted") == [b"ALL"]  # never a system flag


def test_hostile_text_stays_inside_quoted_strings():
    assert keys('from:"a\\"b"') == [b"FROM", b'"a\\"b"']
    assert keys("x\r\nA1 LOGOUT") == keys("x A1 LOGOUT")
    assert keys("{5}\r\nhello") == keys("{5} hello")
    assert b"{5}" not in b" ".join(k for k in keys("{5}") if not k.startswith(b'"'))
    assert keys("a\x00b") == keys("a b")


def test_chips_drop_one_term_and_reparse_to_the_same_query():
    parsed = parse_query('from:anna "big news" -label:done (is:unread OR is:flagged)')
    assert [node_text(n) for n in parsed.nodes] == ["from:anna", '"big news"', "-label:done", "(is:unread OR is:flagged)"]
    assert parsed.without(1) == "from:anna -label:done (is:unread OR is:flagged)"
    assert parse_query("in:Archive -in:Trash x").folders() == (["Archive"], ["Trash"])


def test_long_queries_are_bounded():
    parsed = parse_query("word " * 1000)
    assert parsed.truncated and len(parsed.nodes) == MAX_TERMS
    nested = parse_query("(" * 50 + "x" + ")" * 50)
    assert nested.truncated or nested.nodes


# -- properties ----------------------------------------------------------------

_SAFE_ATOM = re.compile(rb"^(\(ALL|ALL\)|[A-Z]+|\$HasAttachment|[0-9]+|[0-9]{1,2}-[A-Z][a-z]{2}-[0-9]{4})$")
_QUOTED = re.compile(rb'^"(?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*"$')
_KEYWORD = re.compile(rb"^[A-Za-z0-9$_.\-]{1,100}$")

_PIECES = list('ab "\\(){}5*%-:\r\n\x00\t\x7fOR') + ["from:", "in:", "label:", "is:", "larger:", "ü", "€", "😀", "\u2028", " OR ", "-", "{5}"]
hostile = st.lists(st.sampled_from(_PIECES), max_size=120).map("".join)


def _wire_safe(tokens: list[bytes]) -> None:
    previous = b""
    for token in tokens:
        if token.isascii():
            assert (
                _SAFE_ATOM.match(token) or _QUOTED.match(token) or (previous == b"KEYWORD" and _KEYWORD.match(token))
            ), token
        else:
            # 8-bit: imapclient sends it as a literal; a literal may hold anything but NUL
            assert b"\x00" not in token and b"\r" not in token and b"\n" not in token
            token.decode("utf-8")
        previous = token


@given(hostile, st.booleans())
def test_no_typed_text_reaches_the_wire_outside_a_string_or_literal(text, in_body):
    _wire_safe(keys(text, in_body=in_body))


@given(st.text(max_size=4096))
def test_any_text_up_to_4k_parses_and_is_wire_safe(text):
    _wire_safe(keys(text))
    _wire_safe(keys(text, in_body=True))


@given(hostile)
def test_query_text_round_trips_through_chips(text):
    parsed = parse_query(text, today=TODAY)
    again = parse_query(parsed.text(), today=TODAY)
    assert query_keys(again, today=TODAY) == query_keys(parsed, today=TODAY)
    for index in range(len(parsed.nodes)):
        rest = parse_query(parsed.without(index), today=TODAY)
        assert len(rest.nodes) == len(parsed.nodes) - 1


@given(hostile)
def test_parentheses_in_keys_are_balanced(text):
    depth = 0
    for token in keys(text):
        if token == b"(ALL":
            depth += 1
        elif token == b"ALL)":
            depth -= 1
        assert depth >= 0
    assert depth == 0


def test_group_and_not_shapes():
    assert parse_query("-(a OR b)").nodes == (Not(Group((Or((Term("text", "a"), Term("text", "b"))),))),)
