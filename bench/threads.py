#!/usr/bin/env python3
"""The conversation list through HTTP against the raw IMAP floor, and what new mail costs.

Run it with ``bash bench/run.sh threads`` (``--only 10k`` for the smaller mailbox; the mail
stack, the bench's Redis DBs, SQLite file and secrets come from run.sh). It

1. seeds the bench users' INBOX as the read-path bench does (scripts/mailgen.py, once;
   mailgen writes reply chains with References, so there are conversations);
2. times the floor on one persistent imapclient connection: `UID THREAD REFERENCES UTF-8
   ALL` (what any client threading on the server pays per look, warm), and that plus the
   FETCH of page 1's rows (the newest 10 messages of the 50 newest conversations);
3. starts the app as deployed (gunicorn, Celery), signs in over HTTP and times
   `GET /mail/INBOX/` in the conversation view (the default): cold (the kept threads and
   page deleted before each request: one full THREAD), threads kept but the page's rows
   fetched again (the page kept under the folder's state deleted: what a page costs after
   any change), and unchanged (the kept page);
4. appends a reply to a message of the folder with another connection, then builds page 1
   in this process through the pool and prints the IMAP commands it sent (no THREAD: the
   reply joins its conversation from its References), and times the next HTTP page;
5. prints a table and writes var/bench/threads-last-run.json.

Target (issue #12): conversation list page 1 of the 100k folder warm ≤ 150 ms median.
"""
from __future__ import annotations

import argparse
import imaplib
import json
import os
import signal
import sys
import time
import uuid
from pathlib import Path

from read_path import STATE, USERS, App, Browser, delete_cache_keys, ensure_user, free_port, imap_connect, log, pct, seed

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def summary(values: list[float]) -> dict:
    return {"n": len(values), "median_ms": round(pct(values, 0.5) * 1000, 1), "p95_ms": round(pct(values, 0.95) * 1000, 1)}


def floor(client, runs: int) -> tuple[dict, dict, int]:
    """THREAD alone, and THREAD plus page 1's FETCH, on one warm connection."""
    client.select_folder("INBOX", readonly=True)
    client.thread("REFERENCES")  # warm Dovecot's thread index
    thread_times, page_times, count = [], [], 0
    for _ in range(runs):
        t = time.perf_counter()
        threads = client.thread("REFERENCES")
        thread_times.append(time.perf_counter() - t)
        count = len(threads)
    for _ in range(runs):
        t = time.perf_counter()
        threads = client.thread("REFERENCES")
        newest = sorted(threads, key=lambda t: max(_flat(t)), reverse=True)[:50]
        uids = [u for t in newest for u in sorted(_flat(t), reverse=True)[:10]]
        client.fetch(uids, ["ENVELOPE", "FLAGS", "RFC822.SIZE", "INTERNALDATE", "BODYSTRUCTURE"])
        page_times.append(time.perf_counter() - t)
    return summary(thread_times), summary(page_times), count


def _flat(item) -> list[int]:
    if isinstance(item, int):
        return [item]
    return [u for x in item for u in _flat(x)]


class CommandLog:
    """The IMAP commands this process sends (imaplib's `_command`, under imapclient)."""

    def __init__(self) -> None:
        self.commands: list[str] = []
        self._real = imaplib.IMAP4._command  # noqa: SLF001 - the one place every command passes
        log_ = self

        def command(imap, name, *args):
            shown = " ".join(a.decode(errors="replace") if isinstance(a, bytes) else str(a) for a in args)
            log_.commands.append(f"{name} {shown[:90]}".strip())
            return log_._real(imap, name, *args)

        imaplib.IMAP4._command = command  # type: ignore[method-assign]  # noqa: SLF001
        # imapclient sends SEARCH, SORT and THREAD itself (`_raw_command`), not through imaplib.
        from imapclient import IMAPClient

        self._raw = IMAPClient._raw_command  # noqa: SLF001

        def raw(client, command, args, uid=True):
            shown = " ".join(a.decode(errors="replace") if isinstance(a, bytes) else str(a) for a in args)
            log_.commands.append(f"{'UID ' if uid else ''}{command.decode() if isinstance(command, bytes) else command} {shown[:90]}".strip())
            return log_._raw(client, command, args, uid=uid)

        IMAPClient._raw_command = raw  # type: ignore[method-assign]  # noqa: SLF001

    def close(self) -> None:
        imaplib.IMAP4._command = self._real  # type: ignore[method-assign]  # noqa: SLF001
        from imapclient import IMAPClient

        IMAPClient._raw_command = self._raw  # type: ignore[method-assign]  # noqa: SLF001


