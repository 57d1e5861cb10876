"""The person's address book on their CardDAV server (through `mailview.carddav`), and what
stands in for it when there is none: the addresses collected from their mail
(`services/addressbook.py`).

Which server: the person's server profile's CardDAV URL, else WEBMAIL_CARDDAV_URL; they sign
in with their IMAP login name and password (Radicale in the demo and the tests checks them
against the IMAP server). The address book's URL, once found, is kept in the cache for a day.
Completion (`contacts_index`) keeps a small copy of every card's names, addresses and groups
in the cache, trusted for WEBMAIL_CARDDAV_CACHE_SECONDS, then kept while the book's
getctag/sync-token is unchanged; every change made here refreshes it at once.
"""
from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.utils.translation import gettext_lazy

from accounts.services import imap_credentials_for, server_profile_for
from mailview.carddav.client import AddressBook, Card, CardDavClient, CardDavEndpoint, card_name_valid
from mailview.carddav.errors import CardDavConflict, CardDavError, CardDavNotFound, CardDavRefused
from mailview.imap.errors import NoStoredCredentials

from .cards import (
    Contact,
    GroupCard,
    card_parse,
    card_text,
    cards_join,
    contact_groups,
)

log = logging.getLogger(__name__)

BOOK_CACHE_SECONDS = 24 * 3600


class ContactsUnavailable(Exception):
    """No CardDAV server for this person ("none"), or it cannot be reached or refused us
    ("unreachable", "tls", "auth", "protocol", "refused")."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


# What the person is told for each ContactsUnavailable code.
UNAVAILABLE_TEXT = {
    "none": gettext_lazy("No address book server is configured for your account."),
    "unreachable": gettext_lazy("The address book server cannot be reached right now. Try again in a moment."),
    "tls": gettext_lazy("The address book server's certificate is not trusted."),
    "auth": gettext_lazy("The address book server did not accept your mail password."),
    "protocol": gettext_lazy("The address book server gave an answer the webmail cannot read."),
    "refused": gettext_lazy("The address book server refused the change."),
}


def unavailable_text(code: str) -> str:
    return str(UNAVAILABLE_TEXT.get(code, UNAVAILABLE_TEXT["refused"]))


class ContactNotFound(Exception):
    """The card is not in the person's address book (deleted elsewhere, or never theirs)."""


class ContactChanged(Exception):
    """The card was changed elsewhere since the form was opened: nothing was written."""


@dataclass
class GroupInfo:
    name: str
    count: int


@dataclass
class ContactList:
    contacts: list[Contact]
    groups: list[GroupInfo] = field(default_factory=list)
    skipped: int = 0  # cards that could not be read


def carddav_endpoint_for(email: str) -> CardDavEndpoint | None:
    """The address book server for an address: its domain's profile's, else the default."""
    profile = server_profile_for(email)
    timeout = float(settings.WEBMAIL_CARDDAV_TIMEOUT)
    if profile is not None and profile.carddav_url:
        return CardDavEndpoint(url=profile.carddav_url, verify_tls=profile.verify_tls, ca_file=profile.ca_file, timeout=timeout)
    if not settings.WEBMAIL_CARDDAV_URL:
        return None
    return CardDavEndpoint(
        url=settings.WEBMAIL_CARDDAV_URL, verify_tls=settings.WEBMAIL_TLS_VERIFY, ca_file=settings.WEBMAIL_IMAP_CA_FILE, timeout=timeout,
    )


def contacts_server_configured(*, user: User) -> bool:
    return carddav_endpoint_for(user.get_username()) is not None


def _book_key(user: User) -> str:
    return f"contacts:book:{user.pk}"


def _index_key(user: User) -> str:
    return f"contacts:index:{user.pk}"


def _unavailable(exc: CardDavError) -> ContactsUnavailable:
    log.warning("contacts: CardDAV %s (%s)", exc.code, exc.detail[:100])
    return ContactsUnavailable(exc.code, exc.detail)


