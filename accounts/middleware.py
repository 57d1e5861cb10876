"""Per-person preferences applied to every request: the time zone dates are shown in."""
from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from functools import lru_cache

from django.http import HttpRequest, HttpResponse
from django.utils import timezone


@lru_cache(maxsize=512)
def _zone(name: str) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None  # a zone the system no longer knows: the deployment's default


class UserTimeZoneMiddleware:
    """Dates in the person's chosen time zone (settings → appearance), from the next
    request on. After AuthenticationMiddleware; the settings row comes with the user."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone = None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            prefs = getattr(user, "mail_settings", None)
            if prefs is not None and prefs.time_zone:
                zone = _zone(prefs.time_zone)
        if zone is None:
            return self.get_response(request)
        timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


def preferences(request: HttpRequest) -> dict[str, object]:
    """Template context from the person's settings: the theme (`system`, `light`, `dark`)
    for <html>, where the reading pane goes (`right`, `below`, `off`) and the list's share."""
    user = getattr(request, "user", None)
    prefs = getattr(user, "mail_settings", None) if user is not None and user.is_authenticated else None
    if prefs is None:
        return {"theme": "system", "reading_pane": "off", "reading_pane_split": 45}
    return {"theme": prefs.theme, "reading_pane": prefs.reading_pane, "reading_pane_split": prefs.reading_pane_split}
