"""Waiting for mailbox changes on many IMAP connections in one thread (the watcher's door).

`WatchHub` holds one connection per watched key (a person) and turns what the server pushes
into "these folders changed". All connections are multiplexed in one thread with `selectors`;
a pool of threads only runs the blocking connect + TLS + LOGIN (the same `login()` the
pool's connections use): `connect_workers` of them, so at most that many connections are being
opened at once, whoever asked (a replica taking over a dead one's people logs them in that many
at a time: LOGIN mostly waits for the server, so more threads mean shorter waits, and the bound
keeps a server's login processes and per-IP limits safe). After LOGIN the socket is taken over, made non-blocking, and spoken
to directly: the server has sent nothing since the tagged OK, so nothing is left in imaplib's
read buffer.

How a connection waits, best first, by what the server advertises:

- **notify** (RFC 5465): `NOTIFY SET (selected (MessageNew (UID FLAGS) MessageExpunge FlagChange))
  (personal (MessageNew MessageExpunge FlagChange))` with INBOX examined, then IDLE. A change to
  another folder arrives as `* STATUS "name" (...)`, one to INBOX as EXISTS/EXPUNGE/FETCH/VANISHED.
- **idle**: IDLE on INBOX; the other folders are swept with `STATUS (HIGHESTMODSEQ MESSAGES
  UIDNEXT UNSEEN)` every `sweep_seconds` (HIGHESTMODSEQ only with CONDSTORE) and compared.
- **poll**: no IDLE: every `poll_seconds` a STATUS sweep of all folders.

IDLE is ended and restarted at least every `reidle_seconds` (servers drop IDLE after 30 min)
and after `keepalive_seconds` of silence (Dovecot says "* OK Still here" every 2 min, so
silence means a dead server or path); a command not answered within `response_timeout` ends
the connection. Ended connections are reported (`on_state(key, "down", reason)`) and forgotten:
reconnecting, with backoff, is the caller's business.

Callbacks run on the hub's thread: keep them short (hand the work to another thread).
"""
from __future__ import annotations

import heapq
import itertools
import logging
import re
import selectors
import socket
import ssl
import threading
import time
from collections import deque
from collections.abc import Callable, Generator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from imapclient.imap_utf7 import decode as decode_utf7
from imapclient.imap_utf7 import encode as encode_utf7
from imapclient.response_parser import parse_response

from .connection import Credentials, ServerEndpoint, _close_quietly, login
from .errors import ImapError

log = logging.getLogger(__name__)

NOTIFY_SET = (
    b"NOTIFY SET (selected (MessageNew (UID FLAGS) MessageExpunge FlagChange))"
    b" (personal (MessageNew MessageExpunge FlagChange))"
)
INBOX = "INBOX"
# Untagged responses that report a change to the selected folder.
_SELECTED_CHANGES = frozenset({b"EXISTS", b"EXPUNGE", b"FETCH", b"VANISHED"})
_LITERAL = re.compile(rb"\{(\d+)\+?\}$")
_MAX_LINE = 1 << 20  # a response line (with literals) longer than this ends the connection

OnChanges = Callable[[str, frozenset[str]], None]
OnState = Callable[[str, str, "WatchInfo"], None]


@dataclass
class WatchInfo:
    """What a connection knows about itself (read by the caller for stats)."""

    mode: str = ""  # "notify" | "idle" | "poll" once up
    folders: tuple[str, ...] = ()  # every folder, from LIST at connect
    reason: str = ""  # why it went down
    connected_at: float = 0.0
    last_change: float = 0.0  # wall clock of the last change the server reported
    changes: int = 0
    idles: int = 0  # IDLE commands sent (each re-IDLE counts)


@dataclass(frozen=True)
class _Command:
    text: bytes


@dataclass(frozen=True)
class _Idle:
    until: float  # monotonic


@dataclass(frozen=True)
class _Result:
    ok: bool
    text: str
    untagged: list[tuple[Any, ...]]


