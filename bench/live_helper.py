#!/usr/bin/env python3
"""The Django side of bench/live_list.py (run with the bench's environment, as run.sh sets it):

    live_helper.py watch EMAIL     # set the watched mark (as a watcher would) and sync every folder
    live_helper.py unwatch EMAIL   # clear it
    live_helper.py sync EMAIL      # one sync of INBOX; prints {"operations", "ms", "events"} as JSON

The sync runs in this process with its own pool, as the Celery task would in a worker.
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webmail.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402

from mailview.imap import connection as imap_connection  # noqa: E402
from mailview.imap import get_pool  # noqa: E402
from mailview.services.live import events  # noqa: E402
from mailview.services.live.sync import folders_sync  # noqa: E402
from mailview.templatetags.mail_list import message_rows  # noqa: E402


def main() -> int:
    command, email = sys.argv[1], sys.argv[2]
    user = get_user_model().objects.get(username=email)
    if command == "unwatch":
        events.clear_watched(user.pk)
        return 0
    if command == "watch":
        events.mark_watched(user.pk, 3600)
    with get_pool().session(user) as imap:
        if command == "watch":
            folders = [f.name for f in imap.list_folders(with_status=False) if "\\noselect" not in f.attributes]
            folders_sync(imap=imap, user_pk=user.pk, folders=folders, render_rows=message_rows)
            print(json.dumps({"folders": folders}))
            return 0
        # Warm: QRESYNC enabled, special folders known, nothing new (a sync of an unchanged INBOX).
        folders_sync(imap=imap, user_pk=user.pk, folders=["INBOX"], render_rows=message_rows)
        unchanged_before = imap.operations
        folders_sync(imap=imap, user_pk=user.pk, folders=["INBOX"], render_rows=message_rows)
        unchanged = imap.operations - unchanged_before
        print(json.dumps({"ready": True, "unchanged_operations": unchanged}), flush=True)
        sys.stdin.readline()  # the bench appends one message, then says go
        names: list[str] = []
        real_run = imap_connection.ImapConnection._run  # noqa: SLF001 - the bench lists what the sync sends

        def run(self, operation, **kwargs):  # type: ignore[no-untyped-def]
            t = time.perf_counter()
            try:
                return real_run(self, operation, **kwargs)
            finally:
                names.append(f"{getattr(operation, '__qualname__', '?')} {(time.perf_counter() - t) * 1000:.1f} ms")

        imap_connection.ImapConnection._run = run  # type: ignore[method-assign]  # noqa: SLF001
        before_ops, before_id = imap.operations, events.latest_event_id(user.pk)
        t = time.perf_counter()
        folders_sync(imap=imap, user_pk=user.pk, folders=["INBOX"], render_rows=message_rows)
        ms = (time.perf_counter() - t) * 1000
        imap_connection.ImapConnection._run = real_run  # type: ignore[method-assign]  # noqa: SLF001
        published = [e.kind for e in events.events_after(user.pk, before_id) or []]
        print(json.dumps({"operations": imap.operations - before_ops, "commands": names, "ms": round(ms, 1), "events": published}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
