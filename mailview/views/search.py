"""Searching every folder: `/mail/search/?q=…` (thin: the work is services.reading.search)."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedHttpRequest
from accounts.services import user_settings
from mailview.imap import get_pool
from mailview.imap.query import FORM_FIELDS, MAX_QUERY_CHARS, Not, ParsedQuery, Term, node_text, parse_query, query_from_fields
from mailview.services.fulltext.indexing import index_progress, index_request
from mailview.services.reading.folders import flatten, folder_tree
from mailview.services.reading.search import message_search, search_scope
from mailview.tasks import search_index_fill
from mailview.templatetags.mail_urls import folder_url

MAX_PAGE = 1000


@dataclass(frozen=True)
class Chip:
    text: str
    remove_url: str
    error: str = ""


def _error_text(term: Term) -> str:
    return {
        "date": _("not a date (use 2025-03-01)"),
        "age": _("not an age (use 7d, 2w, 3m or 1y)"),
        "size": _("not a size (use 500K or 5M)"),
        "label": _("a label is one word of letters, digits and $ _ . -"),
        "is": _("use is:unread, is:read, is:flagged, is:unflagged, is:answered or is:draft"),
        "has": _("use has:attachment"),
        "empty": _("nothing to search for"),
        "in": _("name a folder"),
    }.get(term.error, _("cannot be used"))


def search_url(text: str, **extra: str) -> str:
    params = {"q": text, **{k: v for k, v in extra.items() if v}}
    return reverse("mailview:search") + "?" + urlencode(params)


def _chips(query: ParsedQuery, extra: dict[str, str]) -> list[Chip]:
    chips = []
    for index, node in enumerate(query.nodes):
        term = node.node if isinstance(node, Not) else node
        error = _error_text(term) if isinstance(term, Term) and term.error else ""
        chips.append(Chip(text=node_text(node), remove_url=search_url(query.without(index), **extra), error=error))
    return chips


@login_required
@require_GET
def search(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.GET.get("advanced") == "1":
        # The advanced form stands for a query: show that query, so the URL is the query's.
        text = query_from_fields(
            {name: request.GET.get(f"f_{name}", "") for name in FORM_FIELDS},
            unread=request.GET.get("f_unread") == "1",
            flagged=request.GET.get("f_flagged") == "1",
            attachment=request.GET.get("f_attachment") == "1",
        )
        return redirect(search_url(text, body=request.GET.get("body", ""), everywhere=request.GET.get("everywhere", "")))
    text = request.GET.get("q", "").strip()[:MAX_QUERY_CHARS]
    scope_folder = request.GET.get("scope", "")
    if scope_folder and scope_folder != "all":
        # "This folder": the folder's own list, searched with the same query.
        return redirect(folder_url(scope_folder) + "?" + urlencode({"q": text, **({"body": "1"} if request.GET.get("body") == "1" else {})}))
    in_body = request.GET.get("body") == "1"
    everywhere = request.GET.get("everywhere") == "1"
    try:
        page = min(MAX_PAGE, max(1, int(request.GET.get("page", 1))))
    except ValueError:
        page = 1
    prefs = user_settings(user=request.user)
    pool = get_pool()
    with pool.session(request.user) as imap:
        folders = flatten(folder_tree(imap=imap, max_age=settings.WEBMAIL_FOLDER_COUNTS_REUSE_SECONDS))
    query = parse_query(text)
    extra = {"body": "1" if in_body else "", "everywhere": "1" if everywhere else ""}
    results = None
    scope = search_scope(folders=folders, query=query, include_all=everywhere)
    progress, scan_url = None, ""
    if text and in_body:
        progress = index_progress(user_pk=request.user.pk)
        if progress is None or not progress.complete:
            if progress is not None or settings.WEBMAIL_SEARCH_INDEX_AUTOSTART:
                index_request(user_pk=request.user.pk, enqueue=search_index_fill.apply_async)
            scanned = sum(f.messages or 0 for f in scope)
            if request.GET.get("scan") != "1" and scanned >= settings.WEBMAIL_SEARCH_SCAN_NOTICE_MESSAGES:
                # Without a complete index body text is a scan of the server: on a big mailbox
                # say so first, with a way out, then search (the page reloads itself into it).
                scan_url = search_url(text, **extra, scan="1", page=str(page) if page > 1 else "")
    if text and not scan_url:
        results = message_search(
            session=lambda timeout: pool.session(request.user, timeout=timeout),
            folders=scope,
            text=text,
            in_body=in_body,
            page=page,
            per_page=prefs.messages_per_page,
            deadline=settings.WEBMAIL_SEARCH_SECONDS,
            max_connections=settings.WEBMAIL_POOL_PER_PROCESS,
            by_recipient=[f.name for f in scope if f.special_use in ("sent", "drafts")],
            user_key=str(request.user.pk),
        )
    page_url = search_url(text, **extra) + "&page="
    return render(
        request,
        "mailview/search.html",
        {
            "folders": folders,
            "current_folder": "",
            "text": text,
            "query": query,
            "results": results,
            "chips": _chips(query, extra),
            "scope": scope,
            "in_body": in_body,
            "everywhere": everywhere,
            "came_from": request.GET.get("from", ""),
            "form_fields": FORM_FIELDS,
            "previous_url": page_url + str(page - 1) if results and results.has_previous else "",
            "next_url": page_url + str(page + 1) if results and results.has_next else "",
            "retry_url": search_url(text, **extra),
            "index_progress": progress,
            "scan_url": scan_url,
            "cancel_url": search_url(text, everywhere=extra["everywhere"]),
        },
    )


def list_scope_redirect(request: HttpRequest, text: str, folder: str) -> HttpResponse:
    """The folder list's search box with "all folders" chosen goes to the search page."""
    params = {"q": text, "from": folder}
    if request.GET.get("body") == "1":
        params["body"] = "1"
    return redirect(reverse("mailview:search") + "?" + urlencode(params))