@dataclass
class _Watch:
    key: str
    endpoint: ServerEndpoint
    credentials: Credentials = field(repr=False)
    info: WatchInfo = field(default_factory=WatchInfo)
    sock: socket.socket | None = None
    keep: Any = None  # imaplib's file object over the socket: closed with it
    capabilities: frozenset[str] = frozenset()
    inbuf: bytearray = field(default_factory=bytearray)
    outbuf: bytearray = field(default_factory=bytearray)
    tags: Any = field(default_factory=lambda: itertools.count(1))
    session: Generator[Any, Any, None] | None = None
    pending_tag: bytes = b""  # the tag of the command in flight
    collected: list[tuple[Any, ...]] = field(default_factory=list)
    idling: bool = False
    idle_until: float = 0.0
    done_sent: bool = False
    deadline: float = 0.0  # monotonic: the answer in flight must come by then (0: none)
    timer_gen: int = 0
    last_heard: float = 0.0
    up: bool = False
    cancelled: bool = False
    closed: bool = False


class WatchHub:
    """Many waiting IMAP connections, one thread. `watch`/`unwatch` are thread-safe."""

    def __init__(
        self,
        *,
        on_changes: OnChanges,
        on_state: OnState,
        connect_workers: int = 16,
        reidle_seconds: float = 600.0,
        keepalive_seconds: float = 300.0,
        sweep_seconds: float = 60.0,
        poll_seconds: float = 120.0,
        response_timeout: float = 30.0,
        ignore_capabilities: frozenset[str] = frozenset(),
    ) -> None:
        self._on_changes = on_changes
        # Capabilities to act as if the server lacked (a server whose NOTIFY misbehaves; tests).
        self.ignore_capabilities = frozenset(c.upper() for c in ignore_capabilities)
        self._on_state = on_state
        self.reidle_seconds = reidle_seconds
        self.keepalive_seconds = keepalive_seconds
        self.sweep_seconds = sweep_seconds
        self.poll_seconds = poll_seconds
        self.response_timeout = response_timeout
        self._selector = selectors.DefaultSelector()
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        self._selector.register(self._wake_r, selectors.EVENT_READ, None)
        self._inbox: deque[tuple[str, Any]] = deque()
        self._watches: dict[str, _Watch] = {}
        self._timers: list[tuple[float, int, int, _Watch]] = []
        self._seq = itertools.count()
        self.connect_workers = connect_workers
        self._connectors = ThreadPoolExecutor(max_workers=connect_workers, thread_name_prefix="watch-connect")
        # Connects (connect + TLS + LOGIN) running now, and the most seen at once (for stats).
        self._connecting_lock = threading.Lock()
        self.connecting = 0
        self.connecting_peak = 0
        self._thread: threading.Thread | None = None
        self._stopping = False

    # -- public, any thread ----------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="watch-hub", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._post("stop", None)
        if self._thread is not None:
            self._thread.join(timeout=10)
        # Logins still in flight (a replica stopped while taking people over) end here, and the
        # connections they opened after the loop ended are logged out, not left open.
        self._connectors.shutdown(wait=True, cancel_futures=True)
        while self._inbox:
            what, arg = self._inbox.popleft()
            if what == "connected":
                arg.closed = False  # closed (cancelled) before its socket existed: close the socket now
                self._close(arg, logout=True)

    def watch(self, key: str, endpoint: ServerEndpoint, credentials: Credentials) -> None:
        """Open a connection for `key` and wait for changes on it (replaces an existing one)."""
        self._post("watch", _Watch(key=key, endpoint=endpoint, credentials=credentials))

    def unwatch(self, key: str) -> None:
        """Log out and forget `key`'s connection; no callback follows."""
        self._post("unwatch", key)

    def count(self) -> int:
        return len(self._watches)

    def reset_connecting_peak(self) -> int:
        """Start counting the most connects at once afresh (from those running now); returns the old peak."""
        with self._connecting_lock:
            old, self.connecting_peak = self.connecting_peak, self.connecting
        return old

    # -- the loop ----------------------------------------------------------------

    def _post(self, what: str, arg: Any) -> None:
        self._inbox.append((what, arg))
        try:
            self._wake_w.send(b"\0")
        except (BlockingIOError, OSError):
            pass  # the pipe is full: the loop is awake anyway

    def _run(self) -> None:
        while not self._stopping:
            try:
                self._turn()
            except Exception:  # a bug must not silently stop every connection of the process
                log.exception("watch hub: unexpected error")
        for left in list(self._watches.values()):
            self._close(left, logout=True)
        self._watches.clear()

    def _turn(self) -> None:
        timeout = None
        if self._timers:
            timeout = max(0.0, self._timers[0][0] - time.monotonic())
        try:
            ready = self._selector.select(timeout)
        except OSError as exc:  # pragma: no cover - a closed fd raced the select
            log.warning("watch hub select failed: %s", exc)
            ready = []
        for key, events in ready:
            watch: _Watch | None = key.data
            if watch is None:
                self._drain_wakeups()
                continue
            try:
                if events & selectors.EVENT_WRITE:
                    self._flush(watch)
                if events & selectors.EVENT_READ and not watch.closed:
                    self._read(watch)
            except Exception as exc:  # noqa: BLE001 - one broken connection must not stop the others
                self._down(watch, _reason(exc))
        self._run_timers()

    def _drain_wakeups(self) -> None:
        try:
            while self._wake_r.recv(4096):
                pass
        except (BlockingIOError, OSError):
            pass
        while self._inbox:
            what, arg = self._inbox.popleft()
            if what == "stop":
                self._stopping = True
            elif what == "watch":
                old = self._watches.pop(arg.key, None)
                if old is not None:
                    self._close(old, logout=True)
                self._watches[arg.key] = arg
                self._connectors.submit(self._connect, arg)
            elif what == "unwatch":
                old = self._watches.pop(arg, None)
                if old is not None:
                    self._close(old, logout=True)
            elif what == "connected":
                self._attach(arg)
            elif what == "failed":
                failed: _Watch = arg[0]
                reason: str = arg[1]
                current = self._watches.get(failed.key)
                if not failed.cancelled and current is not None and current is failed:
                    self._down(failed, reason)

    # -- connecting (pool threads) -----------------------------------------------

    def _connect(self, watch: _Watch) -> None:
        if watch.cancelled:
            return
        with self._connecting_lock:
            self.connecting += 1
            self.connecting_peak = max(self.connecting_peak, self.connecting)
        try:
            client = login(watch.endpoint, watch.credentials)
        except ImapError as exc:
            self._post("failed", (watch, f"{type(exc).__name__}: {exc}"))
            return
        finally:
            with self._connecting_lock:
                self.connecting -= 1
        try:
            watch.capabilities = frozenset(
                (c.decode("ascii", "replace") if isinstance(c, bytes) else str(c)).upper() for c in client.capabilities()
            ) - self.ignore_capabilities
            sock = client.socket()
            watch.keep = client._imap.file  # noqa: SLF001 - closed with the socket
        except Exception as exc:  # noqa: BLE001 - the connection broke right after login
            _close_quietly(client)
            self._post("failed", (watch, f"{type(exc).__name__}"))
            return
        watch.sock = sock
        self._post("connected", watch)

    # -- the session of one connection ---------------------------------------------

    def _attach(self, watch: _Watch) -> None:
        assert watch.sock is not None
        if watch.cancelled or self._watches.get(watch.key) is not watch:
            watch.closed = False  # closed before its socket existed: close the socket now
            self._close(watch, logout=True)
            return
        try:
            watch.sock.setblocking(False)
            watch.sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
            self._selector.register(watch.sock, selectors.EVENT_READ, watch)
        except OSError as exc:
            self._down(watch, f"{type(exc).__name__}")
            return
        watch.last_heard = time.monotonic()
        watch.info.connected_at = time.time()
        watch.session = self._session(watch)
        self._advance(watch, None)

    def _session(self, watch: _Watch) -> Generator[Any, Any, None]:
        """What one connection does, as a coroutine: yields commands and IDLE periods, gets results."""
        caps = watch.capabilities
        can_idle = "IDLE" in caps
        mode = "notify" if ("NOTIFY" in caps and can_idle) else "idle" if can_idle else "poll"
        listing: _Result = yield _Command(b'LIST "" "*"')
        if not listing.ok:
            raise _SessionFailed("LIST refused")
        folders = _listed_folders(listing.untagged)
        status_items = b"(HIGHESTMODSEQ MESSAGES UIDNEXT UNSEEN)" if "CONDSTORE" in caps else b"(MESSAGES UIDNEXT UNSEEN)"
        if "CONDSTORE" in caps and "ENABLE" in caps:
            # With CONDSTORE on, NOTIFY reports flag changes in other folders too (STATUS with
            # HIGHESTMODSEQ); without it, only new and expunged messages there.
            yield _Command(b"ENABLE CONDSTORE")
        if mode != "poll":
            examined: _Result = yield _Command(b"EXAMINE INBOX")
            if not examined.ok:
                raise _SessionFailed("EXAMINE INBOX refused")
        if mode == "notify":
            notified: _Result = yield _Command(NOTIFY_SET)
            if not notified.ok:
                mode = "idle"  # advertised but refused: fall back
        watch.info.mode = mode
        watch.info.folders = tuple(folders)
        swept = [f for f in folders if mode == "poll" or f.upper() != INBOX]
        known: dict[str, tuple[Any, ...]] = {}
        if mode != "notify":
            known = yield from self._sweep(swept, status_items, known, watch, report=False)
        watch.up = True
        self._on_state(watch.key, "up", watch.info)
        while True:
            if mode == "poll":
                yield _Idle(until=time.monotonic() + self.poll_seconds)
                known = yield from self._sweep(swept, status_items, known, watch, report=True)
                continue
            limit = self.reidle_seconds if mode == "notify" else min(self.reidle_seconds, self.sweep_seconds)
            result: _Result = yield _Idle(until=time.monotonic() + limit)
            if not result.ok:
                raise _SessionFailed("IDLE refused")
            if mode == "idle":
                known = yield from self._sweep(swept, status_items, known, watch, report=True)

    def _sweep(
        self, folders: list[str], items: bytes, known: dict[str, tuple[Any, ...]], watch: _Watch, *, report: bool
    ) -> Generator[Any, Any, dict[str, tuple[Any, ...]]]:
        now: dict[str, tuple[Any, ...]] = {}
        for name in folders:
            result: _Result = yield _Command(b"STATUS " + _quote(name) + b" " + items)
            for row in result.untagged:
                if len(row) >= 3 and row[0] == b"STATUS":
                    now[_folder_name(row[1])] = tuple(row[2])
        if report:
            changed = {name for name in set(now) | set(known) if now.get(name) != known.get(name)}
            if changed:
                self._changed(watch, changed)
        return now

    def _advance(self, watch: _Watch, result: _Result | None) -> None:
        """Feed the session its last result; start what it asks for next."""
        assert watch.session is not None
        try:
            step = watch.session.send(result) if result is not None else next(watch.session)
        except StopIteration:
            self._down(watch, "session ended")
            return
        except _SessionFailed as exc:
            self._down(watch, str(exc))
            return
        tag = b"w%d" % next(watch.tags)
        watch.pending_tag = tag
        watch.collected = []
        if isinstance(step, _Command):
            self._send(watch, tag + b" " + step.text + b"\r\n")
            self._set_timer(watch, time.monotonic() + self.response_timeout, answer=True)
        elif isinstance(step, _Idle):
            if "IDLE" in watch.capabilities:
                watch.idling, watch.done_sent, watch.idle_until = True, False, step.until
                watch.info.idles += 1
                self._send(watch, tag + b" IDLE\r\n")
                self._set_timer(watch, time.monotonic() + self.response_timeout, answer=True)
            else:  # poll: just wait, no command in flight
                watch.pending_tag = b""
                self._set_timer(watch, step.until, answer=False)

    # -- reading and writing -------------------------------------------------------

    def _send(self, watch: _Watch, data: bytes) -> None:
        watch.outbuf += data
        self._flush(watch)

    def _flush(self, watch: _Watch) -> None:
        sock = watch.sock
        if sock is None or watch.closed:
            return
        while watch.outbuf:
            try:
                sent = sock.send(watch.outbuf)
            except (BlockingIOError, ssl.SSLWantWriteError, ssl.SSLWantReadError):
                break
            del watch.outbuf[:sent]
        events = selectors.EVENT_READ | (selectors.EVENT_WRITE if watch.outbuf else 0)
        if self._selector.get_key(sock).events != events:
            self._selector.modify(sock, events, watch)

    def _read(self, watch: _Watch) -> None:
        sock = watch.sock
        assert sock is not None
        while True:
            try:
                data = sock.recv(65536)
            except (BlockingIOError, ssl.SSLWantReadError):
                break
            except ssl.SSLWantWriteError:  # renegotiation: wait until writable
                break
            if not data:
                raise _Eof()
            watch.inbuf += data
            # A TLS socket may hold decrypted bytes the selector cannot see: drain it.
            if isinstance(sock, ssl.SSLSocket) and sock.pending():
                continue
        watch.last_heard = time.monotonic()
        while not watch.closed:
            response = _take_response(watch.inbuf)
            if response is None:
                if len(watch.inbuf) > _MAX_LINE:
                    raise _SessionFailed("response too long")
                return
            self._handle(watch, response)

    def _handle(self, watch: _Watch, response: list[Any]) -> None:
        first = response[0] if isinstance(response[0], bytes) else response[0][0]
        if first.startswith(b"+"):
            if watch.idling:  # IDLE accepted: now only the clock or a change ends it
                self._set_timer(watch, min(watch.idle_until, watch.last_heard + self.keepalive_seconds), answer=False)
            return
        if first.startswith(b"* "):
            self._untagged(watch, response)
            return
        tag, _, rest = first.partition(b" ")
        if tag != watch.pending_tag:
            return  # an answer to a LOGOUT/DONE of the past: nothing waits for it
        status, _, text = rest.partition(b" ")
        result = _Result(ok=status.upper() == b"OK", text=text.decode("utf-8", "replace"), untagged=watch.collected)
        watch.idling = False
        watch.deadline = 0.0
        self._advance(watch, result)

    def _untagged(self, watch: _Watch, response: list[Any]) -> None:
        # Strip "* " from the first part and parse the rest with imapclient's parser.
        head = response[0]
        if isinstance(head, tuple):
            parts: list[Any] = [(head[0][2:], head[1]), *response[1:]]
        else:
            parts = [head[2:], *response[1:]]
        try:
            row = parse_response(parts)
        except Exception:  # noqa: BLE001 - a line we cannot parse is not a change we can name
            log.debug("watch: unparsed untagged response")
            return
        if not row:
            return
        word = row[0].upper() if isinstance(row[0], bytes) else b""
        second = row[1].upper() if len(row) > 1 and isinstance(row[1], bytes) else b""
        if word == b"BYE":
            watch.info.reason = "server said BYE"
            return
        if word == b"OK" and b"NOTIFICATIONOVERFLOW" in b" ".join(x for x in row if isinstance(x, bytes)).upper():
            if watch.up:
                self._changed(watch, set(watch.info.folders) or {INBOX})
            return
        if watch.up:
            # NOTIFY's STATUS for another folder; a STATUS while sweeping is an answer instead.
            if word == b"STATUS" and len(row) >= 2 and watch.info.mode == "notify":
                self._changed(watch, {self._notified_name(watch, row[1])})
                return
            if second in _SELECTED_CHANGES or word == b"VANISHED":
                self._changed(watch, {INBOX})
                return
        watch.collected.append(tuple(row))

    def _notified_name(self, watch: _Watch, raw: Any) -> str:
        """The folder a NOTIFY STATUS names. Dovecot 2.3 writes it in UTF-8 there (not modified
        UTF-7 as in LIST), so match both spellings of the folders we listed."""
        wire = raw if isinstance(raw, bytes) else str(raw).encode()
        for name in watch.info.folders:
            if wire in (name.encode("utf-8"), encode_utf7(name)) or (name == INBOX and wire.upper() == b"INBOX"):
                return name
        return _folder_name(raw)

    def _changed(self, watch: _Watch, folders: set[str]) -> None:
        watch.info.changes += 1
        watch.info.last_change = time.time()
        try:
            self._on_changes(watch.key, frozenset(folders))
        except Exception:  # the caller's bug must not end the connection
            log.exception("watch: on_changes failed")

    # -- timers --------------------------------------------------------------------

    def _set_timer(self, watch: _Watch, when: float, *, answer: bool) -> None:
        watch.timer_gen += 1
        watch.deadline = when if answer else 0.0
        heapq.heappush(self._timers, (when, next(self._seq), watch.timer_gen, watch))

    def _run_timers(self) -> None:
        now = time.monotonic()
        while self._timers and self._timers[0][0] <= now:
            _, _, gen, watch = heapq.heappop(self._timers)
            if watch.closed or gen != watch.timer_gen:
                continue
            try:
                self._timer_fired(watch, now)
            except Exception as exc:  # noqa: BLE001
                self._down(watch, _reason(exc))

    def _timer_fired(self, watch: _Watch, now: float) -> None:
        if watch.deadline:
            self._down(watch, "no answer from the server")
            return
        if watch.idling and not watch.done_sent:
            if now < watch.idle_until and now < watch.last_heard + self.keepalive_seconds:
                # Heard from the server meanwhile: wait on.
                self._set_timer(watch, min(watch.idle_until, watch.last_heard + self.keepalive_seconds), answer=False)
                return
            watch.done_sent = True
            self._send(watch, b"DONE\r\n")
            self._set_timer(watch, now + self.response_timeout, answer=True)
            return
        if not watch.pending_tag:  # poll mode's wait is over
            self._advance(watch, _Result(ok=True, text="", untagged=[]))

    # -- ending ----------------------------------------------------------------------

    def _down(self, watch: _Watch, reason: str) -> None:
        if watch.closed:
            return
        self._close(watch, logout=False)
        if self._watches.get(watch.key) is watch:
            del self._watches[watch.key]
            watch.info.reason = watch.info.reason or reason
            try:
                self._on_state(watch.key, "down", watch.info)
            except Exception:
                log.exception("watch: on_state failed")

    def _close(self, watch: _Watch, *, logout: bool) -> None:
        watch.cancelled = True
        if watch.closed:
            return
        watch.closed = True
        sock = watch.sock
        if sock is None:
            return
        try:
            self._selector.unregister(sock)
        except (KeyError, ValueError):
            pass
        if logout:
            try:
                sock.send((b"DONE\r\n" if watch.idling else b"") + b"z LOGOUT\r\n")
            except (OSError, ValueError):
                pass
        for closable in (watch.keep, sock):
            try:
                if closable is not None:
                    closable.close()
            except OSError:
                pass


