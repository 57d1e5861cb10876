"""Reading preferences change what the list and the message view do."""
from __future__ import annotations

import re

import pytest

from tests.support import imap_direct, new_mail_user

pytestmark = pytest.mark.django_db(transaction=True)

ALTERNATIVE = (
    b"From: a@example.org\r\nSubject: both kinds\r\nMIME-Version: 1.0\r\n"
    b'Content-Type: multipart/alternative; boundary="b"\r\n\r\n'
    b"--b\r\nContent-Type: text/plain\r\n\r\nthe PLAIN version\r\n"
    b"--b\r\nContent-Type: text/html\r\n\r\n<p>the <b>HTML</b> version</p>\r\n--b--\r\n"
)


@pytest.fixture
def person(client):
    user = new_mail_user("prefs")
    with imap_direct(user) as imap:
        imap.append("INBOX", ALTERNATIVE)
        for n in range(30):
            imap.append("INBOX", f"Subject: filler {n}\r\n\r\nx\r\n".encode(), flags=[b"\\Seen"])
    client.post("/accounts/login/", {"email": user.email, "password": user.password})
    return user


def body_of(client, uid: int) -> str:
    page = client.get(f"/mail/INBOX/{uid}/").content.decode()
    src = re.search(r'<iframe class="message-body[^"]*" src="([^"]+)"', page).group(1).replace("&amp;", "&")
    return client.get(src).content.decode()


def test_settings_change_page_size_plain_text_preference_and_mark_read(client, person):
    assert "HTML" in body_of(client, 1)
    response = client.post("/accounts/settings/", {"messages_per_page": 10, "prefer_plain_text": "on"})
    assert response.status_code == 302
    assert "the PLAIN version" in body_of(client, 1)
    assert "Page 1 of 4" in client.get("/mail/INBOX/").content.decode()
    with imap_direct(person) as imap:
        imap.select_folder("INBOX")
        imap.remove_flags([1], [b"\\Seen"])
    client.post("/accounts/settings/", {"messages_per_page": 10})  # mark_read_on_open off
    body_of(client, 1)
    with imap_direct(person) as imap:
        imap.select_folder("INBOX", readonly=True)
        assert b"\\Seen" not in imap.get_flags([1])[1]


def test_page_size_is_bounded(client, person):
    response = client.post("/accounts/settings/", {"messages_per_page": 100000})
    assert response.status_code == 200 and "less than or equal to 200" in response.content.decode()
