"""Thin views: check out an IMAP session, call one service or selector, render."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import asdict, replace
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.services import sender_is_trusted, user_settings
from mailview import sanitizer
from mailview.imap import get_pool, validate
from mailview.imap.query import MAX_QUERY_CHARS
from mailview.services.addressbook import senders_remember
from mailview.services.live.state import folder_states_prime, folder_states_read, folder_states_trusted
from mailview.services.reading.conversations import VIEWS, ConversationPage, conversation_neighbor, conversation_open, conversation_page
from mailview.services.reading.folders import flatten, folder_state_token, folder_tree, folders_without_state
from mailview.services.reading.message_view import (
    RenderedBody,
    fill_labels,
    message_body,
    message_body_cached,
    message_open,
    message_printable,
)
from mailview.services.reading.messages import ListPosition, MessagePage, message_neighbor, message_page, normalize_sort
from mailview.services.reading.parts import ESTIMATED_LENGTH_HEADER, exactly, message_size, part_info, section_chunks
from mailview.services.reading.quota import mailbox_quota, mailbox_quota_cached
from mailview.services.reading.thread_building import threads_build_request
from mailview.services.reading.tokens import part_token, part_token_user
from mailview.services.reading.trust import message_sender_trust
from mailview.tasks import sync_folders, threads_build
from mailview.templatetags.mail_styles import BODY_HEIGHT_SCRIPT_HASH, PDF_VIEWER_STYLESHEETS, PRINT_STYLESHEETS, stylesheet_text
from mailview.templatetags.mail_urls import conversation_url, folder_url, message_url, part_url
from mailview.views.common import wants_json
from mailview.views.search import folder_query_chips, list_scope_redirect

# Far beyond any folder (200 a page), and small enough that positions stay 32-bit numbers
# on the IMAP wire: a larger page would make the server refuse the partial SORT.
MAX_PAGE = 1_000_000

# The body frame's sandbox (the iframe's attribute and its document's CSP say the same):
# scripts only for the height reporter its CSP allows by hash; never allow-same-origin.
BODY_FRAME_SANDBOX = "allow-scripts allow-popups allow-popups-to-escape-sandbox"


def _int_param(request: HttpRequest, name: str, default: int) -> int:
    try:
        return min(MAX_PAGE, max(1, int(request.GET.get(name, default))))
    except (TypeError, ValueError):
        return default


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect(folder_url("INBOX"))


@login_required
@require_GET
def message_list(request: AuthenticatedHttpRequest, folder: str) -> HttpResponse:
    show_unsubscribed = request.GET.get("all_folders") == "1"
    sort, order = normalize_sort(request.GET.get("sort"), request.GET.get("order"))
    query = request.GET.get("q", "").strip()[:MAX_QUERY_CHARS]
    if request.GET.get("scope") == "all" and query:
        return list_scope_redirect(request, query, folder)
    position = ListPosition(
        folder=folder,
        sort=sort,
        order=order,
        query=query,
        in_body=bool(query) and request.GET.get("body") == "1",
        page=_int_param(request, "page", 1),
    )
    prefs = user_settings(user=request.user)
    known = folder_states_trusted(user_pk=request.user.pk)  # None unless a watcher watches the person
    with get_pool().session(request.user) as imap:
        folders = flatten(folder_tree(imap=imap, include_unsubscribed=show_unsubscribed, user_key=str(request.user.pk), known=known))
        current = next((f for f in folders if f.name == folder), None)
        position = replace(position, by_recipient=current is not None and current.special_use in ("sent", "drafts"))
        view = _list_view(request, prefs.list_view)
        # Conversations and threads are listed newest (or oldest) first; sorting by another
        # column, or searching, lists messages.
        grouped = view != "flat" and sort == "date" and not query
        page: MessagePage | ConversationPage | None = None
        if grouped:
            page = conversation_page(
                imap=imap, user_key=str(request.user.pk), folder=folder, page=position.page, per_page=prefs.messages_per_page,
                order=order, view=view, show_recipient=position.by_recipient, known=known.get(folder) if known is not None else None,
                build_limit=settings.WEBMAIL_THREADS_INLINE_LIMIT,
            )
        # A big folder whose threads are not built yet: its messages, the same rows as the
        # flat view, while a worker builds them (asked for below, after the page is rendered).
        threads_pending = grouped and page is None
        if page is None:
            grouped = False
            page = message_page(
                imap=imap,
                user_key=str(request.user.pk),
                folder=folder,
                page=position.page,
                per_page=prefs.messages_per_page,
                sort=sort,
                order=order,
                show_recipient=position.by_recipient,
                query=query,
                in_body=position.in_body,
                known=known.get(folder) if known is not None else None,
            )
        quota = mailbox_quota(imap=imap, user_key=str(request.user.pk))  # asked once a minute at most
    if known is not None:
        folder_states_prime(user_pk=request.user.pk, folders=folders_without_state(folders, known), enqueue=sync_folders.apply_async)
    _remember_list_position(request, position)
    response = render(
        request,
        "mailview/message_list.html",
        {
            "folders": folders,
            "current_folder": folder,
            "current": current,
            "page": page,
            "show_unsubscribed": show_unsubscribed,
            "beyond_last_page": page.total and page.page > page.pages,
            "folder_state": folder_state_token(page.selected, folders),
            "poll_seconds": settings.WEBMAIL_LIST_POLL_SECONDS,
            "list_view": view,
            "chips": folder_query_chips(query, folder, in_body=position.in_body),
            "quota": quota,
            "grouped": grouped,
            "threads_pending": threads_pending,
            "views": VIEWS,
        },
    )
    if threads_pending or (isinstance(page, ConversationPage) and page.rebuild_due):
        # After rendering: the page's live stream starts after the event id it was rendered
        # with, so even a build done at once reaches it as `threads_ready`. (Kept threads due
        # to be built afresh are shown meanwhile: the open list does not reload for them.)
        _threads_build_request(request, folder)
    return response


def _threads_build_request(request: AuthenticatedHttpRequest, folder: str) -> None:
    threads_build_request(
        user_pk=request.user.pk, folder=folder, enqueue=threads_build.apply_async, build_seconds=settings.WEBMAIL_THREADS_BUILD_SECONDS
    )


def _list_view(request: AuthenticatedHttpRequest, preferred: str) -> str:
    """The list's view: `?view=` for this page, else the person's setting."""
    asked = request.GET.get("view", "")
    return asked if asked in VIEWS else (preferred if preferred in VIEWS else "conversations")


@login_required
@require_POST
def list_view_choose(request: AuthenticatedHttpRequest, folder: str) -> HttpResponse:
    """The list's view switch: saves the choice as the person's setting."""
    prefs = user_settings(user=request.user)
    view = request.POST.get("view", "")
    if view in VIEWS and view != prefs.list_view:
        prefs.list_view = view
        prefs.save(update_fields=["list_view"])
    return redirect(folder_url(folder))


@login_required
@require_GET
def conversation_detail(request: AuthenticatedHttpRequest, folder: str, uid: int) -> HttpResponse:
    """One conversation (`uid`: any of its messages; the list links its oldest)."""
    prefs = user_settings(user=request.user)
    with get_pool().session(request.user) as imap:
        folders = flatten(folder_tree(imap=imap, max_age=settings.WEBMAIL_FOLDER_COUNTS_REUSE_SECONDS, user_key=str(request.user.pk)))
        sent = next((f.name for f in folders if f.special_use == "sent"), None)
        conversation = conversation_open(
            imap=imap, user_key=str(request.user.pk), folder=folder, uid=validate.uid(uid), sent_folder=sent,
            mark_read=prefs.mark_read_on_open, build_limit=settings.WEBMAIL_THREADS_INLINE_LIMIT,
        )
    if conversation is None:
        # A big folder whose threads are not built yet: the message itself, while a worker builds them.
        _threads_build_request(request, folder)
        messages.info(request, _("Conversations are being prepared for this folder…"))
        return redirect(message_url(folder, uid))
    plain = "&plain=1" if prefs.prefer_plain_text else ""
    items = [
        {
            "item": item,
            "url": message_url(item.folder, item.message.uid),
            "body_url": message_url(item.folder, item.message.uid, "body") + f"?v={item.uidvalidity}{plain}",
            "ref": f"{item.folder}/{item.message.uid}",
        }
        for item in conversation.messages
    ]
    # ?pane=1: in the list's reading pane, like a message (the conversation list's rows open here).
    pane = request.GET.get("pane") == "1"
    response = render(
        request,
        "mailview/conversation.html",
        {
            "base_template": "mailview/pane_base.html" if pane else "mail_base.html",
            "in_pane": pane,
            "folders": folders,
            "current_folder": folder,
            "current": next((f for f in folders if f.name == folder), None),
            "conversation": conversation,
            "items": items,
            "list_url": _list_url(_list_position(request, folder)),
            "print_url": conversation_url(folder, min(conversation.uids, default=conversation.uid)) + "print/",
            "previous_url": conversation_url(folder, uid) + "previous/" + ("?pane=1" if pane else ""),
            "next_url": conversation_url(folder, uid) + "next/" + ("?pane=1" if pane else ""),
        },
    )
    if pane:
        _allow_pane_frame(response)
    return response


def _allow_pane_frame(response: HttpResponse) -> None:
    """The page may be shown in the list's reading pane: a frame of the app's own origin only."""
    response["X-Frame-Options"] = "SAMEORIGIN"
    response.frame_ancestors_self = True  # type: ignore[attr-defined] # read by ContentSecurityPolicyMiddleware


LIST_POSITION_KEY = "mail-list-position"


def _remember_list_position(request: HttpRequest, position: ListPosition) -> None:
    """The list the user is looking at, so its messages can go back to it and step through it
    (kept in the session: the message URLs stay the plain ones of DESIGN.md)."""
    value = asdict(position)
    if request.session.get(LIST_POSITION_KEY) != value:
        request.session[LIST_POSITION_KEY] = value


def _list_position(request: HttpRequest, folder: str) -> ListPosition:
    """Where `folder`'s list was left; its first page by date when another list was."""
    value = request.session.get(LIST_POSITION_KEY)
    if isinstance(value, dict) and value.get("folder") == folder:
        try:
            return ListPosition(**value)
        except TypeError:  # a session from an older version
            pass
    return ListPosition(folder=folder)


