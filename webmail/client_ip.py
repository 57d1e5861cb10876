"""The client's IP address, as the trusted reverse proxies in front of the app saw it."""
from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or with `WEBMAIL_TRUSTED_PROXIES = n` the n-th X-Forwarded-For entry
    from the right: each trusted proxy appends the address it was reached from, so
    entries further left were written by the client and can say anything."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    trusted = settings.WEBMAIL_TRUSTED_PROXIES
    if trusted > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            # Fewer entries than proxies: every entry was still written by a trusted proxy.
            candidate = forwarded[-trusted] if len(forwarded) >= trusted else forwarded[0]
            if _valid(candidate):
                return candidate
    return remote if _valid(remote) else "unknown"


def _valid(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
