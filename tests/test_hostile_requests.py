"""Hostile or malformed requests get a clear answer (4xx or a page), never a 500."""
from __future__ import annotations

import pytest

from tests.support import append_message, imap_direct

pytestmark = pytest.mark.django_db(transaction=True)

GETS = [
    "/mail/%00/",
    "/mail/%FF%FE/",
    "/mail/INBOX%0D%0AA1%20DELETE%20INBOX/",
    "/mail/" + "A" * 5000 + "/",
    "/mail/INBOX/99999999999999999999/",
    "/mail/INBOX/1/part/" + ".".join(["1"] * 40) + "/",
    "/mail/INBOX/1/part/0/",
    "/mail/INBOX/1/part/1/?t=garbage",
    "/mail/INBOX/1/body/?v=notanumber&images=1",
    "/mail/INBOX/1/body/?v=99999999999999999999999",
    "/mail/INBOX/?page=1e9&sort=size&order=asc",
    "/mail/INBOX/?q=%00",
    "/mail/INBOX/?q=" + "x" * 5000,
    "/mail/INBOX/?all_folders=%0A",
    "/mail/%2E%2E/",
    "/mail/INBOX/1/raw/?download=%0D%0A",
    "/folders/tree/?current=%3Cscript%3E",
    "/actions/not-an-action/",
    "/mail/compose/?reply=INBOX/abc",
    "/mail/compose/?forward=%00/1",
    "/mail/compose/?reply_all=NoSuchFolder/5",
]
POSTS = [
    ("/actions/", {"action": "move", "folder": "INBOX", "uid": ["1"], "target": "a\r\nb"}),
    ("/actions/", {"action": "flag", "folder": "INBOX", "uid": ["0", "-1", "x"]}),
    ("/actions/", {"action": "label_add", "folder": "INBOX", "uid": ["1"], "keyword": "bad label\r\n"}),
    ("/actions/", {"action": "explode", "folder": "INBOX", "uid": ["1"]}),
    ("/actions/", {"folder": "\x00"}),
    ("/folders/", {"op": "create", "name": "x\r\ny"}),
    ("/folders/", {"op": "rename", "folder": "\x00", "name": "y"}),
    ("/folders/", {"op": "delete", "folder": "INBOX", "confirm": "1"}),
    ("/accounts/settings/", {"messages_per_page": "-5"}),
]


@pytest.fixture
def person(signed_in, mail_user):
    with imap_direct(mail_user) as imap:
        append_message(imap, "INBOX", subject="one")
    return signed_in, mail_user


@pytest.mark.parametrize("url", GETS, ids=range(len(GETS)))
def test_hostile_gets_never_500(person, url):
    client, _ = person
    response = client.get(url)
    assert response.status_code < 500 or response.status_code == 503, (url, response.status_code)
    assert client.get("/mail/INBOX/").status_code == 200  # and the session still works


@pytest.mark.parametrize(("url", "data"), POSTS, ids=range(len(POSTS)))
def test_hostile_posts_never_500(person, url, data):
    client, user = person
    response = client.post(url, data, HTTP_ACCEPT="application/json")
    assert response.status_code < 500, (url, data, response.status_code)
    with imap_direct(user) as imap:
        assert imap.folder_status("INBOX", ["MESSAGES"])[b"MESSAGES"] == 1  # nothing was lost


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", "/\\evil.example/", "javascript:alert(1)"])
def test_a_form_cannot_send_the_user_off_site(person, next_url):
    client, _ = person
    response = client.post("/actions/", {"action": "flag", "folder": "INBOX", "uid": ["1"], "next": next_url})
    assert response.status_code == 302 and response["Location"] == "/mail/INBOX/"
    assert client.post("/actions/", {"action": "flag", "folder": "INBOX", "uid": ["1"], "next": "/mail/INBOX/?page=2"})["Location"] == "/mail/INBOX/?page=2"
