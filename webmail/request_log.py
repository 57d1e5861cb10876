"""Every log line names the request and the user it happened for.

A request gets an id (the proxy's `X-Request-ID` when it sends a sane one, else a new one),
sent back as `X-Request-ID`, so a person's "it failed at 10:42" finds the server's line. The
id travels with the tasks the request queues, so a task's failure carries it too. Lines get
`req=<id> user=<primary key>` (`-` outside a request or for a visitor); never an address or
a password.
"""
from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

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


# Fields a JSON line may carry besides the standard ones (`extra=` of the request and task
# lines); anything else a library attaches to a record is left out, so nothing unvetted leaks.
JSON_FIELDS = ("method", "path", "status", "duration_ms", "imap_ms", "imap_commands", "db_ms", "task", "task_id", "outcome")


class JsonFormatter(logging.Formatter):
    """One JSON object per line (`WEBMAIL_LOG_FORMAT=json`): time, level, logger, process,
    request and user id, message, and the request's or task's fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "process": record.process,
            "request_id": getattr(record, "request_id", request_id.get()),
            "user_id": getattr(record, "user_id", user_id.get()),
            "message": record.getMessage(),
        }
        for name in JSON_FIELDS:
            if name in record.__dict__:
                line[name] = record.__dict__[name]
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def make_formatter() -> logging.Formatter:
    from django.conf import settings

    return JsonFormatter() if getattr(settings, "WEBMAIL_LOG_FORMAT", "text") == "json" else logging.Formatter(FORMAT)


access_log = logging.getLogger("webmail.access")
task_log = logging.getLogger("webmail.task")


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


class AccessLogMiddleware:
    """Counts every answer by status (for /metrics) and, with `WEBMAIL_LOG_FORMAT=json`, logs one
    line per request: method, path without the query string, status, duration, IMAP time.
    Never a body, a query string or a header: a sign-in POST logs no password."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings

        from webmail import metrics, timing

        as_json = settings.WEBMAIL_LOG_FORMAT == "json"
        start = time.perf_counter()
        timings = timing.current_timings()
        token = None
        if timings is None and as_json:  # Server-Timing off: measure here
            timings = timing.Timings()
            token = timing.start_timings(timings)
        try:
            response = self.get_response(request)
        finally:
            if token is not None:
                timing.stop_timings(token)
        metrics.count("http", str(response.status_code))
        if as_json:
            user = getattr(request, "user", None)
            if user is not None and getattr(user, "is_authenticated", False):
                user_id.set(str(user.pk))  # signed in by this very request
            spent = timings.spent if timings is not None else {}
            counted = timings.count if timings is not None else {}
            access_log.info(
                "request",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - start) * 1000, 2),
                    "imap_ms": round(spent.get("imap", 0.0) * 1000, 2),
                    "imap_commands": counted.get("imap", 0),
                    **({"db_ms": round(spent["db"] * 1000, 2)} if "db" in spent else {}),
                },
            )
        return response


# -- Celery: the id travels with the task, the user is the task's `user_id` argument ----------


_task_started_at: dict[str, float] = {}


def task_published(headers: dict | None = None, **kwargs: object) -> None:
    if headers is None:
        return
    from webmail.metrics import PUBLISHED_AT_HEADER

    headers.setdefault(PUBLISHED_AT_HEADER, time.time())  # /metrics: the oldest waiting task's age
    if request_id.get() != "-":
        headers.setdefault(TASK_HEADER, request_id.get())


def task_started(task: object = None, kwargs: dict | None = None, **extra: object) -> None:
    request = getattr(task, "request", None)
    rid = getattr(request, TASK_HEADER, None) or getattr(request, "id", None) or "-"
    request_id.set(str(rid))
    user_id.set(str((kwargs or {}).get("user_id") or "-"))
    task_id = extra.get("task_id")
    if task_id:
        _task_started_at[str(task_id)] = time.perf_counter()


def task_finished(task: object = None, task_id: object = None, state: object = None, **kwargs: object) -> None:
    """One line per task (JSON format: name, id, user, duration, outcome) and a count for /metrics."""
    from django.conf import settings

    from webmail import metrics

    started = _task_started_at.pop(str(task_id), None)
    name = str(getattr(task, "name", "?"))
    outcome = str(state or "UNKNOWN")
    metrics.count("task", name, outcome)
    if settings.WEBMAIL_LOG_FORMAT == "json":
        task_log.info(
            "task",
            extra={
                "task": name,
                "task_id": str(task_id or "-"),
                "outcome": outcome,
                **({"duration_ms": round((time.perf_counter() - started) * 1000, 2)} if started is not None else {}),
            },
        )
    request_id.set("-")
    user_id.set("-")


def add_context_to_handlers(logger: logging.Logger | None = None, **kwargs: object) -> None:
    """Celery installs its own handlers in a worker: give them the same fields and format."""
    for handler in (logger.handlers if logger is not None else []):
        if not any(isinstance(f, RequestContextFilter) for f in handler.filters):
            handler.addFilter(RequestContextFilter())
            handler.setFormatter(make_formatter())
