"""What the errors of the protocol doors (`mailview.smtp`, `mailview.sieve`, `mailview.carddav`)
share: a `code`, the service's word for what went wrong ("unreachable", "tls", "auth",
"protocol", "refused", ...), which the service turns into a sentence for the person, and a
short `detail` (the server's answer), bounded. Each door subclasses it with its own typed
errors, so nothing outside a door sees socket, TLS or library exceptions. Pure: no app code."""
from __future__ import annotations

DETAIL_LIMIT = 500


class DoorError(Exception):
    """Base class of every door's errors (the IMAP door's `ImapError` predates it)."""

    code = "refused"

    def __init__(self, detail: str = "") -> None:
        super().__init__(f"{self.code}: {detail}")
        self.detail = detail[:DETAIL_LIMIT]