class _Session:
    """A client and the person's address book, found once (then kept in the cache)."""

    def __init__(self, user: User) -> None:
        endpoint = carddav_endpoint_for(user.get_username())
        if endpoint is None:
            raise ContactsUnavailable("none")
        try:
            _imap, credentials = imap_credentials_for(str(user.pk))
        except NoStoredCredentials as exc:
            raise ContactsUnavailable("auth", str(exc)) from exc
        self.user = user
        self.client = CardDavClient(endpoint, credentials.username, credentials.password)
        kept = cache.get(_book_key(user))
        if isinstance(kept, dict) and kept.get("endpoint") == endpoint.url and kept.get("url"):
            self.book = AddressBook(url=str(kept["url"]), name=str(kept.get("name", "")))
        else:
            self.book = self.client.address_book()
            cache.set(_book_key(user), {"endpoint": endpoint.url, "url": self.book.url, "name": self.book.name}, BOOK_CACHE_SECONDS)

    def forget_book(self) -> None:
        cache.delete(_book_key(self.user))


def _session(user: User) -> _Session:
    try:
        return _Session(user)
    except CardDavError as exc:
        raise _unavailable(exc) from exc


def _load(session: _Session) -> ContactList:
    try:
        ctag = session.client.book_ctag(session.book)
        cards = session.client.cards(session.book)
    except CardDavNotFound:
        # the address book was deleted (or moved) elsewhere: find (or make) it again next time
        session.forget_book()
        raise
    contacts: list[Contact] = []
    group_cards: list[GroupCard] = []
    skipped = 0
    for card in cards:
        parsed = card_parse(card.text, name=card.name, etag=card.etag)
        if isinstance(parsed, Contact):
            contacts.append(parsed)
        elif isinstance(parsed, GroupCard):
            group_cards.append(parsed)
        else:
            skipped += 1
    for contact, groups in contact_groups(contacts, group_cards):
        contact.groups = groups
    contacts.sort(key=lambda c: c.sort_key)
    counts: dict[str, int] = {}
    for contact in contacts:
        for group in contact.groups:
            counts[group] = counts.get(group, 0) + 1
    groups_info = [GroupInfo(name, count) for name, count in sorted(counts.items(), key=lambda item: item[0].casefold())]
    _index_store(session.user, ctag, contacts)
    return ContactList(contacts=contacts, groups=groups_info, skipped=skipped)


def contacts_list(*, user: User) -> ContactList:
    """Every contact in the person's address book, sorted by name, and its groups. Raises
    ContactsUnavailable."""
    session = _session(user)
    try:
        return _load(session)
    except CardDavError as exc:
        raise _unavailable(exc) from exc


def contact_get(*, user: User, name: str) -> Contact:
    """One contact by its card name. Raises ContactNotFound, ContactsUnavailable."""
    if not card_name_valid(name):
        raise ContactNotFound(name)
    session = _session(user)
    try:
        card = session.client.card_get(session.book, name)
    except CardDavNotFound as exc:
        raise ContactNotFound(name) from exc
    except CardDavError as exc:
        raise _unavailable(exc) from exc
    parsed = card_parse(card.text, name=name, etag=card.etag)
    if not isinstance(parsed, Contact):
        raise ContactNotFound(name)
    return parsed


def contact_save(*, user: User, contact: Contact) -> Contact:
    """Write a contact: a new card when `contact.name` is empty, else the card it was read
    from, only if unchanged since (`contact.etag`; ContactChanged otherwise). `contact.text`
    is the card as it was read, so properties the form does not show are kept."""
    session = _session(user)
    new = not contact.name
    if new:
        contact.name = f"{uuid.uuid4()}.vcf"
        contact.text = ""
    elif not card_name_valid(contact.name):
        raise ContactNotFound(contact.name)
    text = card_text(contact)
    try:
        contact.etag = session.client.card_put(session.book, contact.name, text, etag=None if new else contact.etag)
    except CardDavConflict as exc:
        raise ContactChanged(contact.name) from exc
    except CardDavNotFound as exc:
        raise ContactNotFound(contact.name) from exc
    except CardDavError as exc:
        raise _unavailable(exc) from exc
    contact.text = text
    _index_forget(user)
    return contact


def contact_delete(*, user: User, name: str, etag: str = "") -> None:
    """Delete a card (only the version with `etag`, if given). A card already gone is fine."""
    if not card_name_valid(name):
        raise ContactNotFound(name)
    session = _session(user)
    try:
        session.client.card_delete(session.book, name, etag=etag)
    except CardDavNotFound:
        pass
    except CardDavConflict as exc:
        raise ContactChanged(name) from exc
    except CardDavError as exc:
        raise _unavailable(exc) from exc
    finally:
        _index_forget(user)


