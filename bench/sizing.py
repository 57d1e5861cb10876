"""Sizing: what N active people cost a deployment, measured, to extrapolate per 1,000.

Run by `bash bench/run.sh sizing [--people N]` (the watcher bench's own mail stack, Dovecot's
limits raised by bench/watcher-dovecot.conf). It starts one web process (gunicorn, 1 worker,
4 threads), one Celery worker (concurrency 2) and one watcher, as deployed, then for N
generated people (20 messages each): signs in over HTTP, opens the INBOX list and one
message (as a person starting their day does), and marks them present (an open tab) so the
watcher holds a connection for each. Measured before and after, the difference divided by N:

- memory of each process (PSS from /proc/<pid>/smaps_rollup, process and children: shared
  pages counted once, so worker children do not count the parent's pages again),
- Redis: `used_memory`, and the bytes of the deployment's own keys (MEMORY USAGE of every key
  under the cache prefix, and of the broker's database),
- IMAP connections of the people, as Dovecot counts them (`doveadm who`),
- the database (PostgreSQL, `pg_database_size`: users, sessions, stored credentials).

Bounded: N defaults to 200 (a few minutes on 2 cores); the extrapolation is linear, and
the result table says what each figure is made of.
"""
from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import redis as redis_lib
from django.conf import settings
from watcher_scale import Presence, imap_client, log, make_mail_accounts, watcher_up

from webmail.redis_client import get_redis, key_prefix

REPO = Path(__file__).resolve().parent.parent
STATE = REPO / "var" / "bench"
PORT = int(os.environ.get("BENCH_SIZING_PORT", "23880"))


def pss(pid: int) -> int:
    """Proportional set size of a process and its children, in bytes."""
    total = 0
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    for p in [str(pid), *children]:
        try:
            rollup = Path(f"/proc/{p}/smaps_rollup").read_text()
        except OSError:
            continue
        match = re.search(r"^Pss:\s+(\d+) kB", rollup, re.M)
        total += int(match.group(1)) * 1024 if match else 0
    return total


def redis_bytes() -> dict[str, int]:
    cache = get_redis()
    broker = redis_lib.Redis.from_url(settings.CELERY_BROKER_URL)
    own = sum(cache.memory_usage(k) or 0 for k in cache.scan_iter(match=f"*{key_prefix()}*", count=1000))
    queued = sum(broker.memory_usage(k) or 0 for k in broker.scan_iter(count=1000))
    return {"used_memory": int(cache.info("memory")["used_memory"]), "app_keys": own, "broker_keys": queued, "keys": cache.dbsize()}


def imap_connections(domain: str) -> int:
    out = subprocess.run(["bash", str(REPO / "scripts" / "mailstack.sh"), "doveadm", "who", "-1"], capture_output=True, text=True).stdout
    return sum(1 for line in out.splitlines() if f"@{domain}" in line)


def db_bytes() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return int(cursor.fetchone()[0])


class Browser:
    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> str:
        with self.opener.open(f"http://127.0.0.1:{PORT}{path}", timeout=120) as r:
            return r.read().decode(errors="replace")

    def post(self, path: str, data: dict[str, str]) -> str:
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        req = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", data=urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode())
        with self.opener.open(req, timeout=120) as r:
            return r.read().decode(errors="replace")


def a_day_starts(email: str, password: str) -> None:
    browser = Browser()
    browser.get("/accounts/login/")
    page = browser.post("/accounts/login/", {"email": email, "password": password})  # follows to the INBOX
    uid = re.search(r'href="/mail/INBOX/(\d+)/"', page)
    assert uid, f"no INBOX list for {email}"
    browser.get(f"/mail/INBOX/{uid.group(1)}/")


def seed(emails: list[str], password: str, messages: int) -> None:
    def one(email: str) -> None:
        client = imap_client(email, password)
        try:
            have = client.folder_status("INBOX", ["MESSAGES"])[b"MESSAGES"]
            for n in range(have, messages):
                client.append("INBOX", f"From: Sender {n} <s{n}@example.org>\r\nSubject: message {n}\r\n\r\n{'hello ' * 200}\r\n".encode())
        finally:
            client.logout()

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(one, emails))


def settle(watched: int, timeout: float = 300) -> int:
    """Until the watcher holds everybody's connection (or `timeout`) and the syncs it asked for
    are done; how many it holds."""
    deadline = time.time() + timeout
    while watcher_up() < watched and time.time() < deadline:
        time.sleep(1)
    up = watcher_up()
    if up < watched:
        log(f"the watcher holds {up} of {watched} after {timeout:.0f} s; measuring with that")
    time.sleep(10)  # the first syncs of everybody's folders, queued by the watcher
    broker = redis_lib.Redis.from_url(settings.CELERY_BROKER_URL)
    while broker.llen("celery") and time.time() < deadline + 120:
        time.sleep(1)
    time.sleep(3)
    return up


