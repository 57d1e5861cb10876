"""From a message: back to the list it came from, to the previous and next message in
that list's order, and filing it (real Dovecot, real Celery worker)."""
from __future__ import annotations

import json
import re
from html import unescape

import pytest

from tests.support import append_message, imap_direct, new_mail_user, wait_until

pytestmark = pytest.mark.django_db(transaction=True)

SUBJECTS = ["Kiwi tagged", "apple", "Mango", "banana", "Cherry", "date", "Elder tagged"]


@pytest.fixture
def reader(client):
    person = new_mail_user("stepper")
    with imap_direct(person) as imap:
        for subject in SUBJECTS:
            append_message(imap, "INBOX", subject=subject, seen=True)
        append_message(imap, "INBOX", subject="zz only match", seen=True)
    assert client.post("/accounts/login/", {"email": person.email, "password": person.password}).status_code == 302
    return client, person


def server_order(person, *criteria: str) -> list[int]:
    """The list's order, asked independently."""
    with imap_direct(person) as imap:
        imap.select_folder("INBOX", readonly=True)
        return [int(u) for u in imap.sort(list(criteria))]


def step(client, uid: int, direction: str) -> str:
    response = client.get(f"/mail/INBOX/{uid}/{direction}/")
    assert response.status_code == 302
    return response["Location"]


def test_next_and_previous_follow_the_default_list_order(reader):
    client, person = reader
    order = server_order(person, "ARRIVAL")[::-1]  # newest first, same-second arrivals too
    client.get("/mail/INBOX/")
    middle = order[3]
    assert step(client, middle, "next") == f"/mail/INBOX/{order[4]}/"
    assert step(client, middle, "previous") == f"/mail/INBOX/{order[2]}/"


def test_stepping_follows_the_sort_and_search_the_list_showed(reader):
    client, person = reader
    by_subject = server_order(person, "SUBJECT")
    client.get("/mail/INBOX/?sort=subject&order=asc")
    assert [step(client, uid, "next") for uid in by_subject[:-1]] == [f"/mail/INBOX/{uid}/" for uid in by_subject[1:]]
    page = client.get(f"/mail/INBOX/{by_subject[0]}/").content.decode()
    assert 'href="/mail/INBOX/?sort=subject&amp;order=asc" class="back-link"' in page

    client.get("/mail/INBOX/?q=tagged")  # the first and the last to arrive
    with imap_direct(person) as imap:
        imap.select_folder("INBOX", readonly=True)
        hits = [int(u) for u in imap.sort(["ARRIVAL"], ["SUBJECT", "tagged"])][::-1]
    assert len(hits) == 2
    assert step(client, hits[0], "next") == f"/mail/INBOX/{hits[1]}/"  # not one of the five between them


def test_at_either_end_the_message_stays_with_a_note(reader):
    client, person = reader
    order = server_order(person, "ARRIVAL")[::-1]  # newest first, same-second arrivals too
    client.get("/mail/INBOX/")
    assert step(client, order[-1], "next") == f"/mail/INBOX/{order[-1]}/"
    page = client.get(f"/mail/INBOX/{order[-1]}/").content.decode()
    assert "There is no other message in that direction." in page
    assert step(client, order[0], "previous") == f"/mail/INBOX/{order[0]}/"


def test_the_way_back_keeps_the_page(client):
    person = new_mail_user("pager")
    with imap_direct(person) as imap:
        for n in range(12):
            append_message(imap, "INBOX", subject=f"Page test {n}", seen=True)
    client.post("/accounts/login/", {"email": person.email, "password": person.password})
    assert client.post("/accounts/settings/", {"messages_per_page": "10", "mark_read_on_open": "on"}).status_code == 302
    listed = client.get("/mail/INBOX/?page=2").content.decode()
    uid = re.search(r'<a href="/mail/INBOX/(\d+)/">', listed).group(1)
    page = client.get(f"/mail/INBOX/{uid}/").content.decode()
    assert 'href="/mail/INBOX/?page=2" class="back-link"' in page
    # Another folder's list was seen last: back to INBOX's first page.
    client.get("/mail/Trash/")
    assert 'href="/mail/INBOX/" class="back-link"' in client.get(f"/mail/INBOX/{uid}/").content.decode()


def test_filing_from_the_message_page_without_script(reader, celery_worker):
    client, person = reader
    client.get("/mail/INBOX/?sort=subject&order=asc")
    uid = server_order(person, "SUBJECT")[0]
    page = client.get(f"/mail/INBOX/{uid}/").content.decode()
    form = re.search(r'<form id="message-form"(.*?)</form>', page, re.S).group(1)
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    assert fields["uid"] == str(uid) and unescape(fields["next"]) == "/mail/INBOX/?sort=subject&order=asc"
    response = client.post("/actions/", {**{k: unescape(v) for k, v in fields.items()}, "action": "archive"})
    assert response.status_code == 302 and response["Location"] == "/mail/INBOX/?sort=subject&order=asc"
    wait_until(lambda: uid not in server_order(person, "ARRIVAL"), timeout=30, message="archived on the server")
    with imap_direct(person) as imap:
        assert imap.folder_status("Archive", ["MESSAGES"])[b"MESSAGES"] == 1


def test_a_message_gone_meanwhile_has_no_neighbours_but_no_error(reader):
    client, person = reader
    order = server_order(person, "ARRIVAL")[::-1]  # newest first, same-second arrivals too
    client.get("/mail/INBOX/")
    with imap_direct(person) as imap:
        imap.select_folder("INBOX")
        imap.delete_messages([order[2]])
        imap.uid_expunge([order[2]])
    assert step(client, order[2], "next") == f"/mail/INBOX/{order[2]}/"
    assert client.get(f"/mail/INBOX/{order[2]}/").status_code == 404


def test_what_the_scripts_say_is_translated_data_not_code(reader):
    client, person = reader
    uid = server_order(person, "ARRIVAL")[0]
    for url in ("/mail/INBOX/", f"/mail/INBOX/{uid}/"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
        block = re.search(r'<script id="script-texts" type="application/json">(.*?)</script>', page, re.S)
        assert block, url
        texts = json.loads(block.group(1))
        assert texts["done"]["archive"] == "Archiviert." and texts["notDone"] == "Nicht ausgeführt: %s"
    assert "Zurück zur Liste (u)" in page and "Nächste Nachricht (j)" in page


def test_in_sent_the_recipient_column_sorts_by_recipient(client):
    person = new_mail_user("sender")
    recipients = ["Zed Last <a@example.org>", "Anna First <z@example.org>", "Mia Middle <m@example.org>"]
    with imap_direct(person) as imap:
        for n, to in enumerate(recipients):
            raw = f"From: {person.email}\r\nTo: {to}\r\nSubject: Sent {n}\r\nDate: Tue, 01 Dec 2026 10:0{n}:00 +0000\r\n\r\nHi\r\n"
            imap.append("Sent", raw.encode(), flags=[b"\\Seen"])
        imap.select_folder("Sent", readonly=True)
        by_name = [int(u) for u in imap.sort(["DISPLAYTO"])]
    assert client.post("/accounts/login/", {"email": person.email, "password": person.password}).status_code == 302
    page = client.get("/mail/Sent/?sort=from&order=asc").content.decode()
    shown = [int(u) for u in re.findall(r'<a href="/mail/Sent/(\d+)/">', page)]
    assert shown == by_name  # Anna, Mia, Zed: by the names the column shows, not by the sender (all the same)
    assert client.get(f"/mail/Sent/{by_name[0]}/next/")["Location"] == f"/mail/Sent/{by_name[1]}/"
