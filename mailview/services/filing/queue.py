"""Queued filing actions: who owns one, queueing it after commit, and what became of it.

A service imports no task (tasks import services): whoever queues an action hands in
the task's `apply_async` as `enqueue` (the view passes `mailview.tasks.mail_action.apply_async`).
"""
from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from celery.result import AsyncResult
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from mailview.imap.connection import ImapConnection
from mailview.imap.errors import MailboxNotFound
from mailview.imap.query import parse_query
from mailview.imap.search import search_keys
from mailview.imap.sequences import uid_set_text
from mailview.services.filing.actions import undo_plan
from mailview.services.reading.folders import FolderInfo
from mailview.services.reading.search import search_scope

OWNER_TTL = 7 * 24 * 3600

Enqueue = Callable[..., Any]  # Celery's `apply_async(kwargs=..., task_id=..., queue=...)`


def action_enqueue(
    *,
    enqueue: Enqueue,
    user_pk: int,
    kind: str,
    folder: str,
    uids: list[int] | str,
    target: str | None = None,
    keyword: str | None = None,
    restore: dict[str, dict[str, str]] | None = None,
    until: str | None = None,
) -> str:
    """Queue an action after the transaction commits; returns its id (= the Celery task id).
    `until`: when a snooze brings the messages back (ISO 8601)."""
    action_id = uuid.uuid4().hex
    cache.set(f"action-owner:{action_id}", user_pk, OWNER_TTL)
    extra: dict[str, Any] = {"restore": restore} if restore else {}  # only undo plans carry keywords to put back
    if until:
        extra["until"] = until  # only snoozes have a time
    transaction.on_commit(
        lambda: enqueue(
            kwargs={
                "action_id": action_id,
                "user_id": user_pk,
                "kind": kind,
                "folder": folder,
                "uids": uids,
                "target": target,
                "keyword": keyword,
                **extra,
            },
            task_id=action_id,
            queue=settings.WEBMAIL_ACTIONS_QUEUE,
        )
    )
    return action_id


def action_is_owned(*, action_id: str, user_pk: int) -> bool:
    """Whether this user queued this action (anyone else is told it does not exist)."""
    return bool(cache.get(f"action-owner:{action_id}") == user_pk)


def action_result(*, action_id: str) -> dict[str, Any] | None:
    """The finished action's result (what the task returned), `{"ok": False, "error":
    "failed"}` when the task failed; None while it is queued or running."""
    result: AsyncResult[Any] = AsyncResult(action_id)
    if not result.ready():
        return None
    value = result.result if result.successful() else {"ok": False, "error": "failed"}
    return value if isinstance(value, dict) else {"ok": False, "error": "failed"}


def action_undo_plan(*, action_id: str) -> dict[str, Any] | None:
    """The action that undoes a finished one (see `undo_plan`), or None."""
    result: AsyncResult[Any] = AsyncResult(action_id)
    return undo_plan(result.result) if result.successful() and isinstance(result.result, dict) else None


def folder_uid_set(*, imap: ImapConnection, folder: str, query: str = "", in_body: bool = False) -> str | None:
    """Every message in the folder now (only those matching `query`, when given) as a UID
    set (a range, never a list of 100k UIDs through the browser); None when there are none."""
    selected = imap.select(folder, readonly=True, refresh=True)
    matching = imap.sorted_uids(sort="date", reverse=False, keys=search_keys(query, in_body=in_body)) if query else None
    if selected.exists == 0 or matching == []:
        return None
    return uid_set_text(matching) if matching is not None else f"1:{max(selected.uidnext - 1, 1)}"


def search_uid_sets(
    *, imap: ImapConnection, folders: list[FolderInfo], text: str, in_body: bool = False, include_all: bool = False
) -> dict[str, str]:
    """"Select all N results" of a search across folders: for each folder the search covers
    (the same scope as the search page: `services.reading.search.search_scope`), the UIDs
    matching now, as a UID set. Folders without a match are left out. Runs the folders one
    after another on the one connection (an action, not a page: no deadline)."""
    query = parse_query(text)
    if query.is_empty:
        return {}  # never "everything": an empty search has no results to select
    scope = search_scope(folders=folders, query=query, include_all=include_all)
    sets: dict[str, str] = {}
    for folder in scope:
        try:
            every = folder_uid_set(imap=imap, folder=folder.name, query=text, in_body=in_body)
        except MailboxNotFound:
            continue  # gone since the page was shown
        if every is not None:
            sets[folder.name] = every
    return sets
