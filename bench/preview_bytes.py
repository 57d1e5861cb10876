#!/usr/bin/env python3
"""What the preview line costs on the wire: IMAP bytes of list page 1 with and without it.

Run it with ``bash bench/run.sh preview`` (the mail stack comes from run.sh). It seeds
``benchpreview@example.test`` with 2,000 generated messages (scripts/mailgen.py: plain,
HTML newsletters, multipart/alternative, attachments, many charsets; once), then on one
persistent imapclient connection, for page 1 (the 50 newest, as the list asks for them:
`UID SORT RETURN (COUNT PARTIAL 1:50) (REVERSE ARRIVAL) ALL`) counts the bytes read from
and written to the socket by

* before previews (the baseline of issue #12): the SORT and the list FETCH as it was
  (UID FLAGS ENVELOPE RFC822.SIZE INTERNALDATE BODYSTRUCTURE);
* the list FETCH the app asks now (`connection.list_fetch_items`: ENVELOPE replaced by the
  header fields a row shows, From Sender Subject), without and with PREVIEW (RFC 8970; what
  the app asks where advertised for rows whose preview it has not kept);
* fallback: the app's FETCH plus its partial fetches of each row's text part
  (`BODY.PEEK[section]<0.400>` for text/plain, `<0.2048>` for HTML-only; what the app asks
  where PREVIEW is not advertised, once per message: later page views read it from the cache).

The app keeps every preview it made (the cache, by folder, UIDVALIDITY and UID), so a page
seen before asks for none, and a page with one new mail asks one row's PREVIEW. Also pages
2..5 for a spread, and where page 1's bytes go, item by item. Every percentage is against
the baseline. Target (issue #12): a page's first view with previews ≤ 20 % more IMAP bytes
than the baseline (the run fails if any page costs more).
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
from mailview.imap.connection import SUMMARY_ITEMS, list_fetch_items
from mailview.imap.sort import esort_page
from mailview.mime import parse_bodystructure
from mailview.mime.preview import preview_bytes, preview_part

USER = BenchUser("preview", "benchpreview@example.test", 2_000, 77)
# The list FETCH before previews (issue #12's baseline), and the one the app asks now.
BASELINE_ITEMS = [b"UID", b"FLAGS", b"ENVELOPE", b"RFC822.SIZE", b"INTERNALDATE", b"BODYSTRUCTURE"]
assert BASELINE_ITEMS == SUMMARY_ITEMS  # the message page still asks these
LIST_ITEMS = list_fetch_items(recipients=False)
# Where the bytes go: each item alone, less a FETCH of UID alone (the per-row framing).
BREAKDOWN = [b"FLAGS", b"ENVELOPE", b"RFC822.SIZE", b"INTERNALDATE", b"BODYSTRUCTURE", LIST_ITEMS[-1], b"PREVIEW",
             list_fetch_items(recipients=True)[-1]]
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
    rows = client.fetch(uids, BASELINE_ITEMS)
    baseline = counter.take()
    client.fetch(uids, LIST_ITEMS)
    now = counter.take()
    with_preview = client.fetch(uids, LIST_ITEMS + [b"PREVIEW"])
    preview = counter.take()
    client.fetch(uids, BASELINE_ITEMS + [b"PREVIEW"])
    old_preview = counter.take()
    # One new message since the page was last shown: its preview is asked for, the other
    # 49 come from the app's cache (two FETCHes, as the app does it).
    client.fetch(uids[1:], LIST_ITEMS)
    client.fetch(uids[:1], LIST_ITEMS + [b"PREVIEW"])
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
        "page": number, "rows": len(rows), "sort_bytes": sort_bytes, "fetch_baseline": baseline, "fetch_now": now,
        "fetch_with_preview": preview, "fallback_extra": fallback, "rows_without_preview": empty,
        "baseline": sort_bytes + baseline, "now": sort_bytes + now, "preview": sort_bytes + preview,
        "old_preview": sort_bytes + old_preview, "fallback": sort_bytes + now + fallback,
        "preview_kept": sort_bytes + now, "preview_one_new": sort_bytes + one_new,
    }


def breakdown(client, counter: Counting) -> dict[str, int]:
    """Bytes of page 1's FETCH by item: each alone, less a FETCH of UID alone."""
    _count, uids = esort_page(client, b"REVERSE ARRIVAL", 1, PER_PAGE)
    counter.take()
    client.fetch(uids, [b"UID"])
    framing = counter.take()
    out = {"(UID and framing)": framing}
    for item in BREAKDOWN:
        client.fetch(uids, [b"UID", item])
        out[item.decode()] = counter.take() - framing
    return out


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
    items = breakdown(client, counter)
    client.logout()
    report = {
        "capabilities_preview": [c.decode() for c in caps if c.startswith((b"PREVIEW", b"SNIPPET"))],
        "baseline_items": [i.decode() for i in BASELINE_ITEMS], "list_items": [i.decode() for i in LIST_ITEMS],
        "pages": rows, "page1_bytes_by_item": items,
    }
    (STATE / "preview-last-run.json").write_text(json.dumps(report, indent=2))
    print()
    print(f"server advertises: {' '.join(report['capabilities_preview']) or 'no PREVIEW'}")
    print(f"baseline FETCH: {' '.join(report['baseline_items'])}")
    print(f"app's FETCH now: {' '.join(report['list_items'])}")
    print("bytes on the wire for one list page (SORT + FETCH), and how much more than the baseline (before previews):")
    print(f"{'page':>4} {'rows':>4} {'baseline':>8} {'now, no preview':>17} {'first view':>17} {'seen before':>17}"
          f" {'1 new mail':>17} {'no PREVIEW: first':>18} {'old FETCH+PREVIEW':>18}")
    ok = True

    def cell(value: int, base: int, width: int) -> str:
        return f"{value:>{width - 8}} ({100.0 * (value - base) / base:+5.1f}%)"

    for r in rows:
        ok = ok and r["preview"] <= r["baseline"] * 1.2
        print(f"{r['page']:>4} {r['rows']:>4} {r['baseline']:>8} {cell(r['now'], r['baseline'], 17)} {cell(r['preview'], r['baseline'], 17)}"
              f" {cell(r['preview_kept'], r['baseline'], 17)} {cell(r['preview_one_new'], r['baseline'], 17)}"
              f" {cell(r['fallback'], r['baseline'], 18)} {cell(r['old_preview'], r['baseline'], 18)}")
    print("first view: every row's PREVIEW asked for; seen before: the app keeps each preview (cache, by folder, UIDVALIDITY")
    print("and UID), so a page shown again asks none; 1 new mail: one row's PREVIEW; no PREVIEW: the partial fetches instead;")
    print("old FETCH+PREVIEW: what the first view cost before the list asked header fields instead of ENVELOPE.")
    print(f"page 1's FETCH by item ({PER_PAGE} rows; each item alone, less UID alone):")
    for name, size in items.items():
        print(f"  {size:>7}  {name}")
    print(f"JSON: {STATE / 'preview-last-run.json'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
