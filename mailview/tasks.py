"""Celery tasks: thin, take IDs and plain data, rebuild context, call a service.

Acks late with retries (settings), so a worker that dies mid-task leaves the
message on the broker for another worker.
"""
from __future__ import annotations

from celery import shared_task
from django.contrib.auth import get_user_model

from .imap import ImapConnectionError, NoStoredCredentials, PoolTimeout, get_pool
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


from .compose_tasks import *  # noqa: E402,F401,F403 - registers the sending tasks with Celery
