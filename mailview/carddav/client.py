"""A small CardDAV client (RFC 6352): the only module that speaks WebDAV.

Why not a library: `caldav` does calendars only; the CardDAV clients on PyPI (pyCardDAV,
carddav, vdirsyncer's internals) are unmaintained or not meant to be imported. What we
need is six requests: PROPFIND (discovery: current-user-principal, addressbook-home-set,
the address books and their getctag/sync-token), REPORT addressbook-query (every card
with its ETag in one answer; addressbook-multiget as the fallback), GET, PUT with
If-Match / If-None-Match, DELETE with If-Match, and an extended MKCOL (RFC 5689) for a
person who has no address book yet. HTTP is urllib3 (what `requests` is built on: pooled
keep-alive connections, timeouts, TLS with our own context); XML is parsed with
defusedxml (no DTDs, no entities, no external references).

Everything the server says is bounded (`MAX_RESPONSE` bytes an answer, `MAX_CARD` a card,
`MAX_CARDS` cards) and every URL it names is resolved against the configured one and must
stay on the same scheme, host and port, so a hostile server cannot make us fetch elsewhere.
"""
from __future__ import annotations

import base64
import re
import threading
from dataclasses import dataclass, field
from urllib.parse import quote, unquote, urljoin, urlsplit
from xml.etree.ElementTree import Element

import urllib3
from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from mailview.tls import client_tls_context

from .errors import (
    CardDavAuthError,
    CardDavConflict,
    CardDavError,
    CardDavNotFound,
    CardDavProtocolError,
    CardDavRefused,
    CardDavTlsError,
    CardDavUnreachable,
)

DAV = "DAV:"
CARDDAV = "urn:ietf:params:xml:ns:carddav"
CALSERVER = "http://calendarserver.org/ns/"

MAX_RESPONSE = 32 * 1024 * 1024
MAX_CARD = 512 * 1024
MAX_CARDS = 10_000
MAX_REDIRECTS = 3
MULTIGET_BATCH = 100

# A card's name in its address book (the last path segment, decoded). What we make is a
# UUID plus ".vcf"; other clients' names are kept as long as they are plain.
_CARD_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+=~,:;!$&'()*-]{0,254}$")


def card_name_valid(name: str) -> bool:
    return bool(_CARD_NAME.match(name)) and name not in {".", ".."}


@dataclass(frozen=True)
class CardDavEndpoint:
    """Where the address book is: the server's root (discovery finds the person's book),
    their principal or home, or an address book's own URL."""

    url: str
    verify_tls: bool = True
    ca_file: str = ""
    timeout: float = 15.0


@dataclass(frozen=True)
class AddressBook:
    url: str  # absolute, ends with "/"
    name: str = ""
    ctag: str = ""  # getctag or sync-token: changes whenever any card does ("" if unknown)


@dataclass(frozen=True)
class Card:
    name: str  # the last segment of its URL, decoded
    etag: str
    text: str


@dataclass
class _Response:
    href: str
    props: dict[str, Element] = field(default_factory=dict)


_POOLS: dict[tuple[bool, str], urllib3.PoolManager] = {}
_POOLS_LOCK = threading.Lock()


def _pool(endpoint: CardDavEndpoint) -> urllib3.PoolManager:
    """One pool manager per TLS setting per process: keep-alive connections are reused
    across requests and people (urllib3's pools are thread-safe)."""
    key = (endpoint.verify_tls, endpoint.ca_file)
    with _POOLS_LOCK:
        pool = _POOLS.get(key)
        if pool is None:
            pool = urllib3.PoolManager(
                num_pools=8, maxsize=4, retries=False,
                ssl_context=client_tls_context(verify=endpoint.verify_tls, ca_file=endpoint.ca_file),
            )
            _POOLS[key] = pool
        return pool


def _q(tag: str) -> tuple[str, str]:
    prefix, _, local = tag.partition(":")
    return {"D": DAV, "C": CARDDAV, "CS": CALSERVER}[prefix], local


def _propfind_body(props: list[str]) -> bytes:
    inner = "".join(f"<{p}/>" for p in props)
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<D:propfind xmlns:D="DAV:" xmlns:C="{CARDDAV}" xmlns:CS="{CALSERVER}"><D:prop>{inner}</D:prop></D:propfind>'
    ).encode()


def _tag(prefixed: str) -> str:
    ns, local = _q(prefixed)
    return f"{{{ns}}}{local}"


