"""Signal receivers of the mail app, connected by `MailviewConfig.ready()`.

- Sign-in: the person's full-text index starts (or catches up) in the background.
- An account deleted: the person's full-text index goes with it.
"""
from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.db.models.signals import post_delete

from mailview.services.fulltext.indexing import index_remove, index_request


def _index_at_sign_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from mailview.tasks import search_index_fill

    if not settings.WEBMAIL_SEARCH_INDEX_AUTOSTART:
        return
    pk = int(user.pk)
    # After commit: the task reads the credentials this sign-in just stored.
    transaction.on_commit(lambda: index_request(user_pk=pk, enqueue=search_index_fill.apply_async))


def _remove_index_of_deleted_account(sender: Any, instance: Any, **kwargs: Any) -> None:
    index_remove(user_pk=int(instance.pk))


def connect() -> None:
    user_logged_in.connect(_index_at_sign_in, dispatch_uid="mailview-fts-sign-in")
    post_delete.connect(_remove_index_of_deleted_account, sender=get_user_model(), dispatch_uid="mailview-fts-account-deleted")
