"""The server's side of the reading pane moving on after a message is filed (real Dovecot): a
conversation opens in the pane like a message; the message page asks where the next message is
before it files one; the pane's snooze is answered in JSON. The flows themselves are in
tests/browser/test_reading_pane_browser.py."""
from __future__ import annotations

import uuid

import pytest

from tests.support import append_message, imap_direct, new_mail_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def reader(client):
    """Signed in, with three messages and a conversation of two (newest last)."""
    person = new_mail_user("panenext")
    root = f"root-{uuid.uuid4().hex}@example.org"
    with imap_direct(person) as imap:
        for n in range(3):
            append_message(imap, "INBOX", subject=f"Note {n}", seen=True)
        imap.append("INBOX", f"From: Ann <ann@example.org>\r\nSubject: Trip\r\nMessage-ID: <{root}>\r\n\r\nGo?\r\n".encode())
        imap.append("INBOX", f"From: Bo <bo@example.org>\r\nSubject: Re: Trip\r\nReferences: <{root}>\r\n\r\nYes.\r\n".encode())
    assert client.post("/accounts/login/", {"email": person.email, "password": person.password}).status_code == 302
    return client, person


def newest_first(person) -> list[int]:
    with imap_direct(person) as imap:
        imap.select_folder("INBOX", readonly=True)
        return [int(u) for u in imap.sort(["ARRIVAL"])][::-1]


def test_a_conversation_opens_in_the_reading_pane_framable_by_the_app_only(reader):
    client, person = reader
    first = newest_first(person)[0]  # "Re: Trip": any message of a conversation opens it
    full = client.get(f"/mail/INBOX/thread/{first}/")
    assert full.status_code == 200 and full["X-Frame-Options"] == "DENY"
    pane = client.get(f"/mail/INBOX/thread/{first}/?pane=1")
    assert pane.status_code == 200
    page = pane.content.decode()
    assert 'id="conversation-form"' in page and 'class="topbar"' not in page and 'class="app in-pane"' in page
    assert "frame-ancestors 'self'" in pane["Content-Security-Policy"] and pane["X-Frame-Options"] == "SAMEORIGIN"
    assert 'class="back-link" data-back title="Back to the list (u)" target="_top"' in page  # the list: the whole window


def test_the_message_page_is_told_its_next_message_as_data(reader):
    client, person = reader
    order = newest_first(person)
    client.get("/mail/INBOX/?view=flat")
    asked = client.get(f"/mail/INBOX/{order[1]}/next/", HTTP_ACCEPT="application/json")
    assert asked.status_code == 200 and asked.json() == {"url": f"/mail/INBOX/{order[2]}/"}
    assert client.get(f"/mail/INBOX/{order[1]}/next/?pane=1", HTTP_ACCEPT="application/json").json() == {"url": f"/mail/INBOX/{order[2]}/?pane=1"}
    assert client.get(f"/mail/INBOX/{order[-1]}/next/", HTTP_ACCEPT="application/json").json() == {"url": None}
    # Asking leaves no note for the next page (only a person stepping past the end gets one).
    assert "There is no other message in that direction." not in client.get(f"/mail/INBOX/{order[-1]}/").content.decode()


def test_snoozing_answers_the_pane_in_json_and_says_what_happened(reader):
    client, person = reader
    uid = newest_first(person)[-1]
    done = client.post("/snooze/", {"folder": "INBOX", "uid": [uid], "choice": "tomorrow", "next": "/mail/INBOX/"}, HTTP_ACCEPT="application/json")
    assert done.status_code == 200 and done.json() == {"ok": True, "messages": ["1 message snoozed."]}
    assert uid not in newest_first(person)
    refused = client.post(
        "/snooze/", {"folder": "INBOX", "uid": [newest_first(person)[0]], "choice": "custom", "custom": "2001-01-01T08:00", "next": "/mail/INBOX/"},
        HTTP_ACCEPT="application/json",
    )
    assert refused.status_code == 200 and refused.json()["ok"] is False and refused.json()["messages"]
    # Said once: the next page does not say it again.
    assert "1 message snoozed." not in client.get("/mail/INBOX/").content.decode()
    # A form without script still gets its redirect.
    plain = client.post("/snooze/", {"folder": "INBOX", "uid": [newest_first(person)[0]], "choice": "tomorrow", "next": "/mail/INBOX/"})
    assert plain.status_code == 302 and plain["Location"] == "/mail/INBOX/"
