"""A message body is cached once for every language: the words around the mail (the
folded quote's label) are put in per request, in the reader's language."""
from __future__ import annotations

import re

import pytest
from django.utils import translation

from tests.support import imap_direct, new_mail_user

pytestmark = pytest.mark.django_db(transaction=True)

QUOTED = (
    "From: Bob <bob@example.org>\r\nTo: x@example.test\r\nSubject: Re: plans\r\n"
    "Message-ID: <quoted-1@example.org>\r\nDate: Tue, 01 Dec 2026 10:00:00 +0000\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n\r\n"
    "Sounds good.\r\n\r\n> Shall we meet on Monday?\r\n> At ten.\r\n"
)


def test_a_cached_body_shows_the_quote_label_in_each_readers_language(client):
    user = new_mail_user("lang")
    with imap_direct(user) as imap:
        imap.append("INBOX", QUOTED.encode())
        imap.select_folder("INBOX", readonly=True)
        uid = int(imap.search(["ALL"])[0])
    assert client.post("/accounts/login/", {"email": user.email, "password": user.password}).status_code == 302
    page = client.get(f"/mail/INBOX/{uid}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    body_url = re.search(r'<iframe class="message-body[^"]*" src="([^"]+)"', page)[1].replace("&amp;", "&")
    assert "v=" in body_url  # the body request is answered from the cache

    with translation.override("en"):  # the German request must not leave German active for later tests
        english = client.get(body_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        german = client.get(body_url, HTTP_ACCEPT_LANGUAGE="de").content.decode()

    assert '<details class="quoted"><summary>Show quoted text</summary>' in english
    assert '<details class="quoted"><summary>Zitierten Text anzeigen</summary>' in german
    assert "Show quoted text" not in german
    assert "Shall we meet on Monday?" in german
