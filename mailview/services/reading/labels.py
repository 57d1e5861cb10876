"""Labels you can browse: which IMAP keywords a person uses, and how often.

The sidebar lists a kept list (in the cache, per person) and never asks the server for
it: every list page and search remembers the labels on the messages it showed, and a
scan (`label_scan`, run by the labels page and after a rename or delete) counts each
label in every folder. A folder's FLAGS alone are not enough: Dovecot keeps a keyword
there after the last message with it lost it, so a deleted label would come back.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import redis
from django.core.cache import cache

from mailview.imap.connection import ImapConnection
from mailview.imap.errors import ImapError
from mailview.services.reading.folders import FolderInfo
from mailview.services.reading.messages import Label, labels_of

KEEP_SECONDS = 30 * 24 * 3600
# Labels are a convenience: with Redis down, pages show none and remember none (never a 503).
_CACHE_DOWN = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
MAX_LABELS = 200


@dataclass(frozen=True)
class LabelCount:
    label: Label
    count: int | None  # None: seen on messages, not counted yet

    @property
    def name(self) -> str:
        return self.label.name


def _key(user_key: str) -> str:
    return f"labels:{user_key}"


def _kept(user_key: str) -> dict[str, int | None]:
    try:
        return cache.get(_key(user_key)) or {}
    except _CACHE_DOWN:
        return {}


def _keep(user_key: str, kept: dict[str, int | None]) -> None:
    try:
        cache.set(_key(user_key), kept, KEEP_SECONDS)
    except _CACHE_DOWN:
        pass


def labels_known(*, user_key: str) -> list[LabelCount]:
    """The kept list, by name (no IMAP)."""
    kept = _kept(user_key)
    return [LabelCount(label, kept.get(label.name)) for label in labels_of(frozenset(kept))]


def labels_remember(*, user_key: str, labels: Iterable[Label]) -> None:
    """Add labels seen on messages to the kept list (one cache read; a write only when new)."""
    names = {label.name for label in labels}
    if not names:
        return
    kept = _kept(user_key)
    new = names - set(kept)
    if new and len(kept) < MAX_LABELS:
        kept.update({name: None for name in new})
        _keep(user_key, kept)


def labels_forget(*, user_key: str, names: Iterable[str]) -> None:
    kept = _kept(user_key)
    for name in names:
        kept.pop(name, None)
    _keep(user_key, kept)


def label_scan(*, imap: ImapConnection, user_key: str, folders: Iterable[FolderInfo]) -> list[LabelCount]:
    """Count every label in every folder (EXAMINE each; one UID SEARCH KEYWORD per keyword
    the folder's FLAGS name) and keep the result. Needs a checked-out session."""
    counts: dict[str, int] = {}
    for folder in folders:
        if not folder.selectable:
            continue
        try:
            selected = imap.select(folder.name, readonly=True, refresh=True)
        except ImapError:
            continue
        if not selected.exists:
            continue
        for label in labels_of(selected.flags | selected.permanent_flags - {"\\*"}):
            found = imap.uids_with_flag("1:*", label.name)
            if found:
                counts[label.name] = counts.get(label.name, 0) + len(found)
    _keep(user_key, {name: count for name, count in counts.items()})
    return labels_known(user_key=user_key)
