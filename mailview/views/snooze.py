"""Snooze: POST endpoints of the message page, the list and /mail/scheduled/ (plain forms)."""
from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from mailview.imap import get_pool, validate
from mailview.services.filing.snooze import SnoozeInvalid, messages_snooze, snooze_reschedule, snooze_time, snoozes_wake
from mailview.views.common import json_when_asked
from mailview.views.filing import _next_url, action_create_of_kind


def _chosen_time(request: AuthenticatedHttpRequest) -> datetime:
    post = request.POST
    return snooze_time(choice=post.get("choice", ""), custom=post.get("custom", ""), tz_offset=post.get("tz_offset", ""))


@login_required
@require_POST
@json_when_asked  # the reading pane's snooze (static/js/message.js)
def snooze_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Snooze the message (or the selection) of a folder until the chosen time. A selection
    across pages ("select all N") or folders (search results) is snoozed by the filing worker,
    as the other actions on such a selection are."""
    if request.POST.get("all") == "1" or request.POST.getlist("ref"):
        return action_create_of_kind(request, "snooze")
    folder = validate.folder_name(request.POST.get("folder", ""))
    # A conversation row's checkbox names all of its messages ("3,7,9"), as for the other actions.
    uids = validate.uids(u for value in request.POST.getlist("uid") for u in str(value).split(",") if u)
    try:
        due_at = _chosen_time(request)
        with get_pool().session(request.user) as imap:
            count = messages_snooze(imap=imap, user=request.user, folder=folder, uids=uids, due_at=due_at)
    except SnoozeInvalid as exc:
        messages.error(request, str(exc))
        return redirect(_next_url(request, folder))
    if count:
        messages.success(request, ngettext("%(n)d message snoozed.", "%(n)d messages snoozed.", count) % {"n": count})
    else:
        messages.error(request, _("Nothing snoozed: the messages are no longer there."))
    return redirect(_next_url(request, folder))


@login_required
@require_POST
def snooze_wake_now(request: AuthenticatedHttpRequest, snooze_id: int) -> HttpResponse:
    """"Unsnooze now": the message is back in the inbox at once (or dropped when it is gone)."""
    with get_pool().session(request.user) as imap:
        result = snoozes_wake(imap=imap, user=request.user, only=snooze_id)
    if result.returned:
        messages.success(request, _("The message is back in your inbox."))
    elif result.dropped:
        messages.info(request, _("The message was no longer in the Snoozed folder."))
    return redirect("mailview:scheduled")


@login_required
@require_POST
def snooze_change(request: AuthenticatedHttpRequest, snooze_id: int) -> HttpResponse:
    """A new time for one snoozed message."""
    try:
        due_at = _chosen_time(request)
    except SnoozeInvalid as exc:
        messages.error(request, str(exc))
        return redirect("mailview:scheduled")
    if snooze_reschedule(user=request.user, snooze_id=snooze_id, due_at=due_at):
        messages.success(request, _("The snooze time was changed."))
    return redirect("mailview:scheduled")
