"""Where a request's time goes: the mail server, the database, and everything else.

`ServerTimingMiddleware` sends it as a `Server-Timing` header, which browsers show in
their developer tools and the benchmark reads to split an open into IMAP and app time.
Recording is a no-op outside a measured request (Celery tasks, the pool's reaper).
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse


class Timings:
    """Seconds and counts per kind of work, for one request."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}
        self.count: dict[str, int] = {}

    def add(self, name: str, seconds: float) -> None:
        self.spent[name] = self.spent.get(name, 0.0) + seconds
        self.count[name] = self.count.get(name, 0) + 1

    def header(self, total: float) -> str:
        parts = [f'{name};dur={seconds * 1000:.2f};desc="{self.count[name]}"' for name, seconds in sorted(self.spent.items())]
        parts.append(f"app;dur={total * 1000:.2f}")
        return ", ".join(parts)


_current: ContextVar[Timings | None] = ContextVar("webmail_request_timings", default=None)


def current_timings() -> Timings | None:
    """The current request's timings, when one is measured."""
    return _current.get()


def start_timings(timings: Timings) -> Token[Timings | None]:
    """Measure the rest of this request into `timings` (the JSON request log, without Server-Timing)."""
    return _current.set(timings)


def stop_timings(token: Token[Timings | None]) -> None:
    _current.reset(token)


@contextmanager
def timed(name: str) -> Iterator[None]:
    """Count the block's time under `name` for the current request, if one is measured."""
    timings = _current.get()
    if timings is None:
        yield
        return
    start = time.perf_counter()
    try:
        yield
    finally:
        timings.add(name, time.perf_counter() - start)


def _timed_query(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict) -> Any:
    with timed("db"):
        return execute(sql, params, many, context)


class ServerTimingMiddleware:
    """Adds `Server-Timing: db;dur=…, imap;dur=…, app;dur=…` (milliseconds; desc is the
    number of queries or IMAP commands). Enabled by WEBMAIL_SERVER_TIMING."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timings = Timings()
        token = _current.set(timings)
        start = time.perf_counter()
        try:
            with connection.execute_wrapper(_timed_query):
                response = self.get_response(request)
        finally:
            _current.reset(token)
        response["Server-Timing"] = timings.header(time.perf_counter() - start)
        return response
