"""A time a person chose in a form ("snooze until", "send later"), read in their time zone.

The forms carry the browser's offset from UTC (`getTimezoneOffset()`, in minutes, sent as
`tz_offset`); presets mean 8:00 there, a custom value is an <input type=datetime-local> there,
and the result must be in the future and within a year. Callers word the presets and turn
`TimeInvalid` into their own error.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from datetime import time as clock
from datetime import timezone as dt_timezone

from django.utils import timezone
from django.utils.translation import gettext as _


class TimeInvalid(ValueError):
    """The chosen time cannot be used; `str(exc)` is a sentence for the person."""


def person_zone(tz_offset: str) -> tzinfo:
    """The browser's zone from its offset (minutes, as JavaScript gives it), else the server's."""
    try:
        offset = int(tz_offset)
        if abs(offset) > 16 * 60:
            raise ValueError(tz_offset)
        return dt_timezone(timedelta(minutes=-offset))
    except ValueError:
        return timezone.get_current_timezone()


def morning(local_now: datetime, *, next_monday: bool) -> datetime:
    """8:00 tomorrow, or next Monday (a week on when today is Monday), in `local_now`'s zone."""
    days = ((7 - local_now.weekday()) or 7) if next_monday else 1
    return datetime.combine(local_now.date() + timedelta(days=days), clock(8, 0)).replace(tzinfo=local_now.tzinfo)


def custom_time(custom: str, zone: tzinfo) -> datetime:
    """An <input type=datetime-local> value, meant in `zone` (any offset it carries is ignored)."""
    try:
        naive = datetime.fromisoformat(custom.strip())
    except ValueError:
        raise TimeInvalid(_("Enter a date and time.")) from None
    return naive.replace(tzinfo=zone)


def future_time(when: datetime, *, now: datetime) -> datetime:
    """`when` in UTC, if it is after `now` and within a year of it."""
    when = when.astimezone(UTC)
    if when <= now:
        raise TimeInvalid(_("Choose a time in the future."))
    if when > now + timedelta(days=366):
        raise TimeInvalid(_("Choose a time within a year."))
    return when