def _list_url(position: ListPosition) -> str:
    params = position.query_params()
    return folder_url(position.folder) + ("?" + urlencode(params) if params else "")


def _part_url_factory(request: HttpRequest, folder: str, uid: int) -> Callable[[str], str]:
    """Absolute, token-carrying part URLs for images inside the sandboxed body."""
    user_key = str(request.user.pk)

    def make(section: str) -> str:
        token = part_token(user_key=user_key, folder=folder, uid=uid, section=section)
        return request.build_absolute_uri(part_url(folder, uid, section)) + "?" + urlencode({"t": token})

    return make


@login_required
@require_GET
def message_detail(request: AuthenticatedHttpRequest, folder: str, uid: int) -> HttpResponse:
    prefs = user_settings(user=request.user)
    show_images = request.GET.get("images") == "1"
    with get_pool().session(request.user) as imap:
        message = message_open(
            imap=imap,
            user_key=str(request.user.pk),
            folder=folder,
            uid=validate.uid(uid),
            prefer_plain=prefs.prefer_plain_text,
            show_remote=show_images,
            sender_trusted=lambda sender: sender_is_trusted(user=request.user, email=sender),
            mark_read=prefs.mark_read_on_open,
            part_url=_part_url_factory(request, folder, uid),
            with_all_headers=request.GET.get("headers") == "all",
        )
        # After the open: marking it read makes the listing fresh, so the count is right. While
        # watched, the counts are the kept state's (no STATUS), less the message this open read.
        known = folder_states_trusted(user_pk=request.user.pk)
        if known is not None and message.marked_read:
            known = folder_states_read(known, folder=folder, count=1)
        folders = flatten(
            folder_tree(imap=imap, max_age=settings.WEBMAIL_FOLDER_COUNTS_REUSE_SECONDS, user_key=str(request.user.pk), known=known)
        )
    senders_remember(user=request.user, addresses=message.from_)  # for autocomplete
    # UIDVALIDITY in the URL lets the body request hit the cache without any IMAP.
    body_query = f"?v={message.uidvalidity}" + ("&images=1" if message.remote_allowed else "") + ("&plain=1" if prefs.prefer_plain_text else "")
    # ?pane=1: the same page without the app around it, for the list's reading pane (a frame of ours).
    pane = request.GET.get("pane") == "1"
    step_query = "?pane=1" if pane else ""
    response = render(
        request,
        "mailview/message_detail.html",
        {
            "base_template": "mailview/pane_base.html" if pane else "mail_base.html",
            "in_pane": pane,
            "print_url": message_url(folder, uid, "print"),
            "quota": mailbox_quota_cached(user_key=str(request.user.pk)),
            "folders": folders,
            "current_folder": folder,
            "current": next((f for f in folders if f.name == folder), None),
            "message": message,
            "body_url": message_url(folder, uid, "body") + body_query,
            "body_sandbox": BODY_FRAME_SANDBOX,
            "message_ref": f"{folder}/{uid}",
            "show_all_headers": request.GET.get("headers") == "all",
            "list_url": _list_url(_list_position(request, folder)),
            "previous_url": message_url(folder, uid, "previous") + step_query,
            "next_url": message_url(folder, uid, "next") + step_query,
        },
    )
    if pane:
        _allow_pane_frame(response)
    return response


