#!/usr/bin/env python3
"""The read path through HTTP, against the raw IMAP floor.

Run it with ``bash bench/run.sh`` (which starts the mail stack, sets the bench's own
Redis DBs, SQLite file and secrets, and migrates); this script then

1. adds and seeds ``bench10k@example.test`` (10,000 INBOX messages) and
   ``bench100k@example.test`` (100,000) unless already there, timing the seeding and
   the first-ever open of each folder (SELECT + SORT + FETCH on a fresh connection);
2. opens one persistent, logged-in imapclient connection per user with INBOX
   selected (the *floor*), warms Dovecot's index and cache (SELECT, SORT ARRIVAL,
   SORT SUBJECT) and finds the messages to open (SEARCH HEADER X-Mailgen-Kind,
   SEARCH SUBJECT);
3. starts the app as deployed (gunicorn 2 workers x 4 threads, a Celery worker) on
   127.0.0.1, signs in through HTTP like a browser (cookie jar, CSRF token, one
   keep-alive connection per user);
4. times, per user, each request of the read path (after one warm-up; app runs, then
   floor runs) against the same data fetched with imapclient over the floor connection.
   Extra rows: a signed-in request that touches no IMAP (the per-request cost of HTTP +
   Django), and "cold" variants that delete the app's Redis cache entries (sorted UID
   list, rendered body) before every app run, i.e. what a cache miss or a first open costs;
5. prints a table, and a second one splitting each open into what the client waited
   for per request, the time inside the app, and the IMAP and database time within it
   (from the app's Server-Timing headers), and writes it all as JSON to
   var/bench/last-run.json.

Every loop is bounded by a count and a deadline; only 127.0.0.1 is contacted.
Standard library plus imapclient (and the app's own pure ``mailview.mime`` to know
which parts the message page displays).
"""
from __future__ import annotations

import argparse
import html
import http.client
import json
import math
import os
import re
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from imapclient import IMAPClient

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# The command and ESEARCH parsing only: the floor still talks imapclient on its own connection.
from mailview.imap.sort import esort_page

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from mailview.mime import display_plan, parse_bodystructure  # noqa: E402  (pure, no Django)

STATE = REPO / "var" / "bench"
VENV_BIN = REPO / ".venv" / "bin"
HOST = "127.0.0.1"

BIG_SUBJECT = "Quarterly report with 20 MB attachment"
BIG_FILENAME = "Quarterly-report-Q3.pdf"
BIG_EXACT_SIZE = 20 * 1024 * 1024
PER_PAGE = 50  # the app's default messages_per_page
SUMMARY_ITEMS = [b"UID", b"FLAGS", b"ENVELOPE", b"RFC822.SIZE", b"INTERNALDATE", b"BODYSTRUCTURE"]
META_ITEMS = SUMMARY_ITEMS  # what the message page fetches first (fetch_message_meta)


@dataclass(frozen=True)
class BenchUser:
    label: str
    email: str
    count: int
    seed: int


USERS = (
    BenchUser("10k", "bench10k@example.test", 10_000, 10),
    BenchUser("100k", "bench100k@example.test", 100_000, 100),
)

MEASUREMENTS = [
    ("http_fixed", "signed-in GET /mail/ (302, no IMAP)"),
    ("list_first", "list page 1"),
    ("list_first_cold", "list page 1, sort cache cold"),
    ("list_page100", "list page 100"),
    ("sort_subject", "sort by subject"),
    ("open_plain", "open plain (page+body)"),
    ("open_plain_cold", "open plain, body cache cold"),
    ("open_newsletter", "open newsletter (page+body)"),
    ("open_newsletter_cold", "open newsletter, body cache cold"),
    ("open_big", "open 20 MB msg (page+body)"),
    ("open_big_cold", "open 20 MB msg, body cache cold"),
    ("download_big", "download 20 MB attachment"),
]

# The app's Redis cache keys (Django's "<prefix>:<version>:<key>"): the "cold" rows delete them
# before every app run, so the app does what it does on a cache miss (any change to the folder
# changes the sorted-UID key; the body cache is per message, so every first open is cold).
SORT_CACHE_PATTERN = "sorted-uids:*"
BODY_CACHE_PATTERN = "body:*"


def delete_cache_keys(pattern: str) -> int:
    """Delete the bench's own app cache keys (its own Redis DB and key prefix)."""
    import redis  # the app's dependency, in the venv

    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    prefix = os.environ.get("WEBMAIL_CACHE_PREFIX", "webmail")
    keys = list(client.scan_iter(match=f"{prefix}:1:{pattern}", count=1000))
    if keys:
        client.delete(*keys)
    client.close()
    return len(keys)


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


class Deadline:
    def __init__(self, seconds: float, what: str) -> None:
        self.end = time.monotonic() + seconds
        self.what = what

    def left(self) -> float:
        return self.end - time.monotonic()

    def passed(self) -> bool:
        return time.monotonic() > self.end

    def check(self) -> None:
        if self.passed():
            raise TimeoutError(f"deadline passed: {self.what}")


# --------------------------------------------------------------------------- IMAP


