"""Display helpers for mail: dates as mail clients show them, sizes."""
from __future__ import annotations

from datetime import date, datetime

from django import template
from django.template.defaultfilters import filesizeformat
from django.utils import formats, timezone
from django.utils.html import format_html

register = template.Library()


def _local(value: datetime) -> datetime:
    if timezone.is_naive(value):
        value = timezone.make_aware(value, timezone.get_default_timezone())
    return timezone.localtime(value)


def _short(local: datetime, today: date) -> str:
    if local.date() == today:
        return formats.time_format(local, "H:i")
    if local.year == today.year:
        return formats.date_format(local, "j M")
    return formats.date_format(local, "SHORT_DATE_FORMAT")


@register.filter
def mail_date(value: datetime | None) -> str:
    """Time for today, day and month this year, the full date before."""
    if not isinstance(value, datetime):
        return ""
    return _short(_local(value), timezone.localdate())


@register.simple_tag
def mail_time(value: datetime | None) -> str:
    """The whole `<time>` element of a list row, with the converted date computed once."""
    if not isinstance(value, datetime):
        return ""
    local = _local(value)
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        local.isoformat(),
        formats.date_format(local, "DATETIME_FORMAT"),
        _short(local, timezone.localdate()),
    )


@register.filter
def mail_size(value: int | None) -> str:
    return filesizeformat(value or 0)
