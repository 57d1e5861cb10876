"""Our own exceptions for everything that can go wrong talking IMAP.

Nothing outside `mailview.imap` sees imapclient's or the socket layer's exceptions:
views catch these and show a clear page instead of a 500.
"""
from __future__ import annotations


class ImapError(Exception):
    """Base class of every IMAP-layer error."""


class InvalidImapInput(ImapError, ValueError):
    """A folder name, UID, part number or search text that must not reach the wire."""


class ImapAuthenticationError(ImapError):
    """The server refused the credentials."""


class ImapConnectionError(ImapError):
    """The server could not be reached, or the connection broke and the retry failed too."""


class ImapTimeout(ImapConnectionError):
    """The server did not answer a command within the connection's timeout: it is slow (a
    whole-folder command on a big folder whose caches are cold), not gone. Not retried on a
    fresh connection (that would only double the wait); the connection is dropped."""


class ImapServerBusy(ImapConnectionError):
    """The server refused a LOGIN for now (RFC 5530 [LIMIT], [UNAVAILABLE], [INUSE]),
    e.g. too many connections of this user: not a wrong password."""


class ImapProtocolError(ImapError):
    """The server answered NO/BAD, or something we cannot parse."""


class ImapResponseTooLarge(ImapProtocolError):
    """An answer line longer than the client reads (imaplib's limit, 1,000,000 bytes): a
    hostile message's BODYSTRUCTURE (tens of thousands of parts, huge parameter values) or
    envelope. The rest of the line was left unread, so the connection was dropped (the next
    command opens a fresh one); the same command would fail the same way, so it is not retried."""


class MailboxNotFound(ImapProtocolError):
    """The folder does not exist (or is not selectable)."""


class MessageNotFound(ImapProtocolError):
    """No message with that UID in the folder (deleted, moved, or never there), or no such part."""


class PoolTimeout(ImapError):
    """No connection slot for this user became free before the deadline."""


class PoolBusy(PoolTimeout):
    """Refused at once: enough of this user's requests already wait for a connection."""


class NoStoredCredentials(ImapError):
    """The user has no mail credentials stored (signed out, or the key changed)."""
