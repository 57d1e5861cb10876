"""The per-process, per-user IMAP session pool.

    with pool.session(user) as imap:
        imap.select("INBOX")

hands out a logged-in `ImapConnection` that no other thread holds, and takes it
back on exit. Bounds: `per_process` connections per user in this process, and a
budget per user across every process of the deployment (`ConnectionBudget`, in
Redis). A request that finds all of the user's slots busy waits for one, but at most
`max_waiters` of a user's requests wait at a time in a process: one more is
refused at once (`PoolBusy`), so one user's burst cannot hold every server thread
while other users queue behind it. Idle connections are closed after `idle_timeout`; one idle longer than
`noop_after` is checked with NOOP before reuse (a dead one is replaced by the
connection's own one-shot retry). A user's connections are only ever handed to
that user, and `evict_user` (sign-out) closes them in every process.

A daemon "reaper" thread per process closes idle connections, renews budget
leases, answers other processes' requests (a waiting process, a sign-out) and
publishes this process's stats for the admin page.
"""
from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

import redis

from .budget import ConnectionBudget
from .connection import Credentials, ImapConnection, ServerEndpoint
from .errors import PoolBusy, PoolTimeout

log = logging.getLogger(__name__)

CredentialsProvider = Callable[[str], tuple[ServerEndpoint, Credentials]]

# The IP address of the person a connection is opened for: the web layer sets it for each
# request (its client IP), and a connection opened meanwhile sends it with
# ID ("x-originating-ip" ...) at login, so the server's own limits and logs see the person,
# not the webmail. None (tasks, the watcher): no ID.
originating_ip: ContextVar[str | None] = ContextVar("originating_ip", default=None)


@dataclass(eq=False)
class _Entry:
    user_key: str
    connection: ImapConnection
    token: str | None  # budget lease, None when no budget is configured
    opened_at: float = field(default_factory=time.time)  # wall clock: compared across processes
    returned_at: float = field(default_factory=time.monotonic)


@dataclass
class PoolCounters:
    logins: int = 0
    errors: int = 0
    opened: int = 0
    closed: int = 0
    checkouts: int = 0
    waits: int = 0
    timeouts: int = 0
    rejected: int = 0
    errors_by_kind: dict[str, int] = field(default_factory=dict)  # broken, protocol, unexpected (for /metrics)


@dataclass
class _Waiting:
    """Whether one checkout counts as one of its user's waiters (it does from its first wait on)."""

    counted: bool = False


