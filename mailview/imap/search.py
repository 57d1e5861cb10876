"""SEARCH keys: what a person types, and flags present or absent. Pure; validated."""
from __future__ import annotations

from . import validate

_SYSTEM_FLAG_KEYS = {
    "\\seen": (b"SEEN", b"UNSEEN"),
    "\\flagged": (b"FLAGGED", b"UNFLAGGED"),
    "\\answered": (b"ANSWERED", b"UNANSWERED"),
    "\\deleted": (b"DELETED", b"UNDELETED"),
    "\\draft": (b"DRAFT", b"UNDRAFT"),
}


def flag_search_keys(flag: str, *, present: bool) -> list[bytes]:
    """SEARCH keys for messages that have (or lack) a flag: `\\Seen` → SEEN, `$Junk` → KEYWORD $Junk."""
    system = _SYSTEM_FLAG_KEYS.get(flag.lower())
    if system is not None:
        return [system[0] if present else system[1]]
    return [b"KEYWORD" if present else b"UNKEYWORD", flag.encode("ascii")]


def search_keys(text: str | None, *, in_body: bool = False) -> list[bytes]:
    """IMAP search keys for what a person types: every word must match in From, To, Cc or
    Subject (or anywhere, TEXT, when `in_body`). Validated: no CR, LF or NUL reach the wire."""
    words = validate.search_text(text or "").split()
    if not words:
        return [b"ALL"]
    keys: list[bytes] = []
    for word in words[:8]:
        value = _atom_or_literal(word)
        if in_body:
            keys += [b"TEXT", value]
        else:
            keys += [b"OR", b"OR", b"OR", b"FROM", value, b"TO", value, b"CC", value, b"SUBJECT", value]
    return keys


def _atom_or_literal(word: str) -> bytes:
    # imapclient sends 8-bit arguments of raw commands as literals itself; ASCII is quoted.
    encoded = word.encode("utf-8")
    if encoded.isascii():
        return b'"' + encoded.replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'"'
    return encoded
