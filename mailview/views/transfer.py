"""Imports and exports: start one (a form post), its page with a progress bar (polls the status),
Cancel, and the download, for its owner only and until its link expires (410 after)."""
from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from mailview.imap import get_pool, validate
from mailview.models import Transfer
from mailview.services.contacts.importing import ContactsImportReport, contacts_import_report
from mailview.services.reading.folders import flatten, folder_tree
from mailview.services.transfer.store import (
    IMPORTS,
    TransferRefused,
    transfer_download_path,
    transfer_expired,
    transfer_for_user,
    transfer_start,
)
from mailview.services.transfer.store import transfer_cancel as cancel_requested
from mailview.tasks import transfer_enqueue
from mailview.views.common import wants_json
from mailview.views.filing import _next_url


def _owned(request: AuthenticatedHttpRequest, transfer_id: UUID) -> Transfer:
    try:
        return transfer_for_user(user=request.user, transfer_id=transfer_id)
    except Transfer.DoesNotExist:
        raise Http404 from None


@login_required
@require_POST
def transfer_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Start an export: `kind` mbox / eml_zip (a folder, or the search `q` in it) or
    attachments (`uid`)."""
    folder = validate.folder_name(request.POST.get("folder", ""))
    kind = request.POST.get("kind", "")
    uid = validate.uid(request.POST["uid"]) if request.POST.get("uid") else None
    try:
        if kind in (Transfer.Kind.IMPORT, Transfer.Kind.CONTACTS):
            raise TransferRefused(_("Unknown export."))
        transfer = transfer_start(
            user=request.user, kind=kind, folder=folder, uid=uid, query=request.POST.get("q", "").strip(), enqueue=transfer_enqueue,
        )
    except TransferRefused as exc:
        messages.error(request, str(exc))
        return redirect(_next_url(request, folder))
    return redirect("mailview_transfers:page", transfer_id=transfer.pk)


@login_required
@require_POST
def import_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Import uploaded .eml / mbox files into a folder. Refused by its Content-Length before
    the body is read when it is over WEBMAIL_IMPORT_MAX_BYTES."""
    if int(request.headers.get("Content-Length") or 0) > settings.WEBMAIL_IMPORT_MAX_BYTES + 64 * 1024:
        return HttpResponse(_("The files are too large to import at once."), status=413, content_type="text/plain; charset=utf-8")
    folder = validate.folder_name(request.POST.get("folder", ""))
    try:
        transfer = transfer_start(
            user=request.user, kind=Transfer.Kind.IMPORT, folder=folder, uploads=request.FILES.getlist("file"), enqueue=transfer_enqueue,
        )
    except TransferRefused as exc:
        messages.error(request, str(exc))
        return redirect(_next_url(request, folder))
    return redirect("mailview_transfers:page", transfer_id=transfer.pk)


def _contacts_summary(report: ContactsImportReport) -> str:
    text = _("Imported: %(added)d new, %(updated)d updated.") % {"added": report.added, "updated": report.updated}
    if report.failed:
        text += " " + ngettext(
            "%(n)d card could not be imported.", "%(n)d cards could not be imported.", report.failed,
        ) % {"n": report.failed}
    return text


def _contacts_failures(report: ContactsImportReport) -> list[str]:
    return [
        _("Card %(n)d%(name)s: %(reason)s") % {"n": f.number, "name": f" ({f.name})" if f.name else "", "reason": f.reason}
        for f in report.failures
    ]


def _status(transfer: Transfer) -> dict[str, object]:
    contacts = transfer.kind == Transfer.Kind.CONTACTS
    if transfer.kind == Transfer.Kind.IMPORT:
        percent = int(100 * transfer.position / transfer.size) if transfer.size else 0
    elif contacts:
        percent = int(100 * (transfer.done + transfer.skipped) / transfer.total) if transfer.total else 0
    else:
        percent = int(100 * transfer.done / transfer.total) if transfer.total else 0
    if transfer.state == Transfer.State.DONE:
        percent = 100
    ready = transfer.state == Transfer.State.DONE and transfer.kind not in IMPORTS and not transfer_expired(transfer)
    status: dict[str, object] = {
        "state": transfer.state, "state_label": transfer.get_state_display(), "done": transfer.done, "total": transfer.total,
        "skipped": transfer.skipped, "percent": min(percent, 100), "error": transfer.error, "finished": transfer.finished,
        "download": reverse("mailview_transfers:download", args=[transfer.pk]) if ready else "",
    }
    if contacts:
        # n of N counts every card read, imported or not; the summary and failures say which.
        report = contacts_import_report(transfer)
        status["progress_label"] = _("%(n)d of %(total)d cards") % {"n": transfer.done + transfer.skipped, "total": transfer.total}
        status["summary"] = _contacts_summary(report)
        status["failures"] = _contacts_failures(report)
    return status


@login_required
@never_cache
@require_GET
def transfer_page(request: AuthenticatedHttpRequest, transfer_id: UUID) -> HttpResponse:
    """The progress bar, Cancel, then the download link (the page polls the status)."""
    transfer = _owned(request, transfer_id)
    with get_pool().session(request.user) as imap:
        folders = flatten(folder_tree(imap=imap))
    return render(
        request, "mailview/transfer.html",
        {
            "transfer": transfer, "status": _status(transfer), "folders": folders, "current_folder": transfer.folder,
            "expired": transfer.kind not in IMPORTS and transfer_expired(transfer),  # imports make no download
        },
    )


@login_required
@never_cache
@require_GET
def transfer_status(request: AuthenticatedHttpRequest, transfer_id: UUID) -> JsonResponse:
    return JsonResponse(_status(_owned(request, transfer_id)))


@login_required
@require_POST
def transfer_cancel(request: AuthenticatedHttpRequest, transfer_id: UUID) -> HttpResponse:
    _owned(request, transfer_id)
    transfer = cancel_requested(user=request.user, transfer_id=transfer_id)
    if wants_json(request):
        return JsonResponse(_status(transfer))
    return redirect("mailview_transfers:page", transfer_id=transfer.pk)


@login_required
@never_cache
@require_GET
def transfer_download(request: AuthenticatedHttpRequest, transfer_id: UUID) -> HttpResponse | FileResponse:
    """The file, streamed from disk; 410 once its link expired, 404 for anyone else."""
    transfer = _owned(request, transfer_id)
    if transfer_expired(transfer):
        return HttpResponse(_("This download link has expired. Export again."), status=410, content_type="text/plain; charset=utf-8")
    path = transfer_download_path(transfer=transfer)
    if path is None:
        raise Http404
    content_type = "application/mbox" if transfer.kind == Transfer.Kind.MBOX else "application/zip"
    return FileResponse(open(path, "rb"), as_attachment=True, filename=transfer.filename or path.name, content_type=content_type)
