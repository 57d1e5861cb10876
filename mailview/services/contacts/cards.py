"""Contacts ↔ vCards (RFC 6350 / 2426), with vobject. No I/O.

A contact is what the page edits: names, several e-mail addresses and phone numbers, an
organisation, a note and its groups. Groups are the card's CATEGORIES (what Nextcloud,
Thunderbird/CardBook, DAVx⁵ and Roundcube's "groups as categories" use); group cards
(vCard 4 `KIND:group` with `MEMBER:urn:uuid:…`, Apple's `X-ADDRESSBOOKSERVER-KIND`) made by
other clients are read too, their members counted in the group. Writing a card changes only
the properties we edit: a photo, an address or a birthday set elsewhere stays.

Every card is hostile input: sizes are bounded before vobject sees them, a card vobject
cannot read is skipped (never an error page), and values are cut to sane lengths.
"""
from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

import vobject

MAX_CARD_CHARS = 256 * 1024
MAX_VALUE = 500  # one name, address, phone number, group name
MAX_NOTE = 10_000
MAX_VALUES = 20  # addresses or phone numbers on one card
MAX_GROUPS = 20

# vobject logs every line it skips at ERROR: a hostile card would fill the log (its `base`
# module sets a level of its own, so the parent's is not enough).
logging.getLogger("vobject").setLevel(logging.CRITICAL)
logging.getLogger("vobject.base").setLevel(logging.CRITICAL)

_EMAIL = re.compile(r"^[^@\s<>,;\"]{1,200}@[^@\s<>,;\"]{1,200}$")


@dataclass
class Contact:
    name: str = ""  # the card's name in its address book ("" until saved)
    etag: str = ""
    uid: str = ""
    full_name: str = ""
    given: str = ""
    family: str = ""
    org: str = ""
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    note: str = ""
    groups: list[str] = field(default_factory=list)
    text: str = ""  # the vCard as read: what is kept when it is written back

    @property
    def display_name(self) -> str:
        joined = " ".join(p for p in (self.given, self.family) if p)
        return self.full_name or joined or self.org or (self.emails[0] if self.emails else "")

    @property
    def sort_key(self) -> tuple[str, str]:
        return (self.display_name.casefold(), self.name)


@dataclass(frozen=True)
class GroupCard:
    """A group made by another client as a card of its own: its name and members' UIDs."""

    name: str
    members: frozenset[str]


def _clean(value: Any, limit: int = MAX_VALUE) -> str:
    text = value if isinstance(value, str) else "" if value is None else str(value)
    text = "".join(c for c in text if c in "\n\t" or (c >= " " and c != "\x7f"))
    return text.strip()[:limit]


def valid_email(value: str) -> bool:
    return bool(_EMAIL.match(value))


def _read(text: str) -> Any | None:
    if not text or len(text) > MAX_CARD_CHARS:
        return None
    try:
        card = vobject.readOne(text, ignoreUnreadable=True)
    except Exception:  # noqa: BLE001 - vobject raises many kinds (ParseError, ValueError, UnicodeError, ...)
        return None
    return card if getattr(card, "name", "").upper() == "VCARD" else None


def _values(card: Any, key: str) -> list[Any]:
    return [line.value for line in card.contents.get(key, [])]


def _kind(card: Any) -> str:
    kinds = _values(card, "kind") or _values(card, "x-addressbookserver-kind")
    return _clean(kinds[0]).lower() if kinds else ""


def card_parse(text: str, *, name: str = "", etag: str = "") -> Contact | GroupCard | None:
    """A contact (or another client's group card) from vCard text; None if unreadable."""
    card = _read(text)
    if card is None:
        return None
    try:
        full_name = _clean((_values(card, "fn") or [""])[0])
        if _kind(card) == "group":
            members = _values(card, "member") + _values(card, "x-addressbookserver-member")
            uids = frozenset(_clean(m).removeprefix("urn:uuid:") for m in members[:5000])
            return GroupCard(name=full_name, members=uids) if full_name else None
        n = (_values(card, "n") or [None])[0]
        given = _clean(getattr(n, "given", "") if n is not None else "")
        family = _clean(getattr(n, "family", "") if n is not None else "")
        orgs = _values(card, "org")
        org_value = orgs[0] if orgs else ""
        org = _clean(" ".join(org_value) if isinstance(org_value, list) else org_value)
        emails = [e for e in (_clean(v) for v in _values(card, "email")) if e][:MAX_VALUES]
        phones = [p for p in (_clean(v) for v in _values(card, "tel")) if p][:MAX_VALUES]
        groups: list[str] = []
        for value in _values(card, "categories"):
            for group in value if isinstance(value, list) else str(value).split(","):
                group = _clean(group, 100)
                if group and group not in groups:
                    groups.append(group)
        notes = _values(card, "note")
        uid = _clean((_values(card, "uid") or [""])[0], 300)
        return Contact(
            name=name, etag=etag, uid=uid, full_name=full_name, given=given, family=family, org=org, emails=emails,
            phones=phones, note=_clean(notes[0], MAX_NOTE) if notes else "", groups=groups[:MAX_GROUPS], text=text,
        )
    except Exception:  # noqa: BLE001 - a card whose values vobject cannot give us is skipped like an unreadable one
        return None


