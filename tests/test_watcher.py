"""The watcher (real Dovecot and Redis): presence → one NOTIFY/IDLE connection → sync requests.

Most tests run `WatchService` in-process with a recording `enqueue` and credentials of mail users
made for the test (people are fake primary keys, so no database is needed); the failover test
runs two `manage.py watch_mailboxes` processes on the test database and SIGKILLs one.
"""
from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from mailview.imap.budget import ConnectionBudget
from mailview.imap.connection import Credentials, ServerEndpoint
from mailview.imap.errors import PoolTimeout
from mailview.imap.pool import SessionPool
from mailview.services.live import events
from mailview.services.live.watching import WatchConfig, WatchService, watcher_stats
from tests.support import DovecotLog, MailUser, WatcherProcess, append_message, dovecot_connections, imap_direct, mailstack, new_mail_user, wait_until
from webmail.redis_client import get_redis, key_prefix


def _endpoint() -> ServerEndpoint:
    return ServerEndpoint(
        os.environ.get("WEBMAIL_IMAP_HOST", "127.0.0.1"), int(os.environ["WEBMAIL_IMAP_PORT"]), "starttls", ca_file=os.environ["WEBMAIL_IMAP_CA_FILE"]
    )


def _budget(limit: int = 4) -> ConnectionBudget:
    return ConnectionBudget(get_redis(), limit=limit, prefix=f"{key_prefix()}:imap")


@dataclass
class Requests:
    """What the watcher asked for (the `enqueue` it was given)."""

    calls: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, *, user_id: int, folders: list[str], reason: str) -> None:
        with self.lock:
            self.calls.append({"user_id": user_id, "folders": list(folders), "reason": reason})

    def matching(self, user_id: int, *, reason: str | None = None, folder: str | None = None, after: int = 0) -> list[dict[str, Any]]:
        with self.lock:
            return [
                c
                for c in self.calls[after:]
                if c["user_id"] == user_id and (reason is None or c["reason"] == reason) and (folder is None or folder in c["folders"])
            ]

    def mark(self) -> int:
        with self.lock:
            return len(self.calls)


class Running:
    """A WatchService on a thread, watching only the people this test made present."""

    def __init__(
        self, people: dict[int, MailUser], *, budget: ConnectionBudget | None = None,
        credentials_for: Callable[[str], tuple[ServerEndpoint, Credentials]] | None = None, private: bool = False, **config: Any,
    ) -> None:
        self.people = people
        self.requests = Requests()
        self.budget = budget or _budget()
        self.service = WatchService(
            redis=get_redis(),
            prefix=key_prefix(),
            credentials_for=credentials_for or self.credentials_for,
            budget=self.budget,
            enqueue=self.requests,
            config=WatchConfig(**{"presence_seconds": 0.2, "renew_seconds": 1.0, "grace_seconds": 0.0, "backoff_base": 0.5, "backoff_cap": 2.0, **config}),
            # private: present are `people` (the test adds to it), unseen by other replicas (the
            # session's watcher process, once a test started it, watches everybody present).
            present_users=(lambda: list(people)) if private else (lambda: [pk for pk in events.present_users() if pk in people]),
        )
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.service.run, args=(self.stop,), daemon=True)
        self.thread.start()

    def credentials_for(self, key: str) -> tuple[ServerEndpoint, Credentials]:
        return _endpoint(), Credentials(self.people[int(key)].email, self.people[int(key)].password)

    def person(self, pk: int) -> Any:
        return self.service.people.get(pk)

    def wait_up(self, pk: int, timeout: float = 60.0) -> None:
        wait_until(lambda: (p := self.person(pk)) is not None and p.status == "up", timeout=timeout, message=f"user {pk}'s watch to be up")
        wait_until(lambda: self.requests.matching(pk, reason="watch-start") or self.requests.matching(pk, reason="reconnect"), timeout=30, message="the first sync request")

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=15)


@pytest.fixture
def watching() -> Iterator[Any]:
    started: list[Running] = []
    made_present: list[int] = []

    def start(people: dict[int, MailUser], **kwargs: Any) -> Running:
        for pk in people:
            if not kwargs.get("private"):
                events.mark_present(pk)
            made_present.append(pk)
        running = Running(people, **kwargs)
        started.append(running)
        return running

    yield start
    for running in started:
        running.close()
    for pk in made_present:
        events.clear_present(pk)
        events.clear_watched(pk)


def _pk() -> int:
    return 800_000_000 + uuid.uuid4().int % 100_000_000