def _status_code(text: str | None) -> int:
    parts = (text or "").split()
    return int(parts[1]) if len(parts) >= 2 and parts[1].isdigit() else 0


def parse_multistatus(data: bytes) -> list[_Response]:
    """A 207 answer: each response's href and the properties it found (status 2xx)."""
    try:
        root = SafeET.fromstring(data)
    except (SafeET.ParseError, DefusedXmlException, ValueError) as exc:
        raise CardDavProtocolError(f"not a multistatus document: {type(exc).__name__}") from exc
    if root.tag != _tag("D:multistatus"):
        raise CardDavProtocolError("not a multistatus document")
    found: list[_Response] = []
    for response in root.findall(_tag("D:response")):
        href = (response.findtext(_tag("D:href")) or "").strip()
        if not href:
            continue
        item = _Response(href=href)
        for propstat in response.findall(_tag("D:propstat")):
            if not 200 <= _status_code(propstat.findtext(_tag("D:status"))) < 300:
                continue
            prop = propstat.find(_tag("D:prop"))
            for child in prop if prop is not None else []:
                item.props[child.tag] = child
        found.append(item)
    return found


def _path(url: str) -> str:
    """A URL's path, decoded, with one trailing slash (to compare hrefs however encoded)."""
    return unquote(urlsplit(url).path).rstrip("/") + "/"


