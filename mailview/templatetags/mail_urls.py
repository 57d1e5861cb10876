"""URL helpers: folders and messages, and the URL map handed to the page scripts.

Django's reverse() would quote the `%` of an encoded `/` a second time, so mail
URLs are built here, in one place. Every other URL comes from `{% url %}`; scripts
get theirs from `script_urls()` (a JSON data block) or from the page's elements,
never from a path written in the script.
"""
from __future__ import annotations

from urllib.parse import quote, urlencode

from django import template
from django.urls import reverse
from django.utils.html import json_script
from django.utils.safestring import SafeString

register = template.Library()


def folder_url(name: str) -> str:
    return f"/mail/{quote(name, safe='')}/"


# The pages under one message (mailview/urls.py): `message_url(folder, uid, "raw")`.
MESSAGE_PAGES = frozenset({"", "body", "raw", "print", "trust-sender", "previous", "next"})


def message_url(folder: str, uid: int, page: str = "") -> str:
    if page not in MESSAGE_PAGES:
        raise ValueError(f"no message page {page!r}")
    return f"{folder_url(folder)}{int(uid)}/" + (f"{page}/" if page else "")


def conversation_url(folder: str, uid: int) -> str:
    """A conversation's page: `uid` is any of its messages (the list links its oldest)."""
    return f"{folder_url(folder)}thread/{int(uid)}/"


def part_url(folder: str, uid: int, section: str) -> str:
    return f"{message_url(folder, uid)}part/{quote(section, safe='.')}/"


register.simple_tag(folder_url, name="folder_url")
register.simple_tag(message_url, name="message_url")
register.simple_tag(part_url, name="part_url")

# In a URL of the map that needs an id, the script puts the id in place of this.
URL_ID = "__id__"


def script_urls() -> dict[str, str]:
    """The URLs the page scripts request (static/js/actions.js reads them as `Webmail.url`)."""
    return {
        "actions": reverse("mailview_actions:create"),
        "actionStatus": reverse("mailview_actions:status", args=[URL_ID]),
        "actionUndo": reverse("mailview_actions:undo", args=[URL_ID]),
        "folderTree": reverse("mailview_folders:folder_tree"),
        "folderState": reverse("mailview_folders:folder_state"),
        "compose": reverse("mailview:compose"),
    }


@register.simple_tag
def script_urls_block() -> SafeString:
    return json_script(script_urls(), "script-urls")


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
