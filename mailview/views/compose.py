"""Thin views for writing mail: read the request, call one service, render or answer JSON.

Pages work without JavaScript (a normal form post, a status page that refreshes
itself); static/js/compose.js enhances them (autosave, chunked uploads with
progress, address completion, sending without leaving the page) and asks for
JSON with `Accept: application/json`.
"""
from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.identities import identity_list
from mailview.imap import get_pool
from mailview.models import Compose, ComposeAttachment
from mailview.services.compose.drafts import NotADraft
from mailview.services.compose.headers import InvalidHeaderInput
from mailview.services.compose.lifecycle import (
    ComposeInput,
    ComposeInvalid,
    ComposeLocked,
    compose_apply,
    compose_cancel,
    compose_discard,
    compose_draft_save,
    compose_for_user,
    compose_queue,
    compose_resume,
    compose_seed,
    compose_start,
    compose_status,
    scheduled_list,
    send_later_time,
    send_time_label,
)
from mailview.services.compose.sending import message_size_limit
from mailview.services.compose.uploads import UploadRefused, upload_chunk, upload_delete, upload_start, upload_states, uploads_purge
from mailview.services.contacts.completion import completions
from mailview.services.filing.snooze import snoozed_list
from mailview.services.reading.folders import FolderInfo, flatten, folder_tree
from mailview.tasks import compose_send_enqueue
from mailview.templatetags.mail_urls import folder_url
from mailview.views.common import wants_json


def _compose_or_404(request: AuthenticatedHttpRequest, compose_id: UUID | str, *, seed: str = "") -> Compose:
    """The user's compose; with the page's seed (form posts), one opened but not stored yet is stored now."""
    try:
        return compose_for_user(user=request.user, compose_id=compose_id, seed=seed)
    except Compose.DoesNotExist as exc:
        raise Http404("no such message being written") from exc


def _edit_url(compose: Compose) -> str:
    return reverse("mailview:compose_edit", args=[compose.pk])


def _status_url(compose: Compose) -> str:
    return reverse("mailview:compose_status", args=[compose.pk])


