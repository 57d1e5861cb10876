"""Admin page: the IMAP session pool's stats, per process (published to Redis by each pool),
and the watchers' (per replica, and per watched person)."""
from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from mailview.imap import get_pool
from mailview.services.live.watching import watcher_overview


def pool_stats(request: HttpRequest) -> HttpResponse:
    rows = get_pool().all_stats()
    columns = ["process", "open", "idle", "in_use", "users", "logins", "errors", "opened", "closed", "checkouts", "waits", "timeouts"]
    context = {
        **admin.site.each_context(request),
        "title": "IMAP session pool",
        "columns": columns,
        "rows": [[r.get(c, "") for c in columns] for r in rows],
        **watcher_overview(),
    }
    return TemplateResponse(request, "admin/pool_stats.html", context)
