"""A fast reader of FETCH answers, for the bulk fetches of the full-text indexer. Pure.

imapclient reads a FETCH answer character by character in Python: a BODYSTRUCTURE costs it
milliseconds, which alone would cap the indexer near a hundred messages a second. This
reads the same answers (as imaplib hands them over: a line, or a `(line ending in {n},
literal)` pair per literal) with one regular expression that splits a line into tokens in
C, and a stack for the parentheses (no recursion, so any nesting depth is fine).

Values: parenthesized lists become tuples, NIL None, atoms and strings bytes (numbers too:
the caller converts what it needs), a literal its bytes. The keys of a message's items are
upper-cased (`b"BODY[1.2]<0>"`, `b"BODYSTRUCTURE"`). The nested tuples of a BODYSTRUCTURE
have the shape `mailview.mime.parse_bodystructure` reads (a multipart's children come first).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# One token per match, told apart by its first byte: "(", ")", a quoted string, a literal's
# announcement at the end of a line (its bytes come with the line), or an atom such as
# BODY[HEADER.FIELDS (A B)]<0>. `findall` without groups: a list of bytes, no match objects.
_TOKENS = re.compile(
    rb'[()]|"[^"\\]*(?:\\.[^"\\]*)*"|\{\d+\+?\}$|[^\s()"\[{]+(?:\[[^\]]*\](?:<\d+>)?)?'
)
_ESCAPE = re.compile(rb"\\(.)")
_OPEN, _CLOSE, _QUOTE, _BRACE = ord("("), ord(")"), ord('"'), ord("{")


def parse_fetch_data(data: Iterable[Any]) -> dict[int, dict[bytes, Any]]:
    """imaplib's untagged FETCH data → `{uid: {ITEM: value}}`. Answers without a UID
    (unsolicited flag changes) are left out; a malformed answer is dropped, not raised."""
    out: dict[int, dict[bytes, Any]] = {}
    top: list[Any] = []
    stack: list[list[Any]] = [top]
    current = top
    for entry in data:
        if isinstance(entry, tuple):
            text, literal = entry[0], entry[1] if len(entry) > 1 else b""
        else:
            text, literal = entry, None
        if not isinstance(text, bytes):
            continue
        for token in _TOKENS.findall(text):
            first = token[0]
            if first == _OPEN:
                opened: list[Any] = []
                current.append(opened)
                stack.append(opened)
                current = opened
            elif first == _CLOSE:
                if len(stack) < 2:
                    continue
                closed = stack.pop()
                current = stack[-1]
                current[-1] = tuple(closed)
                if current is top:
                    _one_message(top, out)
                    top.clear()
            elif first == _QUOTE:
                value = token[1:-1]
                current.append(_ESCAPE.sub(rb"\1", value) if b"\\" in value else value)
            elif first == _BRACE:
                current.append(literal if isinstance(literal, bytes) else b"")
            else:
                current.append(None if token == b"NIL" or token == b"nil" else token)
    return out


def _one_message(top: list[Any], out: dict[int, dict[bytes, Any]]) -> None:
    """`<seq> (KEY value KEY value ...)` → out[uid]."""
    if len(top) < 2 or not isinstance(top[-1], tuple):
        return
    items = top[-1]
    fields: dict[bytes, Any] = {}
    for i in range(0, len(items) - 1, 2):
        key = items[i]
        if isinstance(key, bytes):
            fields[key.upper()] = items[i + 1]
    uid = fields.get(b"UID")
    if isinstance(uid, bytes) and uid.isdigit():
        out.setdefault(int(uid), {}).update(fields)


def section_of(key: bytes) -> str | None:
    """The section of a `BODY[...]` item's key (`b"BODY[1.2]<0>"` → "1.2"), else None."""
    if not key.startswith(b"BODY[") or b"]" not in key:
        return None
    return key[5 : key.index(b"]")].decode("ascii", "replace")
