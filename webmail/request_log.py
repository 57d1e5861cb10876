"""Every log line names the request and the user it happened for.

A request gets an id (the proxy's `X-Request-ID` when it sends a sane one, else a new one),
sent back as `X-Request-ID`, so a person's "it failed at 10:42" finds the server's line. The
id travels with the tasks the request queues, so a task's failure carries it too. Lines get
`req=<id> user=<primary key>` (`-` outside a request or for a visitor); never an address or
a password.
"""
from __future__ import annotations

import contextvars
import logging
import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
user_id: contextvars.ContextVar[str] = contextvars.ContextVar("user_id", default="-")

HEADER = "X-Request-ID"
TASK_HEADER = "webmail_request_id"
FORMAT = "%(asctime)s %(levelname)s %(name)s %(process)d req=%(request_id)s user=%(user_id)s %(message)s"
_SANE_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")  # nothing that could forge a log line


class RequestContextFilter(logging.Filter):
    """Adds `request_id` and `user_id` to every record (for the formatter)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        record.user_id = user_id.get()
        return True


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get(HEADER, "")
        rid = given if _SANE_ID.fullmatch(given) else uuid.uuid4().hex
        request.request_id = rid  # type: ignore[attr-defined]
        # Not reset on the way out: Django logs a failed response after the middleware returned
        # it (in the same thread), and the next request on this thread sets both anew.
        request_id.set(rid)
        user_id.set("-")
        response = self.get_response(request)
        response[HEADER] = rid
        return response

    def process_view(self, request: HttpRequest, *args: object) -> None:
        # After authentication: from here on (the view, its errors) lines name the user.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            user_id.set(str(user.pk))


# -- Celery: the id travels with the task, the user is the task's `user_id` argument ----------


def task_published(headers: dict | None = None, **kwargs: object) -> None:
    if headers is not None and request_id.get() != "-":
        headers.setdefault(TASK_HEADER, request_id.get())


def task_started(task: object = None, kwargs: dict | None = None, **extra: object) -> None:
    request = getattr(task, "request", None)
    rid = getattr(request, TASK_HEADER, None) or getattr(request, "id", None) or "-"
    request_id.set(str(rid))
    user_id.set(str((kwargs or {}).get("user_id") or "-"))


def task_finished(**kwargs: object) -> None:
    request_id.set("-")
    user_id.set("-")


def add_context_to_handlers(logger: logging.Logger | None = None, **kwargs: object) -> None:
    """Celery installs its own handlers in a worker: give them the same fields and format."""
    for handler in (logger.handlers if logger is not None else []):
        if not any(isinstance(f, RequestContextFilter) for f in handler.filters):
            handler.addFilter(RequestContextFilter())
            handler.setFormatter(logging.Formatter(FORMAT))
