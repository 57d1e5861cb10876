"""One person's burst is bounded across every web process, so it cannot starve everyone else.

Two gunicorn servers (one process each: which process serves a request is then the test's
choice, not the kernel's) share a private Redis and the test database, as two web processes of
one deployment do. A request of the busy person is kept in flight for as long as the test
wants by sending its headers and holding back its body: the door counts it before anything
reads the body.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import RequestFactory, override_settings

from tests.support import REPO, TEST_VAR, dies_with_this_process, mail_user_with, wait_until
from tests.test_redis_outage import Http, PrivateRedis, free_port, port_open
from webmail import fairness
from webmail.fairness import RequestLeases, request_weight
from webmail.outage import redis_health

pytestmark = pytest.mark.django_db(transaction=True)
PREFIX = "webmail-fairness-test"


class HeldRequest:
    """A POST whose body never comes (until closed): a heavy request in flight on its server."""

    def __init__(self, port: int, http: Http, path: str = "/actions/") -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=60)
        cookies = "; ".join(f"{c.name}={c.value}" for c in http.jar)
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookies}\r\n"
            f"X-CSRFToken: {http.cookie('csrftoken')}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            "Content-Length: 1000\r\n\r\n"
        )
        self.sock.sendall(head.encode())

    def answered(self) -> bool:
        """Whether the server has answered it (a refusal) instead of waiting for its body."""
        self.sock.setblocking(False)
        try:
            return bool(self.sock.recv(1, socket.MSG_PEEK))
        except BlockingIOError:
            return False
        finally:
            self.sock.setblocking(True)

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def two_servers(django_db_setup):  # type: ignore[no-untyped-def]
    """A private Redis and two gunicorn servers (1 process x 4 threads each) on it."""
    private = PrivateRedis("fairness")
    private.start()
    env = {
        **os.environ,
        "REDIS_URL": f"{private.url}/0",
        "WEBMAIL_CACHE_PREFIX": PREFIX,
        "DATABASE_URL": f"sqlite:///{settings.DATABASES['default']['NAME']}",
        "DJANGO_DEBUG": "0",
        "WEBMAIL_SECURE_COOKIES": "0",
        # Defaults spelled out (the test is about them), and a long wait, so the waiting request
        # is still waiting whatever the machine's load.
        "WEBMAIL_PAGES_PER_PERSON": "1",
        "WEBMAIL_PAGES_WAITING_PER_PERSON": "1",
        "WEBMAIL_REQUESTS_PER_PERSON": "6",
        "WEBMAIL_PAGES_WAIT_SECONDS": "300",
    }
    servers = []
    logs = []
    try:
        for n in (1, 2):
            port = free_port()
            log = open(TEST_VAR / f"test-fairness-gunicorn-{n}.log", "w")  # noqa: SIM115 - closed below
            logs.append(log)
            servers.append((port, subprocess.Popen(
                [str(Path(sys.executable).parent / "gunicorn"), "webmail.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1",
                 "--threads", "4", "--control-socket", str(TEST_VAR / f"test-fairness-{port}.ctl"), "--access-logfile", "-"],
                cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, preexec_fn=dies_with_this_process(),
            )))
        for port, process in servers:
            wait_until(lambda: port_open(port) or process.poll() is not None, timeout=60, message="gunicorn to listen")  # noqa: B023
            assert process.poll() is None, (TEST_VAR / "test-fairness-gunicorn-1.log").read_text()[-3000:]
        yield {"ports": [port for port, _ in servers], "redis": private}
    finally:
        for _port, process in servers:
            process.terminate()
            process.wait(timeout=30)
        for log in logs:
            log.close()
        private.kill()


def leases(private: PrivateRedis, person: object, kind: str) -> int:
    client = redis.Redis.from_url(f"{private.url}/0")
    return int(client.zcard(f"{PREFIX}:door:{{{person}}}:{kind}"))


def test_a_persons_burst_over_two_processes_is_bounded_as_a_whole_and_others_are_served(two_servers):
    one, two = two_servers["ports"]
    private = two_servers["redis"]
    busy_user, other_user = mail_user_with("busy", ["hello"]), mail_user_with("other", ["hi"])
    busy = {port: Http(port) for port in (one, two)}
    for http in busy.values():
        http.sign_in(busy_user.email, busy_user.password)
    other = Http(one)
    other.sign_in(other_user.email, other_user.password)
    person = get_user_model().objects.get(username=busy_user.email).pk
    assert busy[one].request("GET", "/mail/INBOX/")[0] == 200

    # The busy person's heavy request runs in process one; the next, in process two, waits for it.
    running = HeldRequest(one, busy[one])
    waiting = None
    try:
        wait_until(lambda: leases(private, person, "heavy") == 1, message="the first request to hold its lease")
        waiting = HeldRequest(two, busy[two])
        wait_until(lambda: leases(private, person, "waiting") == 1, message="the second request to wait for its turn")
        # One more heavy request of that person, in either process, is refused at once.
        for port in (one, two):
            status, headers, page = busy[port].request("GET", "/mail/INBOX/", headers={"Accept": "text/html"})
            assert status == 429, (port, status)
            assert int(headers["Retry-After"]) > 0 and "still busy" in page
            assert 'http-equiv="refresh"' in page  # a page opened meanwhile loads itself again
        # A light one (an open list's poll) still passes: it only counts against the total.
        status, _, body = busy[two].request("GET", "/folders/state/?folder=INBOX", headers={"Accept": "application/json"})
        assert status == 200, body
        # Everyone else is served meanwhile, by both processes.
        assert other.request("GET", "/mail/INBOX/")[0] == 200
        other.base = other.base.replace(str(one), str(two))
        assert other.request("GET", "/mail/INBOX/")[0] == 200
        assert leases(private, person, "all") == 2
        # The running request ends: the waiting one takes its place, and when it ends too the
        # person is served again.
        running.close()
        wait_until(lambda: leases(private, person, "waiting") == 0 and leases(private, person, "heavy") == 1, message="the waiting request to run")
        waiting.close()
        wait_until(lambda: leases(private, person, "all") == 0, message="the leases to be given back")
        for port in (one, two):
            assert busy[port].request("GET", "/mail/INBOX/")[0] == 200
    finally:
        running.close()
        if waiting is not None:
            waiting.close()

    # Redis down: the door fails open to the same bound per process; nothing else breaks.
    private.kill()
    for port in (one, two):
        assert busy[port].request("GET", "/mail/INBOX/")[0] == 200
    held: list[HeldRequest] = []

    def one_more_held_refuses_the_next() -> bool:
        held.append(HeldRequest(one, busy[one]))
        return busy[one].request("GET", "/mail/INBOX/")[0] == 429

    try:
        wait_until(one_more_held_refuses_the_next, message="process one to refuse the person's next request")
        # A running and a waiting place, now counted in process one alone.
        assert len([r for r in held if not r.answered()]) == 2
        assert busy[two].request("GET", "/mail/INBOX/")[0] == 200  # counted per process now
        assert other.request("GET", "/mail/INBOX/")[0] == 200
    finally:
        for request in held:
            request.close()


def test_a_failing_redis_lets_requests_through_with_the_bound_kept_per_process():
    dead = redis.Redis.from_url(f"redis://127.0.0.1:{free_port()}/0", socket_connect_timeout=1)
    door = RequestLeases(client=lambda: dead, prefix="fairness-dead")
    try:
        with override_settings(WEBMAIL_PAGES_PER_PERSON=1, WEBMAIL_PAGES_WAITING_PER_PERSON=1, WEBMAIL_REQUESTS_PER_PERSON=3):
            first = door.acquire("7", heavy=True)
            assert first is not None and redis_health.is_down()
            second = door.acquire("7", heavy=True)
            assert second is not None
            assert door.acquire("7", heavy=True) is None  # the bound, in this process
            assert door.acquire("8", heavy=True) is not None  # someone else
            assert door.acquire("7", heavy=False) is not None  # light: the total has room
            assert door.acquire("7", heavy=False) is None
            door.release(first)
            assert door.acquire("7", heavy=True) is not None
    finally:
        redis_health.recovered()


def test_a_person_just_refused_has_their_next_heavy_requests_paused_and_no_one_else(monkeypatch):
    pauses: list[float] = []
    monkeypatch.setattr(fairness, "_pause", pauses.append)
    door = RequestLeases(prefix="fairness-burst-test")
    with override_settings(WEBMAIL_PAGES_PER_PERSON=1, WEBMAIL_PAGES_WAITING_PER_PERSON=0, WEBMAIL_REQUESTS_PER_PERSON=6):
        first = door.acquire("9", heavy=True)
        assert first is not None and pauses == []  # nothing refused yet: no pause
        assert door.acquire("9", heavy=True) is None  # one too many: refused
        door.release(first)
        again = door.acquire("9", heavy=True)
        assert again is not None and pauses == [fairness.BURST_PAUSE]  # bursting: paused before it runs
        door.release(again)
        assert door.acquire("10", heavy=True) is not None and door.acquire("9", heavy=False) is not None
        assert pauses == [fairness.BURST_PAUSE]  # someone else, and light requests, never pause


def test_what_counts_how_much():
    factory = RequestFactory()
    heavy = ["/mail/INBOX/", "/mail/INBOX/4/", "/mail/compose/", "/folders/", "/accounts/settings/"]
    light = ["/folders/state/", "/folders/tree/", "/actions/abc/", "/mail/INBOX/4/part/2/", "/mail/Work%2FX/4/body/", "/mail/INBOX/4/raw/"]
    for path in heavy:
        assert request_weight(factory.get(path)) == "heavy", path
    for path in light:
        assert request_weight(factory.get(path)) == "light", path
    assert request_weight(factory.post("/actions/")) == "heavy"
    assert request_weight(factory.post("/mail/compose/0d6a2c1e-0000-4000-8000-000000000000/attachments/0d6a2c1e-0000-4000-8000-000000000001/")) == "light"
    assert request_weight(factory.get("/events/")) is None
