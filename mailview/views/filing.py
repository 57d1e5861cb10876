"""Filing mail and managing folders: POST endpoints used by forms and, progressively, by JS.

Message actions are queued as Celery tasks (the page updates at once and polls the
task's state); folder management runs directly (the user needs its answer now).
"""
from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import unquote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from mailview.imap import ImapProtocolError, InvalidImapInput, get_pool, validate
from mailview.imap.query import MAX_QUERY_CHARS
from mailview.services.filing.actions import KINDS, label_is_valid, undo_plan
from mailview.services.filing.folder_admin import FolderRefused, folder_create, folder_delete, folder_rename, folder_subscribe
from mailview.services.filing.queue import action_enqueue, action_is_owned, action_result, action_undo_plan, folder_uid_set, search_uid_sets
from mailview.services.filing.snooze import SnoozeInvalid, snooze_time
from mailview.services.live.state import folder_states_trusted
from mailview.services.reading.folders import flatten, folder_change_token, folder_tree, folder_unread_count
from mailview.services.reading.quota import mailbox_quota
from mailview.tasks import mail_action
from mailview.templatetags.mail_urls import folder_url
from mailview.views.common import wants_json as _wants_json


def _owned(request: AuthenticatedHttpRequest, action_id: str) -> None:
    if not action_is_owned(action_id=action_id, user_pk=request.user.pk):
        raise Http404


@login_required
@require_POST
def action_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return action_create_of_kind(request, request.POST.get("action", ""))