def start(name: str, argv: list[str], ready: str) -> subprocess.Popen[bytes]:
    log_path = STATE / f"sizing-{name}.log"
    with open(log_path, "wb") as out:
        # A longer watcher lease than the default 8 s: on a loaded machine a late renewal would
        # hand people back and forth (WEBMAIL_WATCH_LEASE_SECONDS; docs/operations.md).
        env = {**os.environ, "WEBMAIL_LOG_LEVEL": "WARNING", "WEBMAIL_WATCH_LEASE_SECONDS": os.environ.get("WEBMAIL_WATCH_LEASE_SECONDS", "30")}
        process = subprocess.Popen(argv, cwd=REPO, stdout=out, stderr=subprocess.STDOUT, env=env)
    deadline = time.time() + 90
    while ready not in log_path.read_text(errors="replace"):
        if process.poll() is not None or time.time() > deadline:
            raise SystemExit(f"{name} did not start; see {log_path}")
        time.sleep(0.2)
    return process


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--messages", type=int, default=20)
    args = parser.parse_args()
    password = os.environ.get("BENCH_PASSWORD", "bench-password")
    warm = 2  # people signed in and watched before the "before" reading: imports, templates, worker children warmed
    everyone = make_mail_accounts(args.people + warm, password)
    warm_emails, emails = everyone[:warm], everyone[warm:]
    domain = emails[0].split("@")[1]
    seed(everyone, password, args.messages)
    log(f"{len(emails)} people with {args.messages} messages each")
    cache = get_redis()
    for key in cache.scan_iter(match=f"*{key_prefix()}*", count=1000):
        cache.delete(key)
    redis_lib.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()

    bin_dir = Path(sys.executable).parent
    processes = {
        "web": start("web", [str(bin_dir / "gunicorn"), "webmail.wsgi", "--bind", f"127.0.0.1:{PORT}", "--workers", "1", "--threads", "4",
                             "--timeout", "120", "--log-level", "info"], "Booting worker"),
        "worker": start("worker", [str(bin_dir / "celery"), "-A", "webmail", "worker", "--concurrency", "2", "--loglevel", "INFO",
                                   "--without-mingle", "--without-gossip"], " ready."),
        "watcher": start("watcher", [sys.executable, "manage.py", "watch_mailboxes"], ""),
    }
    presence: Presence | None = None
    try:
        from django.contrib.auth import get_user_model

        for email in warm_emails:
            a_day_starts(email, password)
        presence = Presence(list(get_user_model().objects.filter(username__in=warm_emails).values_list("pk", flat=True)))
        presence.mark()
        presence.start()
        settle(len(warm_emails))
        before = {name: pss(p.pid) for name, p in processes.items()}
        redis_before, db_before, imap_before = redis_bytes(), db_bytes(), imap_connections(domain)
        log(f"before: {json.dumps({k: round(v / 2**20, 1) for k, v in before.items()})} MB, redis {redis_before}")

        started = time.time()
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(lambda e: a_day_starts(e, password), emails))
        signin_seconds = time.time() - started
        log(f"{len(emails)} people signed in, listed and opened a message in {signin_seconds:.0f} s")

        presence.pks = list(get_user_model().objects.filter(username__in=everyone).values_list("pk", flat=True))
        presence.mark()
        watched = settle(len(presence.pks)) - warm
        after = {name: pss(p.pid) for name, p in processes.items()}
        redis_after, db_after, imap_after = redis_bytes(), db_bytes(), imap_connections(domain)
    finally:
        if presence is not None:
            presence.stop.set()
        for p in processes.values():
            p.terminate()
        for p in processes.values():
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()

    n = len(emails)
    per = {
        "web_kb": (after["web"] - before["web"]) / n / 1024,
        "worker_kb": (after["worker"] - before["worker"]) / n / 1024,
        "watcher_kb": (after["watcher"] - before["watcher"]) / max(1, watched) / 1024,  # per watched person
        "redis_used_kb": (redis_after["used_memory"] - redis_before["used_memory"]) / n / 1024,
        "redis_app_keys_kb": (redis_after["app_keys"] - redis_before["app_keys"]) / n / 1024,
        "imap_connections": (imap_after - imap_before) / n,
        "database_kb": (db_after - db_before) / n / 1024,
    }
    results = {
        "people": n,
        "watched": watched,
        "messages_each": args.messages,
        "signin_list_open_seconds": round(signin_seconds, 1),
        "pss_before_mb": {k: round(v / 2**20, 1) for k, v in before.items()},
        "pss_after_mb": {k: round(v / 2**20, 1) for k, v in after.items()},
        "redis_before": redis_before,
        "redis_after": redis_after,
        "imap_connections": {"before": imap_before, "after": imap_after},
        "per_person": {k: round(v, 2) for k, v in per.items()},
        "per_1000": {k.replace("_kb", "_mb"): round(v * 1000 / 1024, 1) if k.endswith("_kb") else round(v * 1000) for k, v in per.items()},
    }
    (STATE / "sizing.json").write_text(json.dumps(results, indent=2))
    print()
    print(f"| per 1,000 active people (measured with {n}) | value |")
    print("|---|---|")
    for key, value in results["per_1000"].items():
        print(f"| {key} | {value} |")
    print()
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