def arrival_cost(email: str, password: str) -> dict:
    """Append a reply to the newest message, then build page 1 here through the pool: the commands."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webmail.settings")
    django.setup()
    from django.contrib.auth import get_user_model

    from mailview.imap import get_pool
    from mailview.services.reading.conversations import conversation_page

    user = get_user_model().objects.get(username=email)

    def page() -> tuple[int, list]:
        with get_pool().session(user) as imap:
            result = conversation_page(imap=imap, user_key=str(user.pk), folder="INBOX", page=1, per_page=50, order="desc", view="conversations")
        return result.total, result.conversations

    page()  # the kept threads up to date, the connection warm and INBOX selected
    client = imap_connect(email, password)
    client.select_folder("INBOX", readonly=True)
    newest = max(client.search(["ALL"]))
    header = client.fetch([newest], ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID SUBJECT)]"])[newest]
    text = next(v for k, v in header.items() if k.startswith(b"BODY[")).decode(errors="replace")
    mid = text.split("<", 1)[1].split(">", 1)[0] if "<" in text else ""
    reply = (f"From: Bench <bench@example.org>\r\nTo: {email}\r\nSubject: Re: bench thread\r\n"
             f"Message-ID: <bench-{uuid.uuid4().hex}@example.org>\r\nReferences: <{mid}>\r\nIn-Reply-To: <{mid}>\r\n\r\nA reply.\r\n")
    client.append("INBOX", reply.encode())
    total_before = len(client.thread("REFERENCES"))
    client.logout()
    commands = CommandLog()
    try:
        t = time.perf_counter()
        total, conversations = page()
        seconds = time.perf_counter() - t
    finally:
        commands.close()
    joined = next((c.count for c in conversations if newest in c.uids), 0)
    return {
        "commands": commands.commands, "seconds": round(seconds, 3), "conversations": total, "server_conversations": total_before,
        "reply_joined_conversation_of_size": joined,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", choices=[u.label for u in USERS], default="100k")
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    STATE.mkdir(parents=True, exist_ok=True)
    password = os.environ["BENCH_PASSWORD"]
    user = next(u for u in USERS if u.label == args.only)
    load = os.getloadavg()
    ensure_user(user, password)
    seeding = seed(user, timeout=3000)
    client = imap_connect(user.email, password)
    floor_thread, floor_page, server_threads = floor(client, args.runs)
    client.logout()
    log(f"floor: THREAD {floor_thread}, THREAD + page FETCH {floor_page}, {server_threads} conversations")
    report: dict = {"mailbox": user.label, "seeding": seeding, "load_average": load, "floor_thread": floor_thread, "floor_page": floor_page,
                    "server_conversations": server_threads}
    # "cold" is the whole-folder THREAD in the request, as a folder under the inline limit
    # gets it (over the limit, 20,000 by default, a page lists it flat while a worker builds).
    os.environ["WEBMAIL_THREADS_INLINE_LIMIT"] = str(10**9)
    app = App(free_port(int(os.environ.get("BENCH_PORT_FIRST", "23100")), int(os.environ.get("BENCH_PORT_LAST", "23999"))))
    try:
        app.start()
        browser = Browser(app.port)
        browser.sign_in(user.email, password)
        cold = []
        for _ in range(max(3, args.runs // 4)):
            delete_cache_keys("threads:*")
            delete_cache_keys("selected-conversations:*")
            t = time.perf_counter()
            status, _h, body, _n = browser.get("/mail/INBOX/")
            cold.append(time.perf_counter() - t)
            assert status == 200 and b'data-uids="' in body, status
        # Threads kept, the page built again (its rows fetched): what a page costs after any change.
        rebuilt = []
        for _ in range(args.runs):
            delete_cache_keys("selected-conversations:*")
            t = time.perf_counter()
            status, _h, _b, _n = browser.get("/mail/INBOX/", keep_body=False)
            rebuilt.append(time.perf_counter() - t)
            assert status == 200
        # Nothing changed since the last look: the page kept under the folder's CONDSTORE state.
        warm = []
        for _ in range(args.runs):
            t = time.perf_counter()
            status, _h, _b, _n = browser.get("/mail/INBOX/", keep_body=False)
            warm.append(time.perf_counter() - t)
            assert status == 200
        report["app_cold"], report["app_rebuilt"], report["app_warm"] = summary(cold), summary(rebuilt), summary(warm)
        log(f"app: cold {report['app_cold']}, threads kept {report['app_rebuilt']}, unchanged {report['app_warm']}")
        report["arrival"] = arrival_cost(user.email, password)
        t = time.perf_counter()
        status, _h, _b, _n = browser.get("/mail/INBOX/", keep_body=False)
        report["app_after_arrival_ms"] = round((time.perf_counter() - t) * 1000, 1)
    finally:
        app.stop()
    (STATE / "threads-last-run.json").write_text(json.dumps(report, indent=2))
    print()
    print(f"conversation list, {user.label} INBOX ({report['server_conversations']} conversations); load average before: {load}")
    print(f"{'what':<52} {'median':>9} {'p95':>9}")
    rows = [
        ("app: page 1, threads kept, rows fetched (target <= 150 ms)", report["app_rebuilt"]),
        ("app: page 1, folder unchanged since the last look", report["app_warm"]),
        ("app: page 1, kept threads deleted (full THREAD)", report["app_cold"]),
        ("floor: UID THREAD REFERENCES UTF-8 ALL", floor_thread),
        ("floor: THREAD + FETCH of page 1's rows", floor_page),
    ]
    for label, r in rows:
        print(f"{label:<52} {r['median_ms']:>6} ms {r['p95_ms']:>6} ms")
    arrival = report["arrival"]
    print(f"\na new reply arriving, then page 1 ({arrival['seconds'] * 1000:.0f} ms in-process; "
          f"joined a conversation of {arrival['reply_joined_conversation_of_size']}; next HTTP page {report['app_after_arrival_ms']} ms):")
    for command in arrival["commands"]:
        print(f"  {command}")
    print(f"JSON: {STATE / 'threads-last-run.json'}")
    return 0 if report["app_rebuilt"]["median_ms"] <= 150 else 1


if __name__ == "__main__":
    sys.exit(main())
