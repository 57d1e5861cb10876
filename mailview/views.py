"""Thin views: check out an IMAP session, call one service or selector, render."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from accounts.services import user_settings

from .imap import get_pool
from .services.folders import flatten, folder_tree
from .services.messages import message_page, normalize_sort
from .templatetags.mail_urls import folder_url


def _int_param(request: HttpRequest, name: str, default: int) -> int:
    try:
        return max(1, int(request.GET.get(name, default)))
    except (TypeError, ValueError):
        return default


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect(folder_url("INBOX"))


@login_required
@require_GET
def message_list(request: HttpRequest, folder: str) -> HttpResponse:
    show_unsubscribed = request.GET.get("all_folders") == "1"
    sort, order = normalize_sort(request.GET.get("sort"), request.GET.get("order"))
    prefs = user_settings(user=request.user)
    with get_pool().session(request.user) as imap:
        folders = flatten(folder_tree(imap=imap, include_unsubscribed=show_unsubscribed))
        current = next((f for f in folders if f.name == folder), None)
        page = message_page(
            imap=imap,
            user_key=str(request.user.pk),
            folder=folder,
            page=_int_param(request, "page", 1),
            per_page=prefs.messages_per_page,
            sort=sort,
            order=order,
            show_recipient=current is not None and current.special_use in ("sent", "drafts"),
        )
    return render(
        request,
        "mailview/message_list.html",
        {
            "folders": folders,
            "current_folder": folder,
            "current": current,
            "page": page,
            "show_unsubscribed": show_unsubscribed,
            "beyond_last_page": page.total and page.page > page.pages,
        },
    )
