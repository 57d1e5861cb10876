"""Labels: `/labels/` lists them with counts; rename or delete one everywhere (a task)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.http import AuthenticatedHttpRequest
from mailview.imap import get_pool
from mailview.services.filing.actions import label_is_valid
from mailview.services.filing.labels import label_change_enqueue, label_change_progress
from mailview.services.filing.queue import action_is_owned, action_result
from mailview.services.reading.folders import flatten, folder_tree
from mailview.services.reading.labels import label_scan, labels_forget, labels_remember
from mailview.services.reading.messages import labels_of
from mailview.tasks import label_change


@login_required
def labels_manage(request: AuthenticatedHttpRequest) -> HttpResponse:
    user_key = str(request.user.pk)
    if request.method == "POST":
        op, old = request.POST.get("op", ""), request.POST.get("label", "")
        new = request.POST.get("name", "").strip() if op == "rename" else None
        if not label_is_valid(old) or (op == "rename" and not (new and label_is_valid(new))) or op not in ("rename", "delete"):
            messages.error(
                request,
                _("A label is one word of letters, digits and $ _ . - (at most 100 characters); system flags such as \\Deleted cannot be labels."),
            )
            return redirect("mailview_labels:manage")
        if op == "delete" and request.POST.get("confirm") != "1":
            messages.error(request, _("Tick the box to confirm removing the label from every message."))
            return redirect("mailview_labels:manage")
        change_id = label_change_enqueue(enqueue=label_change.apply_async, user_pk=request.user.pk, old=old, new=new)
        labels_forget(user_key=user_key, names=[old])
        if new:
            labels_remember(user_key=user_key, labels=labels_of(frozenset({new})))
        messages.success(request, _("Changing the label in every folder…"))
        return redirect(reverse("mailview_labels:manage") + f"?change={change_id}")
    with get_pool().session(request.user) as imap:
        folders = flatten(folder_tree(imap=imap))
        labels = label_scan(imap=imap, user_key=user_key, folders=folders)
    change_id = request.GET.get("change", "")
    change = None
    if change_id and action_is_owned(action_id=change_id, user_pk=request.user.pk):
        result = action_result(action_id=change_id)
        change = {"progress": label_change_progress(change_id=change_id), "result": result}
    return render(request, "mailview/labels_manage.html", {"folders": folders, "labels": labels, "change": change, "current_folder": ""})