def action_create_of_kind(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    """Queue `kind` (the form's button; "snooze" from the snooze view for a selection across
    pages or folders, with the form's `choice`, `custom` and `tz_offset`)."""
    until: str | None = None  # when snoozed messages come back
    if kind == "snooze":
        try:
            until = snooze_time(
                choice=request.POST.get("choice", ""), custom=request.POST.get("custom", ""), tz_offset=request.POST.get("tz_offset", "")
            ).isoformat()
        except SnoozeInvalid as exc:
            return _refuse(request, "INBOX", str(exc))
    if request.POST.get("search") == "1" and request.POST.get("all") == "1":
        return _action_create_for_search(request, kind, until)
    if request.POST.getlist("ref"):
        return _action_create_across_folders(request, kind, refs_by_folder(request.POST.getlist("ref")), until)
    folder = validate.folder_name(request.POST.get("folder", ""))
    target = request.POST.get("target") or None
    keyword = request.POST.get("keyword") or None
    if kind not in KINDS:
        return _refuse(request, folder, _("Unknown action."))
    if target is not None:
        target = validate.folder_name(target)
    if kind in ("label_add", "label_remove"):
        if not keyword or not label_is_valid(keyword):
            return _refuse(
                request,
                folder,
                _("A label is one word of letters, digits and $ _ . - (at most 100 characters); system flags such as \\Deleted cannot be labels."),
            )
    elif keyword is not None:
        keyword = validate.flag(keyword)
    if kind == "mark_folder_read" and request.POST.get("confirm") != "1":
        return _confirm_folder_read(request, folder)
    if kind in ("empty", "mark_folder_read") or request.POST.get("all") == "1":
        # Every message there now (that matches the list's search, if any), as UID ranges.
        query = request.POST.get("q", "").strip() if kind not in ("empty", "mark_folder_read") else ""
        with get_pool().session(request.user) as imap:
            every = folder_uid_set(imap=imap, folder=folder, query=query, in_body=request.POST.get("body") == "1")
        if every is None:
            return _done(request, folder, None, _("Nothing to do: no messages."))
        uids: list[int] | str = every
    else:
        # A conversation row's checkbox names all of its messages ("3,7,9").
        uids = validate.uids(u for value in request.POST.getlist("uid") for u in str(value).split(",") if u)
        if not uids:
            return _refuse(request, folder, _("Select at least one message."))
    action_id = action_enqueue(
        enqueue=mail_action.apply_async, user_pk=request.user.pk, kind=kind, folder=folder, uids=uids, target=target, keyword=keyword, until=until
    )
    return _done(request, folder, action_id, _("Done."))


# What can be done to search results from several folders at once (one action per folder).
ACROSS_FOLDERS = frozenset(
    {"archive", "junk", "notjunk", "delete", "read", "unread", "flag", "unflag", "move", "copy", "label_add", "label_remove", "snooze"}
)


def _action_create_for_search(request: AuthenticatedHttpRequest, kind: str, until: str | None) -> HttpResponse:
    """"Select all N results" of a search (`q`, `body`, `everywhere` as on the search page):
    every message that matches now, in every folder searched, one action per folder."""
    if kind not in ACROSS_FOLDERS:
        return _refuse(request, "INBOX", _("Unknown action."))
    text = request.POST.get("q", "").strip()[:MAX_QUERY_CHARS]
    with get_pool().session(request.user) as imap:
        folders = flatten(folder_tree(imap=imap, max_age=settings.WEBMAIL_FOLDER_COUNTS_REUSE_SECONDS))
        by_folder = search_uid_sets(
            imap=imap, folders=folders, text=text, in_body=request.POST.get("body") == "1", include_all=request.POST.get("everywhere") == "1"
        )
    if not by_folder:
        return _done(request, "INBOX", None, _("Nothing to do: no messages."))
    return _action_create_across_folders(request, kind, by_folder, until)


def _action_create_across_folders(
    request: AuthenticatedHttpRequest, kind: str, by_folder: Mapping[str, list[int] | str], until: str | None
) -> HttpResponse:
    """Search results: `ref` values name folder and UID (`Work%2FProjects/12`), or "select
    all" found every match; the messages are grouped by folder and one action is queued per
    folder (actions are per folder on the server). The answer lists every action id
    (`action_id` is the first)."""
    first = next(iter(by_folder), "INBOX")
    if kind not in ACROSS_FOLDERS:
        return _refuse(request, first, _("Unknown action."))
    target = request.POST.get("target") or None
    keyword = request.POST.get("keyword") or None
    if target is not None:
        target = validate.folder_name(target)
    if kind in ("move", "copy") and not target:
        return _refuse(request, first, _("Choose a folder first."))
    if kind in ("label_add", "label_remove") and (not keyword or not label_is_valid(keyword)):
        return _refuse(
            request,
            first,
            _("A label is one word of letters, digits and $ _ . - (at most 100 characters); system flags such as \\Deleted cannot be labels."),
        )
    ids = [
        action_enqueue(
            enqueue=mail_action.apply_async, user_pk=request.user.pk, kind=kind, folder=folder, uids=uids, target=target, keyword=keyword, until=until
        )
        for folder, uids in by_folder.items()
        if folder != target or kind not in ("move", "copy")
    ]
    if _wants_json(request):
        return JsonResponse({"action_id": ids[0] if ids else None, "action_ids": ids, "message": _("Done.")})
    messages.success(request, _("Done."))
    return redirect(_next_url(request, first))


def refs_by_folder(refs: list[str]) -> dict[str, list[int]]:
    """`["INBOX/3", "Work%2FProjects/12"]` → `{"INBOX": [3], "Work/Projects": [12]}`, validated."""
    grouped: dict[str, list[int]] = {}
    for ref in refs[:5000]:
        encoded, _sep, uid = ref.rpartition("/")
        folder = validate.folder_name(unquote(encoded))
        grouped.setdefault(folder, []).append(validate.uid(uid))
    return grouped


def _confirm_folder_read(request: HttpRequest, folder: str) -> HttpResponse:
    """Marking a whole folder read is asked about first: the script asks in a dialog and
    sends `confirm`; without it, this page asks (and says how many are unread)."""
    if _wants_json(request):
        return JsonResponse({"error": _("Confirm marking the whole folder read first.")}, status=400)
    with get_pool().session(request.user) as imap:
        unread = folder_unread_count(imap=imap, folder=folder)
    return render(request, "mailview/confirm_folder_read.html", {"folder": folder, "unread": unread, "next": _next_url(request, folder)})


def _done(request: HttpRequest, folder: str, action_id: str | None, text: str) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"action_id": action_id, "message": text})
    messages.success(request, text)
    return redirect(_next_url(request, folder))


def _refuse(request: HttpRequest, folder: str, text: str) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"error": text}, status=400)
    messages.error(request, text)
    return redirect(_next_url(request, folder))


def _next_url(request: HttpRequest, folder: str) -> str:
    """Where a form wants to go afterwards: a path of this site, else the folder's list."""
    wanted = request.POST.get("next", "")
    if wanted.startswith("/") and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return wanted
    return folder_url(folder)


@login_required
@require_GET
def action_status(request: AuthenticatedHttpRequest, action_id: str) -> JsonResponse:
    _owned(request, action_id)
    value = action_result(action_id=action_id)
    if value is None:
        return JsonResponse({"state": "pending"})
    error, notice = action_outcome_texts(value)
    return JsonResponse(
        {"state": "done" if value.get("ok") else "failed", "error": error, "notice": notice, "undo": undo_plan(value) is not None, "result": value}
    )


