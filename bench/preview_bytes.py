#!/usr/bin/env python3
"""What the preview line costs on the wire: IMAP bytes of list page 1 with and without it.

Run it with ``bash bench/run.sh preview`` (the mail stack comes from run.sh). It seeds
``benchpreview@example.test`` with 2,000 generated messages (scripts/mailgen.py: plain,
HTML newsletters, multipart/alternative, attachments, many charsets; once), then on one
persistent imapclient connection, for page 1 (the 50 newest, as the list asks for them:
`UID SORT RETURN (COUNT PARTIAL 1:50) (REVERSE ARRIVAL) ALL`) counts the bytes read from
and written to the socket by

* today: the SORT and the list FETCH (UID FLAGS ENVELOPE RFC822.SIZE INTERNALDATE
  BODYSTRUCTURE);
* PREVIEW: the same FETCH with PREVIEW added (RFC 8970; what the app asks where advertised);
* fallback: today's bytes plus the app's partial fetches of each row's text part
  (`BODY.PEEK[section]<0.400>` for text/plain, `<0.2048>` for HTML-only; what the app asks
  where PREVIEW is not advertised, once per message: later pages views read it from the cache).

The app keeps every preview it made (the cache, by folder, UIDVALIDITY and UID), so a page
seen before asks for none: "seen before" costs what today costs, "1 new mail" one row's
PREVIEW. Also pages 2..5 for a spread. Target (issue #12): ≤ 20 % more IMAP bytes per list
page (the run fails if a page with one new message costs more).
Writes var/bench/preview-last-run.json.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from read_path import STATE, BenchUser, ensure_user, imap_connect, log, maildir_count, run

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from mailview.imap.sort import esort_page
from mailview.mime import parse_bodystructure
from mailview.mime.preview import preview_bytes, preview_part

USER = BenchUser("preview", "benchpreview@example.test", 2_000, 77)
SUMMARY_ITEMS = [b"UID", b"FLAGS", b"ENVELOPE", b"RFC822.SIZE", b"INTERNALDATE", b"BODYSTRUCTURE"]
PER_PAGE = 50


class Counting:
    """The imaplib connection's file and socket, counted."""

    def __init__(self, client) -> None:
        self.imap = client._imap  # noqa: SLF001 - the bench counts the bytes imaplib reads and writes
        self.read = 0
        self.written = 0
        file, sock = self.imap.file, self.imap.sock
        counter = self

        class File:
            def readline(self, *a):
                data = file.readline(*a)
                counter.read += len(data)
                return data

            def read(self, *a):
                data = file.read(*a)
                counter.read += len(data)
                return data

            def __getattr__(self, name):
                return getattr(file, name)

        class Sock:
            def sendall(self, data, *a):
                counter.written += len(data)
                return sock.sendall(data, *a)

            def __getattr__(self, name):
                return getattr(sock, name)

        self.imap.file = File()
        self.imap.sock = Sock()

    def take(self) -> int:
        total = self.read + self.written
        self.read = self.written = 0
        return total


def page(client, counter: Counting, number: int) -> dict:
    first, last = (number - 1) * PER_PAGE + 1, number * PER_PAGE
    counter.take()
    _count, uids = esort_page(client, b"REVERSE ARRIVAL", first, last)
    sort_bytes = counter.take()
    rows = client.fetch(uids, SUMMARY_ITEMS)
    today = counter.take()
    with_preview = client.fetch(uids, SUMMARY_ITEMS + [b"PREVIEW"])
    preview = counter.take()
    # One new message since the page was last shown: its preview is asked for, the other
    # 49 come from the app's cache (two FETCHes, as the app does it).
    client.fetch(uids[1:], SUMMARY_ITEMS)
    client.fetch(uids[:1], SUMMARY_ITEMS + [b"PREVIEW"])
    one_new = counter.take()
    wanted: dict[tuple[str, int], list[int]] = {}
    for uid, data in rows.items():
        part = preview_part(parse_bodystructure(data.get(b"BODYSTRUCTURE")))
        if part is not None:
            wanted.setdefault((part.section, preview_bytes(part)), []).append(uid)
    for (section, size), group in wanted.items():
        client.fetch(group, [f"BODY.PEEK[{section}]<0.{size}>".encode()])
    fallback = counter.take()
    empty = sum(1 for d in with_preview.values() if not d.get(b"PREVIEW"))
    return {
        "page": number, "rows": len(rows), "sort_bytes": sort_bytes, "fetch_today": today, "fetch_with_preview": preview,
        "fallback_extra": fallback, "rows_without_preview": empty,
        "today": sort_bytes + today, "preview": sort_bytes + preview, "fallback": sort_bytes + today + fallback,
        "preview_kept": sort_bytes + today, "preview_one_new": sort_bytes + one_new,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=5)
    args = ap.parse_args()
    STATE.mkdir(parents=True, exist_ok=True)
    password = os.environ["BENCH_PASSWORD"]
    ensure_user(USER, password)
    if maildir_count(USER) < USER.count:
        log(f"seeding {USER.count} messages for {USER.email} ...")
        run([sys.executable, "scripts/mailgen.py", "seed", "--user", USER.email, "--count", str(USER.count), "--seed", str(USER.seed),
             "--big-attachments", "0", "--index"], timeout=1800)
    client = imap_connect(USER.email, password)
    caps = client.capabilities()
    client.select_folder("INBOX", readonly=True)
    counter = Counting(client)
    # Once unmeasured: Dovecot computes a message's preview on first request and keeps it in
    # its cache file, as the app's first visit of a page would.
    page(client, counter, 1)
    rows = [page(client, counter, n) for n in range(1, args.pages + 1)]
    client.logout()
    report = {"capabilities_preview": [c.decode() for c in caps if c.startswith((b"PREVIEW", b"SNIPPET"))], "pages": rows}
    (STATE / "preview-last-run.json").write_text(json.dumps(report, indent=2))
    print()
    print(f"server advertises: {' '.join(report['capabilities_preview']) or 'no PREVIEW'}")
    print("bytes on the wire for one list page (SORT + FETCH), and how much more than today:")
    print(f"{'page':>4} {'rows':>4} {'today':>7} {'first view':>17} {'seen before':>15} {'1 new mail':>15} {'no PREVIEW: first':>18}")
    ok = True

    def cell(value: int, base: int, width: int) -> str:
        return f"{value:>{width - 8}} ({100.0 * (value - base) / base:+5.1f}%)"

    for r in rows:
        ok = ok and r["preview_one_new"] <= r["today"] * 1.2
        print(f"{r['page']:>4} {r['rows']:>4} {r['today']:>7} {cell(r['preview'], r['today'], 17)} {cell(r['preview_kept'], r['today'], 15)}"
              f" {cell(r['preview_one_new'], r['today'], 15)} {cell(r['fallback'], r['today'], 18)}")
    print("first view: every row's PREVIEW asked for; seen before: the app keeps each preview (cache, by folder, UIDVALIDITY")
    print("and UID), so a page shown again asks none; 1 new mail: one row's PREVIEW; no PREVIEW: the partial fetches instead.")
    print(f"JSON: {STATE / 'preview-last-run.json'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