@login_required
@require_GET
def message_print(request: AuthenticatedHttpRequest, folder: str, uid: int) -> HttpResponse:
    """The message for paper: its headers and sanitized body, no app around it. Opens the
    print dialog only when asked (`?print=1`)."""
    prefs = user_settings(user=request.user)
    uid = validate.uid(uid)
    with get_pool().session(request.user) as imap:
        message, body = message_printable(
            imap=imap,
            user_key=str(request.user.pk),
            folder=folder,
            uid=uid,
            prefer_plain=prefs.prefer_plain_text,
            show_remote=request.GET.get("images") == "1",
            sender_trusted=lambda sender: sender_is_trusted(user=request.user, email=sender),
            part_url=_part_url_factory(request, folder, uid),
        )
    response = render(
        request,
        "mailview/message_print.html",
        {
            "subject": message.subject,
            "message": message,
            "body_html": fill_labels(_with_quote_labels(body.html)),
            "stylesheet": stylesheet_text(*PRINT_STYLESHEETS),
            "auto_print": request.GET.get("print") == "1",
        },
    )
    return _printable(response, remote_allowed=message.remote_allowed)


@login_required
@require_GET
def conversation_print(request: AuthenticatedHttpRequest, folder: str, uid: int) -> HttpResponse:
    """A conversation for paper: each of its messages (your replies from Sent among them),
    oldest first, with its headers and sanitized body, no app around them."""
    prefs = user_settings(user=request.user)
    printed = []
    with get_pool().session(request.user) as imap:
        folders = flatten(folder_tree(imap=imap, max_age=settings.WEBMAIL_FOLDER_COUNTS_REUSE_SECONDS, user_key=str(request.user.pk)))
        sent = next((f.name for f in folders if f.special_use == "sent"), None)
        conversation = conversation_open(
            imap=imap, user_key=str(request.user.pk), folder=folder, uid=validate.uid(uid), sent_folder=sent, mark_read=False,
            build_limit=settings.WEBMAIL_THREADS_INLINE_LIMIT,
        )
        if conversation is None:  # a big folder whose threads are not built yet: the message alone
            return redirect(message_url(folder, uid, "print"))
        for item in conversation.messages:
            message, body = message_printable(
                imap=imap, user_key=str(request.user.pk), folder=item.folder, uid=item.message.uid, prefer_plain=prefs.prefer_plain_text,
                show_remote=request.GET.get("images") == "1",
                sender_trusted=lambda sender: sender_is_trusted(user=request.user, email=sender),
                part_url=_part_url_factory(request, item.folder, item.message.uid),
            )
            printed.append((message, fill_labels(_with_quote_labels(body.html))))
    response = render(
        request,
        "mailview/conversation_print.html",
        {
            "subject": conversation.subject,
            "printed": printed,
            "stylesheet": stylesheet_text(*PRINT_STYLESHEETS),
            "auto_print": request.GET.get("print") == "1",
        },
    )
    return _printable(response, remote_allowed=bool(printed) and all(m.remote_allowed for m, _ in printed))


