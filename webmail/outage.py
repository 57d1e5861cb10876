"""Redis and the task queue going away: noticed once, logged once, answered with a 503 page.

Redis holds the cache, the sign-in limits, the pool's connection budget and (by default)
Celery's queue. When it is unreachable, pages that need it answer a translated "temporarily
unavailable" page (503 with `Retry-After`) instead of a bare 500, sessions fall back to the
database (`webmail.sessions`), and each process logs one line when the outage starts and one
when it ends, not a traceback per request.
"""
from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable

import redis
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.defaults import server_error as django_server_error
from kombu.exceptions import OperationalError as BrokerError

log = logging.getLogger("webmail.outage")

# A refused or timed-out connection, or a Redis still loading its data after a restart.
REDIS_ERRORS: tuple[type[BaseException], ...] = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
RETRY_AFTER = 30  # seconds: a restart of Redis takes a few
PROBE_INTERVAL = 1.0  # while down, look whether it is back at most this often per process


class ServiceHealth:
    """Up or down, as this process last saw it; the transitions are logged, nothing else."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._lock = threading.Lock()
        self.down_since: float | None = None
        self._last_probe = 0.0
        self._on_recovered: list[Callable[[], None]] = []

    def on_recovered(self, hook: Callable[[], None]) -> None:
        """Run `hook` (once, in the thread that noticed) each time the service is back."""
        self._on_recovered.append(hook)

    def is_down(self) -> bool:
        return self.down_since is not None

    def failed(self, exc: BaseException) -> None:
        if self.down_since is not None:
            return
        with self._lock:
            if self.down_since is None:
                self.down_since = time.monotonic()
                self._last_probe = self.down_since
                cause = _root_cause(exc)
                detail = " ".join(str(cause).split())  # one line, whatever the library wrote
                log.error("%s unreachable (%s: %s); pages that need it answer 503 until it is back", self.name, type(cause).__name__, detail)

    def recovered(self) -> None:
        if self.down_since is None:
            return
        with self._lock:
            if self.down_since is None:
                return
            log.warning("%s reachable again after %.0f s", self.name, time.monotonic() - self.down_since)
            self.down_since = None
        for hook in self._on_recovered:
            try:
                hook()
            except Exception:
                log.exception("after %s came back", self.name)

    def probe_due(self) -> bool:
        """True (at most once per PROBE_INTERVAL) while down: time to check whether it is back."""
        if self.down_since is None:
            return False
        now = time.monotonic()
        with self._lock:
            if now - self._last_probe < PROBE_INTERVAL:
                return False
            self._last_probe = now
            return True


redis_health = ServiceHealth("Redis")
broker_health = ServiceHealth("Task queue (Celery broker)")


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and what caused it (Celery wraps a dead result store in a RuntimeError)."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen and len(seen) < 8:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _root_cause(exc: BaseException) -> BaseException:
    """The connection error itself, not a library's wrapper around it."""
    wanted = (*REDIS_ERRORS, BrokerError)
    return next((e for e in _chain(exc) if isinstance(e, wanted)), exc)


def is_broker_error(exc: BaseException) -> bool:
    return any(isinstance(e, BrokerError) for e in _chain(exc))


def is_redis_error(exc: BaseException) -> bool:
    return not is_broker_error(exc) and any(isinstance(e, REDIS_ERRORS) for e in _chain(exc))


def _is_queue_error(exc: BaseException) -> bool:
    """Raised while handing a task to Celery (its broker or result store is Redis too)."""
    import traceback

    return any("celery" in frame.filename or "kombu" in frame.filename for frame in traceback.extract_tb(exc.__traceback__))


def note_failure(exc: BaseException) -> None:
    """Record an outage error (whichever service it came from)."""
    if is_broker_error(exc) or _is_queue_error(exc):
        broker_health.failed(exc)
    else:
        redis_health.failed(exc)


def probe() -> None:
    """While a service is marked down, check (rarely) whether it is back, so the "back" line is
    logged and the session cache is used again."""
    if redis_health.probe_due():
        from webmail.redis_client import get_redis

        try:
            get_redis().ping()
        except REDIS_ERRORS:
            pass
        else:
            redis_health.recovered()
    if broker_health.probe_due():
        from webmail.celery import app

        try:
            with app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
        except Exception:  # noqa: BLE001 - still down, whatever the transport says
            pass
        else:
            broker_health.recovered()


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """The translated "temporarily unavailable, nothing was lost, try again" answer (503)."""
    message = _(
        "Part of the service is down for a moment. Nothing you saved before is lost; what you just did was not done. Please try again in a minute."
    )
    response: HttpResponse
    if request.headers.get("Accept", "").startswith("application/json"):
        response = JsonResponse({"error": _("Temporarily unavailable: not done. Please try again in a minute.")}, status=503)
    else:
        try:
            response = render(request, "503.html", {"message": message}, status=503)
        except Exception:  # noqa: BLE001 - the page itself must not fail over what is down
            response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    # One line per outage is logged by ServiceHealth; not another one per request.
    response._has_been_logged = True  # type: ignore[attr-defined]  # noqa: SLF001 - Django's marker
    return response


class OutageMiddleware:
    """Answers Redis and broker errors raised by views with the 503 page, and notices recovery."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe()
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not (is_redis_error(exception) or is_broker_error(exception)):
            return None
        note_failure(exception)
        return unavailable_response(request)


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """handler500: a Redis or broker error raised outside a view (in a middleware) still gets
    the 503 page; anything else the plain 500 page, which needs no context or database."""
    exc = sys.exc_info()[1]
    if exc is not None and (is_redis_error(exc) or is_broker_error(exc)):
        note_failure(exc)
        try:
            return unavailable_response(request)
        except Exception:  # noqa: BLE001 - fall through to the plain page
            pass
    return django_server_error(request, template_name=template_name)


class WorkerReconnectLogFilter(logging.Filter):
    """For a Celery worker's log: its consumer logs every reconnect attempt while the broker is
    down (a traceback for the first). Keep one line when the outage starts (no traceback) and
    the "Connected to" line when it ends."""

    _DOWN = ("consumer: Connection to broker lost", "consumer: Cannot connect to", "Trying again")

    def __init__(self) -> None:
        super().__init__()
        self.down = False

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith("celery.worker.consumer"):
            return True
        message = record.getMessage()
        if message.startswith(self._DOWN):
            if self.down:
                return False
            self.down = True
            record.msg, record.args = "Task queue (Celery broker) unreachable: " + " ".join(message.split()), ()
            record.exc_info = record.exc_text = None
            return True
        if message.startswith("Connected to"):
            self.down = False
        return True


def quiet_worker_reconnects(logger: logging.Logger | None = None, **kwargs: object) -> None:
    for handler in (logger.handlers if logger is not None else []):
        if not any(isinstance(f, WorkerReconnectLogFilter) for f in handler.filters):
            handler.addFilter(WorkerReconnectLogFilter())