def test_new_mail_in_inbox_and_in_another_folder_requests_a_sync_of_that_folder(watching):
    user, pk = new_mail_user("watched"), _pk()
    running = watching({pk: user})
    running.wait_up(pk)
    assert running.person(pk).mode == "notify"  # Dovecot advertises NOTIFY
    assert events.is_watched(pk)
    with imap_direct(user) as other_device:
        mark = running.requests.mark()
        append_message(other_device, "INBOX", subject="to the inbox")
        wait_until(lambda: running.requests.matching(pk, reason="change", folder="INBOX", after=mark), timeout=30, message="a sync request for INBOX")
        mark = running.requests.mark()
        append_message(other_device, "Archive", subject="to the archive")
        wait_until(lambda: running.requests.matching(pk, reason="change", folder="Archive", after=mark), timeout=30, message="a sync request for Archive")


def test_flag_set_on_another_device_requests_a_sync(watching):
    user, pk = new_mail_user("flagged"), _pk()
    with imap_direct(user) as setup:
        append_message(setup, "INBOX", subject="one")
        append_message(setup, "Archive", subject="two")
    running = watching({pk: user})
    running.wait_up(pk)
    with imap_direct(user) as other_device:
        for folder in ("INBOX", "Archive"):
            mark = running.requests.mark()
            other_device.select_folder(folder)
            other_device.add_flags(other_device.search(["ALL"]), [b"\\Flagged"])
            wait_until(lambda f=folder, m=mark: running.requests.matching(pk, reason="change", folder=f, after=m), timeout=30, message=f"a sync request for the flag in {folder}")


def test_only_present_people_are_watched_and_five_tabs_are_one_connection(watching):
    present, absent = new_mail_user("present"), new_mail_user("absent")
    present_pk, absent_pk = _pk(), _pk()
    log = DovecotLog()
    running = watching({present_pk: present})
    running.people[absent_pk] = absent  # the watcher could log in as them, but they have no tab open
    running.wait_up(present_pk)
    for _ in range(5):  # five tabs: five event-server renewals of the same presence
        events.mark_present(present_pk)
    rounds = running.service.counters["rounds"]
    wait_until(lambda: running.service.counters["rounds"] >= rounds + 5, timeout=60, message="five more watcher rounds")
    assert dovecot_connections(present.email) == 1
    assert log.logins(present.email) == 1
    assert running.budget.held(str(present_pk)) == 1
    assert dovecot_connections(absent.email) == 0
    assert log.logins(absent.email) == 0
    assert running.budget.held(str(absent_pk)) == 0
    assert absent_pk not in running.service.people


def test_a_person_whose_tab_closed_is_let_go(watching):
    user, pk = new_mail_user("leaving"), _pk()
    running = watching({pk: user})
    running.wait_up(pk)
    assert running.budget.held(str(pk)) == 1
    events.clear_present(pk)
    wait_until(lambda: pk not in running.service.people, message="the watcher to let go")
    wait_until(lambda: dovecot_connections(user.email) == 0, message="the connection to close")
    assert running.budget.held(str(pk)) == 0
    assert not events.is_watched(pk)


def test_dovecot_restart_ends_in_a_reconnect_and_a_resync_event(watching):
    user, pk = new_mail_user("restart"), _pk()
    running = watching({pk: user})
    running.wait_up(pk)
    last_event = events.latest_event_id(pk)
    mark = running.requests.mark()
    mailstack("restart-dovecot")
    # Within 10 s of the server being back: a resync event and a sync of every folder.
    wait_until(lambda: any(e.kind == "resync" for e in events.events_after(pk, last_event) or []), timeout=10, message="a resync event")
    reconnect = wait_until(lambda: running.requests.matching(pk, reason="reconnect", after=mark), timeout=10, message="a sync of every folder")
    assert {"INBOX", "Archive", "Sent"} <= set(reconnect[0]["folders"])
    assert running.person(pk).reconnects == 1
    wait_until(lambda: events.is_watched(pk), message="the watched mark again")
    # And it watches again: new mail after the restart is seen.
    mark = running.requests.mark()
    with imap_direct(user) as other_device:
        append_message(other_device, "INBOX", subject="after the restart")
    wait_until(lambda: running.requests.matching(pk, reason="change", folder="INBOX", after=mark), message="a sync request after the restart")


def test_the_watchers_connection_counts_in_the_budget(watching):
    user, pk = new_mail_user("budget"), _pk()
    budget = _budget(limit=3)
    creds = Credentials(user.email, user.password)
    pool = SessionPool(credentials_for=lambda key: (_endpoint(), creds), budget=budget, per_process=5, wait_timeout=1, max_waiters=5)
    try:
        # The pool holds the whole budget: the watcher waits instead of opening a fourth.
        with pool.session(pk), pool.session(pk), pool.session(pk):
            running = watching({pk: user}, budget=budget)
            wait_until(lambda: running.service.counters["budget_waits"] >= 2, message="the watcher to meet the full budget")
            assert running.person(pk).status == "idle"
            assert dovecot_connections(user.email) == 3
        pool.close_all()
        # Budget free: the watcher connects, and then the pool gets only what is left.
        running.wait_up(pk)
        assert budget.held(str(pk)) == 1
        with pool.session(pk), pool.session(pk):
            with pytest.raises(PoolTimeout), pool.session(pk):
                pass
            assert dovecot_connections(user.email) == 3
    finally:
        pool.close_all()