def _printable(response: HttpResponse, *, remote_allowed: bool) -> HttpResponse:
    # The mail's HTML is in this document (so it prints whole), so the document gets the body
    # frame's rules: sandboxed in an opaque origin (allow-modals for the print dialog), no
    # script but our own file, inline styles (the mail's) but no stylesheet from elsewhere.
    img_src = "'self' data: https: http:" if remote_allowed else "'self' data:"
    response["Content-Security-Policy"] = (
        f"default-src 'none'; img-src {img_src}; style-src 'unsafe-inline'; script-src 'self'; font-src 'none'; "
        "form-action 'none'; base-uri 'none'; frame-ancestors 'none'; "
        "sandbox allow-scripts allow-modals allow-popups allow-popups-to-escape-sandbox"
    )
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
@require_GET
def message_step(request: HttpRequest, folder: str, uid: int, step: int) -> HttpResponse:
    """To the previous (-1) or next (+1) message of the list the user came from."""
    position = _list_position(request, folder)
    with get_pool().session(request.user) as imap:
        other = message_neighbor(imap=imap, user_key=str(request.user.pk), position=position, uid=validate.uid(uid), step=step)
    return _step_answer(
        request, url_of=lambda u: message_url(folder, u), here=uid, other=other, nothing=_("There is no other message in that direction.")
    )


