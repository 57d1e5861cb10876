"""Watcher replicas sharing people (real Dovecot and Redis): a replica that starts after another,
or with it, gets its fair share handed over without a gap in watching, and a dead replica's people
are logged in again by the survivor many at a time.

Each test runs `WatchService` replicas in-process (their real hubs, real IMAP connections) under a
cache prefix of its own, so their leases, replica list and loads are theirs alone (the session's
watcher process, when a test started it, never sees these people: presence is private too).
"""
from __future__ import annotations

import os
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from mailview.imap.budget import ConnectionBudget
from mailview.imap.connection import Credentials, ServerEndpoint
from mailview.services.live import events
from mailview.services.live.watching import WatchConfig, WatchService
from tests.support import MailUser, mailstack, new_mail_user, wait_until
from webmail.redis_client import get_redis, key_prefix

PEOPLE = 40
SLACK = 2  # the service's default: 10 % of the fair share (20), at least one person


def _endpoint() -> ServerEndpoint:
    return ServerEndpoint(
        os.environ.get("WEBMAIL_IMAP_HOST", "127.0.0.1"), int(os.environ["WEBMAIL_IMAP_PORT"]), "starttls", ca_file=os.environ["WEBMAIL_IMAP_CA_FILE"]
    )


def _pk() -> int:
    return 800_000_000 + uuid.uuid4().int % 100_000_000


class Replica:
    """One watcher replica on a thread; present are exactly `people` (private to the test)."""

    def __init__(self, people: dict[int, MailUser], prefix: str, **config: Any) -> None:
        self.people = people
        self.syncs: list[tuple[int, str]] = []
        self.service = WatchService(
            redis=get_redis(),
            prefix=prefix,
            credentials_for=self.credentials_for,
            budget=ConnectionBudget(get_redis(), limit=4, prefix=f"{key_prefix()}:imap"),
            enqueue=lambda *, user_id, folders, reason: self.syncs.append((user_id, reason)),
            config=WatchConfig(**{"presence_seconds": 0.2, "lease_seconds": 4.0, "renew_seconds": 1.0, "grace_seconds": 0.0,
                                  "backoff_base": 0.5, "backoff_cap": 2.0, **config}),
            present_users=lambda: list(people),
        )
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.service.run, args=(self.stop,), daemon=True)

    def start(self) -> Replica:
        self.thread.start()
        return self

    def credentials_for(self, key: str) -> tuple[ServerEndpoint, Credentials]:
        user = self.people[int(key)]
        return _endpoint(), Credentials(user.email, user.password)

    def up(self) -> set[int]:
        """The people this replica watches: lease held, connection up."""
        return {pk for pk, p in list(self.service.people.items()) if p.status == "up" and not p.incoming}

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=30)

    def crash(self) -> None:
        """As a SIGKILL: the leases are neither renewed nor released; the connections end."""
        self.service.shutdown = lambda: None  # type: ignore[method-assign]  # run() returns without letting go
        self.close()
        self.service._keeper_stop.set()
        if self.service._keeper is not None:
            self.service._keeper.join(timeout=10)
        self.service.hub.stop()  # the kernel closes a killed process's sockets


@pytest.fixture(scope="module")
def crowd() -> dict[int, MailUser]:
    return {_pk(): new_mail_user("crowd") for _ in range(PEOPLE)}


@pytest.fixture
def replicas(crowd: dict[int, MailUser]) -> Iterator[Callable[[], Replica]]:
    prefix = f"{key_prefix()}-replicas-{uuid.uuid4().hex[:8]}"
    made: list[Replica] = []

    def make() -> Replica:
        made.append(Replica(crowd, prefix))
        return made[-1]

    yield make
    for replica in made:
        if replica.thread.is_alive():
            replica.close()
    redis = get_redis()
    for key in redis.scan_iter(match=f"{prefix}:*"):
        redis.delete(key)
    for pk in crowd:
        events.clear_watched(pk)


def _connections(crowd: dict[int, MailUser]) -> Counter[str]:
    """Each crowd member's live IMAP connections, as Dovecot counts them (one `doveadm who`)."""
    emails = {user.email for user in crowd.values()}
    lines = mailstack("doveadm", "who", "-1", check=False).stdout.splitlines()
    return Counter(parts[0] for line in lines if (parts := line.split()) and parts[0] in emails and "imap" in line)


def _lease_owners(crowd: dict[int, MailUser], prefix: str) -> dict[int, str | None]:
    raw = get_redis().mget([f"{prefix}:live:watch-lease:{pk}" for pk in crowd])
    return {pk: value.decode() if value else None for pk, value in zip(crowd, raw, strict=True)}


