"""Helpers for tests that talk to the real mail stack started by scripts/test.sh."""
from __future__ import annotations

import ctypes
import os
import re
import signal
import ssl
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from django.test import Client
from imapclient import IMAPClient

REPO = Path(__file__).resolve().parent.parent
MAILSTACK = REPO / "scripts" / "mailstack.sh"
# Where tests put their logs, control sockets and private servers' data: var/, or one folder per
# shard when scripts/test.sh runs the suite as parallel shards (each on a mail stack of its own).
TEST_VAR = Path(os.environ.get("WEBMAIL_TEST_VAR") or REPO / "var").resolve()
TEST_VAR.mkdir(parents=True, exist_ok=True)
T = TypeVar("T")

LOGIN_LINE = re.compile(r"imap-login: Info: Login: user=<([^>]*)>")
LOGOUT_LINE = re.compile(r"imap\(([^)]*)\)<\d+><[^>]+>: Info: .*?\bin=(\d+) out=(\d+)")


def wait_until(predicate: Callable[[], T], *, timeout: float = 10.0, interval: float = 0.05, message: str = "condition") -> T:
    """Poll `predicate` until it returns something truthy, or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {message}")
        time.sleep(interval)


_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
# Looked up here, not after the fork: the child only calls it.
_prctl = getattr(ctypes.CDLL(None, use_errno=True), "prctl", None) if sys.platform.startswith("linux") else None


def dies_with_this_process() -> Callable[[], None]:
    """A `preexec_fn` for the processes tests start (Celery workers, watchers, servers): the child
    gets SIGTERM when this process dies, however it dies, so a test run killed from outside
    (SIGKILL, a CI timeout) leaves nothing running against its deleted database.

    Linux ties the signal to the thread that starts the child (PR_SET_PDEATHSIG): start such
    processes from the thread that lives as long as they should (pytest's, for fixtures)."""
    parent = os.getpid()

    def preexec() -> None:
        if _prctl is not None:
            _prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # it died between the fork and the prctl: too late for the signal
            os._exit(1)

    return preexec


def process_running(pid: int) -> bool:
    """The process is alive and not a zombie (an orphan's new parent may reap it late)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def mailstack(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(MAILSTACK), *args], capture_output=True, text=True, check=check, timeout=120)


@dataclass(frozen=True)
class MailUser:
    email: str
    password: str


# Every mail user the tests create, in order; tests/conftest.py removes them (and their mail)
# when the module or session that created them ends (see remove_mail_users_since).
CREATED_MAIL_USERS: list[str] = []


# Users made ahead, per (prefix, domain): `mailstack.sh adduser` costs the same for one user as
# for several (its fixed part, a Postfix map rebuild, dominates), so a prefix asked for often
# gets its users in batches; the ones never handed out are deleted when the session ends.
RESERVED_MAIL_USERS: dict[tuple[str, str], list[MailUser]] = {}
_RESERVE_ASKED: dict[tuple[str, str], int] = {}
RESERVE_BATCH_MAX = 8


def new_mail_user(prefix: str = "user", domain: str = "example.test", *, quota: str | None = None) -> MailUser:
    """A new mail user; `quota` (e.g. "100K") gives them a storage limit of their own (such
    users are made one at a time, never from the reserve)."""
    if quota:
        user = MailUser(f"{prefix}-{uuid.uuid4().hex[:10]}@{domain}", f"pw-{uuid.uuid4().hex[:12]}")
        CREATED_MAIL_USERS.append(user.email)
        mailstack("adduser", "--quota", quota, user.email, user.password)
        return user
    key = (prefix, domain)
    reserve = RESERVED_MAIL_USERS.setdefault(key, [])
    _RESERVE_ASKED[key] = asked = _RESERVE_ASKED.get(key, 0) + 1
    if not reserve:
        batch = [MailUser(f"{prefix}-{uuid.uuid4().hex[:10]}@{domain}", f"pw-{uuid.uuid4().hex[:12]}") for _ in range(min(asked, RESERVE_BATCH_MAX))]
        try:
            mailstack("adduser", *(field for made in batch for field in (made.email, made.password)))
        except BaseException:
            CREATED_MAIL_USERS.extend(made.email for made in batch)  # whatever was made is removed
            raise
        reserve.extend(batch)
    user = reserve.pop(0)
    CREATED_MAIL_USERS.append(user.email)
    return user


def remove_reserved_mail_users() -> None:
    """Delete the users made ahead and never handed out (at the end of the session)."""
    unused = [user.email for reserve in RESERVED_MAIL_USERS.values() for user in reserve]
    RESERVED_MAIL_USERS.clear()
    if unused:
        mailstack("deluser", *unused)


def remove_mail_users_since(mark: int) -> list[str]:
    """Delete the mail users created after the first `mark` (accounts, sessions and mail) in one
    `mailstack.sh deluser` call; returns their addresses."""
    doomed = CREATED_MAIL_USERS[mark:]
    del CREATED_MAIL_USERS[mark:]
    if doomed:
        mailstack("deluser", *doomed)
    return doomed


def imap_direct(user: MailUser) -> IMAPClient:
    """An independent imapclient connection (not through the app's pool) to check the server's state."""
    context = ssl.create_default_context(cafile=os.environ["WEBMAIL_IMAP_CA_FILE"])
    client = IMAPClient(os.environ.get("WEBMAIL_IMAP_HOST", "127.0.0.1"), port=int(os.environ["WEBMAIL_IMAP_PORT"]), ssl=False, timeout=30)
    client.starttls(context)
    client.login(user.email, user.password)
    return client


def mail_user_with(name: str, subjects: list[str], *, folder: str = "INBOX", seen: bool = False) -> MailUser:
    """A new mail user whose `folder` holds one message per subject, appended in order."""
    user = new_mail_user(name)
    with imap_direct(user) as imap:
        for subject in subjects:
            append_message(imap, folder, subject=subject, seen=seen)
    return user


def server_subjects(user: MailUser, folder: str, *criteria: str) -> list[str]:
    """Sorted subjects of the messages in `folder` (matching `criteria`), asked independently."""
    with imap_direct(user) as imap:
        imap.select_folder(folder, readonly=True)
        uids = imap.search(list(criteria) or ["ALL"])
        data = imap.fetch(uids, ["ENVELOPE"]) if uids else {}
        return sorted(v[b"ENVELOPE"].subject.decode() for v in data.values())


def append_message(client: IMAPClient, folder: str, *, subject: str = "Hello", seen: bool = False, sender: str = "Someone <someone@example.org>") -> None:
    body = f"From: {sender}\r\nTo: x@example.test\r\nSubject: {subject}\r\nMessage-ID: <{uuid.uuid4().hex}@example.org>\r\nDate: Tue, 01 Dec 2026 10:00:00 +0000\r\n\r\nBody of {subject}\r\n"
    client.append(folder, body.encode(), flags=[b"\\Seen"] if seen else [])


@contextmanager
def imap_commands_sent() -> Iterator[list[str]]:
    """Every IMAP command this process sends in the block, as `NAME arguments...` (upper-case
    name): imaplib's `_command` is wrapped, and imapclient's `_raw_command` (which sends SORT,
    THREAD, SEARCH and others past imaplib, as `UID SORT ...`); the server is the real one and
    answers as usual. LIST-STATUS shows as a `LIST ... RETURN (... STATUS (...))`."""
    import imaplib

    from imapclient import IMAPClient

    sent: list[str] = []
    original = imaplib.IMAP4._command
    original_raw = IMAPClient._raw_command

    def spy(self: imaplib.IMAP4, name: str, *args: object) -> object:
        shown = [a.decode(errors="replace") if isinstance(a, bytes) else str(a) for a in args]
        sent.append(" ".join([name.upper(), *shown]))
        return original(self, name, *args)

    def spy_raw(self: IMAPClient, command: bytes, args: list, uid: bool = True) -> object:
        shown = [a.decode(errors="replace") if isinstance(a, bytes) else str(a) for a in args]
        name = command.decode(errors="replace").upper()
        sent.append(" ".join([*(["UID"] if uid and self.use_uid else []), name, *shown]))
        return original_raw(self, command, args, uid=uid)

    imaplib.IMAP4._command = spy  # type: ignore[method-assign]
    IMAPClient._raw_command = spy_raw  # type: ignore[method-assign]
    try:
        yield sent
    finally:
        imaplib.IMAP4._command = original  # type: ignore[method-assign]
        IMAPClient._raw_command = original_raw  # type: ignore[method-assign]


def asks_for_counts(commands: list[str]) -> list[str]:
    """The commands of `imap_commands_sent` that ask the server for folder counts: STATUS,
    or LIST with a STATUS return option (LIST-STATUS)."""
    return [c for c in commands if c.startswith("STATUS") or (c.startswith("LIST") and "STATUS" in c.upper())]


def mailbox_of_cases(prefix: str, raws: dict[str, bytes]) -> tuple[MailUser, dict[str, int]]:
    """A new mail user holding one message per case (each carries an `X-Test-Case: <name>`
    header); returns the user and {case name: UID}."""
    user = new_mail_user(prefix)
    with imap_direct(user) as imap:
        for raw in raws.values():
            imap.append("INBOX", raw)
        imap.select_folder("INBOX", readonly=True)
        fetched = imap.fetch(imap.search(["ALL"]), [b"BODY.PEEK[HEADER.FIELDS (X-TEST-CASE)]"])
    uids = {}
    for uid, data in fetched.items():
        value = next(v for k, v in data.items() if k.startswith(b"BODY["))
        uids[value.decode().split(":", 1)[1].strip()] = int(uid)
    assert set(uids) == set(raws)
    return user, uids


def act(client: Client, **data: object) -> dict[str, object]:
    """Post a filing action as the page's script does and wait for the worker to finish it:
    the status answer (`state`, `error`, `notice`, `undo`, `result`) and the action's `id`."""
    json = {"HTTP_ACCEPT": "application/json"}
    response = client.post("/actions/", data, **json)
    assert response.status_code == 200, response.content
    action_id = response.json()["action_id"]
    return wait_until(
        lambda: (s := client.get(f"/actions/{action_id}/", **json).json())["state"] != "pending" and {**s, "id": action_id},
        timeout=30,
        message="the action to finish",
    )


def deliver_by_smtp(user: MailUser, *, subject: str) -> None:
    """Mail to `user` through Postfix (SMTP, then LMTP into Dovecot), as from outside; returns
    once it is in the INBOX."""
    import smtplib

    body = f"From: Outside <outside@example.org>\r\nTo: {user.email}\r\nSubject: {subject}\r\nMessage-ID: <{uuid.uuid4().hex}@example.org>\r\n\r\nDelivered by SMTP.\r\n"
    with smtplib.SMTP("127.0.0.1", int(os.environ["MAILSTACK_SMTP_PORT"]), timeout=30) as smtp:
        smtp.sendmail("outside@example.org", [user.email], body.encode())
    wait_until(lambda: subject in server_subjects(user, "INBOX"), timeout=30, message=f"{subject!r} delivered")


class DovecotLog:
    """Reads Dovecot's log from a mark: logins and per-session bytes of one user."""

    def __init__(self) -> None:
        self.path = Path(os.environ["MAILSTACK_DOVECOT_LOG"])
        self.offset = self.path.stat().st_size

    def mark(self) -> None:
        self.offset = self.path.stat().st_size

    def lines(self) -> list[str]:
        with self.path.open("rb") as handle:
            handle.seek(self.offset)
            return handle.read().decode("utf-8", "replace").splitlines()

    def logins(self, email: str) -> int:
        return sum(1 for line in self.lines() if (m := LOGIN_LINE.search(line)) and m.group(1) == email)

    def logouts(self, email: str) -> list[tuple[int, int]]:
        return [(int(m.group(2)), int(m.group(3))) for line in self.lines() if (m := LOGOUT_LINE.search(line)) and m.group(1) == email]


def dovecot_connections(email: str) -> int:
    """Live IMAP connections of a user as Dovecot counts them (`doveadm who`)."""
    result = mailstack("doveadm", "who", "-1", email, check=False)
    count = 0
    for line in result.stdout.splitlines():
        parts = line.split()
        if parts and parts[0] == email and (len(parts) < 3 or parts[1] == "imap" or "imap" in line):
            count += 1
    return count


class RawUriClient(Client):
    """Django's test client, passing the undecoded path as gunicorn does (RAW_URI)."""

    def generic(self, method, path, *args, **extra):  # type: ignore[no-untyped-def]
        extra.setdefault("RAW_URI", path)
        return super().generic(method, path, *args, **extra)


class CeleryWorker:
    """A real `celery -A webmail worker` process on the test database (tests start, stop and kill it)."""

    def __init__(self, db_name: str, name: str = "test", *, queues: str = "celery", env: dict[str, str] | None = None, concurrency: int = 2) -> None:
        import sys

        self.db_name = db_name
        self.concurrency = concurrency
        self.name = name
        self.queues = queues
        self.extra_env = env or {}
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = TEST_VAR / f"test-celery-{name}.log"
        self.celery = str(Path(sys.executable).parent / "celery")

    def start(self) -> None:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{self.db_name}", **self.extra_env}
        log = open(self.log_path, "ab")  # noqa: SIM115 - handed to the child
        self.process = subprocess.Popen(
            [self.celery, "-A", "webmail", "worker", "--concurrency", str(self.concurrency), "--loglevel", "INFO", "-Q", self.queues, "-n", f"{self.name}-{uuid.uuid4().hex[:6]}@%h", "--without-mingle", "--without-gossip"],
            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, preexec_fn=dies_with_this_process(),
        )
        log.close()
        from webmail.celery import app

        wait_until(
            lambda: self.process.poll() is not None or any(self.name in name for reply in app.control.ping(timeout=0.5) for name in reply),
            timeout=60, interval=0.2, message="the Celery worker to answer ping",
        )
        assert self.process.poll() is None, self.log_path.read_text()[-3000:]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None

    def kill(self) -> None:
        """SIGKILL the whole worker (main process and its pool children)."""
        import signal

        if self.process and self.process.poll() is None:
            children = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True).stdout.split()
            self.process.send_signal(signal.SIGKILL)
            for pid in children:
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except (ProcessLookupError, ValueError):
                    pass
            self.process.wait(timeout=10)
        self.process = None


class WatcherProcess:
    """A real `manage.py watch_mailboxes` process on the test database (tests start, stop and kill it)."""

    def __init__(self, db_name: str, name: str = "test", *, env: dict[str, str] | None = None) -> None:
        import sys

        self.db_name = db_name
        self.name = name
        self.extra_env = {"WEBMAIL_WATCH_GRACE_SECONDS": "0", **(env or {})}
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = TEST_VAR / f"test-watcher-{name}.log"
        self.python = sys.executable

    def start(self) -> None:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{self.db_name}", **self.extra_env}
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [self.python, "manage.py", "watch_mailboxes"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                preexec_fn=dies_with_this_process(),
            )

    def stop(self) -> None:
        """SIGTERM: it lets go of its people (leases, budget, marks) and exits."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None

    def kill(self) -> None:
        import signal

        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    import socket

    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex((host, port)) == 0


class EventServer:
    """The live mailbox's event server as deployed: `uvicorn webmail.asgi:application` on the
    test database, serving `/events/` (Server-Sent Events). `url` is the events URL a page
    gets as WEBMAIL_EVENTS_URL; `allowed_origins` the web origins it answers CORS for."""

    def __init__(self, db_name: str, port: int, *, allowed_origins: tuple[str, ...] = (), env: dict[str, str] | None = None) -> None:
        import sys

        self.db_name = db_name
        self.port = port
        self.allowed_origins = allowed_origins
        self.extra_env = env or {}
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = TEST_VAR / f"test-events-{port}.log"
        self.uvicorn = str(Path(sys.executable).parent / "uvicorn")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.base}/events/"

    def start(self) -> None:
        assert not port_open(self.port), f"port {self.port} is taken; set WEBMAIL_EVENTS_PORT"
        env = {
            **os.environ, "DATABASE_URL": f"sqlite:///{self.db_name}", "DJANGO_DEBUG": "0",
            "WEBMAIL_EVENTS_ALLOWED_ORIGINS": ",".join(self.allowed_origins), **self.extra_env,
        }
        log = open(self.log_path, "ab")  # noqa: SIM115 - handed to the child
        self.process = subprocess.Popen(
            [self.uvicorn, "webmail.asgi:application", "--host", "127.0.0.1", "--port", str(self.port),
             "--lifespan", "off", "--no-access-log", "--timeout-graceful-shutdown", "2"],
            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, preexec_fn=dies_with_this_process(),
        )
        log.close()
        wait_until(lambda: port_open(self.port) or self.process.poll() is not None, timeout=60, interval=0.1, message="the event server to listen")
        assert self.process.poll() is None, self.log_path.read_text()[-3000:]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None


@dataclass(frozen=True)
class ServerSentEvent:
    id: str | None
    kind: str
    data: object


class EventStreamClient:
    """A minimal Server-Sent Events client for tests: one GET of the events URL, then events
    one by one (comments and `retry:` lines skipped, counted in `heartbeats`/`retry`)."""

    def __init__(self, url: str, *, session: str | None = None, last_event_id: str | None = None, origin: str | None = None,
                 method: str = "GET", timeout: float = 10.0) -> None:
        import http.client
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        self.connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=timeout)
        headers = {"Accept": "text/event-stream"}
        if session:
            headers["Cookie"] = f"sessionid={session}"
        if last_event_id is not None:
            headers["Last-Event-ID"] = last_event_id
        if origin:
            headers["Origin"] = origin
        self.connection.request(method, parts.path + (f"?{parts.query}" if parts.query else ""), headers=headers)
        self.response = self.connection.getresponse()
        self.status = self.response.status
        self.headers = self.response.headers
        self.heartbeats = 0
        self.retry: int | None = None

    def next_event(self, timeout: float = 10.0) -> ServerSentEvent:
        import json

        assert self.connection.sock is not None
        self.connection.sock.settimeout(timeout)
        fields: dict[str, str] = {}
        while True:
            line = self.response.readline()
            if not line:
                raise EOFError("the event stream ended")
            text = line.decode().rstrip("\n")
            if text == "":
                if "data" in fields:
                    return ServerSentEvent(fields.get("id"), fields.get("event", "message"), json.loads(fields["data"]))
                fields = {}
                continue
            if text.startswith(":"):
                self.heartbeats += 1
                continue
            name, _, value = text.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if name == "retry":
                self.retry = int(value)
            else:
                fields[name] = value

    def events(self, count: int, timeout: float = 10.0) -> list[ServerSentEvent]:
        return [self.next_event(timeout) for _ in range(count)]

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> EventStreamClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def cpython_test_messages() -> list[Path]:
    """CPython's own email test corpus (`test/test_email/data/msg_*.txt`). scripts/bootstrap.sh
    installs it where the Python lacks it (Debian: libpython3.X-testsuite)."""
    import test as cpython_test  # only to locate the data

    found = sorted((Path(cpython_test.__file__).parent / "test_email" / "data").glob("msg_*.txt"))
    assert found, "CPython's email test data is missing: run scripts/bootstrap.sh --test"
    return found
