"""Addresses the user wrote to or received from, collected by the app, for autocomplete.

Sending counts each recipient (weight 1); the sender of a message read, replied to or
forwarded is remembered with weight 0 (known, but ranked below people written to).
Suggestions: prefix matches on address or any word of the name, most used first,
then most recent.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import CollectedAddress
from mailview.mime import Address

MAX_SUGGESTIONS = 10


@dataclass(frozen=True)
class Suggestion:
    name: str
    email: str

    @property
    def label(self) -> str:
        return str(Address(name=self.name, email=self.email))


def addresses_collect(*, user: User | int, addresses: Iterable[Address], weight: int = 1) -> None:
    """Remember addresses (idempotent per call: one address counts once)."""
    user_id = user if isinstance(user, int) else user.pk
    now = timezone.now()
    seen: set[str] = set()
    for address in addresses:
        key = (address.email or "").strip().lower()
        if not key or key in seen or len(key) > 320 or "@" not in key:
            continue
        seen.add(key)
        name = (address.name or "")[:200]
        updated = CollectedAddress.objects.filter(user_id=user_id, email=key).update(
            times_used=F("times_used") + weight, last_used=now, **({"name": name} if name else {})
        )
        if not updated:
            try:
                with transaction.atomic():
                    CollectedAddress.objects.create(user_id=user_id, email=key, name=name, times_used=weight, last_used=now)
            except IntegrityError:  # created meanwhile by another request
                CollectedAddress.objects.filter(user_id=user_id, email=key).update(times_used=F("times_used") + weight, last_used=now)


# A sender read again within this time is not written again (by this process).
SENDER_REMEMBERED_SECONDS = 24 * 3600


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


def senders_remember(*, user: User, addresses: Iterable[Address]) -> None:
    """Remember the senders of a message being read, at most once a day per process:
    opening mail must not cost a database write each time."""
    local = caches["local"]
    fresh = [
        a for a in addresses
        if a.email and local.add(f"sender-known:{user.pk}:{_digest(a.email.strip().lower())}", True, SENDER_REMEMBERED_SECONDS)
    ]
    if fresh:
        addresses_collect(user=user, addresses=fresh, weight=0)


def address_suggestions(*, user: User, query: str, limit: int = MAX_SUGGESTIONS) -> list[Suggestion]:
    text = (query or "").strip()
    if not text or len(text) > 200:
        return []
    rows = (
        CollectedAddress.objects.filter(user=user)
        .filter(Q(email__istartswith=text) | Q(name__istartswith=text) | Q(name__icontains=" " + text) | Q(email__icontains="." + text))
        .order_by("-times_used", "-last_used", "email")[:limit]
    )
    return [Suggestion(name=r.name, email=r.email) for r in rows]


def collected_list(*, user: User, query: str = "", limit: int = 500) -> list[CollectedAddress]:
    """The collected addresses (the address book without a CardDAV server): most used first,
    those whose address or name contains `query`."""
    rows = CollectedAddress.objects.filter(user=user)
    text = (query or "").strip()[:200]
    if text:
        rows = rows.filter(Q(email__icontains=text) | Q(name__icontains=text))
    return list(rows.order_by("-times_used", "-last_used", "email")[:limit])
