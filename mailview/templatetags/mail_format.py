"""Display helpers for mail: local times (relative for today and yesterday), sizes, previews."""
from __future__ import annotations

from datetime import datetime, timedelta

from django import template
from django.template.defaultfilters import filesizeformat
from django.utils import dateformat, formats, timezone
from django.utils.translation import gettext as _

from mailview.services.reading.parts import preview_kind as _preview_kind

register = template.Library()


def local_time(value: datetime) -> datetime:
    """In the user's time zone (naive dates from mail are taken as the server's zone)."""
    if timezone.is_naive(value):
        value = timezone.make_aware(value, timezone.get_default_timezone())
    return timezone.localtime(value)


@register.filter
def mail_size(value: int | None) -> str:
    return filesizeformat(value or 0)


def relative_day(local: datetime) -> str | None:
    """"today" / "yesterday" for a local time on those days (in the person's time zone), else None."""
    today = timezone.localdate()
    if local.date() == today:
        return _("today")
    if local.date() == today - timedelta(days=1):
        return _("yesterday")
    return None


@register.filter
def mail_datetime(value: datetime | None) -> str:
    """A message's date in the person's zone and language: "today 14:02", "yesterday 09:15",
    else the full date and time."""
    if not isinstance(value, datetime):
        return ""
    local = local_time(value)
    day = relative_day(local)
    if day is None:
        return dateformat.format(local, formats.get_format("DATETIME_FORMAT"))
    return f"{day} {dateformat.time_format(local, formats.get_format('TIME_FORMAT'))}"


@register.simple_tag
def preview_kind(mime_type: str) -> str | None:
    """"image", "text" or "pdf" when an attachment of this type can be previewed in the page."""
    return _preview_kind(mime_type)
