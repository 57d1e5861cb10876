"""Redis and the task queue going away and coming back, with the app as deployed.

The mail stack's Redis is shared by the whole suite, so these tests start two private
redis-server processes on spare loopback ports (one for the cache, sessions' cache and the
pool budget, one for Celery), a gunicorn and a Celery worker pointed at them, then kill a
Redis by PID and start it again.
"""
from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tests.support import REPO, TEST_VAR, CeleryWorker, dies_with_this_process, imap_direct, mail_user_with, wait_until

pytestmark = pytest.mark.django_db(transaction=True)
OUTAGE_LINE = "Redis unreachable"
BACK_LINE = "Redis reachable again"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


class PrivateRedis:
    """A redis-server of this test's own (append-only file, so a restart keeps the data)."""

    def __init__(self, name: str) -> None:
        self.port = free_port()
        self.dir = TEST_VAR / f"test-outage-redis-{name}"
        self.dir.mkdir(parents=True, exist_ok=True)
        for old in self.dir.glob("*"):
            if old.is_file():
                old.unlink()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.dir), "--save", "",
             "--appendonly", "yes", "--appendfsync", "always", "--daemonize", "no", "--logfile", str(self.dir / "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=dies_with_this_process(),
        )
        wait_until(lambda: port_open(self.port) or self.process.poll() is not None, timeout=30, message="redis-server to listen")
        assert self.process.poll() is None, (self.dir / "redis.log").read_text()[-2000:]

    def kill(self) -> None:
        """SIGKILL by PID: what a crash or an OOM kill does."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None
        wait_until(lambda: not port_open(self.port), timeout=10, message="the port to close")


class Http:
    """A browser-like client: a cookie jar, no redirects followed, never raises on 4xx/5xx."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            return None

    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), self._NoRedirect)

    def request(self, method: str, path: str, data: dict | None = None, headers: dict | None = None) -> tuple[int, dict[str, str], str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, method=method, headers=headers or {})  # noqa: S310 - our own loopback server
        try:
            with self.opener.open(req, timeout=60) as response:
                return response.status, dict(response.headers), response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode("utf-8", "replace")

    def cookie(self, name: str) -> str:
        return next((c.value for c in self.jar if c.name == name), "")

    def sign_in(self, email: str, password: str) -> None:
        status, _, page = self.request("GET", "/accounts/login/")
        assert status == 200
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        status, _headers, page = self.request("POST", "/accounts/login/", {"csrfmiddlewaretoken": token, "email": email, "password": password})
        assert status == 302, page[:500]

    def action(self, **form: object) -> tuple[int, dict[str, str], str]:
        return self.request("POST", "/actions/", form, {"Accept": "application/json", "X-CSRFToken": self.cookie("csrftoken")})


class PrivateCeleryWorker(CeleryWorker):
    """A Celery worker on the private broker (the suite's own app pings the shared one)."""

    def start(self) -> None:
        self.offset = offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{self.db_name}", **self.extra_env}
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [self.celery, "-A", "webmail", "worker", "--concurrency", "1", "--loglevel", "INFO", "-n", f"{self.name}@%h", "--without-mingle", "--without-gossip"],
                cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, preexec_fn=dies_with_this_process(),
            )

        def ready() -> bool:
            with open(self.log_path, "rb") as handle:
                handle.seek(offset)
                return b" ready." in handle.read() or self.process.poll() is not None

        wait_until(ready, timeout=60, interval=0.2, message="the Celery worker to be ready")
        assert self.process.poll() is None, self.log_path.read_text()[-3000:]


@pytest.fixture
def stack(django_db_setup):  # type: ignore[no-untyped-def]
    """Two private Redis servers, gunicorn (1 worker, so its log is one process's) and a Celery worker."""
    cache_redis, broker_redis = PrivateRedis("cache"), PrivateRedis("broker")
    cache_redis.start()
    broker_redis.start()
    env = {
        "REDIS_URL": f"{cache_redis.url}/0",
        "CELERY_BROKER_URL": f"{broker_redis.url}/0",
        "CELERY_RESULT_BACKEND": f"{broker_redis.url}/0",
        "WEBMAIL_CACHE_PREFIX": "webmail-outage-test",
    }
    db = settings.DATABASES["default"]["NAME"]
    port = free_port()
    log_path = TEST_VAR / "test-outage-gunicorn.log"
    log = open(log_path, "w")  # noqa: SIM115 - handed to the child, closed below
    web = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "webmail.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "4",
         "--control-socket", str(TEST_VAR / f"test-outage-{port}.ctl")],
        cwd=REPO, env={**os.environ, **env, "DATABASE_URL": f"sqlite:///{db}"}, stdout=log, stderr=subprocess.STDOUT,
        preexec_fn=dies_with_this_process(),
    )
    worker = PrivateCeleryWorker(db, name="outage", env=env)
    try:
        wait_until(lambda: port_open(port) or web.poll() is not None, timeout=60, message="gunicorn to listen")
        assert web.poll() is None, log_path.read_text()
        worker.start()
        yield {"port": port, "cache": cache_redis, "broker": broker_redis, "log": log_path, "worker": worker}
    finally:
        worker.stop()
        web.terminate()
        web.wait(timeout=30)
        log.close()
        cache_redis.kill()
        broker_redis.kill()


