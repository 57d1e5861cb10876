"""The operations dashboard in the admin (`/admin/operations/`), for staff with the
`accounts.view_operations` permission: every figure of `/metrics` (read through
`webmail.metrics.figures`, so each is computed in one place) per process and in total, with
per-minute rates; who is signed in, and per person their sessions, recent audit events and
"sign out everywhere"."""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from webmail.client_ip import client_ip
from webmail.metrics import figures, per_minute

from .models import AuditEvent
from .sessions import sessions_active, sessions_active_counts, user_sign_out_everywhere

Figures = dict[str, list[tuple[dict[str, str], float]]]
AUDIT_SHOWN = 50


def _one(got: Figures, name: str, **labels: str) -> float | None:
    for have, value in got.get(name, []):
        if all(have.get(k) == v for k, v in labels.items()):
            return value
    return None


def _by(got: Figures, name: str, label: str) -> dict[str, float]:
    return {have.get(label, ""): value for have, value in got.get(name, [])}


def _counter_readings(got: Figures) -> dict[str, float]:
    """The running totals whose per-minute rate the page shows."""
    readings: dict[str, float] = {}
    for have, value in got.get("webmail_imap_process_logins_total", []):
        readings[f"logins|{have.get('process', '?')}"] = value
    for have, value in got.get("webmail_imap_process_errors_total", []):
        readings[f"errors|{have.get('process', '?')}|{have.get('kind', '?')}"] = value
    for have, value in got.get("webmail_signins_total", []):
        readings[f"signins|{have.get('outcome', '?')}"] = value
    return readings


def _summary(got: Figures) -> dict[str, Any]:
    readings = _counter_readings(got)
    rates = per_minute(readings)

    def rate_sum(prefix: str) -> float | None:
        values = [rates[k] for k in readings if k.startswith(prefix)]
        known = [v for v in values if v is not None]
        return sum(known) if known and len(known) == len(values) else None

    processes: dict[str, dict[str, Any]] = defaultdict(dict)
    for have, value in got.get("webmail_imap_process_connections", []):
        processes[have.get("process", "?")][have.get("state", "?")] = int(value)
    for name in processes:
        processes[name]["logins"] = int(readings.get(f"logins|{name}", 0))
        processes[name]["logins_per_minute"] = rates.get(f"logins|{name}")
        processes[name]["errors"] = {
            k.split("|")[2]: int(v) for k, v in readings.items() if k.startswith(f"errors|{name}|") and v
        }
    error_kinds = _by(got, "webmail_imap_errors_total", "kind")
    signins = _by(got, "webmail_signins_total", "outcome")
    return {
        "connections": _by(got, "webmail_imap_connections", "state"),
        "logins_total": _one(got, "webmail_imap_logins_total"),
        "logins_per_minute": rate_sum("logins|"),
        "errors": [(kind, int(n), _rate_of_kind(rates, readings, kind)) for kind, n in sorted(error_kinds.items())],
        "processes": sorted(processes.items()),
        "queues": [
            (queue, int(depth), _one(got, "webmail_celery_queue_oldest_age_seconds", queue=queue) or 0.0)
            for queue, depth in sorted(_by(got, "webmail_celery_queue_length", "queue").items())
        ],
        "workers": sorted(_by(got, "webmail_celery_worker_heartbeat_age_seconds", "worker").items()),
        "watchers": sorted(_by(got, "webmail_watcher_stats_age_seconds", "replica").items()),
        "watched": _by(got, "webmail_watched_people", "status"),
        "event_streams": int(_one(got, "webmail_event_streams") or 0),
        "event_servers": sorted((p, int(n)) for p, n in _by(got, "webmail_event_server_streams", "process").items()),
        "present_people": int(_one(got, "webmail_present_people") or 0),
        "signins": [(outcome, int(n), rates.get(f"signins|{outcome}")) for outcome, n in sorted(signins.items())],
        "lockouts": {scope: int(n) for scope, n in _by(got, "webmail_signin_lockouts", "scope").items()},
        "redis_up": _one(got, "webmail_redis_up") == 1,
    }


def _rate_of_kind(rates: dict[str, float | None], readings: dict[str, float], kind: str) -> float | None:
    values = [rates[k] for k in readings if k.startswith("errors|") and k.endswith(f"|{kind}")]
    known = [v for v in values if v is not None]
    return sum(known) if known and len(known) == len(values) else None


def operations(request: HttpRequest) -> HttpResponse:
    context = {
        **admin.site.each_context(request),
        "title": _("Operations"),
        "ops": _summary(figures()),
        "people": sessions_active_counts(),
    }
    return TemplateResponse(request, "admin/operations.html", context)


def operations_person(request: HttpRequest, user_id: int) -> HttpResponse:
    person = get_object_or_404(get_user_model(), pk=user_id)
    context = {
        **admin.site.each_context(request),
        "title": _("Sessions of %(person)s") % {"person": person.get_username()},
        "person": person,
        "sessions": sessions_active(user=person),
        "events": AuditEvent.objects.filter(email__iexact=person.get_username())[:AUDIT_SHOWN],
    }
    return TemplateResponse(request, "admin/operations_person.html", context)


@require_POST
def operations_sign_out(request: HttpRequest, user_id: int) -> HttpResponse:
    person = get_object_or_404(get_user_model(), pk=user_id)
    ended = user_sign_out_everywhere(user=person, ip=client_ip(request), actor=request.user.get_username())
    messages.success(
        request, _("%(person)s is signed out everywhere (%(n)d sessions ended).") % {"person": person.get_username(), "n": ended}
    )
    return HttpResponseRedirect(reverse("admin_operations_person", args=[person.pk]))
