#!/usr/bin/env python3
"""List page 1 of the 100k INBOX through HTTP with the live sync's state (the watched mark
set, every folder synced) against today's path and the raw IMAP floor; and what a sync of
one new message costs in IMAP commands.

Run it with ``bash bench/run.sh live`` (same mail stack, Redis DBs, SQLite file, secrets
and seeded users as the read-path bench; seeds the 100k user the first time). Steps:

1. the app as deployed (gunicorn 2 workers x 4 threads, a Celery worker), signed in over HTTP;
2. *today*: no watched mark, GET /mail/INBOX/ (LIST-STATUS, NOOP, ESORT PARTIAL, FETCH);
3. *watched*: the mark set and every folder synced (bench/live_helper.py, as a watcher and
   the sync task would), one warm-up GET, then the timed GETs (LIST, FETCH);
4. the *floor*: ESORT PARTIAL + FETCH of the same page on one persistent imapclient connection;
5. one message APPENDed by another connection, then one sync of INBOX: IMAP commands and time.

Prints a table; writes var/bench/live-last-run.json. Only 127.0.0.1 is contacted.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import read_path as rp

HELPER = [str(rp.VENV_BIN / "python"), str(rp.REPO / "bench" / "live_helper.py")]


def helper(*args: str) -> str:
    return subprocess.run([*HELPER, *args], cwd=rp.REPO, text=True, capture_output=True, check=True, timeout=600).stdout


def toggle_flag(client) -> None:
    """\\Flagged on the newest message, or off again (each run changes exactly one flag)."""
    client.select_folder("INBOX")
    uid = max(client.search(["ALL"]))
    flagged = b"\\Flagged" in client.get_flags([uid])[uid]
    (client.remove_flags if flagged else client.add_flags)([uid], [b"\\Flagged"])


def sync_cost(user: rp.BenchUser, password: str, change) -> dict:
    """The IMAP commands and time of one sync of INBOX after `change` (made by another connection)."""
    proc = subprocess.Popen([*HELPER, "sync", user.email], cwd=rp.REPO, text=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert proc.stdin is not None and proc.stdout is not None
    try:
        ready = json.loads(proc.stdout.readline())
        other = rp.imap_connect(user.email, password)
        change(other)
        other.logout()
        proc.stdin.write("go\n")
        proc.stdin.flush()
        result = json.loads(proc.stdout.readline())
    finally:
        proc.wait(timeout=120)
    return {**result, "user": user.label, "unchanged_operations": ready["unchanged_operations"]}


def timed_gets(browser: rp.Browser, path: str, runs: int, *, status: int = 200) -> list[float]:
    browser.get(path)  # warm-up
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        got, _h, body, _n = browser.get(path)
        out.append((time.perf_counter() - t) * 1000)
        if got != status or (status == 200 and b'class="message-list"' not in body):
            raise RuntimeError(f"GET {path}: HTTP {got}")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description="list page 1 with the live sync's state vs today vs the IMAP floor")
    ap.add_argument("--runs", type=int, default=40)
    ap.add_argument("--only", choices=[u.label for u in rp.USERS], default="100k")
    ap.add_argument("--seed-timeout", type=float, default=1800.0)
    args = ap.parse_args()
    user = next(u for u in rp.USERS if u.label == args.only)
    password = os.environ["BENCH_PASSWORD"]
    rp.STATE.mkdir(parents=True, exist_ok=True)
    rp.ensure_user(user, password)
    rp.seed(user, timeout=args.seed_timeout)

    floor = rp.imap_connect(user.email, password)
    floor.select_folder("INBOX", readonly=True)
    rp.esort_page(floor, b"REVERSE ARRIVAL", 1, rp.PER_PAGE)  # warm Dovecot's sort index
    app = rp.App(rp.free_port())
    report: dict = {"user": user.label, "runs": args.runs, "loadavg_before": os.getloadavg()}
    try:
        app.start()
        browser = rp.Browser(app.port)
        browser.sign_in(user.email, password)
        helper("unwatch", user.email)
        fixed = timed_gets(browser, "/mail/", args.runs, status=302)  # signed in, no IMAP: HTTP + Django alone
        today = timed_gets(browser, "/mail/INBOX/", args.runs)
        helper("watch", user.email)
        watched = timed_gets(browser, "/mail/INBOX/", args.runs)
        helper("unwatch", user.email)
        floor_ms = []
        for _ in range(args.runs + 1):
            t = time.perf_counter()
            rp.floor_list(floor, b"REVERSE ARRIVAL", 1, rp.PER_PAGE)
            floor_ms.append((time.perf_counter() - t) * 1000)
        report["results"] = {
            "today": rp.summary(today), "watched": rp.summary(watched), "floor": rp.summary(floor_ms[1:]), "http_fixed": rp.summary(fixed)
        }

        # One change, then one sync of INBOX (a warmed connection, as in a worker). The 100k
        # mailbox is over the test stack's quota, so the new message goes to the 10k one; the
        # flag change is measured on the 100k one.
        small = next(u for u in rp.USERS if u.label == "10k")
        rp.ensure_user(small, password)
        rp.seed(small, timeout=args.seed_timeout)
        rp.Browser(app.port).sign_in(small.email, password)  # the app keeps its credentials
        new_message = b"From: bench@example.org\r\nSubject: live bench\r\n\r\nnew\r\n"
        report["sync_one_new"] = sync_cost(small, password, lambda c: c.append("INBOX", new_message))
        report["sync_one_flag"] = sync_cost(user, password, toggle_flag)
    finally:
        try:
            helper("unwatch", user.email)
        except Exception:  # noqa: BLE001
            pass
        floor.logout()
        app.stop()
        report["loadavg_after"] = os.getloadavg()
        (rp.STATE / "live-last-run.json").write_text(json.dumps(report, indent=2, default=str))

    r = report["results"]
    print()
    print(f"list page 1 of the {user.label} INBOX through HTTP ({args.runs} runs each)")
    print(f"{'path':<44}{'median ms':>10}{'p95 ms':>10}")
    rows = (
        ("today", "today (no watched mark)"), ("watched", "watched, state synced (no SORT)"),
        ("floor", "IMAP floor: ESORT PARTIAL + FETCH"), ("http_fixed", "signed-in GET /mail/ (302, no IMAP)"),
    )
    for key, label in rows:
        print(f"{label:<44}{r[key]['median_ms']:>10}{r[key]['p95_ms']:>10}")
    for key, what in (("sync_one_new", "one new message"), ("sync_one_flag", "one flag changed")):
        s = report[key]
        print(f"sync of the {s['user']} INBOX after {what}: {s['operations']} IMAP commands, {s['ms']} ms, events {s['events']}")
        print(f"  commands: {', '.join(c.split('.')[1] if '.' in c else c for c in s['commands'])}")
    print(f"sync of an unchanged INBOX: {report['sync_one_new']['unchanged_operations']} IMAP command(s)")
    print(f"load average before/after: {report['loadavg_before']} / {report['loadavg_after']}; JSON: {rp.STATE / 'live-last-run.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