def flagged(user) -> list[int]:  # type: ignore[no-untyped-def]
    with imap_direct(user) as imap:
        imap.select_folder("INBOX", readonly=True)
        return sorted(imap.search(["FLAGGED"]))


def log_lines(path: Path, text: str) -> int:
    return sum(1 for line in path.read_text(errors="replace").splitlines() if text in line)


def test_redis_down_means_a_503_page_with_retry_after_sign_in_still_works_and_refused_actions_are_visible(stack):
    user = mail_user_with("outage", ["first", "second", "third"])
    browser = Http(stack["port"])
    browser.sign_in(user.email, user.password)
    assert browser.request("GET", "/mail/INBOX/")[0] == 200

    stack["cache"].kill()
    # Still signed in (the session is read from the database): the list needs no Redis.
    assert browser.request("GET", "/mail/INBOX/")[0] == 200
    # Signed-in pages work where they need no Redis, else answer the "temporarily unavailable"
    # page with Retry-After: never a bare 500.
    for path in ("/mail/INBOX/", "/mail/INBOX/1/", "/folders/"):
        for _ in range(3):
            status, headers, page = browser.request("GET", path)
            assert status in (200, 503), (path, status)
            if status == 503:
                assert int(headers["Retry-After"]) > 0 and "Temporarily unavailable" in page
    # Signing in needs no Redis: the session lives in the database as well.
    stranger = Http(stack["port"])
    status, _, page = stranger.request("GET", "/accounts/login/")
    assert status == 200 and 'name="password"' in page
    # ... and so does signing in itself: its attempt counter is in Redis and fails open,
    # with the outage's one log line, not a traceback per attempt (checked at the end).
    stranger.sign_in(user.email, user.password)
    assert stranger.request("GET", "/mail/INBOX/")[0] == 200
    # An action posted now is refused, visibly: as a translated page for a form...
    for language, title, text in (("en", "Temporarily unavailable", "what you just did was not done"), ("de", "Vorübergehend nicht verfügbar", "wurde nicht ausgeführt")):
        status, headers, page = browser.request(
            "POST", "/actions/", {"action": "flag", "folder": "INBOX", "uid": [1]},
            {"Accept-Language": language, "X-CSRFToken": browser.cookie("csrftoken")},
        )
        assert status == 503 and int(headers["Retry-After"]) > 0
        assert title in page and text in page
    # ... and as an error the list page shows (undoing its optimistic change) for its script.
    status, headers, body = browser.action(action="flag", folder="INBOX", uid=[1])
    assert status == 503 and int(headers["Retry-After"]) > 0
    assert "not done" in json.loads(body)["error"]

    stack["cache"].start()
    wait_until(lambda: browser.request("GET", "/mail/INBOX/")[0] == 200, timeout=60, interval=0.5, message="pages to work again")
    # Still signed in, and the refused action was not applied behind the user's back.
    assert flagged(user) == []
    status, _, body = browser.action(action="flag", folder="INBOX", uid=[1])
    assert status == 200, body
    wait_until(lambda: flagged(user) == [1], timeout=90, interval=0.5, message="the action to be applied")
    # One line when Redis went away and one when it came back: not a traceback per request.
    wait_until(lambda: log_lines(stack["log"], BACK_LINE) == 1, timeout=10, message="the recovery to be logged")
    assert log_lines(stack["log"], OUTAGE_LINE) == 1
    assert log_lines(stack["log"], "Traceback") == 0


def test_the_task_queue_down_refuses_actions_visibly_while_reading_mail_still_works(stack):
    user = mail_user_with("broker", ["first", "second"])
    browser = Http(stack["port"])
    browser.sign_in(user.email, user.password)
    stack["broker"].kill()
    assert browser.request("GET", "/mail/INBOX/")[0] == 200  # reading needs no queue
    status, headers, body = browser.action(action="flag", folder="INBOX", uid=[2])
    assert status == 503 and int(headers["Retry-After"]) > 0
    assert "not done" in json.loads(body)["error"]
    stack["broker"].start()
    wait_until(lambda: browser.action(action="flag", folder="INBOX", uid=[2])[0] == 200, timeout=60, interval=0.5, message="actions to be taken again")
    wait_until(lambda: flagged(user) == [2], timeout=90, interval=0.5, message="the action to be applied")
    assert log_lines(stack["log"], "Task queue (Celery broker) unreachable") == 1
    wait_until(lambda: log_lines(stack["log"], "Task queue (Celery broker) reachable again") == 1, timeout=10, message="the recovery to be logged")
    assert log_lines(stack["log"], "Traceback") == 0
    # The worker too: one line when it lost the broker, not one per reconnect attempt.
    worker = stack["worker"]
    worker_log = worker.log_path.read_text(errors="replace")[worker.offset:]
    assert worker_log.count("Task queue (Celery broker) unreachable") == 1, worker_log[-3000:]
    assert "Trying again" not in worker_log and "Traceback" not in worker_log
    assert worker_log.count("Connected to") == 2  # at start, and back after the outage
