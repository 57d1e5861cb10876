"""Searching every folder: `/mail/search/?q=…` (thin: the work is services.reading.search)."""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.services import user_settings
from mailview.imap import get_pool
from mailview.imap.query import FORM_FIELDS, MAX_QUERY_CHARS, Not, ParsedQuery, Term, node_text, parse_query, query_from_fields
from mailview.services.fulltext.indexing import index_progress, index_request
from mailview.services.reading.folders import flatten, folder_tree
from mailview.services.reading.search import message_search, search_cancel, search_progress, search_scope
from mailview.tasks import search_index_fill
from mailview.templatetags.mail_urls import folder_url
from mailview.views.common import wants_json

MAX_PAGE = 1000
_RUN_ID = re.compile(r"^[0-9a-f]{32}$")


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


def _chips(query: ParsedQuery, extra: dict[str, str], *, base_url: str = "") -> list[Chip]:
    """The query's top-level terms, each with the URL of the same search without it (on
    the search page, or on `base_url`: a folder's own list)."""
    chips = []
    for index, node in enumerate(query.nodes):
        term = node.node if isinstance(node, Not) else node
        error = _error_text(term) if isinstance(term, Term) and term.error else ""
        rest = query.without(index)
        if base_url:
            remove_url = base_url + ("?" + urlencode({"q": rest, **{k: v for k, v in extra.items() if v}}) if rest else "")
        else:
            remove_url = search_url(rest, **extra)
        chips.append(Chip(text=node_text(node), remove_url=remove_url, error=error))
    return chips


def folder_query_chips(text: str, folder: str, *, in_body: bool) -> list[Chip]:
    """The chips of a folder list's search (`/mail/<folder>/?q=`): × keeps the other terms
    in the same folder."""
    return _chips(parse_query(text), {"body": "1" if in_body else ""}, base_url=folder_url(folder)) if text else []


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
    # A streaming search's run: new for each search typed, the page's own when it asks again.
    run_id = request.GET.get("sid", "")
    if not _RUN_ID.match(run_id):
        run_id = uuid.uuid4().hex
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
            answer_within=settings.WEBMAIL_SEARCH_FIRST_MS / 1000,
            run_id=run_id,
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
            # The same page once the folders still being searched are done (no new search).
            "run_url": search_url(text, **extra, page=str(page) if page > 1 else "", sid=run_id) if results and results.pending else "",
        },
    )


@login_required
@require_GET
def search_progress_view(request: AuthenticatedHttpRequest) -> JsonResponse:
    """How far a streaming search is, for the open page's poll (the cache only, no IMAP)."""
    run_id = request.GET.get("sid", "")
    progress = search_progress(user_key=str(request.user.pk), run_id=run_id) if _RUN_ID.match(run_id) else None
    if progress is None:
        return JsonResponse({"error": "no such search"}, status=404)
    return JsonResponse({"pending": len(progress.pending), "finished": progress.finished, "cancelled": progress.cancelled})


@login_required
@require_POST
def search_cancel_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Stop a streaming search (the folders not started are not searched); then back to the
    page, which shows what was found and names what was not searched."""
    run_id = request.POST.get("sid", "")
    if not _RUN_ID.match(run_id) or not search_cancel(user_key=str(request.user.pk), run_id=run_id):
        return JsonResponse({"error": "no such search"}, status=404)
    if wants_json(request):
        return JsonResponse({"cancelled": True})
    wanted = request.POST.get("next", "")
    if wanted.startswith("/") and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(wanted)
    return redirect(reverse("mailview:search"))


def list_scope_redirect(request: HttpRequest, text: str, folder: str) -> HttpResponse:
    """The folder list's search box with "all folders" chosen goes to the search page."""
    params = {"q": text, "from": folder}
    if request.GET.get("body") == "1":
        params["body"] = "1"
    return redirect(reverse("mailview:search") + "?" + urlencode(params))
