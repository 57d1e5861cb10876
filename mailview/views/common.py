"""Small helpers every view module uses."""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse

JSON = "application/json"


def wants_json(request: HttpRequest) -> bool:
    """The page's script asked for JSON: its Accept header lists application/json
    (anywhere, e.g. `application/json, text/plain, */*`)."""
    return JSON in request.headers.get("Accept", "")


View = TypeVar("View", bound=Callable[..., HttpResponse])


def json_when_asked(view: View) -> View:
    """A form view that answers with a redirect and flash messages answers a script that asked
    for JSON with what it said instead: `{"ok": no error among them, "messages": [...]}`
    (the messages are taken, so the next page does not show them again). Put it below
    `login_required`, so that a sign-in redirect stays one."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if not wants_json(request) or response.status_code not in (301, 302, 303):
            return response
        said = list(messages.get_messages(request))
        return JsonResponse({"ok": all(m.level < messages.ERROR for m in said), "messages": [str(m) for m in said]})

    return wrapper  # type: ignore[return-value]
