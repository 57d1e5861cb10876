"""What the IMAP error middleware answers for each kind of mail-server trouble (pure: a
request object and an exception, no server)."""
from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from mailview.imap import ImapProtocolError, ImapResponseTooLarge
from webmail.middleware import ImapErrorMiddleware


def answer(exception: Exception):
    request = RequestFactory().get("/mail/INBOX/", HTTP_ACCEPT="application/json")
    request.user = AnonymousUser()
    return ImapErrorMiddleware(lambda r: None).process_exception(request, exception)


def test_an_answer_too_large_says_so_instead_of_try_again():
    response = answer(ImapResponseTooLarge("got more than 1000000 bytes"))
    assert response.status_code == 502
    error = json.loads(response.content)["error"]
    assert "larger than this webmail reads" in error and "try again" not in error.lower()


@pytest.mark.parametrize("exception", [ImapProtocolError("BAD nonsense")])
def test_another_unusable_answer_still_asks_to_try_again(exception):
    response = answer(exception)
    assert response.status_code == 502 and "try again" in json.loads(response.content)["error"].lower()


def test_an_error_asked_for_the_reading_pane_may_be_shown_there():
    from mailview.imap import MessageNotFound

    request = RequestFactory().get("/mail/INBOX/7/?pane=1", HTTP_ACCEPT="text/html")
    request.user = AnonymousUser()
    request.session = {}
    response = ImapErrorMiddleware(lambda r: None).process_exception(request, MessageNotFound("7"))
    assert response.status_code == 404
    assert response["X-Frame-Options"] == "SAMEORIGIN" and response.frame_ancestors_self is True
