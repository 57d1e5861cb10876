"""Renaming or deleting a label everywhere: STORE ±keyword in every folder, in a Celery task.

Safe to run twice: adding a keyword a message has and removing one it lacks change
nothing. Progress (folders done of all) is kept in the cache under the task's id, and the
task's result reports what the server confirmed (read back with UID SEARCH KEYWORD).
"""
from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from mailview.imap.connection import ImapConnection
from mailview.imap.errors import ImapError
from mailview.services.filing.actions import label_is_valid

Enqueue = Callable[..., Any]
OWNER_TTL = 7 * 24 * 3600


def label_change_enqueue(*, enqueue: Enqueue, user_pk: int, old: str, new: str | None) -> str:
    """Queue renaming `old` to `new` (or deleting it, `new` None) in every folder; returns
    the task id, which `/actions/<id>/` reports on like any filing action."""
    if not label_is_valid(old) or (new is not None and not label_is_valid(new)):
        raise ValueError("not a label")
    change_id = uuid.uuid4().hex
    cache.set(f"action-owner:{change_id}", user_pk, OWNER_TTL)
    transaction.on_commit(
        lambda: enqueue(
            kwargs={"change_id": change_id, "user_id": user_pk, "old": old, "new": new},
            task_id=change_id,
            queue=settings.WEBMAIL_ACTIONS_QUEUE,
        )
    )
    return change_id


def label_change_progress(*, change_id: str) -> dict[str, Any] | None:
    """{"done": folders done, "total": folders, "old": ..., "new": ...} while it runs."""
    value = cache.get(f"label-change:{change_id}")
    return value if isinstance(value, dict) else None


def label_change_apply(*, imap: ImapConnection, change_id: str, old: str, new: str | None) -> dict[str, Any]:
    """In every selectable folder: the messages with `old` get `new` (if any), then lose
    `old`. Needs a checked-out session. Returns what the server confirmed."""
    folders = [f.name for f in imap.list_folders(with_status=False) if not f.attributes & {"\\noselect", "\\nonexistent"}]
    changed = failed = 0
    refused: list[str] = []
    for index, folder in enumerate(folders):
        cache.set(f"label-change:{change_id}", {"done": index, "total": len(folders), "old": old, "new": new}, 3600)
        try:
            imap.select(folder, readonly=False)
            imap.sync_selected()
            uids = imap.uids_with_flag("1:*", old)
            if not uids:
                continue
            if new is not None:
                imap.add_flags(uids, [new])
            imap.remove_flags(uids, [old])
            still = imap.uids_with_flag(uids, old)
            missing_new = [u for u in uids if u not in set(imap.uids_with_flag(uids, new))] if new is not None else []
            failed += len(set(still) | set(missing_new))
            changed += len(uids) - len(set(still) | set(missing_new))
        except ImapError:
            refused.append(folder)
    cache.set(f"label-change:{change_id}", {"done": len(folders), "total": len(folders), "old": old, "new": new}, 3600)
    return {
        "ok": not failed and not refused,
        "kind": "label_rename" if new else "label_delete",
        "folder": "",
        "count": changed,
        "failed": failed,
        "gone": 0,
        "error": ("not changed in: " + ", ".join(refused)) if refused else "",
        "reason": "partial" if failed else "",
        "old": old,
        "new": new,
    }
