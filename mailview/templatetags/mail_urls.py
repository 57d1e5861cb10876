"""URL helpers for folders and messages.

Django's reverse() would quote the `%` of an encoded `/` a second time, so mail
URLs are built here, in one place.
"""
from __future__ import annotations

from urllib.parse import quote, urlencode

from django import template

register = template.Library()


def folder_url(name: str) -> str:
    return f"/mail/{quote(name, safe='')}/"


def message_url(folder: str, uid: int) -> str:
    return f"{folder_url(folder)}{int(uid)}/"


def part_url(folder: str, uid: int, section: str) -> str:
    return f"{message_url(folder, uid)}part/{quote(section, safe='.')}/"


register.simple_tag(folder_url, name="folder_url")
register.simple_tag(message_url, name="message_url")
register.simple_tag(part_url, name="part_url")


@register.simple_tag(takes_context=True)
def list_query(context: template.Context, **changes: object) -> str:
    """The current list's query string with some parameters changed (sort, order, page)."""
    request = context["request"]
    params = {k: v for k, v in request.GET.items() if k in ("sort", "order", "page", "q", "all_folders")}
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = str(value)
    return "?" + urlencode(params) if params else "?"