def _render(
    request: AuthenticatedHttpRequest,
    compose: Compose,
    *,
    folders: list[FolderInfo] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    if folders is None:
        with get_pool().session(request.user) as imap:
            folders = flatten(folder_tree(imap=imap, user_key=str(request.user.pk)))
    identities = identity_list(user=request.user)
    context = {
        "compose": compose,
        "folders": folders,
        "current_folder": "",
        "identities": identities,
        "selected_identity": compose.identity_id or identities[0].pk,
        "uploads": upload_states(compose),
        "forwarded": compose.forward_sections or [],
        "errors": errors or {},
        "status_info": compose_status(compose=compose),
        "autosave_seconds": settings.WEBMAIL_DRAFT_AUTOSAVE_SECONDS,
        "chunk_size": settings.WEBMAIL_UPLOAD_CHUNK_SIZE,
        "edit_url": _edit_url(compose),
        "status_url": _status_url(compose),
        "forward_ref": f"{compose.source_folder}/{compose.source_uid}" if compose.source_uid else "",
        # Opening the page stores nothing: the first save, upload or send stores the compose from this.
        "seed": compose_seed(compose) if compose._state.adding else "",  # noqa: SLF001 - Model._state is documented
    }
    return render(request, "mailview/compose.html", context, status=status)


def _input(request: HttpRequest) -> ComposeInput:
    post = request.POST
    return ComposeInput(
        identity=post.get("from", ""),
        to=post.get("to", ""),
        cc=post.get("cc", ""),
        bcc=post.get("bcc", ""),
        subject=post.get("subject", ""),
        body=post.get("body", ""),
        body_html=post.get("body_html", ""),
        forward_sections=post.getlist("keep_part") if post.get("forward_parts_present") else None,
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def compose(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET: a new message, or a reply / reply-all / forward / resumed draft. POST: save or send."""
    if request.method == "POST":
        compose_id = request.POST.get("compose", "")
        if compose_id:
            return _compose_post(request, _compose_or_404(request, compose_id, seed=request.POST.get("seed", "")))
        return _compose_post(request, compose_start(user=request.user, imap=None))
    params = request.GET
    with get_pool().session(request.user) as imap:
        if params.get("draft"):
            try:
                item = compose_resume(user=request.user, imap=imap, ref=params["draft"])
            except NotADraft:
                return render(
                    request,
                    "error.html",
                    {
                        "title": _("This message is not a draft"),
                        "message": _(
                            "Only messages in your Drafts folder can be continued as drafts. To send this message on, forward it or reply to it."
                        ),
                        "status": 409,
                    },
                    status=409,
                )
        else:
            action = next((a for a in ("reply_all", "reply", "forward") if params.get(a)), "new")
            item = compose_start(
                user=request.user,
                imap=imap,
                action=action,
                ref=params.get(action, ""),
                as_attachment=params.get("as") == "attachment",
                to=params.get("to", ""),
                subject=params.get("subject", ""),
                save=False,
            )
        folders = flatten(folder_tree(imap=imap, user_key=str(request.user.pk)))
    if not item._state.adding and not item.is_editable:  # noqa: SLF001 - a waiting send opened from Drafts
        return redirect(_status_url(item))
    return _render(request, item, folders=folders)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def compose_edit(request: AuthenticatedHttpRequest, compose_id: UUID) -> HttpResponse:
    if request.method == "POST":
        return _compose_post(request, _compose_or_404(request, compose_id, seed=request.POST.get("seed", "")))
    item = _compose_or_404(request, compose_id)
    if not item.is_editable:
        return redirect(_status_url(item))
    return _render(request, item)


def _compose_post(request: AuthenticatedHttpRequest, item: Compose) -> HttpResponse:
    action = request.POST.get("action", "send")
    if not item.is_editable:
        if wants_json(request):
            return JsonResponse({"error": _("This message is being sent or was sent already."), "status_url": _status_url(item)}, status=409)
        return redirect(_status_url(item))
    if action == "discard":
        with get_pool().session(request.user) as imap:
            compose_discard(user=request.user, compose=item, imap=imap)
        messages.info(request, _("The message was discarded."))
        return JsonResponse({"discarded": True, "next": folder_url("INBOX")}) if wants_json(request) else redirect(folder_url("INBOX"))
    try:
        compose_apply(user=request.user, compose=item, data=_input(request), strict=action in ("send", "schedule"))
        _store_form_uploads(request, item)
        if action.startswith("remove:"):
            attachment_id = _uuid_or_none(action.partition(":")[2])
            found = item.attachments.filter(pk=attachment_id).first() if attachment_id else None
            if found is not None:
                upload_delete(attachment=found)
            return redirect(_edit_url(item))
        if action == "attach":
            return redirect(_edit_url(item))
        if action == "save":
            with get_pool().session(request.user) as imap:
                result = compose_draft_save(user=request.user, compose=item, imap=imap)
            if wants_json(request):
                return JsonResponse(
                    {
                        "saved": result.saved,
                        "uid": result.uid,
                        "saved_at": result.saved_at.isoformat() if result.saved_at else None,
                        "edit_url": _edit_url(item),
                    }
                )
            messages.success(request, _("Draft saved."))
            return redirect(_edit_url(item))
        # "Send later": a time chosen in the form (the person's zone from the browser's offset).
        post = request.POST
        send_at = (
            send_later_time(choice=post.get("send_later", ""), custom=post.get("send_at", ""), tz_offset=post.get("tz_offset", ""))
            if action == "schedule"
            else None
        )
        with get_pool().session(request.user) as imap:
            compose_queue(user=request.user, compose=item, imap=imap, enqueue=compose_send_enqueue, send_at=send_at)
    except ComposeInvalid as exc:
        if wants_json(request):
            return JsonResponse({"errors": exc.errors}, status=400)
        return _render(request, item, errors=exc.errors, status=400)
    except UploadRefused as exc:
        if wants_json(request):
            return JsonResponse({"errors": {"attachments": exc.message}}, status=exc.status)
        return _render(request, item, errors={"attachments": exc.message}, status=exc.status)
    except ComposeLocked:
        return JsonResponse({"status_url": _status_url(item)}, status=409) if wants_json(request) else redirect(_status_url(item))
    if wants_json(request):
        return JsonResponse({"queued": True, "status_url": _status_url(item)}, status=202)
    return redirect(_status_url(item))


def _uuid_or_none(value: str) -> str | None:
    import uuid

    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


def _store_form_uploads(request: AuthenticatedHttpRequest, item: Compose) -> None:
    """Files posted with the form (no JavaScript): stored like chunked uploads, limit checked first."""
    files = request.FILES.getlist("attachment")
    if not files:
        return
    limit = message_size_limit(user=request.user)
    for upload in files:
        try:
            attachment = upload_start(
                compose=item, filename=upload.name or "", size=upload.size or 0, content_type=upload.content_type or "", limit=limit
            )
        except InvalidHeaderInput as exc:
            raise UploadRefused(exc.message) from exc
        offset = 0
        for chunk in upload.chunks(settings.WEBMAIL_UPLOAD_CHUNK_SIZE):
            offset = upload_chunk(attachment=attachment, offset=offset, data=chunk)


@login_required
@never_cache
@require_GET
def status(request: AuthenticatedHttpRequest, compose_id: UUID) -> HttpResponse:
    """Where a send is: JSON for the page's script, else a page that refreshes itself until done."""
    item = _compose_or_404(request, compose_id)
    info = compose_status(compose=item)
    if info.sent and info.done:
        uploads_purge(compose=item)  # the worker did it if it shares the upload directory; else here
    if wants_json(request) or request.GET.get("format") == "json":
        return JsonResponse(
            {
                "state": info.state,
                "done": info.done,
                "sent": info.sent,
                "title": info.title,
                "message": info.message,
                "kept_as_draft": info.kept_as_draft,
                "can_cancel": info.can_cancel,
                "can_edit": info.can_edit,
                "send_at": info.send_at.isoformat() if info.send_at else None,
                "scheduled": info.scheduled,
                "edit_url": _edit_url(item),
                "status_url": _status_url(item),
            }
        )
    with get_pool().session(request.user) as imap:
        folders = flatten(folder_tree(imap=imap, user_key=str(request.user.pk)))
    sent_folder = next((f for f in folders if f.special_use == "sent"), None)
    drafts_folder = next((f for f in folders if f.special_use == "drafts"), None)
    return render(
        request,
        "mailview/compose.html",
        {
            "status_page": True,
            "compose": item,
            "status_info": info,
            "folders": folders,
            "current_folder": "",
            "sent_folder": sent_folder,
            "drafts_folder": drafts_folder,
            "edit_url": _edit_url(item),
            "status_url": _status_url(item),
            # A page without scripts reloads when an undo delay is over (not every 3 s under the Undo button).
            "scheduled_when": _local_time(info.send_at) if info.scheduled and info.send_at else "",
            "refresh_seconds": int((info.send_at - timezone.now()).total_seconds()) + 2 if info.send_at else 3,
        },
    )


@login_required
@require_POST
def cancel(request: AuthenticatedHttpRequest, compose_id: UUID) -> HttpResponse:
    """Undo send / unschedule / stop retrying: the message is back to editing (`next=scheduled`: back to the list)."""
    item = _compose_or_404(request, compose_id)
    cancelled = compose_cancel(compose=item)
    if wants_json(request):
        return JsonResponse({"cancelled": cancelled, "edit_url": _edit_url(item)})
    if not cancelled:
        messages.error(request, _("Too late: the message is already being sent."))
        return redirect(_status_url(item))
    if request.POST.get("next") == "scheduled":
        messages.info(request, _("The scheduled send was cancelled. Your message is kept in Drafts."))
        return redirect("mailview:scheduled")
    messages.info(request, _("Sending was cancelled. Your message is saved in Drafts."))
    return redirect(_edit_url(item))


def _local_time(when: datetime) -> str:
    """A send time as <time>: the server's zone in the page; compose.js shows it in the browser's."""
    return format_html('<time datetime="{}" data-local-time>{}</time>', when.isoformat(), send_time_label(when))


@login_required
@never_cache
@require_GET
def scheduled(request: AuthenticatedHttpRequest) -> HttpResponse:
    """/mail/scheduled/: the messages waiting to be sent later, with edit and cancel."""
    with get_pool().session(request.user) as imap:
        folders = flatten(folder_tree(imap=imap))
    items = [{"compose": c, "when": _local_time(c.send_at)} for c in scheduled_list(user=request.user) if c.send_at]
    snoozed = [{"snooze": s, "when": _local_time(s.due_at)} for s in snoozed_list(user=request.user)]
    return render(request, "mailview/scheduled.html", {"items": items, "snoozed": snoozed, "folders": folders, "current_folder": ""})


@login_required
@require_POST
def discard(request: AuthenticatedHttpRequest, compose_id: UUID) -> HttpResponse:
    item = _compose_or_404(request, compose_id)
    try:
        with get_pool().session(request.user) as imap:
            compose_discard(user=request.user, compose=item, imap=imap)
    except ComposeLocked:
        return redirect(_status_url(item))
    messages.info(request, _("The message was discarded."))
    return JsonResponse({"discarded": True, "next": folder_url("INBOX")}) if wants_json(request) else redirect(folder_url("INBOX"))


# -- chunked uploads --------------------------------------------------------------------


@login_required
@require_POST
def attachment_start(request: AuthenticatedHttpRequest, compose_id: UUID) -> HttpResponse:
    """Announce a file (name, size, type): refused at once when the message would be too big."""
    item = _compose_or_404(request, compose_id, seed=request.POST.get("seed", ""))
    if not item.is_editable:
        return JsonResponse({"error": _("This message is being sent or was sent already.")}, status=409)
    try:
        size = int(request.POST.get("size", ""))
    except ValueError:
        return JsonResponse({"error": _("The file size is missing.")}, status=400)
    limit = message_size_limit(user=request.user)
    try:
        attachment = upload_start(
            compose=item, filename=request.POST.get("filename", ""), size=size, content_type=request.POST.get("type", ""), limit=limit
        )
    except InvalidHeaderInput as exc:
        return JsonResponse({"error": exc.message}, status=400)
    except UploadRefused as exc:
        return JsonResponse({"error": exc.message, "limit": limit}, status=exc.status)
    return JsonResponse(
        {
            "id": str(attachment.pk),
            "filename": attachment.filename,
            "size": attachment.size,
            "received": attachment.received,
            "chunk_size": settings.WEBMAIL_UPLOAD_CHUNK_SIZE,
            "chunk_url": reverse("mailview:compose_attachment_chunk", args=[item.pk, attachment.pk]),
            "delete_url": reverse("mailview:compose_attachment_delete", args=[item.pk, attachment.pk]),
            "limit": limit,
        },
        status=201,
    )


def _attachment_or_404(request: AuthenticatedHttpRequest, compose_id: UUID, attachment_id: UUID) -> ComposeAttachment:
    item = _compose_or_404(request, compose_id)
    found = item.attachments.filter(pk=attachment_id).first()
    if found is None:
        raise Http404("no such attachment")
    found.compose = item
    return found


@login_required
@require_POST
def attachment_chunk(request: AuthenticatedHttpRequest, compose_id: UUID, attachment_id: UUID) -> HttpResponse:
    """One chunk of the file's bytes (the request body) at `?offset=`."""
    attachment = _attachment_or_404(request, compose_id, attachment_id)
    if not attachment.compose.is_editable:
        return JsonResponse({"error": _("This message is being sent or was sent already.")}, status=409)
    try:
        offset = int(request.GET.get("offset", ""))
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return JsonResponse({"error": _("Bad upload request.")}, status=400)
    if length > settings.WEBMAIL_UPLOAD_CHUNK_SIZE or offset < 0:
        return JsonResponse({"error": _("Bad upload request.")}, status=413)
    try:
        received = upload_chunk(attachment=attachment, offset=offset, data=request.body)
    except UploadRefused as exc:
        return JsonResponse({"error": exc.message, "received": exc.received}, status=exc.status)
    return JsonResponse({"received": received, "size": attachment.size, "complete": received == attachment.size})


@login_required
@require_POST
def attachment_delete(request: AuthenticatedHttpRequest, compose_id: UUID, attachment_id: UUID) -> HttpResponse:
    attachment = _attachment_or_404(request, compose_id, attachment_id)
    if not attachment.compose.is_editable:
        return JsonResponse({"error": _("This message is being sent or was sent already.")}, status=409)
    upload_delete(attachment=attachment)
    return JsonResponse({"deleted": True})


@login_required
@require_GET
def addresses(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Address completion for `?q=`: groups (the label holds every member), contacts, then
    collected addresses, most used first."""
    found = completions(user=request.user, query=request.GET.get("q", ""))
    return JsonResponse({
        "results": [{"name": s.name, "email": s.email, "label": s.label, "kind": s.kind, "members": s.members} for s in found],
    })
