"""Scale-out, proven (issue #14): two web nodes (gunicorn, each its own port) and two Celery
workers on one PostgreSQL database (scripts/postgres.sh) and one Redis, behind a
round-robin client as a load balancer would be.

- a session made on one node works on the other;
- the person's IMAP budget (WEBMAIL_POOL_PER_USER_TOTAL) holds across all four processes,
  as Dovecot counts their connections (`doveadm who`);
- killing a web node loses no session (the client's next requests go to the other one);
- killing a worker that holds a queued action loses no action (acks late: it is redelivered
  to the other worker after the visibility timeout).

The processes are started once for the module (they use their own Redis databases and key
prefix, so the suite's own worker never sees their tasks).
"""
from __future__ import annotations

import http.cookiejar
import itertools
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import redis

from mailview.imap.budget import ConnectionBudget
from tests.support import (
    REPO,
    TEST_VAR,
    MailUser,
    append_message,
    dies_with_this_process,
    dovecot_connections,
    imap_direct,
    new_mail_user,
    wait_until,
)

BUDGET = 3  # WEBMAIL_POOL_PER_USER_TOTAL for these processes: below what 2 web + 2 workers could open
PREFIX = f"webmail-scale-{uuid.uuid4().hex[:6]}"
VISIBILITY = 8
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def postgres(*args: str) -> str:
    return subprocess.run(["bash", str(REPO / "scripts" / "postgres.sh"), *args], capture_output=True, text=True, check=True, timeout=60).stdout.strip()


@dataclass
class Node:
    """One process of the deployment, started with the shared environment."""

    name: str
    argv: list[str]
    env: dict[str, str]
    ready: str  # a log line that says it is up
    process: subprocess.Popen[bytes] | None = None
    log_path: Path = field(default=REPO / "var" / "scale.log")

    def start(self) -> None:
        self.log_path = TEST_VAR / f"test-scale-{self.name}.log"
        log = open(self.log_path, "wb")  # noqa: SIM115 - handed to the child
        self.process = subprocess.Popen(
            self.argv, cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=dies_with_this_process(),
        )
        log.close()
        wait_until(lambda: self.process.poll() is not None or self.ready in self.log_path.read_text(errors="replace"),
                   timeout=90, interval=0.2, message=f"{self.name} to start")
        assert self.process.poll() is None, self.log_path.read_text(errors="replace")[-3000:]

    def signal_all(self, sig: int) -> None:
        """The process and its children (gunicorn's worker, Celery's pool), by process group."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, sig)

    def kill(self) -> None:
        self.signal_all(signal.SIGKILL)
        if self.process:
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.signal_all(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


class RoundRobin:
    """A person's browser behind a round-robin load balancer: one cookie jar, each request to
    the next node; a node that refuses connections is skipped (the balancer's health check)."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = ports
        self.turn = itertools.cycle(range(len(ports)))
        self.lock = threading.Lock()
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)
        self.served_by: list[int] = []

    def request(self, path: str, data: dict[str, object] | None = None, *, accept_json: bool = False) -> tuple[int, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        for _ in range(len(self.ports)):
            with self.lock:
                port = self.ports[next(self.turn)]
            req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body)
            if accept_json:
                req.add_header("Accept", "application/json")
            if body is not None:
                req.add_header("X-CSRFToken", self.csrf())
                req.add_header("Referer", f"http://127.0.0.1:{port}/")
            try:
                with self.opener.open(req, timeout=60) as response:
                    self.served_by.append(port)
                    return response.status, response.read().decode(errors="replace")
            except urllib.error.HTTPError as exc:
                self.served_by.append(port)
                return exc.code, exc.read().decode(errors="replace")
            except (ConnectionError, urllib.error.URLError):
                continue  # node down: the next one
        raise AssertionError("no node answered")

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def sign_in(self, user: MailUser) -> None:
        status, _page = self.request("/accounts/login/")
        assert status == 200 and self.csrf()
        status, _page = self.request("/accounts/login/", {"email": user.email, "password": user.password, "csrfmiddlewaretoken": self.csrf()})
        assert status == 302, "signed in"

    def act(self, **data: object) -> str:
        status, body = self.request("/actions/", data, accept_json=True)
        assert status == 200, body[:500]
        return str(json.loads(body)["action_id"])

    def action_state(self, action_id: str) -> str:
        status, body = self.request(f"/actions/{action_id}/", accept_json=True)
        assert status == 200, body[:500]
        return str(json.loads(body)["state"])