@login_required
@require_GET
def conversation_step(request: HttpRequest, folder: str, uid: int, step: int) -> HttpResponse:
    """To the previous (-1) or next (+1) conversation of the folder's conversation list."""
    position = _list_position(request, folder)
    with get_pool().session(request.user) as imap:
        other = conversation_neighbor(
            imap=imap, user_key=str(request.user.pk), folder=folder, uid=validate.uid(uid), step=step, order=position.order,
            build_limit=settings.WEBMAIL_THREADS_INLINE_LIMIT,
        )
    return _step_answer(
        request, url_of=lambda u: conversation_url(folder, u), here=uid, other=other,
        nothing=_("There is no other conversation in that direction."),
    )


def _step_answer(request: HttpRequest, *, url_of: Callable[[int], str], here: int, other: int | None, nothing: str) -> HttpResponse:
    """Where a previous/next link goes: JSON for the page's script (asked before it files this
    one: where to go once it is gone), else a redirect there, or back here with `nothing` said
    at either end. Stepping inside the reading pane stays there."""
    pane = "?pane=1" if request.GET.get("pane") == "1" else ""
    if wants_json(request):
        return JsonResponse({"url": None if other is None else url_of(other) + pane})
    if other is None:
        messages.info(request, nothing)
        return redirect(url_of(here) + pane)
    return redirect(url_of(other) + pane)


@login_required
@require_GET
@xframe_options_sameorigin
def message_body_document(request: AuthenticatedHttpRequest, folder: str, uid: int) -> HttpResponse:
    """The sanitized body as its own document, for a sandboxed iframe, under its own CSP."""
    remote = request.GET.get("images") == "1"
    uid = validate.uid(uid)
    body = None
    if request.GET.get("v", "").isdigit():
        body = message_body_cached(
            user_key=str(request.user.pk),
            folder=folder,
            uidvalidity=int(request.GET["v"]),
            uid=uid,
            remote=remote,
            prefer_plain=request.GET.get("plain") == "1",
        )
    if body is None:
        body = _render_body(request, folder, uid, remote)
    response = render(request, "mailview/message_body.html", {"body": replace(body, html=fill_labels(_with_quote_labels(body.html)))})
    img_src = "'self' data: https: http:" if remote else "'self' data:"
    # Scripts: only our height reporter, by its hash (never the mail's); the sandbox has no
    # allow-same-origin, so even that runs in an opaque origin and can only post a number.
    response["Content-Security-Policy"] = (
        f"default-src 'none'; img-src {img_src}; style-src 'unsafe-inline'; font-src 'none'; "
        f"script-src '{BODY_HEIGHT_SCRIPT_HASH}'; "
        "form-action 'none'; base-uri 'none'; frame-ancestors 'self'; "
        f"sandbox {BODY_FRAME_SANDBOX}"
    )
    response["Referrer-Policy"] = "no-referrer"
    return response


def _with_quote_labels(html: str) -> str:
    """The labels of folded quotes in the reader's language (the sanitizer leaves them
    empty, so one cached body suits every language)."""
    slot = sanitizer.QUOTE_LABEL_SLOT
    return html.replace(slot, slot.replace("<summary></summary>", f"<summary>{escape(_('Show quoted text'))}</summary>"))


def _render_body(request: AuthenticatedHttpRequest, folder: str, uid: int, remote: bool) -> RenderedBody:
    prefs = user_settings(user=request.user)
    with get_pool().session(request.user) as imap:
        return message_body(
            imap=imap,
            user_key=str(request.user.pk),
            folder=folder,
            uid=uid,
            prefer_plain=prefs.prefer_plain_text,
            remote=remote,
            part_url=_part_url_factory(request, folder, uid),
        )


