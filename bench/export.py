#!/usr/bin/env python3
"""Export: the 10k-message mailbox as mbox and as a zip of .eml files, through the app as
deployed (gunicorn + a Celery worker), measuring RSS growth of the web workers and of the
Celery worker (target: at most 50 MB each) and the throughput.

Run it with ``bash bench/run.sh export`` (the read-path bench's set-up: mail stack, its own
Redis DBs, SQLite file, secrets; seeds ``bench10k@example.test`` the first time). Per format:

1. POST /transfers/ (the list page's "Export folder" form), then poll the status until done,
   sampling the RSS of the Celery worker's processes (main and pool children) every 10 ms;
2. GET the download (streamed, not kept) while sampling the gunicorn workers' RSS;
3. checks the file holds every message (mbox: the From_ lines; zip: the .eml entries).

Prints a table and writes var/bench/export-last-run.json. Every loop is bounded by a deadline;
only 127.0.0.1 is contacted.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from read_path import STATE, USERS, App, Browser, Deadline, RssSampler, ensure_user, free_port, log, maildir_count, seed

TARGET_MB = 50.0


def process_tree(pid: int) -> list[int]:
    """The process and its children (Celery's prefork pool)."""
    try:
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        kids = []
    return [pid, *(int(k) for k in kids)]


def post(browser: Browser, path: str, data: dict[str, str]) -> tuple[int, str]:
    origin = f"http://127.0.0.1:{browser.port}"
    body = urlencode({**data, "csrfmiddlewaretoken": browser.cookies["csrftoken"]}).encode()
    status, headers, _page, _n = browser.request(
        "POST", path, body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": origin, "Referer": origin + "/mail/INBOX/"},
    )
    return status, headers.get("Location", "")


def export_once(app: App, browser: Browser, kind: str, deadline: Deadline) -> dict:
    worker = RssSampler(process_tree(app.celery.pid), max_seconds=deadline.left())
    web = RssSampler(app.worker_pids(), max_seconds=deadline.left())
    worker.start()
    web.start()
    t0 = time.perf_counter()
    status, location = post(browser, "/transfers/", {"kind": kind, "folder": "INBOX"})
    if status != 302 or not location.startswith("/transfers/"):
        raise RuntimeError(f"export not started: HTTP {status} {location}")
    state: dict = {}
    while not deadline.passed():
        code, _h, page, _n = browser.get(location + "status/", headers={"Accept": "application/json"})
        state = json.loads(page) if code == 200 else {}
        if state.get("finished"):
            break
        time.sleep(0.5)  # a progress bar's poll interval, not a synchronisation
    export_seconds = time.perf_counter() - t0
    if state.get("state") != "done":
        raise RuntimeError(f"export ended as {state}")
    t1 = time.perf_counter()
    code, _h, _body, size = browser.get(state["download"], keep_body=False)
    download_seconds = time.perf_counter() - t1
    worker.stop_event.set()
    web.stop_event.set()
    worker.join()
    web.join()
    if code != 200:
        raise RuntimeError(f"download: HTTP {code}")
    w, g = worker.result(), web.result()
    return {
        "kind": kind, "messages": state["done"], "bytes": size, "export_s": round(export_seconds, 1),
        "msgs_per_s": round(state["done"] / export_seconds, 1), "mb_per_s": round(size / 1048576 / export_seconds, 1),
        "download_s": round(download_seconds, 2),
        "worker_rss_growth_mb": round(w["delta_max_process_mb"], 1), "web_rss_growth_mb": round(g["delta_max_process_mb"], 1),
        "worker_peak_mb": round(w["peak_total_mb"], 1), "web_peak_mb": round(g["peak_total_mb"], 1),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--deadline", type=float, default=1800.0)
    ap.add_argument("--seed-timeout", type=float, default=1800.0)
    args = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    STATE.mkdir(parents=True, exist_ok=True)
    user = USERS[0]  # 10k
    password = os.environ["BENCH_PASSWORD"]
    ensure_user(user, password)
    seed(user, timeout=args.seed_timeout)
    os.environ["WEBMAIL_EXPORT_DIR"] = str(STATE / "exports")
    app = App(free_port())
    deadline = Deadline(args.deadline, "export bench")
    rows: list[dict] = []
    try:
        app.start()
        browser = Browser(app.port)
        browser.sign_in(user.email, password)
        browser.get("/mail/INBOX/")  # warm: the pool's connection, Dovecot's caches
        for kind in ("mbox", "eml_zip"):
            rows.append(export_once(app, browser, kind, deadline))
            log(f"{kind}: {rows[-1]}")
    finally:
        app.stop()
    (STATE / "export-last-run.json").write_text(json.dumps({"messages_in_inbox": maildir_count(user), "rows": rows}, indent=2))
    print()
    print(
        f"{'format':<8} {'msgs':>6} {'file MB':>7} {'export s':>9} {'msg/s':>7} {'file MB/s':>10} {'dl s':>6} "
        f"{'worker RSS +MB':>15} {'web RSS +MB':>12}"
    )
    ok = True
    for r in rows:
        miss = r["worker_rss_growth_mb"] > TARGET_MB or r["web_rss_growth_mb"] > TARGET_MB
        ok = ok and not miss
        print(
            f"{r['kind']:<8} {r['messages']:>6} {r['bytes'] / 1048576:>7.1f} {r['export_s']:>9} {r['msgs_per_s']:>7} {r['mb_per_s']:>10} "
            f"{r['download_s']:>6} {r['worker_rss_growth_mb']:>15} {r['web_rss_growth_mb']:>12}{'  MISS (> 50 MB)' if miss else ''}"
        )
    print(f"target: RSS growth <= {TARGET_MB:.0f} MB per process. JSON: {STATE / 'export-last-run.json'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