def imap_connect(email: str, password: str, *, timeout: float = 120.0) -> IMAPClient:
    """Logged in the way the app logs in (STARTTLS on the stack's port, its CA)."""
    port = int(os.environ["MAILSTACK_IMAP_PORT"])
    context = ssl.create_default_context(cafile=os.environ["MAILSTACK_CA_FILE"])
    client = IMAPClient(HOST, port=port, ssl=False, timeout=timeout)
    client.normalise_times = False
    client.starttls(context)
    client.login(email, password)
    return client


def floor_list(client: IMAPClient, criteria: bytes, first: int, last: int) -> int:
    _total, uids = esort_page(client, criteria, first, last)
    if len(uids) != last - first + 1:
        raise RuntimeError(f"ESORT returned {len(uids)} UIDs for {first}:{last}")
    got = client.fetch(uids, SUMMARY_ITEMS)
    if len(got) != len(uids):
        raise RuntimeError("FETCH returned fewer messages than asked")
    return len(got)


def floor_open(client: IMAPClient, uid: int, sections: list[str]) -> int:
    meta = client.fetch([uid], META_ITEMS)
    if uid not in meta:
        raise RuntimeError(f"message {uid} is gone")
    if not sections:
        return 0
    body = client.fetch([uid], [f"BODY.PEEK[{s}]".encode() for s in sections])
    return sum(len(v) for k, v in body.get(uid, {}).items() if bytes(k).startswith(b"BODY[") and v)


def floor_download(client: IMAPClient, uid: int, section: str) -> int:
    got = client.fetch([uid], [f"BODY.PEEK[{section}]".encode()])
    data = next((v for k, v in got.get(uid, {}).items() if bytes(k).startswith(b"BODY[")), None)
    if not data:
        raise RuntimeError("attachment fetch returned nothing")
    return len(data)


def displayed_sections(client: IMAPClient, uid: int) -> list[str]:
    """The text parts the message page shows (the app's own display plan, default prefs)."""
    meta = client.fetch([uid], [b"BODYSTRUCTURE"])
    root = parse_bodystructure(meta[uid][b"BODYSTRUCTURE"])
    return [p.section for p in display_plan(root, prefer_plain=False).body_parts]


# --------------------------------------------------------------------------- seeding


def maildir_count(user: BenchUser) -> int:
    home = Path(os.environ["MAILSTACK_DIR"]) / "mail" / user.email.split("@")[1] / user.email.split("@")[0]
    n = 0
    for sub in ("cur", "new"):
        d = home / "Maildir" / "INBOX" / sub
        if d.is_dir():
            with os.scandir(d) as it:
                n += sum(1 for _ in it)
    return n


def user_home(user: BenchUser) -> Path:
    local, domain = user.email.split("@")
    return Path(os.environ["MAILSTACK_DIR"]) / "mail" / domain / local


def run(cmd: list[str], *, timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=REPO, text=True, capture_output=True, timeout=timeout, check=True)


def ensure_user(user: BenchUser, password: str) -> None:
    # A quota of their own: the 100k mailbox is over the stack's default quota, and the
    # benches APPEND to it (threads, fts, push).
    run(["bash", "scripts/mailstack.sh", "adduser", "--quota", "100G", user.email, password], timeout=120)


