"""Our own exceptions for everything that can go wrong talking SMTP.

Nothing outside `mailview.smtp` sees smtplib's or the socket layer's exceptions.
Each carries a `code` (the sending service's words for it, shown to the person),
a short `detail` (the server's reply) and whether trying again later may help.
"""
from __future__ import annotations

from mailview.door_errors import DoorError


class SmtpError(DoorError):
    """Base class of every SMTP-layer error."""

    code = "refused"
    transient = False


class SmtpUnreachable(SmtpError):
    """The server could not be reached, or the connection broke."""

    code = "unreachable"
    transient = True


class SmtpTlsError(SmtpError):
    """No secure connection: no STARTTLS offered, or a certificate not trusted."""

    code = "tls"


class SmtpAuthError(SmtpError):
    """The server did not accept the credentials."""

    code = "auth"


class SmtpTemporaryError(SmtpError):
    """A 4xx answer: the server asks to try again later."""

    code = "temporary"
    transient = True


class SmtpMessageTooBig(SmtpError):
    """The message is larger than the server takes."""

    code = "too_big"


class SmtpRefused(SmtpError):
    """A permanent refusal of the message."""

    code = "refused"


class SmtpRecipientsRefused(SmtpError):
    """Some recipients were refused for good (the detail names them)."""

    code = "recipient"
