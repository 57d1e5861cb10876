"""The mailbox's quota for the folder sidebar's meter: GETQUOTAROOT INBOX, kept a minute."""
from __future__ import annotations

from dataclasses import dataclass

from mailview.imap.connection import ImapConnection
from mailview.imap.errors import ImapProtocolError
from webmail.cache import optional_cache as cache

# The sidebar is on every page: the server is asked at most once a minute per person.
QUOTA_SECONDS = 60
# From this share of the limit on, the meter warns.
NEAR_LIMIT = 0.9
_NONE = "none"  # the server has no storage quota: remembered too


@dataclass(frozen=True)
class MailboxQuota:
    """Storage used and allowed, in bytes."""

    used: int
    limit: int

    @property
    def share(self) -> float:
        return self.used / self.limit if self.limit else 0.0

    @property
    def percent(self) -> int:
        return min(100, round(self.share * 100))

    @property
    def near_limit(self) -> bool:
        return self.share >= NEAR_LIMIT

    @property
    def warn_at(self) -> int:
        """The meter's `high`: where it turns to a warning."""
        return int(self.limit * NEAR_LIMIT)


def _key(user_key: str) -> str:
    return f"quota:{user_key}"


def mailbox_quota(*, imap: ImapConnection, user_key: str) -> MailboxQuota | None:
    """The STORAGE quota of INBOX's quota root (None without QUOTA or without a storage
    limit), from the cache when asked less than a minute ago. Needs a checked-out session."""
    kept = cache.get(_key(user_key))
    if kept == _NONE:
        return None
    if isinstance(kept, tuple):
        return MailboxQuota(*kept)
    try:
        resources = imap.quota_root("INBOX")
    except ImapProtocolError:  # advertised but refused (no quota root): no meter, the page goes on
        resources = None
    storage = next((r for r in resources or () if r.resource == "STORAGE" and r.limit > 0), None)
    quota = MailboxQuota(used=storage.usage * 1024, limit=storage.limit * 1024) if storage else None
    cache.set(_key(user_key), (quota.used, quota.limit) if quota else _NONE, QUOTA_SECONDS)
    return quota


def mailbox_quota_cached(*, user_key: str) -> MailboxQuota | None:
    """The quota the last page asked for, without IMAP (None when not known)."""
    kept = cache.get(_key(user_key))
    return MailboxQuota(*kept) if isinstance(kept, tuple) else None