class CardRefused(Exception):
    """One imported card was not written: `code` is "changed" (edited elsewhere meanwhile) or
    "refused" (the server would not take it); the import goes on with the next card."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class ContactsWriter:
    """Writes imported contacts into the person's book, one PUT each. The UIDs already there
    are read once, so a card whose UID is in the book (or earlier in the file) replaces that
    card: importing the same file twice makes no duplicates. Raises ContactsUnavailable when
    the server cannot be used at all (the import stops), CardRefused for one card."""

    def __init__(self, *, user: User) -> None:
        self.user = user
        self.session = _session(user)
        try:
            cards = self.session.client.cards(self.session.book)
        except CardDavError as exc:
            if isinstance(exc, CardDavNotFound):
                self.session.forget_book()  # deleted elsewhere: found (or made) again next time
            raise _unavailable(exc) from exc
        self.existing: dict[str, tuple[str, str]] = {}  # UID -> (card name, ETag)
        for card in cards:
            parsed = card_parse(card.text, name=card.name, etag=card.etag)
            if isinstance(parsed, Contact) and parsed.uid:
                self.existing[parsed.uid] = (card.name, card.etag)

    def put(self, contact: Contact) -> bool:
        """Write one contact (its UID set); True when it replaced a card, False when new."""
        client, book = self.session.client, self.session.book
        contact.text = ""  # written fresh from what we read: nothing unreadable reaches the server
        try:
            text = card_text(contact)
        except Exception as exc:  # vobject cannot write what it read: this card only, never the import
            raise CardRefused("unreadable") from exc
        same = self.existing.get(contact.uid)
        try:
            if same is not None:
                contact.name = same[0]
                try:
                    etag = client.card_put(book, same[0], text, etag=same[1])
                except CardDavNotFound:  # deleted elsewhere meanwhile: it comes back
                    etag = client.card_put(book, same[0], text, etag=None)
            else:
                contact.name = f"{uuid.uuid4()}.vcf"
                etag = client.card_put(book, contact.name, text, etag=None)
        except CardDavConflict as exc:
            raise CardRefused("changed") from exc
        except (CardDavRefused, CardDavNotFound) as exc:
            raise CardRefused("refused") from exc
        except CardDavError as exc:
            raise _unavailable(exc) from exc
        self.existing[contact.uid] = (contact.name, etag)
        return same is not None

    def close(self) -> None:
        """Completion reads the book afresh."""
        _index_forget(self.user)


def contacts_export(*, user: User, group: str = "") -> str:
    """The address book (or one group) as one .vcf, cards as the server keeps them."""
    session = _session(user)
    try:
        if group:
            return cards_join(c.text for c in _load(session).contacts if group in c.groups)
        cards: list[Card] = session.client.cards(session.book)
    except CardDavError as exc:
        raise _unavailable(exc) from exc
    return cards_join(c.text for c in cards)


# ---- completion ----------------------------------------------------------------------
@dataclass(frozen=True)
class IndexEntry:
    name: str
    emails: tuple[str, ...]
    groups: tuple[str, ...]


def _index_store(user: User, ctag: str, contacts: list[Contact]) -> list[IndexEntry]:
    rows = [IndexEntry(c.display_name, tuple(c.emails), tuple(c.groups)) for c in contacts if c.emails]
    cache.set(_index_key(user), {"ctag": ctag, "checked": time.time(), "rows": rows}, BOOK_CACHE_SECONDS)
    return rows


def _index_forget(user: User) -> None:
    cache.delete(_index_key(user))


def contacts_index(*, user: User) -> list[IndexEntry] | None:
    """The names, addresses and groups of every contact with an address, for completion;
    None without an address book server or while it cannot be reached (completion then
    offers collected addresses only)."""
    if carddav_endpoint_for(user.get_username()) is None:
        return None
    kept = cache.get(_index_key(user))
    fresh = isinstance(kept, dict) and time.time() - float(kept.get("checked", 0)) < settings.WEBMAIL_CARDDAV_CACHE_SECONDS
    if fresh:
        return list(kept["rows"])
    try:
        session = _session(user)
        if isinstance(kept, dict) and kept.get("ctag"):
            ctag = session.client.book_ctag(session.book)
            if ctag == kept["ctag"]:
                kept["checked"] = time.time()
                cache.set(_index_key(user), kept, BOOK_CACHE_SECONDS)
                return list(kept["rows"])
        listing = _load(session)
    except (ContactsUnavailable, CardDavError):
        return None
    return [IndexEntry(c.display_name, tuple(c.emails), tuple(c.groups)) for c in listing.contacts if c.emails]