def seed(user: BenchUser, *, timeout: float) -> dict | None:
    """Seed the INBOX if it holds fewer than `count` messages; None when nothing was needed."""
    have = maildir_count(user)
    if have >= user.count:
        log(f"{user.email}: INBOX already has {have} messages, not seeding")
        return None
    log(f"{user.email}: seeding {user.count - have} messages (has {have}) ...")
    t0 = time.monotonic()
    proc = run(
        [sys.executable, "scripts/mailgen.py", "seed", "--user", user.email, "--count", str(user.count),
         "--seed", str(user.seed), "--big-attachments", "1", "--index"],
        timeout=timeout,
    )
    total = time.monotonic() - t0
    m = re.search(r"mailgen: \d+ messages written under .* in ([0-9.]+)s", proc.stdout)
    generate = float(m.group(1)) if m else None
    result = {
        "messages_before": have,
        "messages_after": maildir_count(user),
        "seconds_total": round(total, 1),
        "seconds_generate": generate,
        "seconds_doveadm_index": round(total - generate, 1) if generate is not None else None,
        "mailgen_output": proc.stdout.strip().splitlines()[-3:],
        "at": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    log(f"{user.email}: seeded in {total:.1f}s (generate {generate}s, doveadm force-resync {result['seconds_doveadm_index']}s)")
    return result


def first_open(user: BenchUser, password: str) -> dict:
    """A fresh connection: LOGIN, SELECT INBOX, the first list page, then SORT SUBJECT once.

    On a just-seeded folder this is the first-ever open (Dovecot builds its cache now).
    """
    out: dict[str, float] = {}
    t0 = time.monotonic()
    client = imap_connect(user.email, password, timeout=900)
    out["login_ms"] = (time.monotonic() - t0) * 1000
    try:
        t = time.monotonic()
        client.select_folder("INBOX", readonly=True)
        out["select_ms"] = (time.monotonic() - t) * 1000
        t = time.monotonic()
        _total, uids = esort_page(client, b"REVERSE ARRIVAL", 1, PER_PAGE)
        out["esort_arrival_ms"] = (time.monotonic() - t) * 1000
        t = time.monotonic()
        client.fetch(uids, SUMMARY_ITEMS)
        out["fetch_page_ms"] = (time.monotonic() - t) * 1000
        out["first_list_page_total_ms"] = (time.monotonic() - t0) * 1000
        t = time.monotonic()
        esort_page(client, b"SUBJECT", 1, PER_PAGE)
        out["first_sort_subject_ms"] = (time.monotonic() - t) * 1000
        t = time.monotonic()
        esort_page(client, b"REVERSE ARRIVAL", 1, PER_PAGE)
        out["second_esort_arrival_ms"] = (time.monotonic() - t) * 1000
    finally:
        try:
            client.logout()
        except Exception:  # noqa: BLE001
            pass
    return {k: round(v, 1) for k, v in out.items()}


# --------------------------------------------------------------------------- HTTP


class Browser:
    """One keep-alive HTTP/1.1 connection with a cookie jar; what a browser tab does."""

    def __init__(self, port: int, *, timeout: float = 120.0) -> None:
        self.port = port
        self.timeout = timeout
        self.conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
        self.cookies: dict[str, str] = {}
        self.reconnects = 0

    def close(self) -> None:
        self.conn.close()

    def request(self, method: str, path: str, *, body: bytes | None = None, headers: dict | None = None,
                keep_body: bool = True) -> tuple[int, http.client.HTTPMessage, bytes, int]:
        """(status, headers, body or b"", body length). Retries once if the server had closed
        the idle keep-alive connection."""
        hdrs = {"Host": f"{HOST}:{self.port}", "User-Agent": "webmail-bench/1", "Accept": "text/html,*/*"}
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        hdrs.update(headers or {})
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=hdrs)
                resp = self.conn.getresponse()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError, http.client.CannotSendRequest):
                self.conn.close()
                self.reconnects += 1
                if attempt == 2:
                    raise
        chunks: list[bytes] = []
        length = 0
        while True:
            chunk = resp.read(1024 * 1024)
            if not chunk:
                break
            length += len(chunk)
            if keep_body:
                chunks.append(chunk)
        for value in resp.msg.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(value)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or (morsel.value == "" and morsel["expires"]):
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        if resp.will_close:
            self.conn.close()
        return resp.status, resp.msg, b"".join(chunks), length

    def get(self, path: str, **kw) -> tuple[int, http.client.HTTPMessage, bytes, int]:
        return self.request("GET", path, **kw)

    def sign_in(self, email: str, password: str) -> str:
        """GET the form, POST it with the CSRF token, follow redirects to the INBOX list."""
        status, _h, page, _n = self.get("/accounts/login/")
        if status != 200:
            raise RuntimeError(f"login form: HTTP {status}")
        m = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not m or "csrftoken" not in self.cookies:
            raise RuntimeError("no CSRF token on the login form")
        form = urlencode({"csrfmiddlewaretoken": m.group(1).decode(), "email": email, "password": password}).encode()
        origin = f"http://{HOST}:{self.port}"
        status, headers, page, _n = self.request(
            "POST", "/accounts/login/", body=form,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": origin, "Referer": origin + "/accounts/login/"},
        )
        if status != 302:
            raise RuntimeError(f"sign-in failed: HTTP {status}: {page[:300]!r}")
        location = headers["Location"]
        for _ in range(5):  # bounded redirect chain
            path = urlsplit(location).path + (("?" + urlsplit(location).query) if urlsplit(location).query else "")
            status, headers, page, _n = self.get(path)
            if status in (301, 302, 303):
                location = headers["Location"]
                continue
            break
        if status != 200 or "sessionid" not in self.cookies:
            raise RuntimeError(f"after sign-in: HTTP {status} at {location}")
        return location


# --------------------------------------------------------------------------- processes


