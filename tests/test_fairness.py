"""One browser session's burst is refused at the door, so it cannot queue in front of everyone."""
from __future__ import annotations

import threading

from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory

from tests.support import wait_until
from webmail.middleware import SessionConcurrencyMiddleware


def test_past_the_sessions_share_of_a_process_one_more_request_is_refused_at_once_and_others_pass():
    release = threading.Event()
    entered: list[str] = []

    def view(request):  # type: ignore[no-untyped-def]
        entered.append(request.COOKIES[settings.SESSION_COOKIE_NAME])
        release.wait(60)  # a request holding its server thread (say, waiting for IMAP)
        return HttpResponse("ok")

    door = SessionConcurrencyMiddleware(view)
    limit = settings.WEBMAIL_POOL_PER_PROCESS + settings.WEBMAIL_POOL_MAX_WAITERS
    factory = RequestFactory()

    def request(session: str):  # type: ignore[no-untyped-def]
        r = factory.get("/mail/INBOX/")
        r.COOKIES[settings.SESSION_COOKIE_NAME] = session
        return r

    busy = [threading.Thread(target=door, args=(request("alice-session"),), daemon=True) for _ in range(limit)]
    try:
        for t in busy:
            t.start()
        wait_until(lambda: len(entered) == limit, message="alice's requests to be in their views")
        refused = door(request("alice-session"))  # returns without entering the view: no wait
        assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
        assert entered.count("alice-session") == limit
        # Another person's request goes through meanwhile (it reaches its view).
        other = threading.Thread(target=door, args=(request("bob-session"),), daemon=True)
        other.start()
        wait_until(lambda: "bob-session" in entered, message="bob's request to reach its view")
    finally:
        release.set()
        for t in busy:
            t.join(10)
    # Once alice's requests are done, hers are let in again.
    release.clear()
    release.set()
    assert door(request("alice-session")).status_code == 200
