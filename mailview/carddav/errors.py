"""Our own exceptions for everything that can go wrong talking CardDAV.

Nothing outside `mailview.carddav` sees urllib3, socket or TLS exceptions. Each carries a
`code` (the contacts service's word for it) and a short `detail`."""
from __future__ import annotations

from mailview.door_errors import DoorError


class CardDavError(DoorError):
    """Base class of every CardDAV-layer error; `status` is the HTTP status, if any."""

    code = "refused"

    def __init__(self, detail: str = "", status: int = 0) -> None:
        super().__init__(detail)
        self.status = status


class CardDavUnreachable(CardDavError):
    """The server could not be reached, timed out, or the connection broke."""

    code = "unreachable"


class CardDavTlsError(CardDavError):
    """No secure connection: a certificate not trusted."""

    code = "tls"


class CardDavAuthError(CardDavError):
    """401/403 at the address book: the server did not accept the credentials."""

    code = "auth"


class CardDavProtocolError(CardDavError):
    """An answer we cannot read: not XML, too large, no address book where one must be."""

    code = "protocol"


class CardDavNotFound(CardDavError):
    """404/410: the card (or the address book) is not there (deleted elsewhere)."""

    code = "not_found"


class CardDavConflict(CardDavError):
    """412: the card changed on the server since it was read (edited elsewhere), or a new
    card's name is taken."""

    code = "conflict"


class CardDavRefused(CardDavError):
    """Any other refusal (a card too large, a quota, a server error)."""

    code = "refused"