@dataclass
class Deployment:
    web: list[Node]
    workers: list[Node]
    env: dict[str, str]

    @property
    def ports(self) -> list[int]:
        return [int(n.argv[n.argv.index("--bind") + 1].rsplit(":", 1)[1]) for n in self.web]

    def redis(self) -> redis.Redis:
        return redis.Redis.from_url(self.env["REDIS_URL"])

    def budget(self) -> ConnectionBudget:
        return ConnectionBudget(self.redis(), limit=BUDGET, prefix=f"{PREFIX}:imap")

    def user_pk(self, email: str) -> int:
        code = f"from django.contrib.auth import get_user_model; print(get_user_model().objects.get(username={email!r}).pk)"
        out = subprocess.run([str(BIN / "python"), "manage.py", "shell", "-c", code], cwd=REPO, env=self.env,
                             capture_output=True, text=True, check=True, timeout=60)
        return int(out.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def deployment() -> Iterator[Deployment]:
    db = f"webmail_scale_{uuid.uuid4().hex[:8]}"
    postgres("createdb", db)
    redis_base = os.environ["REDIS_URL"].rsplit("/", 1)[0]
    env = {
        **os.environ,
        "DATABASE_URL": postgres("url", db),
        "DATABASE_TEST_NAME": "",
        "REDIS_URL": f"{redis_base}/4",
        "CELERY_BROKER_URL": f"{redis_base}/5",
        "CELERY_RESULT_BACKEND": f"{redis_base}/5",
        "WEBMAIL_CACHE_PREFIX": PREFIX,
        "WEBMAIL_POOL_PER_USER_TOTAL": str(BUDGET),
        "WEBMAIL_POOL_PER_PROCESS": "2",
        "WEBMAIL_POOL_WAIT_TIMEOUT": "120",
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY),
        "CELERY_UNACKED_RESTORE_INTERVAL": "1",
        "CELERY_UNACKED_RESTORE_THROTTLE": "1",
    }
    subprocess.run([str(BIN / "python"), "manage.py", "migrate", "--noinput", "-v0"], cwd=REPO, env=env, check=True, timeout=300)
    web = [
        Node(f"web{n}", [str(BIN / "gunicorn"), "webmail.wsgi", "--bind", f"127.0.0.1:{free_port()}", "--workers", "1", "--threads", "4",
                         "--timeout", "120"], env, "Booting worker")
        for n in (1, 2)
    ]
    workers = [
        Node(f"worker{n}", [str(BIN / "celery"), "-A", "webmail", "worker", "--concurrency", "2", "--loglevel", "INFO", "-n", f"scale{n}@%h",
                            "--without-mingle", "--without-gossip"], env, " ready.")
        for n in (1, 2)
    ]
    deployment = Deployment(web, workers, env)
    try:
        for node in (*web, *workers):
            node.start()
        wait_until(lambda: all(_answers(port) for port in deployment.ports), timeout=60, message="both web nodes to answer")
        yield deployment
    finally:
        for node in (*web, *workers):
            node.stop()
        client = deployment.redis()
        for key in client.scan_iter(match=f"*{PREFIX}*", count=500):
            client.delete(key)
        redis.Redis.from_url(env["CELERY_BROKER_URL"]).flushdb()
        postgres("dropdb", db)


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def person() -> MailUser:
    user = new_mail_user("scale")
    with imap_direct(user) as imap:
        imap.create_folder("Work")
        for n in range(8):
            append_message(imap, "INBOX", subject=f"scale {n}")
    return user