def action_outcome_texts(result: dict) -> tuple[str, str]:
    """(error, notice) for an action's result, in the user's language: what was not done
    and why, said plainly (the task reports only what the server confirmed)."""
    gone, failed, count = int(result.get("gone") or 0), int(result.get("failed") or 0), int(result.get("count") or 0)
    reason = result.get("reason", "")
    if reason == "snoozed":
        return "", _("These messages are snoozed already: change their time on the scheduled page.")
    if reason == "gone":
        return _("The messages are no longer in this folder: they were moved or deleted elsewhere."), ""
    if reason == "partial":
        return ngettext(
            "%(failed)d of %(total)d messages was not changed by the mail server.",
            "%(failed)d of %(total)d messages were not changed by the mail server.",
            failed,
        ) % {"failed": failed, "total": failed + count}, ""
    if not result.get("ok"):
        return str(result.get("error") or _("The mail server refused.")), ""
    if gone:
        return "", ngettext(
            "Done for %(count)d; %(gone)d message was no longer in this folder.",
            "Done for %(count)d; %(gone)d messages were no longer in this folder.",
            gone,
        ) % {"count": count, "gone": gone}
    return "", ""


@login_required
@require_POST
def action_undo(request: AuthenticatedHttpRequest, action_id: str) -> HttpResponse:
    _owned(request, action_id)
    plan = action_undo_plan(action_id=action_id)
    if plan is None:
        return JsonResponse({"error": _("This can no longer be undone.")}, status=409)
    undo_id = action_enqueue(enqueue=mail_action.apply_async, user_pk=request.user.pk, **plan)
    if _wants_json(request):
        return JsonResponse({"action_id": undo_id})
    messages.success(request, _("Undone."))
    return redirect(folder_url(plan["target"] or plan["folder"]))


@login_required
@require_GET
def folder_state(request: AuthenticatedHttpRequest) -> JsonResponse:
    """What the open list page polls: any change here (new mail, expunges, flags changed
    on another device) changes one of these numbers."""
    folder = validate.folder_name(request.GET.get("folder", ""))
    known = folder_states_trusted(user_pk=request.user.pk)  # None unless a watcher watches the person
    with get_pool().session(request.user) as imap:
        state = folder_change_token(imap=imap, folder=folder, include_unsubscribed=request.GET.get("all_folders") == "1", known=known)
    return JsonResponse({"state": state})


@login_required
@require_GET
def folder_tree_fragment(request: HttpRequest) -> HttpResponse:
    """The folder tree alone, to refresh counts after an action without a full reload."""
    current = request.GET.get("current", "")
    with get_pool().session(request.user) as imap:
        folders = flatten(folder_tree(imap=imap, include_unsubscribed=request.GET.get("all_folders") == "1", user_key=str(request.user.pk)))
        quota = mailbox_quota(imap=imap, user_key=str(request.user.pk))
    return render(request, "mailview/fragment_folder_tree.html", {"folders": folders, "current_folder": current, "quota": quota})


@login_required
def folders_manage(request: HttpRequest) -> HttpResponse:
    """Create, rename (or move under another), delete, subscribe and unsubscribe folders."""
    if request.method == "POST":
        op = request.POST.get("op", "")
        try:
            with get_pool().session(request.user) as imap:
                if op == "create":
                    name = folder_create(imap=imap, name=request.POST.get("name", ""), parent=request.POST.get("parent", ""))
                    messages.success(request, _("Folder “%(name)s” created.") % {"name": name})
                elif op == "rename":
                    name = folder_rename(
                        imap=imap, folder=request.POST.get("folder", ""), new_name=request.POST.get("name", ""), parent=request.POST.get("parent")
                    )
                    messages.success(request, _("Folder renamed to “%(name)s”.") % {"name": name})
                elif op == "delete":
                    if request.POST.get("confirm") != "1":
                        raise FolderRefused(_("Tick the box to confirm deleting the folder and all its mail."))
                    folder_delete(imap=imap, folder=request.POST.get("folder", ""))
                    messages.success(request, _("Folder deleted."))
                elif op in ("subscribe", "unsubscribe"):
                    folder_subscribe(imap=imap, folder=request.POST.get("folder", ""), subscribed=op == "subscribe")
                    messages.success(request, _("Subscription changed."))
                else:
                    raise FolderRefused(_("Unknown operation."))
        except (FolderRefused, InvalidImapInput, ImapProtocolError) as exc:
            messages.error(
                request, str(exc) if isinstance(exc, FolderRefused) else _("The mail server refused: %(reason)s") % {"reason": str(exc)[:200]}
            )
        return redirect("mailview_folders:folders_manage")
    with get_pool().session(request.user) as imap:
        folders = flatten(folder_tree(imap=imap, include_unsubscribed=True, user_key=str(request.user.pk)))
    # The rename form starts with each folder's own parent chosen, so saving a new name keeps it there.
    parent_of = {child.name: f.name for f in folders for child in f.children}
    rows = [(f, parent_of.get(f.name, "")) for f in folders]
    return render(request, "mailview/folders_manage.html", {"folders": folders, "all_folders": folders, "rows": rows, "current_folder": ""})
