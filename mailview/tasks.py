"""Celery tasks: thin, take IDs and plain data, rebuild context, call a service.

Acks late with retries (settings), so a worker that dies mid-task leaves the
message on the broker for another worker.
"""
from __future__ import annotations

from celery import shared_task
from django.contrib.auth import get_user_model

from .imap import ImapConnectionError, NoStoredCredentials, PoolTimeout, get_pool
from .services.actions import message_action_apply
from .services.folders import flatten, folder_tree


@shared_task(bind=True, autoretry_for=(ImapConnectionError, PoolTimeout), retry_backoff=True, max_retries=5)
def folder_counts_refresh(self, user_id: int) -> dict[str, list[int | None]]:  # type: ignore[no-untyped-def]
    """Fresh message and unread counts of every folder, read through this worker's pool."""
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return {}
    try:
        with get_pool().session(user) as imap:
            tree = folder_tree(imap=imap, include_unsubscribed=True)
    except NoStoredCredentials:
        return {}  # signed out meanwhile: nothing to do
    return {f.name: [f.messages, f.unseen] for f in flatten(tree) if f.selectable}


@shared_task(bind=True, autoretry_for=(ImapConnectionError, PoolTimeout), retry_backoff=2, retry_backoff_max=60, max_retries=12)
def mail_action(self, *, action_id: str, user_id: int, kind: str, folder: str, uids: list[int] | str, target: str | None = None, keyword: str | None = None, restore: dict | None = None) -> dict:  # type: ignore[no-untyped-def]
    """Apply one filing action on the IMAP server. Safe to run twice (see services.actions)."""
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return {"ok": False, "kind": kind, "folder": folder, "error": "no such user"}
    try:
        with get_pool().session(user) as imap:
            result = message_action_apply(imap=imap, action_id=action_id, kind=kind, folder=folder, uids=uids, target=target, keyword=keyword, restore=restore)
    except NoStoredCredentials:
        # Signed out with actions still queued: they wait for the next sign-in.
        raise self.retry(countdown=60, max_retries=60 * 24) from None
    return result.as_dict()


from .compose_tasks import compose_cleanup_task, compose_send  # noqa: E402,F401 - registers the sending tasks with Celery