@require_GET
def message_part(request: HttpRequest, folder: str, uid: int, section: str) -> HttpResponseBase:
    """One MIME part: signed in, or with a part token (images in the sandboxed body)."""
    token = request.GET.get("t")
    if request.user.is_authenticated:
        user_key: object = request.user
    elif token and (token_user := part_token_user(token, folder=folder, uid=uid, section=section)):
        user_key = token_user
    else:
        return redirect_to_login(request.get_full_path())
    uid = validate.uid(uid)
    pool = get_pool()
    with pool.session(user_key) as imap:
        info = part_info(imap=imap, folder=folder, uid=uid, section=section, user_key=str(getattr(user_key, "pk", user_key)))
        chunks = section_chunks(
            imap=imap, session=lambda: pool.session(user_key), folder=folder, uid=uid, section=info.section, encoding=info.encoding
        )
    inline = info.inline_safe and request.GET.get("download") != "1"
    content_type = info.content_type
    if request.GET.get("preview") == "1" and info.preview_type is not None:
        # A preview (an <img>, or a sandboxed frame of the message page): shown in place
        # under the download's rules: its own sandbox, no script, no sniffing.
        inline, content_type = True, info.preview_type
    if info.exact_size is not None:
        chunks = exactly(chunks, info.exact_size)
    response = _download(chunks, content_type=content_type, filename=info.filename, attachment=not inline, length=info.exact_size)
    if info.exact_size is None:
        # No exact decoded size (no BINARY on the server, or quoted-printable): the page's
        # download script shows progress by this estimate from BODYSTRUCTURE instead.
        response[ESTIMATED_LENGTH_HEADER] = str(info.estimated_size)
    if inline:
        response["X-Frame-Options"] = "SAMEORIGIN"  # the preview frame is the message page's
        response["Content-Security-Policy"] = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox"
    return response


# The PDF preview draws at most this many pages.
PDF_PREVIEW_PAGES = 50


@login_required
@require_GET
def pdf_viewer(request: HttpRequest) -> HttpResponse:
    """The PDF preview's frame: our pdf.js page, given the PDF's bytes by the message page
    (static/js/preview.js). Sandboxed without allow-same-origin: whatever the PDF holds, it
    is drawn in an opaque origin with scripts only from our static files."""
    response = render(request, "mailview/pdf_viewer.html", {"max_pages": PDF_PREVIEW_PAGES, "stylesheet": stylesheet_text(*PDF_VIEWER_STYLESHEETS)})
    response["Content-Security-Policy"] = (
        "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src data: blob:; "
        "form-action 'none'; base-uri 'none'; frame-ancestors 'self'; sandbox allow-scripts"
    )
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _download(chunks: Iterator[bytes], *, content_type: str, filename: str, attachment: bool, length: int | None) -> StreamingHttpResponse:
    """A streamed download that the browser never renders in our origin."""
    response = StreamingHttpResponse(chunks, content_type=content_type)
    disposition = content_disposition_header(attachment, filename)
    if disposition is not None:  # None: inline without a file name
        response["Content-Disposition"] = disposition
    if length is not None:
        response["Content-Length"] = str(length)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_GET
def message_raw(request: HttpRequest, folder: str, uid: int) -> StreamingHttpResponse:
    """The message source as text/plain, as a download, streamed."""
    uid = validate.uid(uid)
    pool = get_pool()
    with pool.session(request.user) as imap:
        size = message_size(imap=imap, folder=folder, uid=uid)
        chunks = section_chunks(imap=imap, session=lambda: pool.session(request.user), folder=folder, uid=uid, section="", encoding="8bit")
    return _download(chunks, content_type="text/plain; charset=utf-8", filename=f"message-{uid}.eml", attachment=True, length=size)


@login_required
@require_POST
def trust_sender(request: AuthenticatedHttpRequest, folder: str, uid: int) -> HttpResponse:
    """Always show remote content from this message's sender."""
    uid = validate.uid(uid)
    with get_pool().session(request.user) as imap:
        sender = message_sender_trust(imap=imap, user=request.user, folder=folder, uid=uid)
    if sender is not None:
        messages.success(request, _("Remote content from %(sender)s will always be shown.") % {"sender": sender})
    return redirect(message_url(folder, uid))
