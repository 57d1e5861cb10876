"""Small helpers every view module uses."""
from __future__ import annotations

from django.http import HttpRequest

JSON = "application/json"


def wants_json(request: HttpRequest) -> bool:
    """The page's script asked for JSON: its Accept header lists application/json
    (anywhere, e.g. `application/json, text/plain, */*`)."""
    return JSON in request.headers.get("Accept", "")
