"""Display helpers for mail: dates as mail clients show them, sizes."""
from __future__ import annotations

from datetime import datetime

from django import template
from django.template.defaultfilters import filesizeformat
from django.utils import formats, timezone

register = template.Library()


@register.filter
def mail_date(value: datetime | None) -> str:
    """Time for today, day and month this year, the full date before."""
    if not isinstance(value, datetime):
        return ""
    if timezone.is_naive(value):
        value = timezone.make_aware(value, timezone.get_default_timezone())
    local = timezone.localtime(value)
    today = timezone.localdate()
    if local.date() == today:
        return formats.time_format(local, "H:i")
    if local.year == today.year:
        return formats.date_format(local, "j M")
    return formats.date_format(local, "SHORT_DATE_FORMAT")


@register.filter
def mail_size(value: int | None) -> str:
    return filesizeformat(value or 0)
