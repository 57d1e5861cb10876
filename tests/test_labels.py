"""Labels you can browse: listed with counts, found across folders, shown on the message
page, renamed and deleted everywhere (checked on the real Dovecot)."""
from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlencode

import pytest

from tests.support import imap_direct, new_mail_user, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def _raw(subject: str) -> bytes:
    return f"From: a@example.org\r\nTo: b@example.test\r\nSubject: {subject}\r\n\r\nhi\r\n".encode()


@pytest.fixture
def labelled():
    user = new_mail_user("labels")
    with imap_direct(user) as imap:
        imap.append("INBOX", _raw("one"), flags=["$Work"])
        imap.append("INBOX", _raw("two"), flags=["$Work", "travel"])
        imap.append("Archive", _raw("three"), flags=["$Work", "\\Seen"])
        imap.append("Archive", _raw("four"), flags=[])
    return user


def sign_in(client, user) -> None:
    assert client.post("/accounts/login/", {"email": user.email, "password": user.password}).status_code == 302


def server_with(user, keyword: str) -> dict[str, int]:
    out = {}
    with imap_direct(user) as imap:
        for folder in ("INBOX", "Archive"):
            imap.select_folder(folder, readonly=True)
            out[folder] = len(imap.search(["KEYWORD", keyword]))
    return out


def test_labels_page_lists_labels_with_counts(client, labelled):
    sign_in(client, labelled)
    html = client.get("/labels/").content.decode()
    rows = dict((unescape(n), int(c)) for n, c in re.findall(r'<span class="label-chip[^"]*">([^<]+)</span></a></th>\s*<td>(\d+)</td>', html))
    assert rows == {"$Work": 3, "travel": 1}
    # and the sidebar of every page now lists them, linking to a search of all folders
    html = client.get("/mail/INBOX/").content.decode()
    assert 'href="/mail/search/?q=label%3A%24Work&amp;everywhere=1"' in html


def test_the_sidebar_learns_labels_from_the_list_it_shows(client, labelled):
    sign_in(client, labelled)
    html = client.get("/mail/Archive/").content.decode()
    assert 'data-label="$Work"' in html and 'data-label="travel"' not in html


def test_a_label_lists_its_messages_across_folders(client, labelled):
    sign_in(client, labelled)
    html = client.get("/mail/search/?" + urlencode({"q": "label:$Work", "everywhere": "1"})).content.decode()
    refs = sorted(unescape(r) for r in re.findall(r'data-ref="([^"]+)"', html))
    counts = server_with(labelled, "$Work")
    assert len(refs) == sum(counts.values()) == 3
    assert sum(r.startswith("Archive/") for r in refs) == counts["Archive"]


def test_the_message_page_shows_its_labels(client, labelled):
    sign_in(client, labelled)
    with imap_direct(labelled) as imap:
        imap.select_folder("INBOX", readonly=True)
        uid = imap.search(["KEYWORD", "travel"])[0]
    html = client.get(f"/mail/INBOX/{uid}/").content.decode()
    labels = re.search(r'<p class="message-labels"[^>]*>(.*?)</p>', html, re.S).group(1)
    assert re.findall(r">([^<]+)</a>", labels) == ["$Work", "travel"]


def test_rename_a_label_everywhere(celery_worker, client, labelled):
    sign_in(client, labelled)
    response = client.post("/labels/", {"op": "rename", "label": "$Work", "name": "Job"})
    assert response.status_code == 302
    change_id = response["Location"].split("change=")[1]
    wait_until(lambda: client.get(f"/actions/{change_id}/", HTTP_ACCEPT="application/json").json()["state"] == "done", timeout=60, message="rename")
    assert server_with(labelled, "$Work") == {"INBOX": 0, "Archive": 0}
    assert server_with(labelled, "Job") == {"INBOX": 2, "Archive": 1}
    assert "Done: 3 messages changed." in client.get(response["Location"]).content.decode()


def test_delete_a_label_everywhere_needs_confirmation(celery_worker, client, labelled):
    sign_in(client, labelled)
    client.post("/labels/", {"op": "delete", "label": "$Work"})
    assert server_with(labelled, "$Work") == {"INBOX": 2, "Archive": 1}  # not confirmed: nothing queued
    response = client.post("/labels/", {"op": "delete", "label": "$Work", "confirm": "1"})
    change_id = response["Location"].split("change=")[1]
    wait_until(lambda: client.get(f"/actions/{change_id}/", HTTP_ACCEPT="application/json").json()["state"] == "done", timeout=60, message="delete")
    assert server_with(labelled, "$Work") == {"INBOX": 0, "Archive": 0}
    assert server_with(labelled, "travel") == {"INBOX": 1, "Archive": 0}
    html = client.get("/labels/").content.decode()
    assert "$Work" not in html.split('class="labels-table"')[-1]


def test_system_flags_cannot_be_renamed(client, labelled):
    sign_in(client, labelled)
    client.post("/labels/", {"op": "rename", "label": "\\Seen", "name": "x"})
    with imap_direct(labelled) as imap:
        imap.select_folder("Archive", readonly=True)
        assert len(imap.search(["SEEN"])) == 1


def test_another_person_cannot_see_a_change(client, labelled):
    sign_in(client, labelled)
    response = client.post("/labels/", {"op": "rename", "label": "travel", "name": "trips"})
    change_id = response["Location"].split("change=")[1]
    other = new_mail_user("other")
    client.post("/accounts/logout/")
    sign_in(client, other)
    assert client.get(f"/actions/{change_id}/", HTTP_ACCEPT="application/json").status_code == 404


def test_the_sidebar_learns_labels_from_search_results(client):
    user = new_mail_user("labelsearch")
    with imap_direct(user) as imap:
        imap.append("Archive", _raw("kept"), flags=["found-by-search"])
    sign_in(client, user)
    assert 'data-label="found-by-search"' not in client.get("/mail/INBOX/").content.decode()
    html = client.get("/mail/search/?" + urlencode({"q": "kept"})).content.decode()
    assert 'data-label="found-by-search"' in html
