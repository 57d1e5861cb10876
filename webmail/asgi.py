"""The ASGI entry point: the event server (`uvicorn webmail.asgi:application`).

Django's ASGI handler runs each request inside its own `ThreadSensitiveContext`, so the
request's synchronous parts (the middleware, the session, the user) get a thread of their
own that lives as long as the request. For a page that is milliseconds; for an event stream
open for minutes it would be one idle thread (~350 KB) per open tab. Streams therefore skip
that context: their short synchronous set-up runs on asgiref's one shared thread, and an open
stream costs a coroutine. Everything else is Django's handler unchanged.
"""
import os
from typing import Any

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webmail.settings")
django_application = get_asgi_application()

EVENTS_PATH = "/events/"


async def application(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "http" and scope.get("path", "").startswith(EVENTS_PATH):
        await django_application.handle(scope, receive, send)
    else:
        await django_application(scope, receive, send)
