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


NO_TEXT = (
    "From: Bob <bob@example.org>\r\nTo: x@example.test\r\nSubject: only a file\r\n"
    "Message-ID: <no-text-1@example.org>\r\nDate: Tue, 01 Dec 2026 10:00:00 +0000\r\n"
    'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n'
    '--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename="a.pdf"\r\n'
    "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b--\r\n"
)
FORWARDED = (
    "From: Bob <bob@example.org>\r\nTo: x@example.test\r\nSubject: Fwd: minutes\r\n"
    "Message-ID: <fwd-1@example.org>\r\nDate: Tue, 01 Dec 2026 10:00:00 +0000\r\n"
    'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n'
    "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee below.\r\n"
    "--b\r\nContent-Type: message/rfc822\r\n\r\n"
    "From: Carol <carol@example.org>\r\nTo: Bob <bob@example.org>\r\nSubject: minutes\r\n"
    "Date: Mon, 30 Nov 2026 09:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe minutes.\r\n"
    "--b--\r\n"
)


def _bodies_in_both_languages(client, raw: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """The cached body document of `raw`, rendered for an English reader first, then read
    by an English and a German one."""
    user = new_mail_user("lang")
    with imap_direct(user) as imap:
        imap.append("INBOX", raw.encode())
        imap.select_folder("INBOX", readonly=True)
        uid = int(imap.search(["ALL"])[0])
    assert client.post("/accounts/login/", {"email": user.email, "password": user.password}).status_code == 302
    with translation.override("en"):
        page = client.get(f"/mail/INBOX/{uid}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        body_url = re.search(r'<iframe class="message-body[^"]*" src="([^"]+)"', page)[1].replace("&amp;", "&")
        english = client.get(body_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        german = client.get(body_url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    return english, german


def test_the_no_text_note_is_in_each_readers_language(client):
    english, german = _bodies_in_both_languages(client, NO_TEXT)
    assert '<p class="no-body">This message has no text.</p>' in english
    assert '<p class="no-body">Diese Nachricht enthält keinen Text.</p>' in german
    assert "This message has no text." not in german


def test_a_forwarded_messages_header_labels_are_in_each_readers_language(client):
    english, german = _bodies_in_both_languages(client, FORWARDED)
    labels = re.compile(r"<th[^>]*>([^<]*)</th>")
    assert labels.findall(english) == ["From", "To", "Subject", "Date"]
    assert labels.findall(german) == ["Von", "An", "Betreff", "Datum"]
    assert "The minutes." in german