class _SessionFailed(Exception):
    pass


class _Eof(ConnectionError):
    def __init__(self) -> None:
        super().__init__("the server closed the connection")


def _reason(exc: BaseException) -> str:
    if isinstance(exc, (_Eof, _SessionFailed)):
        return str(exc)
    return type(exc).__name__


def _take_response(buf: bytearray) -> list[Any] | None:
    """One whole response off the front of `buf`, imaplib-style (a literal makes a tuple of the
    line up to it and its data), or None until all of it has arrived."""
    parts: list[Any] = []
    pos = 0
    while True:
        end = buf.find(b"\r\n", pos)
        if end < 0:
            return None
        line = bytes(buf[pos:end])
        literal = _LITERAL.search(line)
        if literal is None:
            parts.append(line)
            del buf[: end + 2]
            return parts
        size = int(literal.group(1))
        start = end + 2
        if len(buf) < start + size:
            return None
        parts.append((line, bytes(buf[start : start + size])))
        pos = start + size


def _listed_folders(rows: list[tuple[Any, ...]]) -> list[str]:
    names = []
    for row in rows:
        # ("LIST", (flags...), delimiter, name)
        if len(row) >= 4 and row[0] == b"LIST":
            flags = {f.lower() for f in row[1] if isinstance(f, bytes)}
            if b"\\noselect" in flags or b"\\nonexistent" in flags:
                continue
            names.append(_folder_name(row[3]))
    return names


def _folder_name(raw: Any) -> str:
    """A folder name as the app writes it (modified UTF-7 decoded; INBOX in capitals). Bytes that
    are not ASCII, or not valid modified UTF-7, are taken as UTF-8 (what Dovecot's NOTIFY sends)."""
    wire = raw if isinstance(raw, bytes) else str(raw).encode()
    try:
        name = decode_utf7(wire) if wire.isascii() else wire.decode("utf-8", "replace")
    except (ValueError, UnicodeError):
        name = wire.decode("utf-8", "replace")
    return INBOX if name.upper() == INBOX else name


def _quote(name: str) -> bytes:
    encoded: bytes = encode_utf7(name)
    return b'"' + encoded.replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'"'
