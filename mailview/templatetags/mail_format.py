"""Display helpers for mail: local times, sizes."""
from __future__ import annotations

from datetime import datetime

from django import template
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

register = template.Library()


def local_time(value: datetime) -> datetime:
    """In the user's time zone (naive dates from mail are taken as the server's zone)."""
    if timezone.is_naive(value):
        value = timezone.make_aware(value, timezone.get_default_timezone())
    return timezone.localtime(value)


@register.filter
def mail_size(value: int | None) -> str:
    return filesizeformat(value or 0)
