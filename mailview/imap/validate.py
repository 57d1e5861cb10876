"""Validation of everything that reaches an IMAP command.

imapclient quotes arguments but does not refuse CR, LF or NUL, which would let a
crafted folder name or search string end the command and start another one.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from .errors import InvalidImapInput

MAX_FOLDER_NAME = 1000
MAX_SEARCH_TEXT = 1000
MAX_UID = 2**32 - 1
_FORBIDDEN = re.compile(r"[\r\n\x00]")
#: Part numbers as deep as a server nests MIME: Dovecot follows 100 levels (message/rfc822
#: inside multipart inside ...), each level one more number.
MAX_SECTION_DEPTH = 128
_SECTION = re.compile(rf"^(?:[1-9][0-9]{{0,4}})(?:\.[1-9][0-9]{{0,4}}){{0,{MAX_SECTION_DEPTH - 1}}}(?:\.(?:HEADER|TEXT|MIME))?$")


def _text(value: object, *, what: str, max_length: int) -> str:
    if not isinstance(value, str):
        raise InvalidImapInput(f"{what} must be text")
    if _FORBIDDEN.search(value):
        raise InvalidImapInput(f"{what} contains a line break or NUL")
    if len(value) > max_length:
        raise InvalidImapInput(f"{what} is too long")
    return value


def folder_name(value: object) -> str:
    name = _text(value, what="folder name", max_length=MAX_FOLDER_NAME)
    if not name:
        raise InvalidImapInput("folder name is empty")
    return name


def search_text(value: object) -> str:
    return _text(value, what="search text", max_length=MAX_SEARCH_TEXT)


def uid(value: object) -> int:
    if isinstance(value, bool):
        raise InvalidImapInput("UID must be a number")
    if isinstance(value, str):
        if not value.isascii() or not value.isdigit():
            raise InvalidImapInput("UID must be a number")
        value = int(value)
    if not isinstance(value, int) or not 1 <= value <= MAX_UID:
        raise InvalidImapInput("UID out of range")
    return value


def uids(values: Iterable[object]) -> list[int]:
    return [uid(v) for v in values]


def _matching(value: object, pattern: re.Pattern[str], *, what: str, max_length: int) -> str:
    text = _text(value, what=what, max_length=max_length)
    if not pattern.match(text):
        raise InvalidImapInput(f"not a valid {what}")
    return text


def section(value: object) -> str:
    """A body part number such as `1.2` (optionally `.HEADER`, `.TEXT`, `.MIME`)."""
    return _matching(value, _SECTION, what="part number", max_length=6 * MAX_SECTION_DEPTH + 8)


def is_section(value: str) -> bool:
    """Whether `section` would accept this part number (without raising)."""
    return isinstance(value, str) and len(value) <= 6 * MAX_SECTION_DEPTH + 8 and bool(_SECTION.fullmatch(value))


_FLAG = re.compile(r"^\\?[A-Za-z0-9$_.\-]{1,100}$")


def flag(value: object) -> str:
    """A system flag (`\\Seen`) or keyword (`$Label1`): atom characters only."""
    return _matching(value, _FLAG, what="flag or keyword", max_length=101)


_UID_SET = re.compile(r"^[1-9][0-9]{0,9}(?::(?:[1-9][0-9]{0,9}|\*))?(?:,[1-9][0-9]{0,9}(?::(?:[1-9][0-9]{0,9}|\*))?){0,100000}$")


def uid_set(value: object) -> str:
    """A UID set string such as `1:20000` or `4,7:9` (bulk actions on a whole folder)."""
    return _matching(value, _UID_SET, what="UID set", max_length=2_000_000)