def test_a_session_works_on_either_node_and_the_budget_holds_across_all_processes(deployment):
    user = person()
    browser = RoundRobin(deployment.ports)
    browser.sign_in(user)
    for _ in range(4):
        status, page = browser.request("/mail/INBOX/")
        assert status == 200 and "scale 7" in page
    assert set(browser.served_by) == set(deployment.ports), "both nodes served the same session"

    # Load from every side at once: pages on both nodes, actions on both workers.
    seen: list[int] = []
    stop = threading.Event()

    def watch_server() -> None:
        while not stop.is_set():
            seen.append(dovecot_connections(user.email))

    def pages() -> None:
        for n in range(6):
            status, _page = browser.request(f"/mail/INBOX/{(n % 8) + 1}/" if n % 2 else "/mail/INBOX/?sort=subject")
            assert status in (200, 429), status  # 429: the person's fair share of the web nodes, by design

    watcher = threading.Thread(target=watch_server)
    watcher.start()
    try:
        action_ids = [browser.act(action=kind, folder="INBOX", uid=[n]) for n in range(1, 9) for kind in ("flag",)]
        threads = [threading.Thread(target=pages) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
        wait_until(lambda: all(browser.action_state(a) == "done" for a in action_ids), timeout=120, interval=0.5, message="the actions")
    finally:
        stop.set()
        watcher.join(timeout=30)
    assert seen and max(seen) <= BUDGET, f"Dovecot counted {max(seen)} connections of one person, budget {BUDGET}"
    assert max(seen) >= 1
    with imap_direct(user) as imap:
        imap.select_folder("INBOX", readonly=True)
        assert len(imap.search(["FLAGGED"])) == 8
    assert any("mail_action" in w.log() and "succeeded" in w.log() for w in deployment.workers)


def test_killing_a_web_node_and_a_worker_loses_no_session_and_no_queued_action(deployment):
    user = person()
    browser = RoundRobin(deployment.ports)
    browser.sign_in(user)
    assert browser.request("/mail/INBOX/")[0] == 200
    pk = deployment.user_pk(user.email)

    # The person's whole budget held elsewhere: the worker that takes the action waits inside it, mid-run.
    budget = deployment.budget()
    held: list[str] = []

    def take_all() -> bool:
        token = budget.try_acquire(str(pk))
        if token:
            held.append(token)
        else:
            budget.announce("wanted", str(pk))  # the web nodes close their idle connections
        return len(held) == BUDGET

    wait_until(take_all, timeout=60, interval=0.2, message="the whole budget")
    action_id = browser.act(action="copy", folder="INBOX", uid=[1, 2, 3], target="Work")
    doomed = wait_until(
        lambda: next((w for w in deployment.workers if f"[{action_id}] received" in w.log()), None), timeout=30, message="a worker to take the action"
    )
    successor = next(w for w in deployment.workers if w is not doomed)
    doomed.kill()  # mid-run: it waits inside for a connection of the budget held above
    web_down = deployment.web[0]
    web_down.kill()
    for token in held:
        budget.release(str(pk), token)

    # The same browser, the same session, on the node that is left; the action is done by the other worker.
    for _ in range(3):
        status, page = browser.request("/mail/INBOX/")
        assert status == 200 and "scale 0" in page, "signed in still"
    wait_until(lambda: browser.action_state(action_id) == "done", timeout=90, interval=0.5, message="the redelivered action")
    with imap_direct(user) as imap:
        assert imap.folder_status("Work", ["MESSAGES"])[b"MESSAGES"] == 3
    assert f"[{action_id}] received" in successor.log()
    assert browser.served_by[-1] == deployment.ports[1]
