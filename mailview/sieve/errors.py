"""Our own exceptions for everything that can go wrong talking ManageSieve.

Nothing outside `mailview.sieve` sees socket or TLS exceptions. Each carries a `code`
(the filter service's word for it) and a short `detail` (the server's answer)."""
from __future__ import annotations

from mailview.door_errors import DoorError


class SieveError(DoorError):
    """Base class of every ManageSieve-layer error."""

    code = "refused"


class SieveUnreachable(SieveError):
    """The server could not be reached, or the connection broke."""

    code = "unreachable"


class SieveTlsError(SieveError):
    """No secure connection: no STARTTLS offered, or a certificate not trusted."""

    code = "tls"


class SieveAuthError(SieveError):
    """The server did not accept the credentials."""

    code = "auth"


class SieveProtocolError(SieveError):
    """The server said something we cannot read (or too much of it)."""

    code = "protocol"


class SieveRefused(SieveError):
    """A NO answer: a script with errors, a quota, a name that does not exist.
    `response_code` is the server's code in parentheses (e.g. `NONEXISTENT`, `QUOTA`)."""

    code = "refused"

    def __init__(self, detail: str = "", response_code: str = "") -> None:
        super().__init__(detail)
        self.response_code = response_code