class SessionPool:
    def __init__(
        self,
        *,
        credentials_for: CredentialsProvider,
        budget: ConnectionBudget | None,
        per_process: int = 2,
        max_open: int = 200,
        idle_timeout: float = 300.0,
        noop_after: float = 60.0,
        wait_timeout: float = 15.0,
        max_waiters: int | None = None,
        reaper_interval: float = 1.0,
        budget_down: Callable[[BaseException], None] | None = None,
        budget_up: Callable[[], None] | None = None,
    ) -> None:
        self._credentials_for = credentials_for
        self._budget = budget
        self.per_process = per_process
        self.max_open = max_open
        self.idle_timeout = idle_timeout
        self.noop_after = noop_after
        self.wait_timeout = wait_timeout
        self.max_waiters = max_waiters  # None: unbounded
        self.reaper_interval = reaper_interval
        # Told when the budget's store (Redis) fails and when it answers again: the app logs one
        # line per outage (the pool carries on with its per-process bound meanwhile).
        self._budget_down = budget_down or self._log_budget_down
        self._budget_up = budget_up or self._log_budget_up
        self._budget_failing = False
        self._cond = threading.Condition(threading.Lock())
        self._idle: dict[str, list[_Entry]] = defaultdict(list)
        self._in_use: dict[str, set[_Entry]] = defaultdict(set)
        self._opening: dict[str, int] = defaultdict(int)
        self._waiters: dict[str, int] = defaultdict(int)
        self._evicted_at: dict[str, float] = {}
        self.counters = PoolCounters()
        self._reaper: threading.Thread | None = None
        self._stopping = threading.Event()
        self._pid = os.getpid()
        self.process_id = f"{socket.gethostname()}:{self._pid}"

    # -- public --------------------------------------------------------------

    @contextmanager
    def session(self, user: object, *, timeout: float | None = None) -> Iterator[ImapConnection]:
        """A connection for `user` (a User or its primary key) for the `with` block.

        `timeout` replaces `wait_timeout` for this checkout: 0 takes a connection only if
        one is free now (an all-folder search asks for extra ones in parallel that way)."""
        user_key = _user_key(user)
        entry = self._checkout(user_key, timeout)
        try:
            yield entry.connection
        finally:
            self._checkin(entry)

    def evict_user(self, user: object) -> None:
        """Close the user's connections here, and ask every other process to do the same."""
        user_key = _user_key(user)
        now = time.time()
        self._evict_local(user_key, now)
        if self._budget is not None:
            try:
                self._budget.announce("evict", user_key)
            except Exception as exc:  # noqa: BLE001 - Redis down: local eviction still happened
                self._budget_failed(exc, "could not announce eviction")

    def stats(self) -> dict[str, int | str]:
        with self._cond:
            idle = sum(len(v) for v in self._idle.values())
            in_use = sum(len(v) for v in self._in_use.values())
            users = len({k for k, v in self._idle.items() if v} | {k for k, v in self._in_use.items() if v})
            waiting = sum(self._waiters.values())
        c = self.counters
        return {
            "process": self.process_id,
            "open": idle + in_use,
            "idle": idle,
            "in_use": in_use,
            "waiting": waiting,
            "users": users,
            "logins": c.logins,
            "errors": c.errors,
            "opened": c.opened,
            "closed": c.closed,
            "checkouts": c.checkouts,
            "waits": c.waits,
            "timeouts": c.timeouts,
            "rejected": c.rejected,
            **{f"errors_{kind}": n for kind, n in sorted(c.errors_by_kind.items())},
        }

    def all_stats(self) -> list[dict[str, str]]:
        """Stats of every process's pool (each publishes to Redis every second), this one included."""
        rows: list[dict[str, str]] = []
        if self._budget is not None:
            try:
                rows = self._budget.all_stats()
            except Exception as exc:  # noqa: BLE001 - show at least this process
                self._budget_failed(exc, "could not read pool stats")
        here = {k: str(v) for k, v in self.stats().items()}
        rows = [r for r in rows if r.get("process") != here["process"]] + [here]
        return sorted(rows, key=lambda r: r.get("process", ""))

    def close_all(self) -> None:
        self._stopping.set()
        with self._cond:
            entries = [e for v in self._idle.values() for e in v]
            self._idle.clear()
        for entry in entries:
            self._close(entry)

    # -- checkout / checkin ----------------------------------------------------

    def _checkout(self, user_key: str, timeout: float | None = None) -> _Entry:
        self._ensure_reaper()
        waiting = _Waiting()
        try:
            return self._checkout_waiting(user_key, waiting, self.wait_timeout if timeout is None else timeout)
        finally:
            if waiting.counted:
                with self._cond:
                    self._waiters[user_key] -= 1
                    if self._waiters[user_key] <= 0:
                        del self._waiters[user_key]

    def _start_waiting(self, user_key: str, waiting: _Waiting) -> None:
        """Count this checkout as a waiter of the user, or refuse it when enough wait already.
        Needs `self._cond` held."""
        if waiting.counted:
            return
        if self.max_waiters is not None and self._waiters[user_key] >= self.max_waiters:
            self.counters.rejected += 1
            raise PoolBusy("too many requests of this user are waiting for a connection")
        self._waiters[user_key] += 1
        waiting.counted = True
        self.counters.waits += 1

    def _checkout_waiting(self, user_key: str, waiting: _Waiting, timeout: float) -> _Entry:
        deadline = time.monotonic() + timeout
        while True:
            stale: list[_Entry] = []
            chosen: _Entry | None = None
            open_new = False
            with self._cond:
                while True:
                    idle = self._idle[user_key]
                    now = time.monotonic()
                    while idle and chosen is None:
                        entry = idle.pop()  # most recently returned: warmest, folder likely selected
                        if now - entry.returned_at > self.idle_timeout or not entry.connection.is_open:
                            stale.append(entry)
                        else:
                            chosen = entry
                    if chosen is not None:
                        self._in_use[user_key].add(chosen)
                        break
                    if len(self._in_use[user_key]) + self._opening[user_key] < self.per_process:
                        self._opening[user_key] += 1
                        open_new = True
                        break
                    if stale:
                        break  # close them outside the lock first, then look again
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        self.counters.timeouts += 1
                        raise PoolTimeout("all connections of this user are busy")
                    self._start_waiting(user_key, waiting)
                    self._cond.wait(remaining)
            for entry in stale:
                self._close(entry)
            if chosen is not None:
                self.counters.checkouts += 1
                if time.monotonic() - chosen.returned_at > self.noop_after:
                    try:
                        chosen.connection.noop()  # reconnects by itself if the server dropped us
                    except Exception:  # noqa: BLE001 - any failure: replace the connection
                        self._checkin(chosen)
                        continue
                return chosen
            if open_new:
                try:
                    entry = self._open(user_key, deadline, waiting)
                except BaseException:
                    with self._cond:
                        self._opening[user_key] -= 1
                        self._cond.notify_all()
                    raise
                with self._cond:
                    self._opening[user_key] -= 1
                    self._in_use[user_key].add(entry)
                self.counters.checkouts += 1
                return entry

    def _checkin(self, entry: _Entry) -> None:
        user_key = entry.user_key
        discard = not entry.connection.is_open or self._stopping.is_set()
        with self._cond:
            self._in_use[user_key].discard(entry)
            evicted_at = self._evicted_at.get(user_key)
            if evicted_at is not None and entry.opened_at <= evicted_at:
                discard = True
            if not discard:
                entry.returned_at = time.monotonic()
                self._idle[user_key].append(entry)
            self._cond.notify_all()
        if discard:
            self._close(entry)

    def _make_room(self) -> None:
        """Keep this process under `max_open` connections across all users: close the
        least recently used idle ones (thousands of users must not mean thousands of
        sockets per process)."""
        victims: list[_Entry] = []
        with self._cond:
            open_now = sum(len(v) for v in self._idle.values()) + sum(len(v) for v in self._in_use.values())
            excess = open_now + 1 - self.max_open
            if excess > 0:
                idle = sorted((e for entries in self._idle.values() for e in entries), key=lambda e: e.returned_at)
                for entry in idle[:excess]:
                    self._idle[entry.user_key].remove(entry)
                    victims.append(entry)
        for entry in victims:
            self._close(entry)

    def _open(self, user_key: str, deadline: float, waiting: _Waiting) -> _Entry:
        self._make_room()
        token = self._acquire_budget(user_key, deadline, waiting)
        try:
            endpoint, credentials = self._credentials_for(user_key)
            connection = ImapConnection(
                endpoint, credentials, on_login=self._count_login, on_error=self._count_error, client_ip=originating_ip.get()
            )
        except BaseException:
            self._release_budget(user_key, token)
            raise
        self.counters.opened += 1
        return _Entry(user_key=user_key, connection=connection, token=token)

    def _acquire_budget(self, user_key: str, deadline: float, waiting: _Waiting) -> str | None:
        if self._budget is None:
            return None
        announced = False
        pause = 0.02
        while True:
            try:
                token = self._budget.try_acquire(user_key)
            except Exception as exc:  # noqa: BLE001 - Redis down: per-process bound still holds
                self._budget_failed(exc, "connection budget unavailable; continuing with the per-process bound only")
                return None
            if token is not None:
                return token
            with self._cond:
                # Waiting for another process to free a slot is waiting too: bounded the same way.
                self._start_waiting(user_key, waiting)
            if not announced:
                # Ask other processes to close this user's idle connections.
                try:
                    self._budget.announce("wanted", user_key)
                except Exception as exc:  # noqa: BLE001 - they will still close idle ones on timeout
                    self._budget_failed(exc, "could not announce a wait")
                announced = True
            if time.monotonic() + pause > deadline:
                self.counters.timeouts += 1
                raise PoolTimeout("this user's connections are all busy in other processes")
            # Polling Redis with backoff: a slot frees when another process closes one.
            self._stopping.wait(pause)
            pause = min(pause * 2, 0.2)

    def _release_budget(self, user_key: str, token: str | None) -> None:
        if self._budget is not None and token is not None:
            try:
                self._budget.release(user_key, token)
            except Exception as exc:  # noqa: BLE001 - the lease expires by itself
                self._budget_failed(exc, "could not release a budget lease")

    def _close(self, entry: _Entry) -> None:
        try:
            entry.connection.close()
        finally:
            self.counters.closed += 1
            self._release_budget(entry.user_key, entry.token)

    def _budget_failed(self, exc: BaseException, what: str) -> None:
        """Redis unreachable: one line per outage (by whoever was told); anything else: logged."""
        if _is_connection_error(exc):
            self._budget_down(exc)
        else:
            log.exception(what)

    def _log_budget_down(self, exc: BaseException) -> None:
        if not self._budget_failing:
            self._budget_failing = True
            log.error("connection budget unavailable (%s: %s); using the per-process bound only", type(exc).__name__, exc)

    def _log_budget_up(self) -> None:
        if self._budget_failing:
            self._budget_failing = False
            log.warning("connection budget available again")

    def _count_login(self) -> None:
        self.counters.logins += 1

    def _count_error(self, kind: str = "other") -> None:
        self.counters.errors += 1
        self.counters.errors_by_kind[kind] = self.counters.errors_by_kind.get(kind, 0) + 1

    # -- eviction and the reaper ---------------------------------------------------

    def _evict_local(self, user_key: str, when: float) -> None:
        with self._cond:
            self._evicted_at[user_key] = max(when, self._evicted_at.get(user_key, 0.0))
            victims = [e for e in self._idle[user_key] if e.opened_at <= when]
            self._idle[user_key] = [e for e in self._idle[user_key] if e.opened_at > when]
        for entry in victims:
            self._close(entry)

    def _close_idle_of(self, user_key: str) -> None:
        with self._cond:
            victims, self._idle[user_key] = self._idle[user_key], []
        for entry in victims:
            self._close(entry)

    def _ensure_reaper(self) -> None:
        if self._reaper is not None and self._reaper.is_alive():
            return
        with self._cond:
            if self._reaper is None or not self._reaper.is_alive():
                self._reaper = threading.Thread(target=self._reap_forever, name="imap-pool-reaper", daemon=True)
                self._reaper.start()

    def _reap_forever(self) -> None:
        last_poll = time.time()
        last_renew = 0.0
        while not self._stopping.wait(self.reaper_interval):
            try:
                self._close_expired()
                if self._budget is not None:
                    now = time.time()
                    for user_key, when in self._budget.announced_since("evict", last_poll - 1).items():
                        self._evict_local(user_key, when)
                    for user_key in self._budget.announced_since("wanted", last_poll - 1):
                        self._close_idle_of(user_key)
                    last_poll = now
                    if now - last_renew > self._budget.lease_seconds / 4:
                        self._renew_leases()
                        last_renew = now
                    self._publish_stats()
                    self._budget_up()
            except Exception as exc:  # noqa: BLE001 - the reaper must survive a Redis hiccup
                self._budget_failed(exc, "IMAP pool reaper")

    def _close_expired(self) -> None:
        now = time.monotonic()
        victims: list[_Entry] = []
        with self._cond:
            for user_key, idle in self._idle.items():
                keep = [e for e in idle if now - e.returned_at <= self.idle_timeout]
                victims.extend(e for e in idle if now - e.returned_at > self.idle_timeout)
                self._idle[user_key] = keep
        for entry in victims:
            self._close(entry)

    def _renew_leases(self) -> None:
        assert self._budget is not None
        with self._cond:
            held: dict[str, list[str]] = defaultdict(list)
            for entries in (*self._idle.values(), *self._in_use.values()):
                for e in entries:
                    if e.token:
                        held[e.user_key].append(e.token)
        for user_key, tokens in held.items():
            self._budget.renew(user_key, tokens)

    def _publish_stats(self) -> None:
        assert self._budget is not None
        self._budget.publish_stats(self.process_id, self.stats())


def _is_connection_error(exc: BaseException) -> bool:
    """The budget's store (Redis) could not be reached; redis-py wraps socket errors in these."""
    return isinstance(exc, (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError))


def _user_key(user: object) -> str:
    pk = getattr(user, "pk", user)
    if pk is None or pk == "":
        raise ValueError("an anonymous user has no IMAP session")
    return str(pk)