def card_text(contact: Contact) -> str:
    """The vCard for a contact: its stored card with our properties replaced (or a new
    vCard 3.0 card), serialized by vobject. Sets `contact.uid` for a new card."""
    card = _read(contact.text) if contact.text else None
    if card is None:
        card = vobject.vCard()
        card.add("version").value = "3.0"
    for key in ("fn", "n", "email", "tel", "note", "categories", "org"):
        card.contents.pop(key, None)
    if not contact.uid:
        contact.uid = _clean((_values(card, "uid") or [""])[0], 300) or str(uuid.uuid4())
    if "uid" not in card.contents:
        card.add("uid").value = contact.uid
    card.add("fn").value = contact.display_name or contact.uid
    card.add("n").value = vobject.vcard.Name(family=contact.family, given=contact.given)
    if contact.org:
        card.add("org").value = [contact.org]
    for address in contact.emails:
        card.add("email").value = address
    for phone in contact.phones:
        card.add("tel").value = phone
    if contact.note:
        card.add("note").value = contact.note
    if contact.groups:
        card.add("categories").value = list(contact.groups)
    return str(card.serialize())


# An uploaded file is read at most this much of a line at a time (a longer line comes in pieces).
LINE_PIECE = 64 * 1024
# The beginning of a card kept to name it in a report, even when the card is too large to read.
_HEAD = 4096
_FN = re.compile(r"^(?:[A-Za-z0-9-]+\.)?FN(?:;[^:\r\n]*)?:(.*)$", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class RawCard:
    """One card of an uploaded .vcf: its number in the file (from 1), its text, or why it
    cannot be read ("too_large", "incomplete"), and a name to report it by."""

    number: int
    text: str = ""
    problem: str = ""
    label: str = ""


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def _label(head: bytes) -> str:
    """The card's FN, when its beginning names one (to say which card failed)."""
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # cut inside a character at the end of the head: the rest is UTF-8 all the same
        text = head[: exc.start].decode("utf-8") if exc.reason == "unexpected end of data" else _decode(head)
    match = _FN.search(text.replace("\r\n ", "").replace("\n ", ""))
    return _clean(match.group(1), 100) if match else ""


def cards_read(handle: BinaryIO) -> Iterator[RawCard]:
    """The vCards of an uploaded .vcf one at a time (pure: a file in, cards out), read line by
    line with a bounded line length, so memory stays at about one card whatever the file.
    Each card is UTF-8 (a BOM is dropped), else Windows-1252; one over MAX_CARD_CHARS bytes is
    reported "too_large" (never held), one the file ends inside "incomplete". Text between
    cards is ignored; a card inside a card (vCard 2.1 AGENT) stays part of it."""
    number = depth = size = 0
    parts: list[bytes] = []
    head = b""
    too_big = False
    at_line_start = True
    first = True
    while line := handle.readline(LINE_PIECE):
        if first:
            line, first = line.removeprefix(b"\xef\xbb\xbf"), False
        whole = line.endswith(b"\n")
        # A whole line (or the file's last): only these can be BEGIN/END markers.
        marker = line.strip().upper() if at_line_start and (whole or len(line) < LINE_PIECE) else b""
        at_line_start = whole
        if marker == b"BEGIN:VCARD":
            if depth == 0:
                number += 1
                parts, size, head, too_big = [], 0, b"", False
            depth += 1
        if not depth:
            continue
        if len(head) < _HEAD:
            head += line[: _HEAD - len(head)]
        if not too_big:
            size += len(line)
            if size > MAX_CARD_CHARS:
                too_big, parts = True, []
            else:
                parts.append(line)
        if marker == b"END:VCARD":
            depth -= 1
            if depth == 0:
                if too_big:
                    yield RawCard(number=number, problem="too_large", label=_label(head))
                else:
                    text = _decode(b"".join(parts))
                    yield RawCard(number=number, text="\r\n".join(text.splitlines()) + "\r\n", label=_label(head))
    if depth:
        yield RawCard(number=number, problem="incomplete", label=_label(head))


def cards_join(texts: Iterable[str]) -> str:
    """One .vcf of many cards (CRLF line ends, as RFC 6350 wants)."""
    return "".join(t.replace("\r\n", "\n").replace("\n", "\r\n") for t in texts)


def contact_groups(contacts: Iterable[Contact], group_cards: Iterable[GroupCard]) -> Iterator[tuple[Contact, list[str]]]:
    """Each contact with its groups: its categories plus the group cards naming its UID."""
    by_uid: dict[str, list[str]] = {}
    for group in group_cards:
        for uid in group.members:
            by_uid.setdefault(uid, []).append(group.name)
    for contact in contacts:
        extra = [g for g in by_uid.get(contact.uid, []) if g not in contact.groups]
        yield contact, contact.groups + extra
