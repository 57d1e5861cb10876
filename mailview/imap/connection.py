"""One logged-in IMAP connection: with `sort.py`, the only code that calls imapclient.

`ImapConnection` wraps an `IMAPClient` with typed operations, remembers the
selected folder (so it is never re-SELECTed needlessly), maps protocol and
socket errors to `mailview.imap.errors`, and — when the connection breaks —
opens a fresh one and retries the operation once, transparently to the caller.
Instances are not thread-safe (neither is imapclient); the pool hands each one
to a single thread at a time.
"""
from __future__ import annotations

import imaplib
import logging
import re
import ssl
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from typing import Any, NoReturn, TypeVar

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientAbortError, IMAPClientError, LoginError
from imapclient.imap_utf7 import decode as decode_utf7
from imapclient.imapclient import _normalise_search_criteria  # how its search() quotes criteria
from imapclient.response_parser import parse_fetch_response, parse_response

from mailview.tls import Endpoint

from . import validate
from .errors import (
    ImapAuthenticationError,
    ImapConnectionError,
    ImapError,
    ImapProtocolError,
    ImapResponseTooLarge,
    ImapServerBusy,
    ImapTimeout,
    InvalidImapInput,
    MailboxNotFound,
)
from .fetchparse import parse_fetch_data, section_of
from .headers import HeaderAddress, header_fields, parse_addresses, row_headers
from .search import flag_search_keys
from .sequences import _uid_chunks, esearch_all, parse_sequence_list, uid_set_text
from .sort import SORT_KEYS, esort_page, reverse_arrival_window
from .threads import ThreadNode, parse_thread_response
from .timing import timed

log = logging.getLogger(__name__)
_IMAPLIB_LOG = logging.getLogger("imapclient.imaplib")  # where imapclient sends imaplib's debug lines
T = TypeVar("T")

# Failures after which the connection is unusable: throw it away and retry once.
_BROKEN = (IMAPClientAbortError, imaplib.IMAP4.abort, OSError, EOFError)


def _line_limit() -> int:
    """The longest answer line read (imaplib's `_MAXLINE`, 1 MB), unless the command's answer
    is about the whole folder (`ImapConnection._folder_sized`); longer: `ImapResponseTooLarge`."""
    return int(getattr(imaplib, "_MAXLINE", 1_000_000))


# What one answer line about the whole selected folder may take per message it holds (see
# `ImapConnection._folder_sized`): a plain SEARCH or SORT answer is every matching UID on one
# line (at most 10 digits and a space); a THREAD answer adds parentheses (a branch's and a
# dummy parent's). The slack covers the line's own words and mail arriving meanwhile.
_UID_LIST_BYTES = 12
_THREAD_BYTES = 16
_ANSWER_SLACK = 64 * 1024

# Untagged responses that report changes to the selected folder (imaplib's names).
_UNSOLICITED = ("EXISTS", "EXPUNGE", "VANISHED", "FETCH", "RECENT")


@dataclass(frozen=True)
class ServerEndpoint(Endpoint):
    """Where and how to reach an IMAP server."""

    timeout: float = 20.0
    # The most bytes one answer line about a whole folder may take (a SEARCH, SORT or THREAD
    # of a folder of millions of messages); every other line keeps imaplib's 1 MB limit.
    max_answer_bytes: int = 50_000_000


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str = field(repr=False)


@dataclass(frozen=True)
class SelectedFolder:
    name: str
    readonly: bool
    uidvalidity: int
    exists: int
    uidnext: int
    highestmodseq: int | None
    permanent_flags: frozenset[str] = frozenset()
    # FLAGS: the flags and keywords defined in the folder (also when EXAMINEd, where
    # PERMANENTFLAGS is empty).
    flags: frozenset[str] = frozenset()
    # The server reported changes since this SELECT (new, expunged or re-flagged mail):
    # `exists` follows them, UIDNEXT and HIGHESTMODSEQ need a fresh SELECT.
    stale: bool = False

    @property
    def can_create_keywords(self) -> bool:
        """PERMANENTFLAGS contains \\*: new keywords (labels) may be created."""
        return "\\*" in self.permanent_flags


UidSet = Iterable[int] | str


def _uid_arg(uids: UidSet) -> list[int] | str:
    """A list of UIDs, or a validated UID range string like `1:20000` for bulk actions."""
    if isinstance(uids, str):
        return validate.uid_set(uids)
    return validate.uids(uids)


_HEADER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-]{0,75}$")


def _header_name(name: str) -> str:
    """A header field name for FETCH HEADER.FIELDS or SEARCH HEADER: letters, digits, "-"."""
    if not isinstance(name, str) or not _HEADER_NAME.match(name):
        raise InvalidImapInput(f"not a header field name: {str(name)[:80]!r}")
    return name


@dataclass(frozen=True)
class IndexHead:
    """What the full-text indexer fetches first of a message (`fetch_index_heads`)."""

    uid: int
    header: bytes  # Subject, From, To, Cc as sent (RFC 2047 words undecoded)
    internaldate: datetime | None
    bodystructure: Any  # nested tuples (see `fetchparse`), None when not asked or not sent


def _internaldate(value: object) -> datetime | None:
    """`b"07-Dec-2026 02:59:41 +0000"` → an aware datetime (None when unreadable)."""
    match = _INTERNALDATE.match(value) if isinstance(value, bytes) else None
    if match is None:
        return None
    day, month, year, hour, minute, second, sign, zh, zm = match.groups()
    try:
        zone = timezone((-1 if sign == b"-" else 1) * timedelta(hours=int(zh), minutes=int(zm)))
        return datetime(int(year), _MONTHS.index(month.lower()) + 1, int(day), int(hour), int(minute), int(second), tzinfo=zone)
    except ValueError:
        return None


