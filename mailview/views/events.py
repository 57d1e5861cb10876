"""`/events/`: the live mailbox's event stream (Server-Sent Events) for the signed-in person.

Served by the ASGI event server (`uvicorn webmail.asgi:application`), where an open stream
costs a coroutine, not a server thread; gunicorn (WSGI) refuses it with 503 so a stream never
pins one of its threads, and the page falls back to polling. The stream itself is
`services.live.push.event_stream`; this view checks who asks and from where.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase

from mailview.services.live import push

PREFLIGHT_MAX_AGE = 600


async def event_stream(request: HttpRequest) -> HttpResponseBase:
    origin = request.headers.get("Origin")
    allowed = _allowed_origin(request, origin)
    response: HttpResponseBase
    if origin and not allowed:
        response = HttpResponse("This origin may not read the event stream.", status=403, content_type="text/plain")
    elif request.method == "OPTIONS":
        response = HttpResponse(status=204)
        response["Access-Control-Allow-Methods"] = "GET"
        response["Access-Control-Allow-Headers"] = "Last-Event-ID, Cache-Control"
        response["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
    elif request.method != "GET":
        response = HttpResponse(status=405, headers={"Allow": "GET, OPTIONS"})
    elif not isinstance(request, ASGIRequest):
        response = HttpResponse("The event stream is served by the event server (ASGI).", status=503, content_type="text/plain")
    else:
        user = await request.auser()
        if not user.is_authenticated:
            response = HttpResponse("Sign in first.", status=403, content_type="text/plain")
        else:
            last = request.headers.get("Last-Event-ID") or request.GET.get("last") or None
            response = StreamingHttpResponse(
                push.event_stream(hub=push.get_hub(settings.REDIS_URL), user_pk=int(user.pk), last_id=last),
                content_type="text/event-stream; charset=utf-8",
            )
            response["Cache-Control"] = "no-store"
            response["X-Accel-Buffering"] = "no"  # nginx: pass every event on at once
    if allowed:
        response["Access-Control-Allow-Origin"] = allowed
        response["Access-Control-Allow-Credentials"] = "true"
    response["Vary"] = "Origin, Cookie"
    return response


def _allowed_origin(request: HttpRequest, origin: str | None) -> str | None:
    """The request's Origin when it may read the stream: a configured web origin, or our own."""
    if not origin:
        return None
    origin = origin.rstrip("/")
    if origin in settings.WEBMAIL_EVENTS_ALLOWED_ORIGINS:
        return origin
    parts = urlsplit(origin)
    return origin if parts.scheme == request.scheme and parts.netloc == request.get_host() else None