def free_port(start: int = 23100, end: int = 23999) -> int:
    for port in range(start, end):
        with socket.socket() as s:
            try:
                s.bind((HOST, port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port")


class App:
    """gunicorn (2 workers x 4 threads) and a Celery worker, owned by PID."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.gunicorn: subprocess.Popen | None = None
        self.celery: subprocess.Popen | None = None
        self._logs: list = []

    def start(self, deadline_s: float = 90.0) -> None:
        for name in ("gunicorn.pid", "celery.pid"):
            (STATE / name).unlink(missing_ok=True)
        glog = open(STATE / "gunicorn.log", "w")  # noqa: SIM115 - closed in stop()
        clog = open(STATE / "celery.log", "w")  # noqa: SIM115
        self._logs = [glog, clog]
        self.gunicorn = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "webmail.wsgi", "--bind", f"{HOST}:{self.port}", "--workers", "2", "--threads", "4",
             "--pid", str(STATE / "gunicorn.pid"), "--access-logfile", str(STATE / "access.log"),
             # its own control socket: the default (~/.gunicorn/gunicorn.ctl) is shared with any other gunicorn
             "--control-socket", str(STATE / "gunicorn.ctl")],
            cwd=REPO, stdout=glog, stderr=subprocess.STDOUT,
        )
        self.celery = subprocess.Popen(
            [str(VENV_BIN / "celery"), "-A", "webmail", "worker", "--concurrency", "2", "--loglevel", "INFO",
             "--hostname", "bench@%h", "--pidfile", str(STATE / "celery.pid")],
            cwd=REPO, stdout=clog, stderr=subprocess.STDOUT,
        )
        deadline = Deadline(deadline_s, "app start")
        web_ready = celery_ready = False
        while not (web_ready and celery_ready):
            if self.gunicorn.poll() is not None:
                raise RuntimeError(f"gunicorn exited: see {STATE / 'gunicorn.log'}")
            if self.celery.poll() is not None:
                raise RuntimeError(f"celery exited: see {STATE / 'celery.log'}")
            if not web_ready:
                try:
                    conn = http.client.HTTPConnection(HOST, self.port, timeout=2)
                    conn.request("GET", "/accounts/login/")
                    web_ready = conn.getresponse().status == 200
                    conn.close()
                except OSError:
                    pass
            if not celery_ready:
                celery_ready = " ready." in (STATE / "celery.log").read_text(errors="replace")
            if deadline.passed():
                raise RuntimeError(f"app not ready after {deadline_s}s (web={web_ready}, celery={celery_ready})")
            time.sleep(0.2)

    def worker_pids(self) -> list[int]:
        if self.gunicorn is None:
            return []
        try:
            kids = Path(f"/proc/{self.gunicorn.pid}/task/{self.gunicorn.pid}/children").read_text().split()
        except OSError:
            return []
        return [int(k) for k in kids]

    def stop(self) -> None:
        for proc, sig in ((self.gunicorn, signal.SIGTERM), (self.celery, signal.SIGTERM)):
            if proc is not None and proc.poll() is None:
                proc.send_signal(sig)
        for proc in (self.gunicorn, self.celery):
            if proc is None:
                continue
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        for f in self._logs:
            f.close()
        self._logs = []


def rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class RssSampler(threading.Thread):
    """Samples VmRSS of gunicorn's master and workers every ~10 ms."""

    def __init__(self, pids: list[int], interval: float = 0.01, max_seconds: float = 300.0) -> None:
        super().__init__(daemon=True)
        self.pids = pids
        self.interval = interval
        self.max_seconds = max_seconds
        self.stop_event = threading.Event()
        self.baseline = {p: rss_kb(p) for p in pids}
        self.peak = dict(self.baseline)
        self.peak_total = sum(self.baseline.values())
        self.samples = 0

    def run(self) -> None:
        end = time.monotonic() + self.max_seconds
        while not self.stop_event.is_set() and time.monotonic() < end:
            values = {p: rss_kb(p) for p in self.pids}
            for p, v in values.items():
                self.peak[p] = max(self.peak[p], v)
            self.peak_total = max(self.peak_total, sum(values.values()))
            self.samples += 1
            self.stop_event.wait(self.interval)

    def result(self) -> dict:
        base_total = sum(self.baseline.values())
        return {
            "baseline_total_mb": base_total / 1024,
            "peak_total_mb": self.peak_total / 1024,
            "delta_total_mb": (self.peak_total - base_total) / 1024,
            "delta_max_process_mb": max((self.peak[p] - self.baseline[p]) for p in self.pids) / 1024 if self.pids else 0.0,
            "samples": self.samples,
        }


# --------------------------------------------------------------------------- measuring


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def summary(values: list[float]) -> dict:
    if not values:
        return {"n": 0}
    return {"n": len(values), "median_ms": round(statistics.median(values), 2), "p95_ms": round(pct(values, 0.95), 2),
            "min_ms": round(min(values), 2), "max_ms": round(max(values), 2)}


@dataclass
class Targets:
    uid_plain: int
    uid_newsletter: int
    uid_big: int
    sections: dict[int, list[str]] = field(default_factory=dict)


def find_targets(client: IMAPClient, user: BenchUser, uidnext: int) -> Targets:
    """UIDs of a plain message, a newsletter and the 20 MB one (cached per UIDVALIDITY)."""
    status = client.folder_status("INBOX", [b"UIDVALIDITY", b"UIDNEXT", b"MESSAGES"])
    key = f"{int(status[b'UIDVALIDITY'])}/{int(status[b'UIDNEXT'])}/{int(status[b'MESSAGES'])}"
    cache_file = STATE / f"targets-{user.label}.json"
    if cache_file.exists():
        cached = json.loads(cache_file.read_text())
        if cached.get("key") == key:
            t = Targets(cached["plain"], cached["newsletter"], cached["big"])
            t.sections = {int(k): v for k, v in cached["sections"].items()}
            return t
    # Look among the newest 2000 UIDs only: a header SEARCH over 100k uncached headers takes seconds.
    window = [b"UID", f"{max(1, uidnext - 2000)}:*".encode()]
    plain = sorted(client.search(window + [b"HEADER", b"X-Mailgen-Kind", b"plain"]))
    news = sorted(client.search(window + [b"HEADER", b"X-Mailgen-Kind", b"newsletter"]))
    big = client.search([b"SUBJECT", BIG_SUBJECT.encode()])
    if not plain or not news or len(big) != 1:
        raise RuntimeError(f"targets not found: plain={len(plain)} newsletter={len(news)} big={big}")
    t = Targets(plain[len(plain) // 2], news[len(news) // 2], int(big[0]))
    t.sections = {uid: displayed_sections(client, uid) for uid in (t.uid_plain, t.uid_newsletter, t.uid_big)}
    cache_file.write_text(json.dumps({"key": key, "plain": t.uid_plain, "newsletter": t.uid_newsletter, "big": t.uid_big,
                                      "sections": {str(k): v for k, v in t.sections.items()}}))
    return t


class UserBench:
    def __init__(self, user: BenchUser, password: str, app: App, args: argparse.Namespace, deadline: Deadline) -> None:
        self.user = user
        self.password = password
        self.app = app
        self.args = args
        self.deadline = deadline
        self.floor: IMAPClient | None = None
        self.browser: Browser | None = None
        self.last_server_timing: dict[str, float] = {}
        self.results: dict[str, dict] = {}
        self.info: dict = {}

    # -- setup ------------------------------------------------------------------

    def setup_floor(self) -> None:
        t = time.monotonic()
        self.floor = imap_connect(self.user.email, self.password)
        sel = self.floor.select_folder("INBOX", readonly=True)
        uidnext = int(sel[b"UIDNEXT"])
        exists = int(sel[b"EXISTS"])
        if exists < self.user.count:
            raise RuntimeError(f"{self.user.email}: INBOX has {exists} < {self.user.count} messages")
        warm = {}
        for name, crit in (("esort_arrival", b"REVERSE ARRIVAL"), ("esort_subject", b"SUBJECT")):
            t1 = time.monotonic()
            esort_page(self.floor, crit, 1, PER_PAGE)
            warm[name + "_ms"] = round((time.monotonic() - t1) * 1000, 1)
        t1 = time.monotonic()
        self.targets = find_targets(self.floor, self.user, uidnext)
        warm["find_targets_ms"] = round((time.monotonic() - t1) * 1000, 1)
        self.info.update({"exists": exists, "uidnext": uidnext, "floor_setup_warmup": warm,
                          "floor_setup_s": round(time.monotonic() - t, 2),
                          "uids": {"plain": self.targets.uid_plain, "newsletter": self.targets.uid_newsletter, "big": self.targets.uid_big},
                          "displayed_sections": {str(k): v for k, v in self.targets.sections.items()}})
        log(f"{self.user.label}: floor ready ({exists} msgs); warm-up {warm}; targets {self.info['uids']}")

    def sign_in(self) -> None:
        self.browser = Browser(self.app.port)
        t = time.monotonic()
        self.browser.sign_in(self.user.email, self.password)
        self.info["http_sign_in_ms"] = round((time.monotonic() - t) * 1000, 1)

    # -- app requests -------------------------------------------------------------

    def app_get(self, path: str, *, expect: bytes | None = None, keep_body: bool = True) -> tuple[float, bytes, int]:
        assert self.browser is not None
        t = time.perf_counter()
        status, headers, body, length = self.browser.get(path, keep_body=keep_body)
        elapsed = (time.perf_counter() - t) * 1000
        self.last_server_timing = server_timing(headers.get("Server-Timing", ""))
        if status != 200:
            raise RuntimeError(f"GET {path}: HTTP {status}: {body[:200]!r}")
        if expect is not None and expect not in body:
            raise RuntimeError(f"GET {path}: {expect!r} not in the response")
        return elapsed, body, length

    def message_paths(self, uid: int) -> tuple[str, str, str | None]:
        """The message page URL, the body iframe URL it references, and its first attachment link."""
        page = f"/mail/INBOX/{uid}/"
        _ms, body, _n = self.app_get(page)
        m = re.search(rb'<iframe class="message-body[^"]*" src="([^"]+)"', body)
        if not m:
            raise RuntimeError(f"{page}: no body iframe")
        body_url = html.unescape(m.group(1).decode())
        a = re.search(rb'href="(/mail/[^"]*/part/[^"]+)"', body)
        attachment = html.unescape(a.group(1).decode()) if a else None
        return page, body_url, attachment

    # -- one measurement ---------------------------------------------------------------

    def measure(self, key: str, app_fn, floor_fn, *, runs: int, rss: bool = False, before_app=None) -> None:
        """App runs (after one warm-up), then floor runs (after one warm-up), each a block.

        Blocks rather than interleaving: right after an app request, Dovecot's other session
        (the floor's) pays for re-reading index/cache files the app's session just touched,
        which on 100k inflated the floor by ~20 ms; that is not the floor.
        `before_app` runs (untimed) before every app request, warm-up included."""
        if self.deadline.passed():
            log(f"{self.user.label} {key}: skipped, deadline passed")
            self.results[key] = {"skipped": "deadline"}
            return
        prepared: list[int] = []
        if before_app is not None:
            prepared.append(before_app())
        app_fn()  # warm-up
        app_ms: list[float] = []
        floor_ms: list[float] = []
        rss_runs: list[dict] = []
        extra: dict[str, list[float]] = {}
        for _ in range(runs):
            if self.deadline.passed():
                break
            if before_app is not None:
                prepared.append(before_app())
            sampler = None
            if rss:
                sampler = RssSampler([self.app.gunicorn.pid, *self.app.worker_pids()])
                sampler.start()
            try:
                value = app_fn()
            finally:
                if sampler is not None:
                    sampler.stop_event.set()
                    sampler.join(timeout=5)
                    rss_runs.append(sampler.result())
            if isinstance(value, dict):
                app_ms.append(value["total"])
                for k, v in value.items():
                    if k != "total":
                        extra.setdefault(k, []).append(v)
            else:
                app_ms.append(value)
        if floor_fn is not None:
            floor_fn()  # warm-up
            for _ in range(runs):
                if self.deadline.passed():
                    break
                t = time.perf_counter()
                floor_fn()
                floor_ms.append((time.perf_counter() - t) * 1000)
        result = {"app": summary(app_ms), "floor": summary(floor_ms), "app_parts": {k: summary(v) for k, v in extra.items()}}
        if before_app is not None:
            result["cache_keys_deleted_per_run"] = prepared
        if app_ms and floor_ms:
            result["ratio"] = round(statistics.median(app_ms) / statistics.median(floor_ms), 2)
        if rss_runs:
            result["rss"] = {
                "peak_delta_total_mb": round(max(r["delta_total_mb"] for r in rss_runs), 1),
                "peak_delta_one_process_mb": round(max(r["delta_max_process_mb"] for r in rss_runs), 1),
                "baseline_total_mb": round(rss_runs[0]["baseline_total_mb"], 1),
                "samples_per_run": [r["samples"] for r in rss_runs],
            }
        if len(app_ms) < runs or (floor_fn is not None and len(floor_ms) < runs):
            result["truncated"] = f"{len(app_ms)} of {runs} runs (deadline)"
        self.results[key] = result
        log(f"{self.user.label} {key}: app {result['app'].get('median_ms')} ms (p95 {result['app'].get('p95_ms')}), "
            f"floor {result['floor'].get('median_ms')} ms, ratio {result.get('ratio')}"
            + (f", RSS +{result['rss']['peak_delta_total_mb']} MB" if rss_runs else ""))

    def run_all(self) -> None:
        assert self.floor is not None
        runs, dl_runs = self.args.runs, self.args.download_runs
        last100 = 100 * PER_PAGE
        first100 = last100 - PER_PAGE + 1

        def app_list(path: str):
            def run() -> dict[str, float]:
                ms = self.app_get(path, expect=b'class="message-list"')[0]
                timing = self.last_server_timing
                return {"total": ms, **{f"page_{name}": timing.get(name, 0.0) for name in ("app", "imap", "db")}}
            return run

        def app_redirect():
            assert self.browser is not None
            t = time.perf_counter()
            status, headers, _b, _n = self.browser.get("/mail/")
            if status != 302 or "/accounts/login" in headers.get("Location", ""):
                raise RuntimeError(f"GET /mail/: HTTP {status} to {headers.get('Location')}")
            return (time.perf_counter() - t) * 1000

        self.measure("http_fixed", app_redirect, None, runs=runs)
        self.measure("list_first", app_list("/mail/INBOX/"),
                     lambda: floor_list(self.floor, b"REVERSE ARRIVAL", 1, PER_PAGE), runs=runs)
        self.measure("list_first_cold", app_list("/mail/INBOX/"),
                     lambda: floor_list(self.floor, b"REVERSE ARRIVAL", 1, PER_PAGE), runs=runs,
                     before_app=lambda: delete_cache_keys(SORT_CACHE_PATTERN))
        self.measure("list_page100", app_list("/mail/INBOX/?page=100"),
                     lambda: floor_list(self.floor, b"REVERSE ARRIVAL", first100, last100), runs=runs)
        self.measure("sort_subject", app_list("/mail/INBOX/?sort=subject&order=asc"),
                     lambda: floor_list(self.floor, b"SUBJECT", 1, PER_PAGE), runs=runs)

        attachment = None
        for key, uid in (("open_plain", self.targets.uid_plain), ("open_newsletter", self.targets.uid_newsletter),
                         ("open_big", self.targets.uid_big)):
            page, body_url, link = self.message_paths(uid)  # also the first open (marks it read)
            if key == "open_big":
                attachment = link
            sections = self.targets.sections[uid]

            def app_open(page=page, body_url=body_url):
                a, _b, _n = self.app_get(page)
                page_server = self.last_server_timing
                b, _b2, _n2 = self.app_get(body_url)
                body_server = self.last_server_timing
                parts = {"total": a + b, "page": a, "body": b}
                # Inside the app (Server-Timing): the whole view, and its IMAP and database time.
                for prefix, timing in (("page", page_server), ("body", body_server)):
                    for name in ("app", "imap", "db"):
                        parts[f"{prefix}_{name}"] = timing.get(name, 0.0)
                return parts

            floor = lambda uid=uid, sections=sections: floor_open(self.floor, uid, sections)  # noqa: E731
            self.measure(key, app_open, floor, runs=runs)
            self.measure(key + "_cold", app_open, floor, runs=runs, before_app=lambda: delete_cache_keys(BODY_CACHE_PATTERN))

        if attachment is None:
            raise RuntimeError("the 20 MB message page has no attachment link")
        section = re.search(r"/part/([0-9.]+|TEXT)/", attachment).group(1)
        self.info["attachment_url"] = attachment

        def app_download():
            ms, _body, length = self.app_get(attachment, keep_body=False)
            if length != BIG_EXACT_SIZE:
                raise RuntimeError(f"downloaded {length} bytes, expected {BIG_EXACT_SIZE}")
            return ms

        self.measure("download_big", app_download,
                     lambda: floor_download(self.floor, self.targets.uid_big, section), runs=dl_runs, rss=True)
        self.info["http_reconnects"] = self.browser.reconnects if self.browser else None

    def close(self) -> None:
        if self.browser is not None:
            self.browser.close()
        if self.floor is not None:
            try:
                self.floor.logout()
            except Exception:  # noqa: BLE001
                pass


# --------------------------------------------------------------------------- report


def disk_usage(user: BenchUser) -> dict:
    home = user_home(user)
    out = {}
    try:
        out["home_mb"] = round(int(run(["du", "-s", "-B1", str(home)], timeout=300).stdout.split()[0]) / 1048576, 1)
        inbox = home / "Maildir" / "INBOX"
        index = sum(f.stat().st_blocks * 512 for f in inbox.glob("dovecot*") if f.is_file())
        out["dovecot_index_mb"] = round(index / 1048576, 1)
    except (subprocess.SubprocessError, OSError, ValueError) as exc:
        out["error"] = str(exc)
    return out


def server_timing(header: str) -> dict[str, float]:
    """`imap;dur=0.84;desc="1", app;dur=3.1` → {"imap": 0.84, "app": 3.1} (milliseconds)."""
    out: dict[str, float] = {}
    for entry in header.split(","):
        name, _, params = entry.strip().partition(";")
        m = re.search(r"(?:^|;)dur=([0-9.]+)", params)
        if name and m:
            out[name] = float(m.group(1))
    return out


def target_check(key: str, label: str, r: dict) -> str:
    if "app" not in r or not r["app"].get("n"):
        return ""
    ratio = r.get("ratio")
    if key in ("list_first", "list_first_cold") and label == "100k":
        ok = ratio is not None and ratio <= 3 and r["app"]["median_ms"] < 150
        return ("PASS" if ok else "MISS") + " (<=3x, <150ms)"
    if key.startswith("open_"):
        return ("PASS" if ratio is not None and ratio <= 3 else "MISS") + " (<=3x)"
    return ""


def render_table(report: dict) -> str:
    head = f"{'measurement':<36} {'size':>5} {'app med':>9} {'app p95':>9} {'floor med':>9} {'ratio':>7} {'RSS Δ MB':>9}  target"
    lines = [head, "-" * len(head)]
    for key, label in MEASUREMENTS:
        for user in USERS:
            r = report["results"].get(user.label, {}).get(key)
            if r is None:
                continue
            if "app" not in r:
                lines.append(f"{label:<36} {user.label:>5}  skipped: {r.get('skipped')}")
                continue
            rss = f"{r['rss']['peak_delta_total_mb']:.1f}" if "rss" in r else ""
            floor = f"{r['floor']['median_ms']:>9.2f}" if r["floor"].get("n") else f"{'-':>9}"
            ratio = f"{r['ratio']:>6.1f}x" if "ratio" in r else f"{'-':>7}"
            lines.append(
                f"{label:<36} {user.label:>5} {r['app'].get('median_ms', float('nan')):>9.1f} {r['app'].get('p95_ms', float('nan')):>9.1f} "
                f"{floor} {ratio} {rss:>9}  {r.get('target', '')}"
                + (f"  [{r['truncated']}]" if r.get("truncated") else "")
            )
    return "\n".join(lines)


def render_list_breakdown(report: dict) -> str:
    """Where a list page's time goes (medians, ms): the client's wait, the time inside the
    app (Server-Timing), and the IMAP and database time within it."""
    head = f"{'where a list page goes (median ms)':<36} {'size':>5} {'client':>7} {'in app':>7} {'imap':>6} {'db':>5} {'floor':>6}"
    lines = [head, "-" * len(head)]
    for key, label in MEASUREMENTS:
        for user in USERS:
            r = report["results"].get(user.label, {}).get(key)
            if not r or "page_app" not in r.get("app_parts", {}) or key.startswith("open_"):
                continue
            p = {k: v.get("median_ms", float("nan")) for k, v in r["app_parts"].items()}
            lines.append(
                f"{label:<36} {user.label:>5} {r['app'].get('median_ms', float('nan')):>7.2f} {p['page_app']:>7.2f} {p['page_imap']:>6.2f}"
                f" {p['page_db']:>5.2f} {r['floor'].get('median_ms', float('nan')):>6.2f}"
            )
    return "\n".join(lines)


def render_open_breakdown(report: dict) -> str:
    """Where an open's time goes (medians, ms): what the client waited for each request,
    the time inside the app (Server-Timing), and the IMAP and database time within it."""
    head = (f"{'where an open goes (median ms)':<36} {'size':>5} {'page':>6} {'in app':>7} {'imap':>6} {'db':>5}"
            f" {'body':>6} {'in app':>7} {'imap':>6} {'floor':>6}")
    lines = [head, "-" * len(head)]
    for key, label in MEASUREMENTS:
        if not key.startswith("open_"):
            continue
        for user in USERS:
            r = report["results"].get(user.label, {}).get(key)
            if not r or "app_parts" not in r or "page_app" not in r["app_parts"]:
                continue
            p = {k: v.get("median_ms", float("nan")) for k, v in r["app_parts"].items()}
            floor = r["floor"].get("median_ms", float("nan"))
            lines.append(
                f"{label:<36} {user.label:>5} {p['page']:>6.2f} {p['page_app']:>7.2f} {p['page_imap']:>6.2f} {p['page_db']:>5.2f}"
                f" {p['body']:>6.2f} {p['body_app']:>7.2f} {p['body_imap']:>6.2f} {floor:>6.2f}"
            )
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description="read-path benchmark: app over HTTP vs the raw IMAP floor")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--download-runs", type=int, default=20)
    ap.add_argument("--only", choices=[u.label for u in USERS], action="append", help="only these mailbox sizes")
    ap.add_argument("--deadline", type=float, default=900.0, help="seconds for the measuring phase")
    ap.add_argument("--seed-timeout", type=float, default=1800.0, help="seconds allowed to seed one user")
    args = ap.parse_args()
    started = float(os.environ.get("BENCH_STARTED_AT") or time.time())
    t_main = time.monotonic()
    STATE.mkdir(parents=True, exist_ok=True)
    password = os.environ["BENCH_PASSWORD"]
    users = [u for u in USERS if not args.only or u.label in args.only]

    # SIGTERM (the outer timeout, a trap) ends the run through the finally blocks below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    report: dict = {
        "started": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(started)),
        "git_head": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, text=True, capture_output=True).stdout.strip(),
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "settings": {"runs": args.runs, "download_runs": args.download_runs, "per_page": PER_PAGE,
                     "gunicorn": "2 workers x 4 threads (gthread)", "redis_url": os.environ.get("REDIS_URL"),
                     "cache_prefix": os.environ.get("WEBMAIL_CACHE_PREFIX")},
        "seeding": {}, "first_open": {}, "disk": {}, "results": {}, "info": {},
    }

    # 1. users, seeding, first-ever opens
    for user in users:
        ensure_user(user, password)
        seeded = seed(user, timeout=args.seed_timeout)
        seed_file = STATE / f"seed-{user.label}.json"
        first_file = STATE / f"first-open-{user.label}.json"
        if seeded is not None:
            seed_file.write_text(json.dumps(seeded, indent=2))
            fo = first_open(user, password)
            fo["note"] = "first-ever open, right after seeding"
            first_file.write_text(json.dumps(fo, indent=2))
            log(f"{user.email}: first-ever open {fo}")
        elif first_file.exists():
            fo = json.loads(first_file.read_text())
            fo["note"] = fo.get("note", "") + " (recorded by an earlier run)"
        else:
            fo = first_open(user, password)
            fo["note"] = "folder seeded outside this bench: first open in this run, maybe not the first ever"
            first_file.write_text(json.dumps(fo, indent=2))
        report["seeding"][user.label] = json.loads(seed_file.read_text()) if seed_file.exists() else {"note": "seeded outside this bench"}
        if seeded is None and seed_file.exists():
            report["seeding"][user.label]["note"] = "recorded by an earlier run"
        report["first_open"][user.label] = fo
        report["disk"][user.label] = disk_usage(user)

    # 2. floor connections and warm-up, before the app exists (its pool would compete for nothing)
    benches: list[UserBench] = []
    app = App(free_port())
    deadline = Deadline(args.deadline, "measuring phase")
    report["completed"] = False
    report["loadavg_before"] = os.getloadavg()
    try:
        for user in users:
            b = UserBench(user, password, app, args, deadline)
            benches.append(b)
            b.setup_floor()
        # 3. the app as deployed
        t = time.monotonic()
        app.start()
        report["info"]["app_start_s"] = round(time.monotonic() - t, 2)
        report["info"]["port"] = app.port
        log(f"app up on http://{HOST}:{app.port}/ in {report['info']['app_start_s']}s (gunicorn pid {app.gunicorn.pid}, workers {app.worker_pids()})")
        # 4. measure
        for b in benches:
            b.sign_in()
            b.run_all()
            for key, r in b.results.items():
                r["target"] = target_check(key, b.user.label, r)
            report["results"][b.user.label] = b.results
            report["info"][b.user.label] = b.info
        report["completed"] = True
    except BaseException as exc:
        report["error"] = f"{type(exc).__name__}: {exc}"
        for b in benches:  # keep what was measured
            report["results"].setdefault(b.user.label, b.results)
            report["info"].setdefault(b.user.label, b.info)
        raise
    finally:
        report["loadavg_after"] = os.getloadavg()
        for b in benches:
            b.close()
        app.stop()
        report["total_run_s"] = round(time.time() - started, 1)
        report["bench_py_s"] = round(time.monotonic() - t_main, 1)
        (STATE / "last-run.json").write_text(json.dumps(report, indent=2, default=str))

    print()
    print(render_table(report))
    print()
    print(render_list_breakdown(report))
    print()
    print(render_open_breakdown(report))
    print()
    for user in users:
        s, fo, d = report["seeding"][user.label], report["first_open"][user.label], report["disk"][user.label]
        print(f"{user.label}: seed {s.get('seconds_total', '?')}s (generate {s.get('seconds_generate', '?')}s + "
              f"doveadm index {s.get('seconds_doveadm_index', '?')}s){' ' + s['note'] if s.get('note') else ''}; "
              f"first open: SELECT {fo.get('select_ms')} ms, SORT {fo.get('esort_arrival_ms')} ms, FETCH {fo.get('fetch_page_ms')} ms, "
              f"page total {fo.get('first_list_page_total_ms')} ms, first SORT SUBJECT {fo.get('first_sort_subject_ms')} ms; "
              f"disk {d.get('home_mb')} MB (Dovecot index {d.get('dovecot_index_mb')} MB)")
    print(f"total run {report['total_run_s']}s; JSON: {STATE / 'last-run.json'}")
    missed = [f"{u}/{k}" for u, rs in report["results"].items() for k, r in rs.items() if str(r.get("target", "")).startswith("MISS")]
    if missed:
        print("targets missed: " + ", ".join(missed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