def _lease_owner(pk: int) -> str | None:
    raw = get_redis().get(f"{key_prefix()}:live:watch-lease:{pk}")
    return raw.decode() if raw else None


def _watching_replicas(pk: int) -> set[str]:
    """Replicas whose last published stats show the person's connection up."""
    return {
        str(row["replica"])
        for row in watcher_stats(get_redis(), key_prefix())
        for person in row.get("rows", [])
        if person["user"] == pk and person["status"] == "up"
    }


def _only_the_watchers_connections_left(pk: int, email: str) -> None:
    """Waits until Dovecot counts exactly one connection of the person once the pools have let
    go of theirs: a Celery worker of the session may be syncing for the person (the watcher asks
    it to on start and after a takeover), and its pooled connection is not the watcher's."""
    from django.contrib.auth import get_user_model

    from mailview.imap import get_pool

    user = get_user_model().objects.get(pk=pk)

    def one_left() -> bool:
        get_pool().evict_user(user)  # pools close theirs (every process); a watcher's stays
        return dovecot_connections(email) == 1

    wait_until(one_left, timeout=30, message="exactly one connection (the watcher's) once the pools let go")


@pytest.mark.django_db(transaction=True)
def test_a_killed_watcher_is_replaced_within_ten_seconds(client, mail_user, watcher_process):
    """Three replicas (the session's watcher and two more): one watches the person; killed, another
    takes over within 10 s, and the person still has one watcher connection."""
    from django.conf import settings
    from django.contrib.auth import get_user_model

    response = client.post("/accounts/login/", {"email": mail_user.email, "password": mail_user.password})
    assert response.status_code == 302
    pk = get_user_model().objects.get(username=mail_user.email).pk
    events.mark_present(pk)
    db_name = settings.DATABASES["default"]["NAME"]
    first, second = WatcherProcess(db_name, "a"), WatcherProcess(db_name, "b")
    first.start()
    second.start()
    replicas = [watcher_process, first, second]
    try:
        owner = wait_until(lambda: (o := _lease_owner(pk)) and _watching_replicas(pk) == {o} and o, timeout=60, message="one watcher to watch")
        _only_the_watchers_connections_left(pk, mail_user.email)  # three replicas, one connection
        victim = next(r for r in replicas if r.process is not None and str(r.process.pid) == owner.split(":")[1])
        survivors = {str(r.process.pid) for r in replicas if r is not victim and r.process is not None}
        victim.kill()
        events.clear_watched(pk)  # the dead one's mark would outlive it by its TTL
        # Within 10 s: another replica holds the lease and its connection is up (it marks the person watched).
        new_owner = wait_until(
            lambda: (o := _lease_owner(pk)) and o != owner and events.is_watched(pk) and o, timeout=10, message="another watcher to take over"
        )
        assert new_owner.split(":")[1] in survivors
        _only_the_watchers_connections_left(pk, mail_user.email)  # one connection, the new owner's
        wait_until(lambda: new_owner in _watching_replicas(pk), timeout=20, message="the new owner's stats to show the person")
    finally:
        first.stop()
        second.stop()
        if watcher_process.process is None or watcher_process.process.poll() is not None:
            watcher_process.start()  # the session's watcher was the one killed: later tests need it
        events.clear_present(pk)
        events.clear_watched(pk)


def test_the_admin_shows_watchers_and_watched_people(watching, admin_client):
    user, pk = new_mail_user("admin-view"), _pk()
    running = watching({pk: user})
    running.wait_up(pk)
    replica = running.service.replica_id
    wait_until(lambda: replica in _watching_replicas(pk), timeout=20, message="the watcher's stats")
    page = admin_client.get("/admin/pool/").content.decode()
    assert "Watchers" in page and replica in page
    assert f"<td>{pk}</td>" in page and "notify" in page


def test_a_replica_that_lost_the_lease_lets_go_and_leaves_the_new_owners_lease(watching):
    user, pk = new_mail_user("lease"), _pk()
    running = watching({pk: user})
    running.wait_up(pk)
    assert _lease_owner(pk) == running.service.replica_id
    # Another replica holds the person now (as after a stall longer than the lease).
    get_redis().set(f"{key_prefix()}:live:watch-lease:{pk}", "other-replica", px=60_000)
    wait_until(lambda: pk not in running.service.people, message="the replica to let go")
    wait_until(lambda: dovecot_connections(user.email) == 0, message="its connection closed")
    assert _lease_owner(pk) == "other-replica"
    assert running.budget.held(str(pk)) == 0
    # It does not take the person back while the other replica holds the lease.
    rounds = running.service.counters["rounds"]
    wait_until(lambda: running.service.counters["rounds"] >= rounds + 3, message="three more rounds")
    assert pk not in running.service.people and dovecot_connections(user.email) == 0
    get_redis().delete(f"{key_prefix()}:live:watch-lease:{pk}")