def _watched_once_by(crowd: dict[int, MailUser], holders: list[Replica]) -> bool:
    """Everybody up on exactly one of `holders`, which holds their lease, and one IMAP connection each."""
    ups = [replica.up() for replica in holders]
    if sum(len(u) for u in ups) != len(crowd) or set().union(*ups) != set(crowd):
        return False
    owners = _lease_owners(crowd, holders[0].service.prefix)
    if any(owners[pk] != replica.service.replica_id for replica, up in zip(holders, ups, strict=True) for pk in up):
        return False
    connections = _connections(crowd)
    return all(connections[user.email] == 1 for user in crowd.values())


def _situation(crowd: dict[int, MailUser], *holders: Replica) -> str:
    """For a failure's message: who watches how many, and the connections counted."""
    connections = _connections(crowd)
    return "; ".join(
        [f"{r.service.replica_id}: {len(r.up())} up of {len(r.service.people)} ({r.service.counters})" for r in holders]
        + [f"connections per person: {sorted(Counter(connections[u.email] for u in crowd.values()).items())}",
           f"IMAP connections by client process (this one is {os.getpid()}): {_imap_clients()}"]
    )


def _imap_clients() -> dict[str, int]:
    """Which local processes hold connections to the test IMAP port (`ss -tnp`), counted."""
    import re
    import subprocess

    port = os.environ["WEBMAIL_IMAP_PORT"]
    try:
        out = subprocess.run(["ss", "-tnpH", "state", "established", f"dport = :{port}"], capture_output=True, text=True, timeout=30).stdout
    except OSError:  # no iproute2: the message does without
        return {}
    return dict(Counter(m.group(1) for line in out.splitlines() if (m := re.search(r"pid=(\d+)", line))))


def _wait_shared_evenly(crowd: dict[int, MailUser], first: Replica, second: Replica) -> None:
    try:
        wait_until(lambda: _shared_evenly(crowd, first, second), timeout=180, interval=0.5,
                   message=f"each replica to watch {PEOPLE // 2} ± {SLACK}, everybody once")
    except AssertionError as exc:
        raise AssertionError(f"{exc}: {_situation(crowd, first, second)}") from None


def _shared_evenly(crowd: dict[int, MailUser], first: Replica, second: Replica) -> bool:
    share = len(crowd) // 2
    return all(share - SLACK <= len(r.up()) <= share + SLACK for r in (first, second)) and _watched_once_by(crowd, [first, second])


def test_a_replica_started_after_another_gets_its_share_handed_over_without_a_gap(crowd, replicas):
    """The first replica watches everybody; a second one starts: about half move to it, each
    connected by the new owner before the old one lets go (the watch token never changes)."""
    first = replicas().start()
    wait_until(lambda: _watched_once_by(crowd, [first]), timeout=180, interval=0.5, message=f"the first replica to watch all {PEOPLE}")
    wait_until(lambda: all(events.watch_token(pk) for pk in crowd), timeout=30, message="everybody marked watched")
    tokens = {pk: events.watch_token(pk) for pk in crowd}
    second = replicas().start()
    _wait_shared_evenly(crowd, first, second)
    moved = second.up()
    # No gap: the watch of everybody who moved went on unbroken (same token, never cleared).
    assert {pk: events.watch_token(pk) for pk in crowd} == tokens
    assert first.service.counters["handed_over"] == second.service.counters["taken_over"] == len(moved)
    assert first.service.counters["lost_leases"] == second.service.counters["lost_leases"] == 0
    # A person handed over is not synced again: nothing was missed.
    assert not [reason for pk, reason in second.syncs if pk in moved]


def test_replicas_started_together_share_and_a_dead_ones_people_are_logged_in_again_in_parallel(crowd, replicas):
    """Two replicas start at the same moment and share the people evenly; one dies: the other
    logs its people in again more than four at a time (the old connect pool's size), never more
    than its connect workers."""
    first, second = replicas(), replicas()
    first.start()
    second.start()
    _wait_shared_evenly(crowd, first, second)
    theirs = second.up()
    first.service.hub.reset_connecting_peak()
    second.crash()
    wait_until(lambda: _watched_once_by(crowd, [first]), timeout=180, interval=0.5, message="the survivor to watch everybody")
    peak = first.service.hub.connecting_peak
    assert 4 < peak <= first.service.config.connect_workers, f"{len(theirs)} people logged in again at most {peak} at a time"