class CardDavClient:
    """One person's view of one CardDAV server. Cheap to make (the connections are pooled
    per process); not shared between threads."""

    def __init__(self, endpoint: CardDavEndpoint, username: str, password: str) -> None:
        parts = urlsplit(endpoint.url)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise CardDavProtocolError("the address book URL must be http(s)://host/...")
        self.endpoint = endpoint
        self._origin = (parts.scheme, parts.netloc.lower())
        token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
        self._headers = {"Authorization": f"Basic {token}", "User-Agent": "webmail-carddav"}
        self._pool = _pool(endpoint)

    # ---- HTTP -----------------------------------------------------------------------
    def _absolute(self, base: str, href: str) -> str:
        url = urljoin(base, href)
        parts = urlsplit(url)
        if (parts.scheme, parts.netloc.lower()) != self._origin:
            raise CardDavProtocolError("the server named a URL on another host")
        return url

    def _request(
        self, method: str, url: str, *, body: bytes | None = None, headers: dict[str, str] | None = None,
        limit: int = MAX_RESPONSE,
    ) -> tuple[int, dict[str, str], bytes, str]:
        """Send one request (following same-origin redirects); (status, headers, body, final URL)."""
        for _ in range(MAX_REDIRECTS + 1):
            timeout = urllib3.Timeout(connect=self.endpoint.timeout, read=self.endpoint.timeout)
            try:
                response = self._pool.request(
                    method, url, body=body, headers={**self._headers, **(headers or {})},
                    preload_content=False, redirect=False, retries=False, timeout=timeout,
                )
            except urllib3.exceptions.SSLError as exc:
                raise CardDavTlsError(type(exc).__name__) from exc
            except urllib3.exceptions.HTTPError as exc:
                raise CardDavUnreachable(type(exc).__name__) from exc
            try:
                status = response.status
                if status in {301, 302, 307, 308} and response.headers.get("Location"):
                    url = self._absolute(url, response.headers["Location"])
                    continue
                chunks: list[bytes] = []
                size = 0
                try:
                    for chunk in response.stream(64 * 1024):
                        size += len(chunk)
                        if size > limit:
                            raise CardDavProtocolError(f"answer larger than {limit} bytes")
                        chunks.append(chunk)
                except urllib3.exceptions.HTTPError as exc:
                    raise CardDavUnreachable(type(exc).__name__) from exc
                return status, {k.lower(): v for k, v in response.headers.items()}, b"".join(chunks), url
            finally:
                response.release_conn()
        raise CardDavProtocolError("too many redirects")

    @staticmethod
    def _raise_for(status: int, what: str) -> None:
        if status < 400:
            return
        if status == 401:
            raise CardDavAuthError(f"{what}: 401", status)
        if status in {404, 410}:
            raise CardDavNotFound(f"{what}: {status}", status)
        if status == 412:
            raise CardDavConflict(f"{what}: 412", status)
        raise CardDavRefused(f"{what}: {status}", status)

    def _propfind(self, url: str, props: list[str], depth: int) -> tuple[str, list[_Response]]:
        status, _headers, data, final = self._request(
            "PROPFIND", url, body=_propfind_body(props),
            headers={"Depth": str(depth), "Content-Type": "application/xml; charset=utf-8"},
        )
        self._raise_for(status, "PROPFIND")
        if status != 207:
            raise CardDavProtocolError(f"PROPFIND answered {status}")
        return final, parse_multistatus(data)

    # ---- discovery ------------------------------------------------------------------
    def _href_prop(self, base: str, response: _Response, prop: str) -> str | None:
        element = response.props.get(_tag(prop))
        href = element.findtext(_tag("D:href")) if element is not None else None
        return self._absolute(base, href.strip()) if href and href.strip() else None

    def _book(self, base: str, response: _Response) -> AddressBook | None:
        kind = response.props.get(_tag("D:resourcetype"))
        if kind is None or kind.find(_tag("C:addressbook")) is None:
            return None
        url = self._absolute(base, response.href)
        if not url.endswith("/"):
            url += "/"
        ctag = (response.props.get(_tag("CS:getctag")) or response.props.get(_tag("D:sync-token")))
        name = response.props.get(_tag("D:displayname"))
        return AddressBook(
            url=url, name=((name.text or "") if name is not None else "")[:200],
            ctag=((ctag.text or "").strip() if ctag is not None else "")[:500],
        )

    def address_book(self, *, create_name: str = "Contacts") -> AddressBook:
        """The person's address book: the configured URL if it is one, else the first one in
        their address book home (found through current-user-principal, RFC 5397, and
        addressbook-home-set, RFC 6352 section 7.1.1), made there if they have none."""
        book_props = ["D:resourcetype", "D:displayname", "CS:getctag", "D:sync-token"]
        base, found = self._propfind(self.endpoint.url, [*book_props, "D:current-user-principal", "C:addressbook-home-set"], 0)
        if not found:
            raise CardDavProtocolError("PROPFIND answered no response")
        here = found[0]
        book = self._book(base, here)
        if book is not None:
            return book
        home = self._href_prop(base, here, "C:addressbook-home-set")
        if home is None:
            principal = self._href_prop(base, here, "D:current-user-principal")
            if principal is None:
                raise CardDavProtocolError("the server names no principal for this person")
            base, found = self._propfind(principal, ["C:addressbook-home-set"], 0)
            home = self._href_prop(base, found[0], "C:addressbook-home-set") if found else None
            if home is None:
                raise CardDavProtocolError("the server names no address book home for this person")
        if not home.endswith("/"):
            home += "/"
        base, found = self._propfind(home, book_props, 1)
        books = sorted(
            (b for b in (self._book(base, r) for r in found) if b is not None and _path(b.url) != _path(home)),
            key=lambda b: b.url,
        )
        if books:
            return books[0]
        return self._make_book(home + "contacts/", create_name)

    def _make_book(self, url: str, name: str) -> AddressBook:
        from xml.sax.saxutils import escape

        body = (
            '<?xml version="1.0" encoding="utf-8"?>'
            f'<D:mkcol xmlns:D="DAV:" xmlns:C="{CARDDAV}"><D:set><D:prop>'
            f"<D:resourcetype><D:collection/><C:addressbook/></D:resourcetype>"
            f"<D:displayname>{escape(name)}</D:displayname>"
            "</D:prop></D:set></D:mkcol>"
        ).encode()
        status, _headers, _data, _final = self._request("MKCOL", url, body=body, headers={"Content-Type": "application/xml; charset=utf-8"})
        if status == 405:  # made meanwhile by another request
            return AddressBook(url=url, name=name)
        self._raise_for(status, "MKCOL")
        return AddressBook(url=url, name=name)

    def book_ctag(self, book: AddressBook) -> str:
        """The address book's current getctag / sync-token ("" if the server has neither)."""
        base, found = self._propfind(book.url, ["D:resourcetype", "CS:getctag", "D:sync-token"], 0)
        current = self._book(base, found[0]) if found else None
        return current.ctag if current is not None else ""

    # ---- cards ----------------------------------------------------------------------
    def card_url(self, book: AddressBook, name: str) -> str:
        if not card_name_valid(name):
            raise CardDavNotFound("not a card name")
        return book.url + quote(name, safe="@+=~,:;!$&'()*")

    def _card_from(self, book: AddressBook, base: str, response: _Response) -> Card | None:
        data = response.props.get(_tag("C:address-data"))
        etag = response.props.get(_tag("D:getetag"))
        if data is None or not data.text:
            return None
        path = unquote(urlsplit(self._absolute(base, response.href)).path)
        book_path = unquote(urlsplit(book.url).path)
        name = path[len(book_path):]
        if not path.startswith(book_path) or "/" in name:
            return None  # not a member of this book
        if not card_name_valid(name) or len(data.text) > MAX_CARD:
            return None
        return Card(name=name, etag=((etag.text or "") if etag is not None else "").strip(), text=data.text)

    def cards(self, book: AddressBook) -> list[Card]:
        """Every card of the book with its ETag: one addressbook-query REPORT (an empty
        filter matches all), else PROPFIND for the names and addressbook-multiget."""
        body = (
            '<?xml version="1.0" encoding="utf-8"?>'
            f'<C:addressbook-query xmlns:D="DAV:" xmlns:C="{CARDDAV}">'
            "<D:prop><D:getetag/><C:address-data/></D:prop><C:filter/></C:addressbook-query>"
        ).encode()
        status, _headers, data, base = self._request(
            "REPORT", book.url, body=body, headers={"Depth": "1", "Content-Type": "application/xml; charset=utf-8"},
        )
        if status == 207:
            found = parse_multistatus(data)
            return [c for c in (self._card_from(book, base, r) for r in found[:MAX_CARDS]) if c is not None]
        if status == 401:
            self._raise_for(status, "REPORT")
        return self._cards_by_multiget(book)

    def _cards_by_multiget(self, book: AddressBook) -> list[Card]:
        from xml.sax.saxutils import escape

        base, found = self._propfind(book.url, ["D:getetag", "D:resourcetype"], 1)
        hrefs = [r.href for r in found[:MAX_CARDS] if _tag("D:getetag") in r.props and self._absolute(base, r.href) != book.url]
        cards: list[Card] = []
        for start in range(0, len(hrefs), MULTIGET_BATCH):
            inner = "".join(f"<D:href>{escape(h)}</D:href>" for h in hrefs[start:start + MULTIGET_BATCH])
            body = (
                '<?xml version="1.0" encoding="utf-8"?>'
                f'<C:addressbook-multiget xmlns:D="DAV:" xmlns:C="{CARDDAV}">'
                f"<D:prop><D:getetag/><C:address-data/></D:prop>{inner}</C:addressbook-multiget>"
            ).encode()
            status, _headers, data, final = self._request(
                "REPORT", book.url, body=body, headers={"Depth": "1", "Content-Type": "application/xml; charset=utf-8"},
            )
            self._raise_for(status, "REPORT")
            cards.extend(c for c in (self._card_from(book, final, r) for r in parse_multistatus(data)) if c is not None)
        return cards

    def card_get(self, book: AddressBook, name: str) -> Card:
        status, headers, data, _final = self._request("GET", self.card_url(book, name), limit=MAX_CARD)
        self._raise_for(status, "GET")
        return Card(name=name, etag=headers.get("etag", ""), text=data.decode("utf-8", "replace"))

    def card_put(self, book: AddressBook, name: str, text: str, *, etag: str | None) -> str:
        """Write a card: `etag=None` makes a new one (refused if the name is taken), else
        replaces the version with that ETag (CardDavConflict if it changed meanwhile; an
        empty ETag overwrites). Returns the new ETag ("" if the server does not say)."""
        data = text.encode("utf-8")
        if len(data) > MAX_CARD:
            raise CardDavRefused("card too large", 413)
        headers = {"Content-Type": "text/vcard; charset=utf-8"}
        if etag is None:
            headers["If-None-Match"] = "*"
        elif etag:
            headers["If-Match"] = etag
        status, answer, _data, _final = self._request("PUT", self.card_url(book, name), body=data, headers=headers)
        self._raise_for(status, "PUT")
        return answer.get("etag", "")

    def card_delete(self, book: AddressBook, name: str, *, etag: str = "") -> None:
        headers = {"If-Match": etag} if etag else {}
        status, _headers, _data, _final = self._request("DELETE", self.card_url(book, name), headers=headers)
        self._raise_for(status, "DELETE")


__all__ = [
    "AddressBook", "Card", "CardDavClient", "CardDavEndpoint", "CardDavError", "card_name_valid", "parse_multistatus",
]