def _lease_ttl_rises(pk: int, owner: str, count: int) -> Callable[[], bool]:
    """A condition: the person's lease has been renewed (its TTL went up) `count` times since the
    first call, and it belonged to `owner` every time it was looked at."""
    key = f"{key_prefix()}:live:watch-lease:{pk}"
    seen = {"ttl": get_redis().pttl(key), "rises": 0}

    def renewed() -> bool:
        assert _lease_owner(pk) == owner, "the lease ran out or changed hands"
        ttl = get_redis().pttl(key)
        if ttl > seen["ttl"]:
            seen["rises"] += 1
        seen["ttl"] = ttl
        return seen["rises"] >= count

    return renewed


def test_leases_are_renewed_while_the_round_is_stuck_in_slow_work(watching):
    """A loaded machine makes the round late (connects, database, sync requests): the leases are
    renewed on a thread of their own, so the people already watched stay with their replica."""
    user, pk = new_mail_user("kept"), _pk()
    slow_user, slow_pk = new_mail_user("slow"), _pk()
    entered, release = threading.Event(), threading.Event()

    def credentials_for(key: str) -> tuple[ServerEndpoint, Credentials]:
        if int(key) == slow_pk:  # the round's thread waits here, as on a database that answers late
            entered.set()
            release.wait(timeout=120)
        mail = user if int(key) == pk else slow_user
        return _endpoint(), Credentials(mail.email, mail.password)

    log = DovecotLog()
    running = watching({pk: user}, lease_seconds=4.0, renew_seconds=1.0, credentials_for=credentials_for, private=True)
    running.wait_up(pk)
    claimed = running.person(pk)
    replica = running.service.replica_id
    running.people[slow_pk] = slow_user  # present now
    try:
        wait_until(entered.is_set, timeout=30, message="the round to be stuck in the slow person's connect")
        # Renewed six times (a second apart) while the round is stuck: longer than the 4 s lease.
        wait_until(_lease_ttl_rises(pk, replica, 6), timeout=30, interval=0.2, message="six renewals while the round is stuck")
        release.set()
        running.wait_up(slow_pk)
        assert running.person(pk) is claimed and claimed.status == "up"
        assert running.service.counters["lost_leases"] == 0
        assert dovecot_connections(user.email) == 1 and log.logins(user.email) == 1
    finally:
        release.set()
        events.clear_watched(slow_pk)


def test_a_lease_that_ran_out_with_nobody_taking_it_is_kept_without_a_handover(watching):
    """A renewal that comes after the lease expired, with no other replica having taken it, keeps
    the person where they are: no new claim, no second login."""
    user, pk = new_mail_user("late"), _pk()
    log = DovecotLog()
    running = watching({pk: user}, private=True)  # no other replica could take the lease
    running.wait_up(pk)
    claimed = running.person(pk)
    replica = running.service.replica_id
    get_redis().delete(f"{key_prefix()}:live:watch-lease:{pk}")  # as if it had expired
    wait_until(lambda: _lease_owner(pk) == replica, message="the lease taken again")
    rounds = running.service.counters["rounds"]
    wait_until(lambda: running.service.counters["rounds"] >= rounds + 3, message="three more rounds")
    assert running.person(pk) is claimed and claimed.status == "up"
    assert running.service.counters["lost_leases"] == 0
    assert dovecot_connections(user.email) == 1 and log.logins(user.email) == 1


def test_a_replica_whose_round_hangs_stops_renewing_so_its_people_can_move(watching):
    """The keeper renews only while the round turns: a hung replica must not keep its people."""
    user, pk = new_mail_user("hung"), _pk()
    slow_user, slow_pk = new_mail_user("hang"), _pk()
    entered, release = threading.Event(), threading.Event()

    def credentials_for(key: str) -> tuple[ServerEndpoint, Credentials]:
        if int(key) == slow_pk:
            entered.set()
            release.wait(timeout=120)
        mail = user if int(key) == pk else slow_user
        return _endpoint(), Credentials(mail.email, mail.password)

    running = watching({pk: user}, lease_seconds=4.0, renew_seconds=1.0, stall_seconds=2.0, credentials_for=credentials_for, private=True)
    running.wait_up(pk)
    running.people[slow_pk] = slow_user  # present now
    try:
        wait_until(entered.is_set, timeout=30, message="the round to hang")
        wait_until(lambda: _lease_owner(pk) is None, timeout=30, message="the hung replica's lease to run out")
    finally:
        release.set()
        events.clear_watched(slow_pk)
