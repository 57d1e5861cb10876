"""What static/js/live.js needs to follow the live mailbox: the event stream's URL, the id to
start after, what the page shows, and its texts; handed over as a JSON data block."""
from __future__ import annotations

import logging
from typing import Any

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import json_script
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from redis.exceptions import RedisError

from mailview.services.live import events

register = template.Library()
log = logging.getLogger(__name__)


def live_texts() -> dict[str, str]:
    return {
        # "%s" is a number.
        "newOne": _("%s new message"),
        "newMany": _("%s new messages"),
        "unread": _("unread"),
        "unreadOne": _("%s unread message"),
        "unreadMany": _("%s unread messages"),
        "notifyOn": _("Turn on desktop notifications"),
        "notifyOff": _("Turn off desktop notifications"),
        "notifyBlocked": _("Desktop notifications are blocked in this browser."),
        "newMail": _("New mail"),
    }


@register.simple_tag(takes_context=True)
def live_config_block(context: template.Context, *, folder: str, page: Any = None, uid: int | None = None) -> SafeString:
    """The page's live configuration (`<script type="application/json" id="live-config">`).
    `page` is the list page shown (a `MessagePage`), `uid` the message shown."""
    user = context["request"].user
    last = ""
    if settings.WEBMAIL_EVENTS_URL and user.is_authenticated:
        try:
            # The page's language: rows pushed to it are rendered in it.
            last = events.latest_event_id(user.pk, language=translation.get_language())
        except (RedisError, OSError) as exc:
            # The page still works; the stream starts with a resync instead.
            log.warning("no live start id for the page: %s", exc)
    config: dict[str, Any] = {
        "url": settings.WEBMAIL_EVENTS_URL, "last": last, "folder": folder, "texts": live_texts(), "signIn": reverse("accounts:login"),
    }
    if page is not None:
        config["list"] = {
            "sort": page.sort, "order": page.order, "page": page.page, "perPage": page.per_page,
            "searching": bool(page.query), "uidvalidity": page.selected.uidvalidity,
        }
        if getattr(page, "view", "flat") != "flat":
            config["list"]["grouped"] = True  # conversation rows gather several messages: live changes refetch the rows
            # The indented tree's rows are not the flat list's: new mail always refetches them.
            config["list"]["threaded"] = getattr(page, "view", "") == "threads"
        if context.get("threads_pending"):
            config["list"]["threadsPending"] = True  # listed flat until `threads_ready`: then reloads into conversations
    if uid is not None:
        config["message"] = {"uid": int(uid)}
    return json_script(config, "live-config")