# Not strptime: its %b follows the process's locale.
_INTERNALDATE = re.compile(rb" ?(\d{1,2})-([A-Za-z]{3})-(\d{4}) (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)")
_MONTHS = [b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov", b"dec"]


@dataclass(frozen=True)
class QuotaResource:
    """One resource of a quota root (RFC 9208): STORAGE in units of 1024 octets, MESSAGE in messages."""

    root: str
    resource: str
    usage: int
    limit: int


@dataclass(frozen=True)
class RawAddress:
    name: bytes | None  # still RFC 2047-encoded, as the server sent it
    mailbox: str
    host: str

    @property
    def email(self) -> str:
        return f"{self.mailbox}@{self.host}" if self.host else self.mailbox


@dataclass(frozen=True)
class RawSummary:
    """One message of a list page as FETCHed: what a list row needs, not yet decoded."""

    uid: int
    flags: frozenset[str]
    subject: bytes | None
    sender: tuple[RawAddress, ...]
    to: tuple[RawAddress, ...]
    cc: tuple[RawAddress, ...]
    reply_to: tuple[RawAddress, ...]
    date_header: object  # datetime | None, from the envelope
    internaldate: object  # datetime | None
    size: int
    bodystructure: object  # imapclient BodyData, for mailview.mime
    preview: object = None  # the server's PREVIEW (bytes) when asked for and advertised, else None
    # The server's answer for this message was too large to read whole (a hostile structure):
    # it was asked again without BODYSTRUCTURE (so `bodystructure` is None), perhaps with
    # only its flags, size, date and a few header fields. See `ImapConnection._fetch_rows`.
    oversized: bool = False
    # The threading header fields (THREAD_HEADER_ITEM's answer, raw) when asked for with the row, else None.
    thread_headers: bytes | None = None


@dataclass(frozen=True)
class RawMessage:
    """A whole message as FETCHed for export: its bytes as stored, flags and arrival time."""

    uid: int
    flags: frozenset[str]
    internaldate: object  # datetime | None
    body: bytes


@dataclass(frozen=True)
class FolderCounts:
    """STATUS of one folder: what a sync compares with the state it kept.
    `highestmodseq` is None where the server has no CONDSTORE."""

    name: str
    uidvalidity: int
    uidnext: int
    messages: int
    unseen: int
    highestmodseq: int | None


@dataclass(frozen=True)
class FolderChanges:
    """`UID FETCH … (FLAGS) (CHANGEDSINCE m [VANISHED])`: the flags now of the messages
    changed since modseq m (with each one's MODSEQ), and the UIDs expunged since (QRESYNC)."""

    flags: dict[int, frozenset[str]]
    modseqs: dict[int, int]
    vanished: list[int]


@dataclass(frozen=True)
class RawFolder:
    """One LIST answer, decoded: name, delimiter, lower-cased attributes, status if asked."""

    name: str
    delimiter: str | None
    attributes: frozenset[str]
    messages: int | None = None
    unseen: int | None = None


# Server endpoints ("host:port") that refused `SORT RETURN (PARTIAL ...)`: remembered for the
# process, not per connection, so a server that refuses it (Cyrus 3.6) is asked once per
# process, and one that drops clients after a few refused commands (Courier) is not provoked.
_PARTIAL_REFUSED: set[str] = set()
# Servers (host:port) that advertise ESORT and refused `SORT RETURN (ALL)` (`_sorted_all`).
_SORT_ALL_REFUSED: set[str] = set()
# Servers (host:port) whose FUZZY searches find nothing (`ImapConnection.fuzzy_found_nothing`).
_FUZZY_EMPTY: set[str] = set()
# Servers (host:port) whose `SEARCH HEADER` misses header fields their messages have (True) or
# finds them (False), as `ImapConnection.header_search_blind` checked, once per process.
_HEADER_SEARCH_BLIND: dict[str, bool] = {}
_PROBE_VALUE = re.compile(r"[\x20-\x7e]{8,200}")
_PARTIAL_REFUSED_LOCK = threading.Lock()


# The same memory shared by every process (Redis), installed by mailview/wiring.py:
# (was it refused?, remember a refusal), by "host:port". Asked once per new connection.
_PARTIAL_STORE: tuple[Callable[[str], bool], Callable[[str], None]] | None = None


def install_partial_refusal_store(is_refused: Callable[[str], bool], remember: Callable[[str], None]) -> None:
    global _PARTIAL_STORE
    _PARTIAL_STORE = (is_refused, remember)


def partial_sort_refused(endpoint: Endpoint) -> bool:
    return f"{endpoint.host}:{endpoint.port}" in _PARTIAL_REFUSED


def _partial_refused_elsewhere(endpoint: Endpoint) -> bool:
    """Did another process see this endpoint refuse PARTIAL? (The shared store; never fatal.)"""
    key = f"{endpoint.host}:{endpoint.port}"
    try:
        refused = _PARTIAL_STORE is not None and _PARTIAL_STORE[0](key)
    except Exception:  # noqa: BLE001 - the store (Redis) may be down: then just try
        return False
    if refused:
        with _PARTIAL_REFUSED_LOCK:
            _PARTIAL_REFUSED.add(key)
    return refused


def _remember_partial_refused(endpoint: Endpoint) -> None:
    key = f"{endpoint.host}:{endpoint.port}"
    with _PARTIAL_REFUSED_LOCK:
        _PARTIAL_REFUSED.add(key)
    try:
        if _PARTIAL_STORE is not None:
            _PARTIAL_STORE[1](key)
    except Exception:  # noqa: BLE001 - the store (Redis) may be down: this process remembers
        log.info("could not share the PARTIAL refusal of %s", key)


def forget_partial_refusals() -> None:
    """For tests: every endpoint may be asked again."""
    with _PARTIAL_REFUSED_LOCK:
        _PARTIAL_REFUSED.clear()


@dataclass(frozen=True)
class Namespace:
    """The personal namespace (RFC 2342): where a person's folders live, e.g. Courier's
    `INBOX.` with `.`; Dovecot and Cyrus here: `` with `/`."""

    prefix: str
    separator: str


# RFC 5530 codes of a tagged NO that refuse the LOGIN for now, not the password.
_LOGIN_BUSY = re.compile(r"\[(LIMIT|UNAVAILABLE|INUSE)\]", re.IGNORECASE)


def login(endpoint: ServerEndpoint, credentials: Credentials, *, client_ip: str | None = None) -> IMAPClient:
    """Connect and log in. Raises ImapAuthenticationError, ImapServerBusy or ImapConnectionError.

    `client_ip` (the browser's address, at sign-in) goes to the server with
    `ID ("x-originating-ip" ...)` before LOGIN (RFC 2971): a server that trusts us
    (Dovecot's `login_trusted_networks`) then logs it and puts its own penalties for
    failed logins on that address instead of on the webmail's.
    """
    try:
        client = IMAPClient(
            endpoint.host,
            port=endpoint.port,
            ssl=endpoint.security == "ssl",
            ssl_context=endpoint.ssl_context() if endpoint.security == "ssl" else None,
            timeout=endpoint.timeout,
        )
    except (OSError, IMAPClientError, imaplib.IMAP4.error) as exc:
        raise ImapConnectionError(f"cannot connect to {endpoint.host}:{endpoint.port}: {exc}") from exc
    client.normalise_times = False  # keep the server's timezone-aware datetimes
    _quiet_imaplib(client)
    try:
        if endpoint.security == "starttls":
            client.starttls(endpoint.ssl_context())
        if client_ip:
            _send_originating_ip(client, client_ip)
        if credentials.username.isascii() and credentials.password.isascii():
            client.login(credentials.username, credentials.password)
        else:
            # LOGIN's quoted strings are ASCII only (imaplib would raise UnicodeEncodeError);
            # SASL PLAIN carries UTF-8 (RFC 4616).
            client.plain_login(credentials.username, credentials.password)
    except LoginError as exc:
        _close_quietly(client)
        # imapclient wraps every LOGIN failure in LoginError, a dropped socket included;
        # only a tagged NO (other than "too many connections"/"try later") means the
        # credentials are wrong.
        if isinstance(exc.__context__, (imaplib.IMAP4.abort, OSError)):
            raise ImapConnectionError(f"the server at {endpoint.host}:{endpoint.port} failed during login") from exc
        if busy := _LOGIN_BUSY.search(str(exc)):
            raise ImapServerBusy(f"the server at {endpoint.host}:{endpoint.port} refused the login for now [{busy.group(1).upper()}]") from exc
        raise ImapAuthenticationError("the server refused the user name or password") from exc
    except (ssl.SSLError, OSError, IMAPClientError, imaplib.IMAP4.error) as exc:
        _close_quietly(client)
        # Not the exception text: some servers echo arguments, and the password is one.
        raise ImapConnectionError(f"connection to {endpoint.host}:{endpoint.port} failed ({type(exc).__name__})") from exc
    return client


def _quiet_imaplib(client: IMAPClient) -> None:
    """imapclient sets imaplib's debug level to 5 on every connection it makes, so imaplib
    formats the repr() of every line, literal and untagged answer it reads and sends for the
    `imapclient.imaplib` logger, which settings.LOGGING keeps off (WARNING): work for nobody,
    on every command of every pooled connection. Level 0 unless that logger is on for DEBUG
    (the explicit way to see the protocol; imapclient's adapter hides LOGIN's password)."""
    if not _IMAPLIB_LOG.isEnabledFor(logging.DEBUG):
        client._imap.debug = 0  # noqa: SLF001 - imapclient has no switch for it


def _send_originating_ip(client: IMAPClient, client_ip: str) -> None:
    """ID before LOGIN; a server without ID (or refusing it) still gets the LOGIN."""
    if b"ID" not in client.capabilities():
        return
    try:
        client.id_({"x-originating-ip": client_ip})
    except imaplib.IMAP4.abort:
        raise
    except IMAPClientError as exc:
        log.info("IMAP ID before login refused: %s", exc)


def verify_login(endpoint: ServerEndpoint, credentials: Credentials, *, client_ip: str | None = None) -> None:
    """Check credentials with a LOGIN, then LOGOUT (used at sign-in, before a user exists)."""
    client = login(endpoint, credentials, client_ip=client_ip)
    try:
        client.logout()
    except Exception:  # noqa: BLE001
        _close_quietly(client)


def _timed_out(exc: BaseException) -> bool:
    """A socket read timeout, raised as it is or wrapped by imaplib."""
    return isinstance(exc, TimeoutError) or isinstance(exc.__cause__ or exc.__context__, TimeoutError)


def _line_too_long(exc: BaseException | None) -> bool:
    """imaplib refused an answer line over its limit (`_limit_lines`; imaplib's `_MAXLINE` by
    default): a plain `error` (not `abort`) saying "got more than N bytes", with the rest of
    the line unread."""
    return isinstance(exc, imaplib.IMAP4.error) and not isinstance(exc, imaplib.IMAP4.abort) and "got more than" in str(exc)


def _limit_lines(client: IMAPClient, limit: Callable[[], int]) -> None:
    """Make this client's imaplib object read answer lines up to `limit()` bytes (asked at each
    line) instead of imaplib's module-wide `_MAXLINE`: a per-connection override, so a command
    allowed a longer line on one connection changes nothing for another thread's connection
    (changing the module global would). Refused lines raise imaplib's own error, as before."""
    imap = client._imap  # noqa: SLF001 - the one reading method imaplib offers to override

    def readline() -> bytes:
        most = limit()
        line: bytes = imap.file.readline(most + 1)
        if len(line) > most:
            raise imap.error(f"got more than {most} bytes")
        return line

    imap.readline = readline


def _close_quietly(client: IMAPClient) -> None:
    try:
        client.shutdown()
    except Exception:  # noqa: BLE001 - closing a broken socket may fail in any way
        pass


class ImapConnection:
    """A logged-in connection with typed operations and one transparent retry."""

    def __init__(
        self,
        endpoint: ServerEndpoint,
        credentials: Credentials,
        *,
        on_login: Callable[[], None] | None = None,
        on_error: Callable[[str], None] | None = None,  # called with the kind: broken, protocol, unexpected
        client_ip: str | None = None,
    ) -> None:
        self.endpoint = endpoint
        self._credentials = credentials
        self._client_ip = client_ip  # of the request that opened it: sent at each login (see `login`)
        self._on_login = on_login or (lambda: None)
        self._on_error = on_error or (lambda kind: None)
        self._client: IMAPClient | None = None
        self.selected: SelectedFolder | None = None
        self.capabilities: frozenset[str] = frozenset()
        self.created_at = time.monotonic()
        self.last_used = self.created_at
        self.broken = False
        self.operations = 0  # IMAP operations run (tests assert budgets with it)
        self._namespace: Namespace | None = None
        self._partial_store_asked = False  # the shared memory of PARTIAL refusals (see sorted_page)
        self.qresync_enabled = False  # ENABLE QRESYNC ran on the current socket
        # Answers that brought news of the selected folder (see `selected_counts`).
        self._news = 0
        # The server answers STATUS of the selected folder from the session's view (Dovecot,
        # from its greeting): see `selected_counts`.
        self.status_from_view = False
        # The last folder listing with counts, and when it was made (see list_folders).
        self._listing: tuple[float, list[RawFolder]] | None = None
        # How long a command may take to be answered, when not the endpoint's timeout (see slow_commands).
        self._read_timeout: float | None = None
        # Bytes per message of the selected folder the running command's answer line may take
        # (0: imaplib's 1 MB); see `_folder_sized`.
        self._answer_bytes_per_message = 0
        self._connect()

    # -- lifecycle ---------------------------------------------------------

    def _connect(self) -> None:
        with timed("imap_login"):
            client = login(self.endpoint, self._credentials, client_ip=self._client_ip)
        self._on_login()
        self.selected = None
        self.qresync_enabled = False
        try:
            self.capabilities = frozenset(
                c.decode("ascii", "replace").upper() if isinstance(c, bytes) else str(c).upper() for c in client.capabilities()
            )
            if "CONDSTORE" in self.capabilities and "ENABLE" in self.capabilities:
                # SELECT then reports HIGHESTMODSEQ: any flag change anywhere changes it.
                try:
                    client.enable("CONDSTORE")
                except IMAPClientAbortError:
                    raise
                except (IMAPClientError, imaplib.IMAP4.error):
                    log.info("server refused ENABLE CONDSTORE; folder states rely on UIDNEXT and EXISTS")
        except _BROKEN as exc:
            _close_quietly(client)
            raise ImapConnectionError("the connection broke right after login") from exc
        _limit_lines(client, self._answer_line_limit)
        self._client = client
        self.broken = False
        if self._read_timeout is not None:
            self._apply_read_timeout()
        self.status_from_view = b"dovecot" in bytes(getattr(client, "welcome", b"") or b"").lower()

    @property
    def is_open(self) -> bool:
        """False once the connection broke and could not be replaced, or was closed."""
        return self._client is not None and not self.broken

    def has_capability(self, name: str) -> bool:
        return name.upper() in self.capabilities

    @property
    def fuzzy_search(self) -> bool:
        """SEARCH=FUZZY (RFC 6203) is advertised and not known to find nothing here. Cyrus 3.6
        advertises it but, without a search engine configured, answers every FUZZY key with
        no match at all (checked against its SEARCH TEXT): `fuzzy_found_nothing` says so."""
        return self.has_capability("SEARCH=FUZZY") and f"{self.endpoint.host}:{self.endpoint.port}" not in _FUZZY_EMPTY

    def fuzzy_found_nothing(self) -> None:
        """A FUZZY search found nothing where the same search without FUZZY found mail: this
        server is not asked FUZZY again (by this process)."""
        log.info("%s:%s: SEARCH FUZZY finds nothing that SEARCH finds; not asking FUZZY any more", self.endpoint.host, self.endpoint.port)
        _FUZZY_EMPTY.add(f"{self.endpoint.host}:{self.endpoint.port}")

    def close(self) -> None:
        """LOGOUT, or drop the socket if that fails. Safe to call twice."""
        client, self._client = self._client, None
        self.selected = None
        self.broken = True
        if client is None:
            return
        try:
            client.logout()
        except Exception:  # noqa: BLE001
            _close_quietly(client)

    @contextmanager
    def slow_commands(self, seconds: float) -> Iterator[None]:
        """Commands in the block may take up to `seconds` to be answered instead of the
        endpoint's timeout (20 s): for work a background task does on purpose, e.g. a whole
        folder's THREAD on a cold server. A fresh connection opened meanwhile gets it too."""
        previous = self._read_timeout
        self._read_timeout = float(seconds)
        self._apply_read_timeout()
        try:
            yield
        finally:
            self._read_timeout = previous
            self._apply_read_timeout()

    @contextmanager
    def _folder_sized(self, bytes_per_message: int) -> Iterator[None]:
        """Commands in the block answer about the whole selected folder on one line (every UID
        of a plain SEARCH or SORT, a THREAD's tree): that line may take `bytes_per_message` for
        each message the folder holds (its EXISTS), up to the endpoint's `max_answer_bytes`,
        never less than imaplib's 1 MB. A folder of 200,000 messages answers SORT in about
        1.4 MB; past the cap the answer fails as any line too long (`ImapResponseTooLarge`,
        connection dropped). Every other line keeps the 1 MB limit (a hostile FETCH answer)."""
        previous = self._answer_bytes_per_message
        self._answer_bytes_per_message = bytes_per_message
        try:
            yield
        finally:
            self._answer_bytes_per_message = previous

    def _answer_line_limit(self) -> int:
        """The longest answer line read now (see `_folder_sized`)."""
        base = _line_limit()
        if not self._answer_bytes_per_message:
            return base
        exists = self.selected.exists if self.selected is not None else 0
        allowed = exists * self._answer_bytes_per_message + _ANSWER_SLACK
        return max(base, min(int(self.endpoint.max_answer_bytes), allowed))

    def _apply_read_timeout(self) -> None:
        if self._client is None:
            return
        try:
            # What imapclient itself does for its read timeout.
            self._client.socket().settimeout(self._read_timeout if self._read_timeout is not None else self.endpoint.timeout)
        except OSError:
            pass  # a dead socket: the next command finds out

    def _run(self, operation: Callable[[IMAPClient], T], *, retry: bool = True, retry_slow: bool = False) -> T:
        """Run one operation; on a broken connection reconnect and try once more.

        The folder that was selected is selected again on the fresh connection, so the
        caller never notices. `retry=False` for operations that are not idempotent.
        A server that does not answer in time is slow, not gone: `ImapTimeout` at once,
        without the retry (which would only double the wait), unless `retry_slow` (a NOOP
        probing a connection that sat idle: a dead socket times out too).
        """
        for attempt in (1, 2):
            if self._client is None:
                if self.broken:
                    raise ImapConnectionError("this connection was closed")
                self._reconnect()
            assert self._client is not None
            self.operations += 1
            try:
                with timed("imap"):
                    result = operation(self._client)
                self.last_used = time.monotonic()
                self._absorb_unsolicited(self._client)
                return result
            except _BROKEN as exc:
                self._on_error("broken")
                log.info("IMAP connection broke (%s), attempt %d", type(exc).__name__, attempt)
                self._discard()
                if _timed_out(exc) and not retry_slow:
                    raise ImapTimeout("the mail server did not answer in time") from exc
                if attempt == 2 or not retry:
                    raise ImapConnectionError("the connection to the mail server broke") from exc
            except (IMAPClientError, imaplib.IMAP4.error) as exc:
                if _line_too_long(exc):
                    self._too_large(exc)
                self._on_error("protocol")
                raise ImapProtocolError(str(exc)[:300]) from exc
            except ImapError as exc:
                if not isinstance(exc, ImapResponseTooLarge) and _line_too_long(exc.__cause__ or exc.__context__):
                    self._too_large(exc)  # an operation that turned imaplib's error into one of ours
                raise
            except Exception as exc:
                # Anything else (a parser failure mid-response) leaves the stream in an
                # unknown state: never reuse it.
                self._on_error("unexpected")
                self._discard()
                self.broken = True
                raise ImapProtocolError(f"unexpected answer from the mail server ({type(exc).__name__})") from exc
        raise AssertionError("unreachable")

    def _too_large(self, exc: BaseException) -> NoReturn:
        """An answer line over imaplib's limit: the rest of it is still on the socket, so this
        connection would read it as the next command's answer. Dropped (the next command here
        opens a fresh one; the pool closes it if none comes), never retried: the same command
        gets the same answer."""
        self._on_error("too_large")
        limit = self._answer_line_limit()
        log.info("IMAP answer line over %d bytes; connection dropped", limit)
        self._discard()
        raise ImapResponseTooLarge(f"an answer of the mail server was longer than {limit} bytes a line") from exc

    def _discard(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            _close_quietly(client)

    def _reconnect(self) -> None:
        previous = self.selected
        self._connect()
        if previous is not None:
            self._select(self._client, previous.name, previous.readonly)

    def noop(self) -> None:
        self._run(lambda c: c.noop(), retry_slow=True)

    def _absorb_unsolicited(self, client: IMAPClient) -> None:
        """Apply what the server said about the selected folder besides its answer.

        Any command's response may carry untagged EXISTS, EXPUNGE, VANISHED or FETCH
        (mail that arrived, left or was re-flagged through another connection). imaplib
        files them away and would keep them forever; here they mark the selection stale,
        so the next `select` of this folder fetches fresh UIDNEXT and HIGHESTMODSEQ (the
        cache keys of sorted lists), and a kept folder listing is dropped.
        """
        pending = client._imap.untagged_responses  # noqa: SLF001
        news = {name: pending.pop(name) for name in _UNSOLICITED if name in pending}
        if not news:
            return
        self._news += 1
        self._changed()
        current = self.selected
        if current is None:
            return
        exists = current.exists
        for value in news.get("EXISTS", ())[-1:]:
            try:
                exists = int(value)
            except (TypeError, ValueError):
                pass
        self.selected = replace(current, exists=exists, stale=True)

    def sync_selected(self) -> SelectedFolder | None:
        """NOOP: the server tells this connection about every message that arrived or left
        since its last command. Dovecot silently ignores UIDs in UID STORE/MOVE/FETCH/SEARCH
        that it has not told the session about yet, so acting on mail without this may do
        nothing. Returns the selection, marked stale when anything changed."""
        if self.selected is None:
            return None
        self._run(lambda c: c.noop())
        return self.selected

    # -- folders -------------------------------------------------------------

    def list_folders(self, *, with_status: bool = True, subscribed_only: bool = False, max_age: float = 0.0) -> list[RawFolder]:
        """All folders with special-use and subscription attributes, and counts.

        Uses LIST-STATUS (RFC 5819) when advertised: one round trip for the tree and
        every count. Otherwise STATUS per selectable folder.

        `max_age` > 0 accepts this connection's previous listing with counts if it is at
        most that many seconds old and nothing was changed through this connection since
        (changes by other clients show once it expires).
        """
        folders: list[RawFolder] | None = None
        if with_status and max_age > 0 and self._listing is not None and time.monotonic() - self._listing[0] <= max_age:
            folders = self._listing[1]
        if folders is None:
            use_list_status = with_status and self.has_capability("LIST-STATUS") and self.has_capability("LIST-EXTENDED")
            if self.has_capability("LIST-EXTENDED"):
                special_use = self.has_capability("SPECIAL-USE")
                folders = self._run(lambda c: _list_extended(c, with_status=use_list_status, special_use=special_use))
            else:
                # RFC 3501 only (Courier): LIST for the tree, LSUB for what is subscribed.
                folders = self._run(_list_plain)
            if with_status and not use_list_status:
                folders = [self._with_status(f) for f in folders]
            if with_status:
                self._listing = (time.monotonic(), folders)
        if subscribed_only:
            folders = [f for f in folders if "\\subscribed" in f.attributes]
        return folders

    def _changed(self) -> None:
        """Something changed through this connection: a kept folder listing is out of date."""
        self._listing = None

    def _with_status(self, folder: RawFolder) -> RawFolder:
        if folder.attributes & {"\\noselect", "\\nonexistent"}:
            return folder
        status = self.folder_status(folder.name)
        return RawFolder(folder.name, folder.delimiter, folder.attributes, status.get("MESSAGES"), status.get("UNSEEN"))

    def folder_status(self, name: str) -> dict[str, int]:
        name = validate.folder_name(name)

        def op(c: IMAPClient) -> dict[str, int]:
            try:
                raw = c.folder_status(name, ["MESSAGES", "UNSEEN", "UIDNEXT", "UIDVALIDITY"])
            except IMAPClientError as exc:
                raise MailboxNotFound(name) from exc
            return {k.decode() if isinstance(k, bytes) else k: int(v) for k, v in raw.items()}

        return self._run(op)

    def folder_counts(self, name: str) -> FolderCounts:
        """STATUS (MESSAGES UNSEEN UIDNEXT UIDVALIDITY [HIGHESTMODSEQ]), current even for
        the folder this connection has selected: Dovecot answers STATUS of the selected
        folder from the session's view (even of a folder deleted and made again since),
        so that folder is unselected first (UNSELECT; a NOOP without it)."""
        name = validate.folder_name(name)
        if self.selected is not None and self.selected.name == name:
            self.unselect()
        return self._status_counts(name)

    def selected_counts(self, name: str) -> FolderCounts | None:
        """The counts of `name` without leaving it, when this connection has it selected and
        the server answers STATUS of the selected folder from the session's view (Dovecot):
        a NOOP brings that view up to date (the server announces what arrived, left or
        changed), then STATUS reads it. Cheaper than `folder_counts` + a new EXAMINE on a big
        folder (UNSELECT, STATUS, EXAMINE: ~0.4 s at 100k messages). The selection takes the
        answer's UIDNEXT, MESSAGES and HIGHESTMODSEQ and is no longer stale, unless the STATUS
        answer itself brought news (then the next `select` asks again). The numbers describe
        exactly the messages the session has been told of, so UIDs below the UIDNEXT are all
        visible to UID SEARCH/FETCH. None when that is not the case: ask `folder_counts`."""
        name = validate.folder_name(name)
        current = self.selected
        if current is None or current.name != name or not self.status_from_view:
            return None
        self._run(lambda c: c.noop())
        return self._caught_up(name)

    def _caught_up(self, name: str) -> FolderCounts | None:
        """After a NOOP on the selected `name` (Dovecot): STATUS of the session's view gives
        the selection its current UIDNEXT, MESSAGES and HIGHESTMODSEQ, no longer stale unless
        the STATUS answer brought news. None when the selection is no longer that folder."""
        news = self._news
        counts = self._status_counts(name)
        current = self.selected
        if current is None or current.name != name or current.uidvalidity != counts.uidvalidity:
            return None  # reconnected to something else meanwhile: ask the usual way
        self.selected = replace(
            current,
            exists=counts.messages,
            uidnext=counts.uidnext,
            highestmodseq=counts.highestmodseq if current.highestmodseq is not None else None,
            stale=self._news != news,
        )
        return counts

    def _status_counts(self, name: str) -> FolderCounts:
        items = ["MESSAGES", "UNSEEN", "UIDNEXT", "UIDVALIDITY"]
        condstore = self.has_capability("CONDSTORE")
        if condstore:
            items.append("HIGHESTMODSEQ")

        def op(c: IMAPClient) -> dict[bytes, int]:
            try:
                raw = c.folder_status(name, items)
            except IMAPClientAbortError:
                raise
            except IMAPClientError as exc:
                raise MailboxNotFound(name) from exc
            return {(k if isinstance(k, bytes) else str(k).encode()).upper(): int(v) for k, v in raw.items()}

        values = self._run(op)
        modseq = values.get(b"HIGHESTMODSEQ") if condstore else None
        return FolderCounts(
            name=name,
            uidvalidity=values.get(b"UIDVALIDITY", 0),
            uidnext=values.get(b"UIDNEXT", 0),
            messages=values.get(b"MESSAGES", 0),
            unseen=values.get(b"UNSEEN", 0),
            highestmodseq=modseq or None,
        )

    def unselect(self) -> None:
        """Leave the selected folder without expunging (UNSELECT, RFC 3691); where the server
        lacks UNSELECT the selection stays and is caught up with a NOOP instead."""
        if self.selected is None:
            return
        if not self.has_capability("UNSELECT"):
            self.sync_selected()
            return

        def op(c: IMAPClient) -> None:
            c.unselect_folder()
            self.selected = None

        self._run(op)

    def enable_qresync(self) -> bool:
        """ENABLE QRESYNC (RFC 7162) on this connection where the server advertises it, so
        `changes_since` also reports expunged UIDs. ENABLE is only allowed with no folder
        selected: the selection is closed first with UNSELECT (never CLOSE, which would
        expunge). Afterwards the server reports expunges as VANISHED instead of EXPUNGE.
        Returns whether QRESYNC is on."""
        if self.qresync_enabled:
            return True
        if not (self.has_capability("QRESYNC") and self.has_capability("ENABLE")):
            return False
        if self.selected is not None and not self.has_capability("UNSELECT"):
            return False

        self.unselect()

        def op(c: IMAPClient) -> bool:
            try:
                enabled = c.enable("QRESYNC")
            except IMAPClientAbortError:
                raise
            except IMAPClientError:
                return False
            return any(_text_of(e).upper() == "QRESYNC" for e in enabled)

        self.qresync_enabled = self._run(op)
        return self.qresync_enabled

    def changes_since(self, modseq: int, *, below_uid: int) -> FolderChanges:
        """The messages with UID < `below_uid` whose flags changed since `modseq`, and (with
        QRESYNC enabled) the UIDs among them expunged since: `UID FETCH 1:<below_uid - 1>
        (FLAGS) (CHANGEDSINCE modseq [VANISHED])`. Needs the folder selected (CONDSTORE)."""
        modseq = int(modseq)
        if modseq < 0 or below_uid <= 1:
            return FolderChanges(flags={}, modseqs={}, vanished=[])
        last = validate.uid(below_uid - 1)
        modifier = f"(CHANGEDSINCE {modseq}{' VANISHED' if self.qresync_enabled else ''})"

        def op(c: IMAPClient) -> tuple[dict[int, Any], list[bytes]]:
            imap = c._imap  # noqa: SLF001 - imapclient's fetch drops answers to a UID range
            imap.untagged_responses.pop("VANISHED", None)
            tag = imap._command("UID", "FETCH", f"1:{last}", "(UID FLAGS)", modifier)  # noqa: SLF001
            typ, data = imap._command_complete("FETCH", tag)  # noqa: SLF001
            if typ != "OK":
                raise ImapProtocolError(f"UID FETCH CHANGEDSINCE failed: {data!r}"[:300])
            _, fetched = imap._untagged_response(typ, data, "FETCH")  # noqa: SLF001
            vanished = imap.untagged_responses.pop("VANISHED", [])
            items = [d for d in fetched if d not in (None, b"")]
            return (parse_fetch_response(items, False, True) if items else {}), vanished

        raw, vanished_lines = self._run(op)
        flags: dict[int, frozenset[str]] = {}
        modseqs: dict[int, int] = {}
        for uid, data in raw.items():
            if not isinstance(uid, int) or b"FLAGS" not in data or not 1 <= uid < below_uid:
                continue
            flags[uid] = frozenset(_text_of(f) for f in data[b"FLAGS"])
            found = data.get(b"MODSEQ")
            modseqs[uid] = int(found[0]) if isinstance(found, tuple) and found else int(found or 0)
        vanished: set[int] = set()
        for line in vanished_lines:
            text = _text_of(line).strip()
            if text.upper().startswith("(EARLIER)"):
                text = text[len("(EARLIER)"):].strip()
            vanished.update(u for u in parse_sequence_list(text) if u < below_uid)
        return FolderChanges(flags=flags, modseqs=modseqs, vanished=sorted(vanished))

    def uids_from(self, first_uid: int) -> list[int]:
        """UIDs ≥ `first_uid` in the selected folder (`UID SEARCH UID first:*`; `n:*` always
        matches the highest UID, which is left out when it is lower)."""
        first = validate.uid(first_uid)
        return sorted(u for u in self._uids_searched([b"UID", f"{first}:*".encode()]) if u >= first)

    def all_uids(self) -> list[int]:
        """Every UID of the selected folder, ascending. With ESEARCH one compact answer
        (`UID SEARCH RETURN (ALL) ALL` → `1:9000,9002:10000`), which reads in a millisecond
        where a plain SEARCH answer of 100k numbers takes imapclient a second."""
        return sorted(self._uids_searched([b"ALL"]))

    def _uids_searched(self, keys: list[bytes], *, charset: bool = False) -> list[int]:
        """The UIDs matching these search keys (already in wire form), in no particular order.
        With ESEARCH `UID SEARCH RETURN (ALL)`: a sequence set, a few bytes for contiguous UIDs
        however many; else a plain SEARCH, every UID on one line, which may be as long as the
        folder needs (`_folder_sized`: a folder of 170,000 messages passes imaplib's 1 MB)."""
        head = [b"CHARSET", b"UTF-8"] if charset else []
        with self._folder_sized(_UID_LIST_BYTES):
            if self.has_capability("ESEARCH"):
                args = [b"RETURN", b"(ALL)", *head, *keys]
                return self._run(lambda c: _returned_all(c, b"SEARCH", args))
            data = self._run(lambda c: c._raw_command_untagged(b"SEARCH", [*head, *keys], unpack=True))  # noqa: SLF001
        return [int(u) for u in (data or b"").split()]

    def fetch_flags(self, uids: Iterable[int], *, announced: bool = False) -> dict[int, frozenset[str]]:
        """FLAGS of these UIDs (those still there). `announced`: see `_fetch`."""
        wanted = validate.uids(uids)
        if not wanted:
            return {}
        raw = self._fetch(wanted, [b"FLAGS"], announced=announced)
        return {int(uid): frozenset(_text_of(f) for f in data.get(b"FLAGS", ())) for uid, data in raw.items()}

    def select(self, name: str, *, readonly: bool = True, refresh: bool = False) -> SelectedFolder:
        """SELECT (or EXAMINE when read-only), unless that folder is already selected and
        nothing changed in it since, as far as the server has said.

        A read-only request is served by a read-write selection too; a read-write one
        upgrades an EXAMINE. `refresh` first asks the server for changes made elsewhere
        (one NOOP); when there were any, or an earlier answer reported some, the folder is
        selected again so UIDNEXT and HIGHESTMODSEQ are current (an expunge plus an arrival
        leaves EXISTS unchanged, and cache keys are built from them).
        """
        name = validate.folder_name(name)
        current = self.selected
        if current is not None and current.name == name and (readonly or not current.readonly):
            if refresh:
                current = self.sync_selected() or current
                if current.stale and self.status_from_view and self._caught_up(name) is not None:
                    # Dovecot: STATUS of the session's view instead of selecting again (a new
                    # EXAMINE of a 100k Maildir costs ~0.3 s; the STATUS well under 1 ms).
                    current = self.selected or current
            if not current.stale:
                return current
            readonly = current.readonly
        return self._run(lambda c: self._select(c, name, readonly))

    def _select(self, client: IMAPClient, name: str, readonly: bool) -> SelectedFolder:
        try:
            response = client.select_folder(name, readonly=readonly)
        except IMAPClientAbortError:
            raise
        except IMAPClientError as exc:
            self.selected = None
            raise MailboxNotFound(name) from exc
        uidnext = int(response.get(b"UIDNEXT", 0))
        if not uidnext:
            # Courier sends no UIDNEXT on SELECT; sorted lists are cached by it, so ask.
            status = client.folder_status(name, [b"UIDNEXT", b"MESSAGES"])
            uidnext = int(status.get(b"UIDNEXT", 0))
        self.selected = SelectedFolder(
            name=name,
            readonly=readonly,
            uidvalidity=int(response.get(b"UIDVALIDITY", 0)),
            exists=int(response.get(b"EXISTS", 0)),
            uidnext=uidnext,
            highestmodseq=int(response[b"HIGHESTMODSEQ"]) if b"HIGHESTMODSEQ" in response else None,
            permanent_flags=frozenset(_text_of(f) for f in response.get(b"PERMANENTFLAGS", ())),
            flags=frozenset(_text_of(f) for f in response.get(b"FLAGS", ())),
        )
        # The answer to SELECT is read: its EXISTS and RECENT are not news.
        client._imap.untagged_responses.clear()  # noqa: SLF001
        return self.selected

    # -- message lists (need the folder selected) ---------------------------------

    def sorted_page(
        self, *, sort: str, reverse: bool, first: int, last: int, keys: list[bytes] | None = None, total_hint: int | None = None
    ) -> tuple[int, list[int]] | None:
        """(total, UIDs of positions first..last in sort order) with one ESORT round trip,
        or None when the server cannot (then use `sorted_uids`).

        PARTIAL belongs to CONTEXT=SORT (RFC 5267), but Dovecot 2.3 answers it while
        advertising only ESORT and CONTEXT=SEARCH: so try it wherever ESORT is
        advertised. A refusal is remembered for the server endpoint, for the whole
        process (`partial_sort_refused`): Cyrus 3.6 advertises ESORT and refuses PARTIAL,
        and is asked once, not on every new connection (nor, through the store that
        `install_partial_refusal_store` puts in, once per process).

        Newest first by arrival is the ascending ARRIVAL window from the other end, turned
        round (see `reverse_arrival_window`); `total_hint` (the folder's EXISTS when
        nothing is searched) saves the round trip that counts the matches first.
        """
        if not self.has_capability("ESORT") or partial_sort_refused(self.endpoint):
            return None
        if not self._partial_store_asked:
            self._partial_store_asked = True
            if _partial_refused_elsewhere(self.endpoint):
                return None
        criteria = (b"REVERSE " if reverse else b"") + self._sort_key(sort)
        try:
            if reverse and sort == "date":
                return self._newest_first_page(first, last, keys, total_hint)
            return self._run(lambda c: esort_page(c, criteria, first, last, keys))
        except ImapProtocolError:
            # Refused for this request only (its keys), or is partial SORT not supported at
            # all? A plain SORT with the same keys tells, and answers this request: when it
            # works, the server does not do PARTIAL (one refused command per endpoint).
            everything = self.sorted_uids(sort=sort, reverse=reverse, keys=keys, returned=False)
            log.info("%s:%s refuses SORT RETURN (PARTIAL); using plain SORT", self.endpoint.host, self.endpoint.port)
            _remember_partial_refused(self.endpoint)
            return len(everything), everything[max(first - 1, 0) : last]

    def _newest_first_page(self, first: int, last: int, keys: list[bytes] | None, total: int | None) -> tuple[int, list[int]]:
        """Positions first..last of REVERSE ARRIVAL with same-second arrivals newest first.

        SORT breaks ties by sequence number ascending, also under REVERSE, so `REVERSE
        ARRIVAL` lists mail that arrived in the same second oldest first. Ascending ARRIVAL
        counted from its end and turned round puts them newest first (by UID). That needs
        the total: given, or counted first; a total that changed meanwhile is corrected."""
        for _ in range(3):
            if total is None:
                total = self._run(lambda c: esort_page(c, b"ARRIVAL", 1, 1, keys))[0]
            window = reverse_arrival_window(total, first, last)
            if window is None:
                return total, []
            count, uids = self._run(lambda c: esort_page(c, b"ARRIVAL", window[0], window[1], keys))  # noqa: B023 - _run calls it at once
            if count == total:
                return total, uids[::-1]
            total = count
        return self._run(lambda c: esort_page(c, b"REVERSE ARRIVAL", first, last, keys))

    def _sort_key(self, sort: str) -> bytes:
        """The SORT key for a list column: by the sender's (or recipient's) display name
        where the server can (SORT=DISPLAY, RFC 5957), as the column shows it, else by address."""
        if sort in ("from", "to") and self.has_capability("SORT=DISPLAY"):
            return b"DISPLAY" + SORT_KEYS[sort]
        return SORT_KEYS[sort]

    def sorted_uids(self, *, sort: str, reverse: bool, keys: list[bytes] | None = None, returned: bool = True) -> list[int]:
        """Every matching UID of the selected folder in sort order (SORT, else SEARCH:
        UID order is arrival order). With ESORT (ESEARCH) the answer is a sequence set
        (`RETURN (ALL)`), a few bytes for a folder in arrival order however big; without, the
        answer line may be as long as the folder needs (`_folder_sized`). `returned=False`
        asks a plain SORT (what tells whether a refused `RETURN` was refused for its keys)."""
        keys = keys or [b"ALL"]
        if self.has_capability("SORT"):
            # Newest first by arrival: ascending turned round, so same-second arrivals are
            # newest first too (REVERSE keeps SORT's ascending tie-break).
            newest_first = reverse and sort == "date"
            criteria = (b"REVERSE " if reverse and not newest_first else b"") + self._sort_key(sort)
            args = [b"(" + criteria + b")", b"UTF-8", *keys]
            found = self._sorted_all(args, returned=returned)
            return found[::-1] if newest_first else found
        uids = sorted(self._uids_searched(keys, charset=True))
        return uids[::-1] if reverse else uids

    def _sorted_all(self, args: list[bytes], *, returned: bool = True) -> list[int]:
        """`UID SORT <args>`'s UIDs in sort order: `RETURN (ALL)` where ESORT is advertised
        (Dovecot and Cyrus 3.6 answer it; Cyrus refuses only PARTIAL), else plain. A refused
        RETURN (ALL) is asked plain; when that works, the refusal is remembered for the
        endpoint (this process), so it is not asked again."""
        key = f"{self.endpoint.host}:{self.endpoint.port}"

        def plain(c: IMAPClient) -> list[int]:
            data = c._raw_command_untagged(b"SORT", args, unpack=True)  # noqa: SLF001
            return [int(u) for u in (data or b"").split()]

        with self._folder_sized(_UID_LIST_BYTES):
            if returned and self.has_capability("ESORT") and key not in _SORT_ALL_REFUSED:
                try:
                    return self._run(lambda c: _returned_all(c, b"SORT", [b"RETURN", b"(ALL)", *args]))
                except ImapResponseTooLarge:
                    raise
                except ImapProtocolError:
                    found = self._run(plain)  # refused for its keys? then this fails too: nothing remembered
                    log.info("%s refuses SORT RETURN (ALL); using plain SORT", key)
                    _SORT_ALL_REFUSED.add(key)
                    return found
            return self._run(plain)

    def _fetch(self, uids: list[int], items: list[bytes], *, retry: bool = True, announced: bool = False) -> dict[int, dict[bytes, Any]]:
        """UID FETCH; UIDs the server did not answer for are asked once more after a NOOP.

        A message that arrived after this connection's last command is unknown to the
        session until the server announces it, and Dovecot answers a FETCH of it with
        nothing: the NOOP makes it announce new mail. Costs a round trip only on a miss.
        `announced`: the caller knows the session has been told of every one of `uids`
        (its own SEARCH returned them, as the live sync's): a miss is a message expunged
        meanwhile, and asking again after a NOOP would only cost one or two round trips.
        """
        before = self.selected
        raw: dict[int, dict[bytes, Any]] = self._run(lambda c: c.fetch(uids, items), retry=retry)
        missing = [] if announced else [u for u in uids if u not in raw]
        # The announcement may come with the FETCH's own answer, or only after a NOOP;
        # either way the selection was replaced (see _absorb_unsolicited).
        if missing and before is not None and (self.selected is not before or self.sync_selected() is not before):
            raw.update(self._run(lambda c: c.fetch(missing, items), retry=retry))
        return raw

    def fetch_summaries(
        self, uids: Iterable[int], *, preview: Iterable[int] = (), thread_headers: bool = False, announced: bool = False
    ) -> dict[int, RawSummary]:
        """ENVELOPE FLAGS RFC822.SIZE INTERNALDATE BODYSTRUCTURE of exactly these UIDs; for
        those also in `preview`, PREVIEW (RFC 8970) too where the server advertises it (a
        second FETCH only when some UIDs want it and some do not). A message whose answer is
        too large to read comes back `oversized` (`_fetch_rows`). `thread_headers`: the
        header fields threading reads too, in the same FETCH (`RawSummary.thread_headers`,
        as `fetch_thread_headers` gives them), for the live sync joining new mail to kept
        conversations without a FETCH of its own. `announced`: see `_fetch`."""
        wanted = validate.uids(uids)
        if not wanted:
            return {}
        items = SUMMARY_ITEMS + ([THREAD_HEADER_ITEM] if thread_headers else [])
        with_preview = set(validate.uids(preview)) & set(wanted) if self.has_capability("PREVIEW") else set()
        rest = [u for u in wanted if u not in with_preview]
        raw, oversized = self._fetch_rows(rest, items, announced=announced) if rest else ({}, set())
        if with_preview:
            more, more_oversized = self._fetch_rows([u for u in wanted if u in with_preview], items + [b"PREVIEW"], announced=announced)
            raw.update(more)
            oversized |= more_oversized
        out: dict[int, RawSummary] = {}
        for uid, data in raw.items():
            envelope = data.get(b"ENVELOPE")
            header_block = _item_answer(data, THREAD_HEADER_ITEM) if thread_headers else None
            if b"ENVELOPE" not in data and any(_is_summary_fields(k) for k in data):
                # Its ENVELOPE was too large to read: the same fields from the header, or
                # nothing but flags, size and arrival when even they do not parse.
                fields = {k: v for k, v in data.items() if _is_summary_fields(k)} | {
                    k: v for k, v in data.items() if not bytes(k).upper().startswith(b"BODY[")
                }
                summary = (
                    _summary_of_fields(int(uid), fields, _SUMMARY_FIELD_NAMES, oversized=int(uid) in oversized)
                    or _bare_summary(int(uid), data, oversized=int(uid) in oversized)
                )
                out[int(uid)] = replace(summary, thread_headers=header_block)
                continue
            out[int(uid)] = RawSummary(
                uid=int(uid),
                flags=frozenset(_text_of(f) for f in data.get(b"FLAGS", ())),
                subject=getattr(envelope, "subject", None),
                sender=_addresses(getattr(envelope, "from_", None) or getattr(envelope, "sender", None)),
                to=_addresses(getattr(envelope, "to", None)),
                cc=_addresses(getattr(envelope, "cc", None)),
                reply_to=_addresses(getattr(envelope, "reply_to", None)),
                date_header=getattr(envelope, "date", None),
                internaldate=data.get(b"INTERNALDATE"),
                size=int(data.get(b"RFC822.SIZE", 0) or 0),
                bodystructure=data.get(b"BODYSTRUCTURE"),
                preview=data.get(b"PREVIEW"),
                oversized=int(uid) in oversized,
                thread_headers=header_block,
            )
        return out

    def fetch_list_rows(self, uids: Iterable[int], *, preview: Iterable[int] = (), recipients: bool = False) -> dict[int, RawSummary]:
        """What a list row shows, in fewer bytes than `fetch_summaries` (issue #12): FLAGS
        RFC822.SIZE INTERNALDATE BODYSTRUCTURE and, instead of ENVELOPE, the header fields
        From, Sender and Subject (To too with `recipients`: Sent and Drafts show it); PREVIEW
        for the UIDs in `preview` where advertised, as `fetch_summaries`.

        The summaries have what ENVELOPE would have given for those fields, in the same raw
        form (`headers.row_headers`); cc, reply_to and the Date header are left empty (a row
        shows the arrival time). A message whose header fields did not come back or do not
        parse is asked for with ENVELOPE instead (the old way, kept for what needs it). A
        message whose answer is too large to read comes back `oversized` (`_fetch_rows`)."""
        wanted = validate.uids(uids)
        if not wanted:
            return {}
        items = list_fetch_items(recipients=recipients)
        with_preview = set(validate.uids(preview)) & set(wanted) if self.has_capability("PREVIEW") else set()
        rest = [u for u in wanted if u not in with_preview]
        raw, oversized = self._fetch_rows(rest, items) if rest else ({}, set())
        if with_preview:
            more, more_oversized = self._fetch_rows([u for u in wanted if u in with_preview], [*items, b"PREVIEW"])
            raw.update(more)
            oversized |= more_oversized
        out: dict[int, RawSummary] = {}
        unparsed: list[int] = []
        names = [f.decode().lower() for f in LIST_HEADER_FIELDS + ((b"TO",) if recipients else ())]
        for uid, data in raw.items():
            summary = _summary_of_fields(int(uid), data, names, oversized=int(uid) in oversized)
            if summary is None:
                unparsed.append(int(uid))
                continue
            out[int(uid)] = summary
        if unparsed:
            out.update(self.fetch_summaries(unparsed, preview=[u for u in unparsed if u in with_preview]))
        return out

    def _fetch_rows(
        self, uids: list[int], items: list[bytes], *, announced: bool = False
    ) -> tuple[dict[int, dict[bytes, Any]], set[int]]:
        """`_fetch` of list rows or summaries, whatever the messages hold: the answers, and the
        UIDs answered without their structure.

        A hostile message (tens of thousands of parts, huge parameter values) can have a
        BODYSTRUCTURE longer than imaplib reads in one line (1 MB; raising the limit would only
        let a 50 MB line into memory), or an ENVELOPE of 50,000 recipients. Then the batch is
        halved until the message is found (each overflow costs a fresh connection), and that
        one is asked again step by step (`_row_steps`: without BODYSTRUCTURE; with ENVELOPE
        swapped for its header fields, which come as a literal, never one long line; with only
        flags, size, arrival and those fields); its neighbours are answered in full. What was
        too large is remembered per message (per process, by server, user, folder and
        UIDVALIDITY), so the next page, the message page too, asks for it without that at once.
        Overflows are bounded per call (enough to find two such messages by halving); past
        that, whatever is left is asked the lean way (a page full of such messages costs a few
        connections, not one per row)."""
        steps = _row_steps(items)
        scope = self._oversized_scope()
        known = _oversized_known(scope)
        by_step: dict[int, list[int]] = {}
        for uid in uids:
            dropped = known.get(uid, frozenset())
            first = next((n for n, step in enumerate(steps) if not dropped & set(step)), len(steps) - 1)
            by_step.setdefault(first, []).append(uid)
        out: dict[int, dict[bytes, Any]] = {}
        oversized: set[int] = set()
        overflows = [0]
        most = 2 * (len(uids).bit_length() + 1)

        def fetch(group: list[int], step: int, *, alone: bool = False) -> None:
            try:
                raw = self._fetch(group, steps[step], announced=announced)
            except ImapResponseTooLarge:
                overflows[0] += 1
                last = step == len(steps) - 1
                if len(group) > 1 and (last or overflows[0] < most):
                    half = len(group) // 2
                    fetch(group[:half], step)
                    fetch(group[half:], step)
                    return
                if last:
                    log.warning("message %s left out of the rows: even its flags and size are too large to read", group)
                    return
                fetch(group, step + 1, alone=len(group) == 1)
                return
            if alone and group[0] in raw:
                # Found alone, answered at this step: what the steps before had and this one
                # has not was too large.
                _oversized_remember(scope, group[0], frozenset(steps[0]) - frozenset(steps[step]))
            out.update(raw)
            if b"BODYSTRUCTURE" in items and b"BODYSTRUCTURE" not in steps[step]:
                oversized.update(int(u) for u in raw)

        for step, group in sorted(by_step.items()):
            fetch(group, step)
        return out, oversized

    def _oversized_scope(self) -> str:
        """Where a UID names one message: this server and user, the selected folder and its UIDVALIDITY."""
        selected = self.selected
        folder = f"{selected.name}|{selected.uidvalidity}" if selected is not None else ""
        return f"{self.endpoint.host}:{self.endpoint.port}|{self._credentials.username}|{folder}"

    def fetch_heads(self, wanted: dict[int, tuple[str, int]]) -> dict[int, bytes]:
        """The first bytes of one part of each message: `{uid: (section, max_bytes)}` →
        `{uid: bytes}` (`BODY.PEEK[section]<0.max_bytes>`, one FETCH per distinct section and
        size, never sets \\Seen). Messages gone are left out."""
        groups: dict[tuple[str, int], list[int]] = {}
        for uid, (section, max_bytes) in wanted.items():
            groups.setdefault((validate.section(section), max(1, int(max_bytes))), []).append(validate.uid(uid))
        out: dict[int, bytes] = {}
        for (section, max_bytes), uids in groups.items():
            item = f"BODY.PEEK[{section}]<0.{max_bytes}>".encode()
            for uid, data in self._fetch(uids, [item]).items():
                for key, value in data.items():
                    if (key.decode("ascii", "replace") if isinstance(key, bytes) else str(key)).startswith("BODY["):
                        out[int(uid)] = value if isinstance(value, bytes) else b""
        return out

    def fetch_dates(self, uids: Iterable[int]) -> dict[int, object]:
        """INTERNALDATE of exactly these UIDs (a datetime each; what ARRIVAL sorts by):
        enough to merge lists of several folders newest first."""
        wanted = validate.uids(uids)
        if not wanted:
            return {}
        return {int(uid): data.get(b"INTERNALDATE") for uid, data in self._fetch(wanted, [b"INTERNALDATE"]).items()}

    # -- conversations (need the folder selected) ------------------------------------

    def thread(self, *, algorithm: str = "REFERENCES") -> list[ThreadNode] | None:
        """`UID THREAD <algorithm> UTF-8 ALL` (RFC 5256) through imapclient's `thread()`, as
        one `ThreadNode` per thread; None when the server does not advertise the algorithm."""
        if not self.has_capability(f"THREAD={algorithm}"):
            return None
        with self._folder_sized(_THREAD_BYTES):  # the whole folder's tree on one line
            data = self._run(lambda c: c.thread(algorithm=algorithm, criteria="ALL", charset="UTF-8"))
        return parse_thread_response(data)

    def fetch_thread_headers(self, uids: Iterable[int]) -> dict[int, tuple[bytes, object]]:
        """The header fields threading reads (Message-ID, In-Reply-To, References, Subject,
        Date) as raw bytes, and INTERNALDATE, of these UIDs; in chunks, so a whole folder can be asked."""
        wanted = validate.uids(uids)
        items = [THREAD_HEADER_ITEM, b"INTERNALDATE"]
        out: dict[int, tuple[bytes, object]] = {}
        for start in range(0, len(wanted), 5000):
            for uid, data in self._fetch(wanted[start : start + 5000], items).items():
                out[int(uid)] = (_header_fields_block(data), data.get(b"INTERNALDATE"))
        return out

    def uids_with_message_ids(self, ids: Iterable[str]) -> list[int]:
        """UIDs of the selected folder's messages whose Message-ID is one of `ids` (one UID
        SEARCH of ORed HEADER keys, each id a quoted string)."""
        wanted = [f"<{validate.search_text(i)}>" for i in ids][:50]
        if not wanted:
            return []
        criteria: list[str | bytes] = []
        for index, value in enumerate(wanted):
            if index < len(wanted) - 1:
                criteria.append(b"OR")
            criteria += [b"HEADER", b"Message-ID", value]
        return sorted(self._search(criteria, charset="UTF-8"))

    def uids_referring_to(self, ids: Iterable[str]) -> list[int]:
        """UIDs of the selected folder's messages whose References or In-Reply-To name one of
        `ids` (replies to them: the person's own, looked up in Sent)."""
        wanted = [f"<{validate.search_text(i)}>" for i in ids][:25]
        keys: list[list[str | bytes]] = [[b"HEADER", field, v] for v in wanted for field in (b"References", b"In-Reply-To")]
        if not keys:
            return []
        criteria: list[str | bytes] = []
        for index, key in enumerate(keys):
            if index < len(keys) - 1:
                criteria.append(b"OR")
            criteria += key
        return sorted(self._search(criteria, charset="UTF-8"))

    # -- one message (needs the folder selected) ---------------------------------

    def fetch_message_meta(self, uid: int) -> RawSummary | None:
        """Envelope, flags, size, dates and BODYSTRUCTURE of one message; None if it is gone."""
        return self.fetch_summaries([uid]).get(validate.uid(uid))

    def fetch_sections(self, uid: int, sections: Iterable[str], *, max_bytes: int) -> dict[str, bytes]:
        """`BODY.PEEK[section]<0.max_bytes>` of several parts in one round trip (never sets \\Seen)."""
        uid = validate.uid(uid)
        wanted = [validate.section(s) if s not in ("TEXT", "") else s for s in sections]
        if not wanted:
            return {}
        items = [f"BODY.PEEK[{s}]<0.{int(max_bytes)}>".encode() for s in wanted]
        raw = self._fetch([uid], items).get(uid, {})
        out: dict[str, bytes] = {}
        for key, value in raw.items():
            name = key.decode("ascii", "replace") if isinstance(key, bytes) else str(key)
            if name.startswith("BODY[") and isinstance(value, bytes | type(None)):
                section = name[5 : name.index("]")]
                out[section] = value or b""
        return out

    def fetch_index_heads(self, uids: Iterable[int], *, structure: bool = True) -> dict[int, IndexHead]:
        """For the full-text indexer, in one round trip: the header fields it indexes (Subject,
        From, To, Cc), INTERNALDATE and (with `structure`) BODYSTRUCTURE of these UIDs, read by
        `fetchparse` (imapclient parses a BODYSTRUCTURE character by character: milliseconds a
        message). The BODYSTRUCTURE comes as the nested tuples `mime.parse_bodystructure`
        reads. A UID the session does not know yet is asked once more after a NOOP."""
        wanted = validate.uids(uids)
        if not wanted:
            return {}
        items = b"(UID INTERNALDATE BODY.PEEK[HEADER.FIELDS (SUBJECT FROM TO CC)]" + (b" BODYSTRUCTURE)" if structure else b")")
        before = self.selected
        raw = self._fetch_fast([(uid_set_text(wanted), items)])
        missing = [u for u in wanted if u not in raw]
        if missing and before is not None and (self.selected is not before or self.sync_selected() is not before):
            raw.update(self._fetch_fast([(uid_set_text(missing), items)]))
        out: dict[int, IndexHead] = {}
        for uid, data in raw.items():
            header = next((v for k, v in data.items() if k.startswith(b"BODY[")), b"")
            out[uid] = IndexHead(
                uid=uid, header=header if isinstance(header, bytes) else b"",
                internaldate=_internaldate(data.get(b"INTERNALDATE")), bodystructure=data.get(b"BODYSTRUCTURE"),
            )
        return out

    def fetch_index_sections(self, wanted: dict[int, tuple[str, ...]], *, max_bytes: int) -> dict[int, dict[str, bytes]]:
        """The first `max_bytes` of some parts of each message (`{uid: (section, ...)}` →
        `{uid: {section: bytes}}`, `BODY.PEEK[section]<0.max_bytes>`, never sets \\Seen):
        one UID FETCH per distinct tuple of sections, all sent at once (pipelined) and then
        read, so a batch of messages shaped a few ways costs one round trip."""
        groups: dict[tuple[str, ...], list[int]] = {}
        for uid, sections in wanted.items():
            checked = tuple(s for s in sections if s == "TEXT" or validate.is_section(s))  # others left out, not refused
            if checked:
                groups.setdefault(checked, []).append(validate.uid(uid))
        n = max(1, int(max_bytes))
        commands = [
            (uid_set_text(uids), b"(UID " + b" ".join(f"BODY.PEEK[{s}]<0.{n}>".encode() for s in sections) + b")")
            for sections, uids in groups.items()
        ]
        out: dict[int, dict[str, bytes]] = {}
        for start in range(0, len(commands), 50):  # a bounded number of commands in flight
            for uid, data in self._fetch_fast(commands[start : start + 50]).items():
                parts = out.setdefault(uid, {})
                for key, value in data.items():
                    section = section_of(key)
                    if section is not None:
                        parts[section] = value if isinstance(value, bytes) else b""
        return out

    def _fetch_fast(self, commands: list[tuple[str, bytes]]) -> dict[int, dict[bytes, Any]]:
        """Send these `UID FETCH <set> <items>` commands at once, then read every answer with
        `fetchparse.parse_fetch_data`. A response line over imaplib's limit (a hostile
        BODYSTRUCTURE of thousands of parts) leaves the stream mid-line: the connection is
        dropped (the next command opens a fresh one) and ImapProtocolError raised."""

        def op(c: IMAPClient) -> list[Any]:
            imap = c._imap  # noqa: SLF001 - imapclient has no pipelining and its parser is slow here
            imap.untagged_responses.pop("FETCH", None)
            # imapclient sets imaplib's debug level to 5, so imaplib formats the repr() of every
            # line and literal it reads for a logger that is usually off: a third of the
            # client's time on these answers. Only while this reads, and only when off.
            debug = imap.debug
            if not _IMAPLIB_LOG.isEnabledFor(logging.DEBUG):
                imap.debug = 0
            try:
                tags = [imap._command("UID", "FETCH", uid_set, items) for uid_set, items in commands]  # noqa: SLF001
                failed = None
                for tag in tags:
                    typ, data = imap._command_complete("FETCH", tag)  # noqa: SLF001
                    if typ != "OK" and failed is None:
                        failed = data
            finally:
                imap.debug = debug
            fetched = imap.untagged_responses.pop("FETCH", [])
            if failed is not None:
                raise ImapProtocolError(f"UID FETCH failed: {failed!r}"[:300])
            return list(fetched)

        try:
            data = self._run(op)
        except ImapProtocolError as exc:
            if len(commands) > 1 or isinstance(exc, ImapResponseTooLarge):
                self._discard()  # answers may be left unread
            raise
        return parse_fetch_data(data)

    def fetch_partial(self, uid: int, section: str, offset: int, length: int) -> bytes | None:
        """`BODY.PEEK[section]<offset.length>`: one chunk of a part (or of the whole message
        when section is ""), None if the message is gone. Used to stream downloads."""
        uid = validate.uid(uid)
        if section not in ("", "TEXT"):
            section = validate.section(section)
        item = f"BODY.PEEK[{section}]<{int(offset)}.{int(length)}>".encode()
        raw = self._fetch([uid], [item]).get(uid)
        if raw is None:
            return None
        for key, value in raw.items():
            if (key.decode("ascii", "replace") if isinstance(key, bytes) else str(key)).startswith("BODY["):
                return value or b""
        return b""

    def decoded_size(self, uid: int, section: str) -> int | None:
        """The part's size after its transfer encoding is undone (BINARY.SIZE, RFC 3516),
        or None when the server has no BINARY. Lets downloads announce a Content-Length."""
        if not self.has_capability("BINARY"):
            return None
        uid, section = validate.uid(uid), validate.section(section)
        item = f"BINARY.SIZE[{section}]".encode()
        # No retry: Dovecot drops the connection on base64 cut off mid-quantum, and would again.
        raw = self._fetch([uid], [item], retry=False).get(uid, {})
        value = raw.get(item)
        return int(value) if isinstance(value, int) else None

    def fetch_sizes(self, uids: Iterable[int]) -> dict[int, int]:
        """RFC822.SIZE of these UIDs (those still there): what plans an export's batches."""
        wanted = validate.uids(uids)
        out: dict[int, int] = {}
        for start in range(0, len(wanted), 5000):
            raw = self._fetch(wanted[start : start + 5000], [b"RFC822.SIZE"])
            out.update({int(uid): int(data.get(b"RFC822.SIZE", 0) or 0) for uid, data in raw.items()})
        return out

    def fetch_messages(self, uids: Iterable[int]) -> dict[int, RawMessage]:
        """`BODY.PEEK[]` (never sets \\Seen), FLAGS and INTERNALDATE of these UIDs in one round
        trip: the caller bounds the batch by the messages' sizes (`fetch_sizes`)."""
        wanted = validate.uids(uids)
        if not wanted:
            return {}
        raw = self._fetch(wanted, [b"BODY.PEEK[]", b"FLAGS", b"INTERNALDATE"])
        out: dict[int, RawMessage] = {}
        for uid, data in raw.items():
            body = next((v for k, v in data.items() if bytes(k).startswith(b"BODY[")), None)
            if not isinstance(body, bytes):
                continue
            out[int(uid)] = RawMessage(
                uid=int(uid), flags=frozenset(_text_of(f) for f in data.get(b"FLAGS", ())), internaldate=data.get(b"INTERNALDATE"), body=body,
            )
        return out

    def fetch_header(self, uid: int) -> bytes | None:
        uid = validate.uid(uid)
        raw = self._fetch([uid], [b"BODY.PEEK[HEADER]"]).get(uid)
        if raw is None:
            return None
        return next((v for k, v in raw.items() if bytes(k).startswith(b"BODY[")), b"") or b""

    def fetch_header_fields(self, uids: Iterable[int], fields: Iterable[str]) -> dict[int, bytes]:
        """`BODY.PEEK[HEADER.FIELDS (...)]` of these UIDs (those still there), in chunks: a few
        header fields of many messages in one round trip each, never the whole header."""
        wanted = validate.uids(uids)
        names = " ".join(_header_name(f) for f in fields)
        if not wanted or not names:
            return {}
        item = f"BODY.PEEK[HEADER.FIELDS ({names})]".encode()
        out: dict[int, bytes] = {}
        for start in range(0, len(wanted), 5000):
            for uid, data in self._fetch(wanted[start : start + 5000], [item]).items():
                out[int(uid)] = bytes(next((v for k, v in data.items() if bytes(k).startswith(b"BODY[")), b"") or b"")
        return out

    def uids_with_header(self, field: str, value: str, *, since: date | None = None) -> list[int]:
        """UIDs of the selected folder's messages whose header `field` contains `value` (UID
        SEARCH HEADER), only among those that arrived on or after `since` when given (the
        server narrows by its index first: cheap on a big folder)."""
        criteria: list[object] = [b"SINCE", since] if since is not None else []
        criteria += [b"HEADER", _header_name(field).encode(), validate.search_text(value)]
        return sorted(self._search(criteria, charset="UTF-8"))

    def uids_since(self, day: date) -> list[int]:
        """UIDs of the selected folder's messages that arrived on or after `day` (UID SEARCH
        SINCE: the server's index of arrival dates, no mail read)."""
        return sorted(int(u) for u in self._run(lambda c: c.search([b"SINCE", day])))

    def header_search_blind(self) -> bool:
        """Does this server's `SEARCH HEADER` miss header fields its messages have? A Dovecot
        with fts-xapian answers header searches from its full-text index, which holds only the
        address fields, Subject and Message-ID: References, In-Reply-To, Date, Content-Type or a
        header of ours are never found there. Checked once per process and server, on the
        selected folder's newest message: `UID SEARCH UID <it> HEADER Date <its Date>` must find
        it (the newest of its last 20 with a Date fit to search). Unknown (none): False, checked
        again next time."""
        key = f"{self.endpoint.host}:{self.endpoint.port}"
        if key in _HEADER_SEARCH_BLIND:
            return _HEADER_SEARCH_BLIND[key]
        selected = self.selected
        if selected is None or not selected.exists:
            return False
        dates = self.fetch_header_fields(self.uids_from(max(1, selected.uidnext - 20)), ["Date"])
        usable = [
            (uid, value)
            for uid, raw in sorted(dates.items(), reverse=True)
            if _PROBE_VALUE.fullmatch(value := raw.decode("ascii", "replace").partition(":")[2].strip())
            and '"' not in value and "\\" not in value
        ]
        if not usable:
            return False
        uid, value = usable[0]
        criteria = [b"UID", str(uid).encode(), b"HEADER", b"Date", validate.search_text(value)]
        blind = uid not in {int(u) for u in self._run(lambda c: c.search(criteria, charset="UTF-8"))}
        if blind:
            log.info("%s: SEARCH HEADER misses header fields its messages have; reading them instead where it matters", key)
        _HEADER_SEARCH_BLIND[key] = blind
        return blind

    # -- changing messages (need the folder selected read-write) --------------------

    def present_uids(self, uids: UidSet) -> list[int]:
        """Which of these UIDs are in the selected folder now, as the server says (UID SEARCH).

        Only mail the session has been told about counts: call `sync_selected` first.
        """
        return self._search_within(uids, [])

    def uids_with_flag(self, uids: UidSet, flag: str, *, present: bool = True) -> list[int]:
        """Which of these UIDs have (`present`) or lack the flag now: the server's own word
        after a STORE (Dovecot sends no FETCH for a message whose flags did not change)."""
        return self._search_within(uids, flag_search_keys(validate.flag(flag), present=present))

    def _search_within(self, uids: UidSet, keys: list[bytes]) -> list[int]:
        found: set[int] = set()
        for chunk in _uid_chunks(_uid_arg(uids)):
            criteria = [b"UID", chunk.encode(), *keys]
            found.update(self._search(criteria))
        return sorted(found)

    def add_flags(self, uids: UidSet, flags: Iterable[str]) -> None:
        """STORE +FLAGS: idempotent, so safe to retry. Needs the folder selected read-write."""
        self._store(uids, flags, add=True)

    def remove_flags(self, uids: UidSet, flags: Iterable[str]) -> None:
        """STORE -FLAGS: idempotent."""
        self._store(uids, flags, add=False)

    def _store(self, uids: UidSet, flags: Iterable[str], *, add: bool) -> None:
        names = [validate.flag(f) for f in flags]
        chunks = _uid_chunks(_uid_arg(uids))
        if not chunks or not names:
            return
        self._changed()
        for chunk in chunks:
            if add:
                self._run(lambda c: c.add_flags(chunk, names, silent=True))  # noqa: B023 - _run calls it at once
            else:
                self._run(lambda c: c.remove_flags(chunk, names, silent=True))  # noqa: B023 - _run calls it at once

    def search_uids(self, criteria: list[str | bytes | int]) -> list[int]:
        """UID SEARCH with imapclient's criteria list; text arguments are validated."""
        checked = [validate.search_text(c) if isinstance(c, str) else c for c in criteria]
        return self._search(checked, charset="UTF-8")

    def _search(self, criteria: list[Any], *, charset: str | None = None) -> list[int]:
        """UID SEARCH with imapclient's criteria (quoted, 8-bit text sent as literals), ascending.
        With ESEARCH `RETURN (ALL)`: `UID 1:200000` of a whole folder (a select-all action's
        check of what is there) answers `1:200000`, not 200,000 numbers; without, every match
        on one line, which may be as long as the folder needs (`_folder_sized`)."""
        with self._folder_sized(_UID_LIST_BYTES):
            if self.has_capability("ESEARCH"):
                head = [b"RETURN", b"(ALL)", *([b"CHARSET", charset.encode("ascii")] if charset else [])]
                args = head + _normalise_search_criteria(criteria, charset)
                return sorted(self._run(lambda c: _returned_all(c, b"SEARCH", args)))
            return [int(u) for u in self._run(lambda c: c.search(criteria, charset=charset))]

    def copy(self, uids: UidSet, target: str) -> dict[int, int]:
        """UID COPY; returns old UID → new UID from COPYUID (UIDPLUS), empty without it.
        Not retried automatically: a retry after a lost answer could copy twice."""
        wanted = _uid_arg(uids)
        target = validate.folder_name(target)
        if not wanted:
            return {}

        self._changed()

        mapping: dict[int, int] = {}
        for chunk in _uid_chunks(wanted):
            def op(c: IMAPClient, chunk: str = chunk) -> dict[int, int]:
                _pop_copyuid(c)
                c.copy(chunk, target)
                return _pop_copyuid(c)

            mapping.update(self._run(op, retry=False))
        return mapping

    def move(self, uids: UidSet, target: str) -> dict[int, int]:
        """MOVE (RFC 6851) when advertised, else COPY + \\Deleted + UID EXPUNGE of exactly
        these UIDs (never a plain EXPUNGE: it would remove other \\Deleted messages).
        Returns old UID → new UID when the server tells (COPYUID)."""
        wanted = _uid_arg(uids)
        target = validate.folder_name(target)
        if not wanted:
            return {}
        self._changed()
        if self.has_capability("MOVE"):
            moved: dict[int, int] = {}
            for chunk in _uid_chunks(wanted):
                def op(c: IMAPClient, chunk: str = chunk) -> dict[int, int]:
                    _pop_copyuid(c)  # drop a stale code
                    c.move(chunk, target)
                    return _pop_copyuid(c)

                moved.update(self._run(op, retry=False))
            return moved
        mapping = self.copy(wanted, target)
        self.delete_permanently(wanted)
        return mapping

    def delete_permanently(self, uids: UidSet) -> None:
        """\\Deleted then UID EXPUNGE of exactly these UIDs (UIDPLUS). Without UIDPLUS, other
        \\Deleted messages are unmarked first and marked again after, so they survive."""
        wanted = _uid_arg(uids)
        if not wanted:
            return
        self._changed()
        if self.has_capability("UIDPLUS"):
            for chunk in _uid_chunks(wanted):
                self._run(lambda c: c.add_flags(chunk, [b"\\Deleted"], silent=True))  # noqa: B023 - _run calls it at once
                self._run(lambda c: c.uid_expunge(chunk), retry=False)  # noqa: B023 - _run calls it at once
            return
        def op(c: IMAPClient) -> None:
            targets = set(c.search([b"UID", wanted])) if isinstance(wanted, str) else set(wanted)
            others = [u for u in c.search([b"DELETED"]) if u not in targets]
            if others:
                c.remove_flags(others, [b"\\Deleted"], silent=True)
            c.add_flags(wanted, [b"\\Deleted"], silent=True)
            try:
                c.expunge()
            finally:
                if others:
                    c.add_flags(others, [b"\\Deleted"], silent=True)
        with self._folder_sized(_UID_LIST_BYTES):  # its SEARCHes may name the whole folder
            self._run(op, retry=False)

    def append(self, folder: str, message: bytes, *, flags: Iterable[str] = (), when: object = None) -> int | None:
        """APPEND; returns the new UID from APPENDUID (UIDPLUS) or None."""
        folder = validate.folder_name(folder)
        names = [validate.flag(f) for f in flags]
        self._changed()
        try:
            response = self._run(lambda c: c.append(folder, message, flags=names, msg_time=when), retry=False)
        except ImapProtocolError as exc:
            if "TRYCREATE" in str(exc).upper():
                raise MailboxNotFound(folder) from exc  # RFC 3501: create it, then try again
            raise
        match = re.search(rb"APPENDUID \d+ (\d+)", response if isinstance(response, bytes) else str(response).encode())
        return int(match.group(1)) if match else None

    def create_folder(self, name: str) -> None:
        name = validate.folder_name(name)
        self._changed()
        self._run(lambda c: c.create_folder(name), retry=False)

    def rename_folder(self, old: str, new: str) -> None:
        old, new = validate.folder_name(old), validate.folder_name(new)
        self._changed()
        if self.selected is not None and self.selected.name == old:
            self.selected = None
        self._run(lambda c: c.rename_folder(old, new), retry=False)

    def subscribe_folder(self, name: str, *, subscribed: bool = True) -> None:
        name = validate.folder_name(name)
        self._changed()
        self._run(lambda c: c.subscribe_folder(name) if subscribed else c.unsubscribe_folder(name))

    def hierarchy_delimiter(self) -> str:
        folders = self.list_folders(with_status=False)
        return next((f.delimiter for f in folders if f.delimiter), "/")

    def personal_namespace(self) -> Namespace:
        """The first personal namespace (NAMESPACE, RFC 2342), asked once per connection;
        without NAMESPACE: no prefix and INBOX's delimiter."""
        if self._namespace is None:
            found: Namespace | None = None
            if self.has_capability("NAMESPACE"):
                answer = self._run(lambda c: c.namespace())
                personal = answer.personal or ()
                if personal:
                    prefix, separator = personal[0]
                    found = Namespace(_decode_name(prefix) if prefix else "", _text_of(separator) if separator else "")
            if found is None or not found.separator:
                found = Namespace(found.prefix if found else "", self.hierarchy_delimiter())
            self._namespace = found
        return self._namespace

    def quota_root(self, folder: str = "INBOX") -> list[QuotaResource] | None:
        """GETQUOTAROOT: the quota limits that apply to `folder` (RFC 9208); None when the
        server does not advertise QUOTA."""
        if not self.has_capability("QUOTA"):
            return None
        name = validate.folder_name(folder)
        # imapclient sends this argument as it is given: encoded and quoted as select_folder does.
        _roots, quotas = self._run(lambda c: c.get_quota_root(c._normalise_folder(name)))  # noqa: SLF001
        return [
            QuotaResource(root=str(q.quota_root), resource=str(q.resource).upper(), usage=int(q.usage), limit=int(q.limit))
            for q in quotas
        ]

    def delete_folder(self, name: str) -> None:
        name = validate.folder_name(name)
        self._changed()
        if self.selected is not None and self.selected.name == name:
            self.selected = None
        self._run(lambda c: c.delete_folder(name), retry=False)


def _decode_name(raw: Any) -> str:
    if isinstance(raw, int):
        return str(raw)
    if isinstance(raw, bytes):
        name: str = decode_utf7(raw)
        return name
    return str(raw)


def _list_plain(client: IMAPClient) -> list[RawFolder]:
    """LIST "" "*" and LSUB "" "*" (RFC 3501), for servers without LIST-EXTENDED: the
    subscribed ones get the `\\subscribed` attribute LIST-EXTENDED would have given."""
    subscribed = {_decode_name(name) for _flags, _delimiter, name in client.list_sub_folders()}
    folders = []
    for flags, delimiter, raw_name in client.list_folders():
        name = _decode_name(raw_name)
        attributes = {(f.decode("ascii", "replace") if isinstance(f, bytes) else str(f)).lower() for f in flags}
        if name in subscribed:
            attributes.add("\\subscribed")
        folders.append(
            RawFolder(
                name=name,
                delimiter=delimiter.decode("ascii", "replace") if isinstance(delimiter, bytes) else delimiter,
                attributes=frozenset(attributes),
            )
        )
    return folders


def _list_extended(client: IMAPClient, *, with_status: bool, special_use: bool = True) -> list[RawFolder]:
    """LIST "" "*" RETURN (SUBSCRIBED [SPECIAL-USE] [STATUS (MESSAGES UNSEEN)]).

    imapclient has no LIST-EXTENDED call, so this speaks to its imaplib object
    directly, still using imapclient's response parser. SPECIAL-USE and STATUS only
    when the server advertises them (the caller checks).
    """
    imap = client._imap  # noqa: SLF001 - the one place that needs the raw command
    options = ["SUBSCRIBED", *(["SPECIAL-USE"] if special_use else []), *(["STATUS (MESSAGES UNSEEN)"] if with_status else [])]
    returns = "(" + " ".join(options) + ")"
    typ, data = imap._simple_command("LIST", '""', '"*"', "RETURN", returns)  # noqa: SLF001
    if typ != "OK":
        raise ImapProtocolError("LIST failed")
    _, list_data = imap._untagged_response(typ, data, "LIST")  # noqa: SLF001
    status_data = imap.untagged_responses.pop("STATUS", [])
    counts: dict[str, tuple[int | None, int | None]] = {}
    for item in status_data:
        if item in (None, b""):
            continue
        parsed = parse_response([item])
        name, values = _decode_name(parsed[0]), dict(zip(parsed[1][::2], parsed[1][1::2], strict=False))
        counts[name] = (values.get(b"MESSAGES"), values.get(b"UNSEEN"))
    folders: list[RawFolder] = []
    items = [i for i in list_data if i not in (None, b"")]
    parsed_list = parse_response(items)
    for index in range(0, len(parsed_list) - 2, 3):
        flags, delimiter, raw_name = parsed_list[index : index + 3]
        name = _decode_name(raw_name)
        attributes = frozenset(
            (f.decode("ascii", "replace") if isinstance(f, bytes) else str(f)).lower() for f in flags
        )
        messages, unseen = counts.get(name, (None, None))
        folders.append(
            RawFolder(
                name=name,
                delimiter=delimiter.decode("ascii", "replace") if isinstance(delimiter, bytes) else delimiter,
                attributes=attributes,
                messages=messages,
                unseen=unseen,
            )
        )
    return folders


def _returned_all(client: IMAPClient, command: bytes, args: list[bytes]) -> list[int]:
    """`UID SEARCH|SORT RETURN (ALL) ...`'s UIDs in the answer's order: from its ESEARCH
    sequence set, or from a plain SEARCH/SORT line where a server that advertises the extension
    answers the old way after all (never taken for "nothing matched"); none when nothing did."""
    imap = client._imap  # noqa: SLF001 - both answers' untagged lines are needed
    name = command.decode()
    typ, data = client._raw_command(command, args)  # noqa: SLF001
    _typ, plain = imap._untagged_response(typ, data, name)  # noqa: SLF001
    typ, data = imap._untagged_response(typ, data, "ESEARCH")  # noqa: SLF001
    client._checkok(name.lower(), typ, data)  # noqa: SLF001
    if any(item not in (None, b"") for item in data):
        return esearch_all(data)
    return [int(u) for item in plain if isinstance(item, bytes) for u in item.split()]


def _pop_copyuid(client: IMAPClient) -> dict[int, int]:
    """Old UID → new UID from the last `[COPYUID validity old-set new-set]` response code.

    imaplib files response codes (tagged, or untagged as MOVE sends them) under their name.
    """
    found = client._imap.untagged_responses.pop("COPYUID", [])  # noqa: SLF001
    if not found or not found[-1]:
        return {}
    text = found[-1].decode("ascii", "replace") if isinstance(found[-1], bytes) else str(found[-1])
    parts = text.split()
    if len(parts) != 3:
        return {}
    old, new = parse_sequence_list(parts[1]), parse_sequence_list(parts[2])
    return dict(zip(old, new, strict=True)) if len(old) == len(new) else {}


def _text_of(value: object) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _header_addresses(items: Iterable[HeaderAddress]) -> tuple[RawAddress, ...]:
    return tuple(RawAddress(name=a.name, mailbox=a.mailbox, host=a.host) for a in items)


def _addresses(items: Iterable[Any] | None) -> tuple[RawAddress, ...]:
    out = []
    for item in items or ():
        mailbox, host = getattr(item, "mailbox", None), getattr(item, "host", None)
        if mailbox is None or host is None:
            continue  # group syntax markers
        out.append(RawAddress(name=getattr(item, "name", None), mailbox=_text_of(mailbox), host=_text_of(host)))
    return tuple(out)


# Messages whose row answer was too large to read (`ImapConnection._fetch_rows`): by scope
# (server, user, folder, UIDVALIDITY), UID → the FETCH items not to ask of it (BODYSTRUCTURE,
# ENVELOPE). Bounded: the least recently used scopes go first.
_OVERSIZED: OrderedDict[str, dict[int, frozenset[bytes]]] = OrderedDict()
_OVERSIZED_LOCK = threading.Lock()
_OVERSIZED_SCOPES = 512
_OVERSIZED_PER_SCOPE = 1000


def _oversized_known(scope: str) -> dict[int, frozenset[bytes]]:
    with _OVERSIZED_LOCK:
        found = _OVERSIZED.get(scope)
        if found is None:
            return {}
        _OVERSIZED.move_to_end(scope)
        return dict(found)


def _oversized_remember(scope: str, uid: int, dropped: frozenset[bytes]) -> None:
    with _OVERSIZED_LOCK:
        found = _OVERSIZED.setdefault(scope, {})
        _OVERSIZED.move_to_end(scope)
        if uid in found or len(found) < _OVERSIZED_PER_SCOPE:
            found[uid] = found.get(uid, frozenset()) | dropped
        while len(_OVERSIZED) > _OVERSIZED_SCOPES:
            _OVERSIZED.popitem(last=False)


def forget_oversized() -> None:
    """For tests: no message is known to have an answer too large to read."""
    with _OVERSIZED_LOCK:
        _OVERSIZED.clear()


def _row_steps(items: list[bytes]) -> list[list[bytes]]:
    """The items of a row FETCH, step by step for a message whose answer is too large: as
    asked; without BODYSTRUCTURE; with ENVELOPE swapped for its header fields (which come as
    a literal, never a long line) and BODYSTRUCTURE kept; only what is small whatever the
    message holds (flags, size, arrival, those header fields)."""
    lean = [i for i in items if i != b"BODYSTRUCTURE"]
    steps = [items, lean]
    if b"ENVELOPE" in items:
        steps.append([i for i in items if i != b"ENVELOPE"] + [_SUMMARY_FIELDS])
    steps.append(_ROW_SMALL_ITEMS)
    return [step for index, step in enumerate(steps) if index == 0 or step != steps[index - 1]]


def _summary_of_fields(uid: int, data: dict[bytes, Any], names: list[str], *, oversized: bool) -> RawSummary | None:
    """A row's summary from its `HEADER.FIELDS` answer (`fetch_list_rows`), Cc and Reply-To
    too when among `names`; None when the fields did not come back or an address does not parse."""
    block = next((v for k, v in data.items() if bytes(k).upper().startswith(b"BODY[HEADER.FIELDS")), None)
    parsed = row_headers(block, fields=names) if isinstance(block, bytes) else None
    if parsed is None or not isinstance(block, bytes):
        return None
    more: dict[str, tuple[RawAddress, ...]] = {}
    if "cc" in names or "reply-to" in names:
        found = header_fields(block)
        try:
            more = {name: _header_addresses(parse_addresses(found[name])) for name in ("cc", "reply-to") if name in names and name in found}
        except Exception:  # noqa: BLE001 - the stdlib parser's failures are not one type (as row_headers)
            more = {}
    return RawSummary(
        uid=uid,
        flags=frozenset(_text_of(f) for f in data.get(b"FLAGS", ())),
        subject=parsed.subject,
        sender=_header_addresses(parsed.from_ or parsed.sender),
        to=_header_addresses(parsed.to),
        cc=more.get("cc", ()),
        reply_to=more.get("reply-to", ()),
        date_header=parsed.date,
        internaldate=data.get(b"INTERNALDATE"),
        size=int(data.get(b"RFC822.SIZE", 0) or 0),
        bodystructure=data.get(b"BODYSTRUCTURE"),
        preview=data.get(b"PREVIEW"),
        oversized=oversized,
    )


def _bare_summary(uid: int, data: dict[bytes, Any], *, oversized: bool) -> RawSummary:
    """Flags, size, arrival (and structure, if it came) only: all that could be read of a message."""
    return RawSummary(
        uid=uid, flags=frozenset(_text_of(f) for f in data.get(b"FLAGS", ())), subject=None, sender=(), to=(), cc=(), reply_to=(),
        date_header=None, internaldate=data.get(b"INTERNALDATE"), size=int(data.get(b"RFC822.SIZE", 0) or 0),
        bodystructure=data.get(b"BODYSTRUCTURE"), oversized=oversized,
    )


SUMMARY_ITEMS = [b"UID", b"FLAGS", b"ENVELOPE", b"RFC822.SIZE", b"INTERNALDATE", b"BODYSTRUCTURE"]
# The header fields threading reads (`fetch_thread_headers`; `fetch_summaries(thread_headers=True)`).
THREAD_HEADER_ITEM = b"BODY.PEEK[HEADER.FIELDS (MESSAGE-ID IN-REPLY-TO REFERENCES SUBJECT DATE)]"


def _item_answer(data: dict[bytes, Any], item: bytes) -> bytes | None:
    """The answer to one `BODY.PEEK[...]` item of a FETCH (the server names it without .PEEK), or None."""
    name = item.upper().replace(b".PEEK", b"")
    raw = next((v for k, v in data.items() if bytes(k).upper() == name), None)
    return bytes(raw) if isinstance(raw, bytes | bytearray) else None


def _is_summary_fields(key: object) -> bool:
    """Is this FETCH answer key the header fields that stand in for an ENVELOPE too large to read?"""
    return isinstance(key, bytes | bytearray) and bytes(key).upper() == _SUMMARY_FIELDS.upper().replace(b".PEEK", b"")


def _header_fields_block(data: dict[bytes, Any]) -> bytes:
    """The one `BODY[...]` item of a FETCH answer as bytes (empty when missing)."""
    raw = next((v for k, v in data.items() if bytes(k).startswith(b"BODY[")), b"") or b""
    return bytes(raw)


# A list row (`fetch_list_rows`): SUMMARY_ITEMS with only the header fields a row shows
# instead of ENVELOPE, and To only where the row shows the recipient.
LIST_ITEMS = [b"UID", b"FLAGS", b"RFC822.SIZE", b"INTERNALDATE", b"BODYSTRUCTURE"]
LIST_HEADER_FIELDS: tuple[bytes, ...] = (b"FROM", b"SENDER", b"SUBJECT")


def list_fetch_items(*, recipients: bool = False) -> list[bytes]:
    """The items of a list page's FETCH (`fetch_list_rows`; the bench asks the same)."""
    fields = LIST_HEADER_FIELDS + ((b"TO",) if recipients else ())
    return [*LIST_ITEMS, b"BODY.PEEK[HEADER.FIELDS (" + b" ".join(fields) + b")]"]


# The last step of `_row_steps`: what is small whatever a message holds.
# ENVELOPE's fields from the header, for a message whose ENVELOPE is too large to read.
_SUMMARY_FIELD_NAMES = ["from", "sender", "subject", "to", "cc", "reply-to", "date"]
_SUMMARY_FIELDS = b"BODY.PEEK[HEADER.FIELDS (" + " ".join(_SUMMARY_FIELD_NAMES).upper().encode() + b")]"
_ROW_SMALL_ITEMS = [b"UID", b"FLAGS", b"RFC822.SIZE", b"INTERNALDATE", _SUMMARY_FIELDS]
