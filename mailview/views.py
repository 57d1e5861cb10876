"""Thin views: check out an IMAP session, call one service, render."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from .imap import get_pool
from .services.folders import flatten, folder_tree
from .templatetags.mail_urls import folder_url


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect(folder_url("INBOX"))


@login_required
@require_GET
def message_list(request: HttpRequest, folder: str) -> HttpResponse:
    show_unsubscribed = request.GET.get("all_folders") == "1"
    with get_pool().session(request.user) as imap:
        tree = folder_tree(imap=imap, include_unsubscribed=show_unsubscribed)
        selected = imap.select(folder, readonly=True)
    return render(
        request,
        "mailview/message_list.html",
        {
            "folders": flatten(tree),
            "current_folder": folder,
            "selected": selected,
            "show_unsubscribed": show_unsubscribed,
        },
    )
