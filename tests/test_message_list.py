"""The message list against a generated folder, checked with an independent imapclient query."""
from __future__ import annotations

import re
import subprocess
import sys
from html import unescape

import pytest

from mailview.imap import get_pool
from tests.support import REPO, DovecotLog, imap_direct, new_mail_user

pytestmark = pytest.mark.django_db(transaction=True)
COUNT = 230
ROW = re.compile(r'<tr class="message([^"]*)" data-uid="(\d+)"[^>]*>(.*?)</tr>', re.S)


@pytest.fixture(scope="module")
def generated_user():
    user = new_mail_user("lister")
    subprocess.run(
        [sys.executable, str(REPO / "scripts" / "mailgen.py"), "seed", "--user", user.email, "--count", str(COUNT), "--seed", "7", "--big-attachments", "0", "--index"],
        check=True, capture_output=True, timeout=300,
    )
    return user


def sign_in(client, user) -> None:
    assert client.post("/accounts/login/", {"email": user.email, "password": user.password}).status_code == 302
    # These tests check the list of messages against the server's SORT; the generated mail has
    # reply chains, which the default view shows as conversations (tests/test_conversations.py).
    assert client.post("/mail/INBOX/view/", {"view": "flat"}).status_code == 302


def rows(html: str) -> list[tuple[int, str, str]]:
    return [(int(uid), classes, body) for classes, uid, body in ROW.findall(html)]


def server_order(user, criteria: list[str]) -> list[int]:
    with imap_direct(user) as imap:
        imap.select_folder("INBOX", readonly=True)
        return list(imap.sort(criteria))


@pytest.mark.parametrize(
    ("sort", "order", "criteria"),
    [
        ("date", "desc", ["REVERSE ARRIVAL"]),
        ("date", "asc", ["ARRIVAL"]),
        ("from", "asc", ["DISPLAYFROM"]),  # by the name the column shows (SORT=DISPLAY)
        ("from", "desc", ["REVERSE DISPLAYFROM"]),
        ("subject", "asc", ["SUBJECT"]),
        ("subject", "desc", ["REVERSE SUBJECT"]),
        ("size", "desc", ["REVERSE SIZE"]),
    ],
)
def test_sorting_and_paging_match_the_server(client, generated_user, sort, order, criteria):
    sign_in(client, generated_user)
    expected = server_order(generated_user, criteria)
    assert len(expected) == COUNT
    shown: list[int] = []
    for page in (1, 2, 3, 4, 5):
        response = client.get(f"/mail/INBOX/?sort={sort}&order={order}&page={page}")
        assert response.status_code == 200
        shown += [uid for uid, _, _ in rows(response.content.decode())]
    assert shown == expected


def test_each_row_links_the_subject_and_marks_unread_flagged_and_attachments(client, generated_user):
    sign_in(client, generated_user)
    with imap_direct(generated_user) as imap:
        imap.select_folder("INBOX", readonly=True)
        newest = list(imap.sort(["REVERSE ARRIVAL"]))[:50]
        data = imap.fetch(newest, ["FLAGS", "ENVELOPE", "BODYSTRUCTURE"])
    html = client.get("/mail/INBOX/").content.decode()
    found = rows(html)
    assert [uid for uid, _, _ in found] == newest
    from mailview.mime import decode_header_value, has_attachment

    for uid, classes, body in found:
        flags = data[uid][b"FLAGS"]
        assert ("unread" in classes) == (b"\\Seen" not in flags)
        assert ("flagged" in classes) == (b"\\Flagged" in flags)
        assert ("#paperclip" in body) == has_attachment(data[uid][b"BODYSTRUCTURE"])
        subject = decode_header_value(data[uid][b"ENVELOPE"].subject) or "(no subject)"
        link = re.search(rf'<a href="/mail/INBOX/{uid}/">(.*?)</a>', body, re.S)
        assert link is not None and unescape(link.group(1)) == subject
    assert "230 messages" in html and "Page 1 of 5" in html


def test_a_page_costs_one_sort_and_one_fetch_not_the_whole_folder(client, generated_user):
    sign_in(client, generated_user)
    client.get("/mail/INBOX/")  # warm: connection open, folder selected
    log = DovecotLog()
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=generated_user.email)
    for _ in range(5):
        assert client.get("/mail/INBOX/?page=3").status_code == 200
    assert log.logins(generated_user.email) == 0
    assert get_pool().stats()["logins"] == 1
    with get_pool().session(user) as imap:
        assert imap.selected is not None and imap.selected.name == "INBOX"


def test_an_empty_folder_says_so(client, generated_user):
    sign_in(client, generated_user)
    response = client.get("/mail/Trash/")
    assert response.status_code == 200
    assert "This folder is empty." in response.content.decode()


def test_a_page_past_the_end_is_a_clear_page(client, generated_user):
    sign_in(client, generated_user)
    response = client.get("/mail/INBOX/?page=999")
    assert response.status_code == 200
    assert "There is no such page" in response.content.decode()


@pytest.mark.parametrize("query", ["?page=abc", "?page=-4", "?sort=evil&order=sideways", "?page=99999999999999999999"])
def test_odd_parameters_never_break_the_list(client, generated_user, query):
    sign_in(client, generated_user)
    response = client.get(f"/mail/INBOX/{query}")
    assert response.status_code == 200
    html = response.content.decode()
    if "page=9999" in query:
        assert "There is no such page" in html and rows(html) == []
    else:
        # what a person sees: the first page, newest first, as if the odd part were not there
        assert [uid for uid, _, _ in rows(html)] == server_order(generated_user, ["REVERSE ARRIVAL"])[:50]


def test_new_mail_from_another_client_shows_on_the_next_view(client):
    user = new_mail_user("fresh")
    sign_in(client, user)
    assert "This folder is empty." in client.get("/mail/INBOX/").content.decode()
    from tests.support import append_message

    with imap_direct(user) as imap:
        append_message(imap, "INBOX", subject="Arrived just now")
    assert "Arrived just now" in client.get("/mail/INBOX/").content.decode()


def test_sent_shows_recipients(client):
    user = new_mail_user("sender")
    with imap_direct(user) as imap:
        body = b"From: Me <me@example.test>\r\nTo: Zoe Recipient <zoe@example.org>\r\nSubject: Sent one\r\n\r\nhi\r\n"
        imap.append("Sent", body, flags=[b"\\Seen"])
    sign_in(client, user)
    html = client.get("/mail/Sent/").content.decode()
    assert "Zoe Recipient" in html and ">To<" in html


def _service_page(user, *, without=()):
    from django.contrib.auth import get_user_model

    from mailview.services.reading.messages import message_page

    django_user = get_user_model().objects.get(username=user.email)
    with get_pool().session(django_user) as imap:
        imap.capabilities = imap.capabilities - set(without)
        before = imap.operations
        page = message_page(imap=imap, user_key=str(django_user.pk), folder="INBOX", page=2, per_page=50, sort="date", order="desc")
        return page, imap.operations - before


def test_a_warm_page_is_one_noop_one_esort_and_one_fetch(client, generated_user):
    sign_in(client, generated_user)
    client.get("/mail/INBOX/")
    page, operations = _service_page(generated_user)
    assert operations == 3
    assert len(page.messages) == 50 and page.total == COUNT


def test_an_absurd_page_or_a_refused_search_leaves_partial_sort_on(client, generated_user):
    sign_in(client, generated_user)
    response = client.get("/mail/INBOX/?page=99999999999999999999")
    assert response.status_code == 200 and "There is no such page" in response.content.decode()
    from django.contrib.auth import get_user_model

    from mailview.imap import ImapProtocolError

    newest_two = server_order(generated_user, ["REVERSE ARRIVAL"])[:2]
    with get_pool().session(get_user_model().objects.get(username=generated_user.email)) as imap:
        # A request the server refuses for its own sake is an error for that request only...
        with pytest.raises(ImapProtocolError):
            imap.sorted_page(sort="date", reverse=True, first=1, last=2, keys=[b"NOSUCHSEARCHKEY"])
        # ...and partial SORT stays on for everything else.
        assert imap.sorted_page(sort="date", reverse=True, first=1, last=2) == (COUNT, newest_two)


def test_without_sort_display_senders_sort_by_address(client, generated_user):
    sign_in(client, generated_user)
    client.get("/mail/INBOX/")
    from django.contrib.auth import get_user_model

    from mailview.services.reading.messages import message_page

    django_user = get_user_model().objects.get(username=generated_user.email)
    with get_pool().session(django_user) as imap:
        imap.capabilities = imap.capabilities - {"SORT=DISPLAY"}
        page = message_page(imap=imap, user_key=str(django_user.pk), folder="INBOX", page=1, per_page=50, sort="from", order="asc")
    assert [m.uid for m in page.messages] == server_order(generated_user, ["FROM"])[:50]
    assert server_order(generated_user, ["FROM"]) != server_order(generated_user, ["DISPLAYFROM"])  # the two differ here


def test_without_esort_the_cached_sorted_list_never_goes_stale(client):
    user = new_mail_user("stale")
    from tests.support import append_message

    with imap_direct(user) as imap:
        for n in range(3):
            append_message(imap, "INBOX", subject=f"old {n}")
    sign_in(client, user)
    _page, _ = _service_page(user, without=("ESORT",))
    with imap_direct(user) as imap:  # one leaves, one arrives: EXISTS is unchanged
        imap.select_folder("INBOX")
        imap.delete_messages([1])
        imap.expunge()
        append_message(imap, "INBOX", subject="brand new")
    from django.contrib.auth import get_user_model

    from mailview.services.reading.messages import message_page

    django_user = get_user_model().objects.get(username=user.email)
    with get_pool().session(django_user) as imap:
        imap.capabilities = imap.capabilities - {"ESORT"}
        fresh = message_page(imap=imap, user_key=str(django_user.pk), folder="INBOX", page=1, per_page=50, sort="date", order="desc")
    assert sorted(m.subject for m in fresh.messages) == ["brand new", "old 1", "old 2"]


@pytest.fixture
def searchable(client):
    user = new_mail_user("search")
    with imap_direct(user) as imap:
        messages = [
            ("Anna Schmidt <anna@example.org>", "Quarterly budget", "numbers inside"),
            ("Bob Stone <bob@example.org>", "Lunch on Friday?", "the budget is fine"),
            ("Jürgen Größe <j@example.org>", "Grüße aus München", "hallo"),
            ("Carol <carol@example.org>", "Unrelated", "nothing"),
        ]
        for sender, subject, body in messages:
            raw = f"From: {sender}\r\nTo: {user.email}\r\nSubject: {subject}\r\nContent-Type: text/plain; charset=utf-8\r\nMIME-Version: 1.0\r\n\r\n{body}\r\n"
            imap.append("INBOX", raw.encode("utf-8"))
    sign_in(client, user)
    return user


def listed_subjects(client, query: str) -> list[str]:
    html = client.get(f"/mail/INBOX/{query}").content.decode()
    return sorted(unescape(m) for m in re.findall(r'<a href="/mail/INBOX/\d+/">(.*?)</a>', html))


def test_search_matches_sender_recipient_and_subject(client, searchable):
    assert listed_subjects(client, "?q=budget") == ["Quarterly budget"]
    assert listed_subjects(client, "?q=stone") == ["Lunch on Friday?"]
    assert listed_subjects(client, "?q=M%C3%BCnchen") == ["Grüße aus München"]
    assert listed_subjects(client, "?q=budget&body=1") == ["Lunch on Friday?", "Quarterly budget"]
    assert "No messages match" in client.get("/mail/INBOX/?q=zzzz-nothing").content.decode()


@pytest.mark.parametrize("query", ['?q=%22quoted%22', "?q=a%5Cb", "?q=(qqq)", "?q=(qqq", "?q=%0D%0AA1%20LOGOUT"])
def test_search_text_cannot_break_the_command(client, searchable, query):
    response = client.get(f"/mail/INBOX/{query}")
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        # searched for as text: nothing in this mailbox has it
        assert "No messages match" in response.content.decode()
    # the session survived (no injected LOGOUT): the whole folder still lists
    assert listed_subjects(client, "") == ["Grüße aus München", "Lunch on Friday?", "Quarterly budget", "Unrelated"]


def test_select_all_matching_acts_only_on_the_search_results(celery_worker, client, searchable):
    response = client.post("/actions/", {"action": "flag", "folder": "INBOX", "all": "1", "q": "budget", "body": "1"}, HTTP_ACCEPT="application/json")
    action_id = response.json()["action_id"]
    from tests.support import wait_until

    wait_until(lambda: client.get(f"/actions/{action_id}/", HTTP_ACCEPT="application/json").json()["state"] == "done", timeout=30, message="the action")
    with imap_direct(searchable) as imap:
        imap.select_folder("INBOX", readonly=True)
        assert len(imap.search(["FLAGGED"])) == 2


def test_the_folder_state_changes_when_another_device_changes_the_folder(client):
    user = new_mail_user("live")
    from tests.support import append_message

    with imap_direct(user) as imap:
        append_message(imap, "INBOX", subject="first")
    sign_in(client, user)
    html = client.get("/mail/INBOX/").content.decode()
    initial = re.search(r'data-state="([^"]+)"', html).group(1)
    state = lambda: client.get("/folders/state/?folder=INBOX", HTTP_ACCEPT="application/json").json()["state"]  # noqa: E731
    assert state() == initial
    with imap_direct(user) as imap:
        append_message(imap, "INBOX", subject="second")
    after_arrival = state()
    assert after_arrival != initial
    with imap_direct(user) as imap:
        imap.select_folder("INBOX")
        imap.add_flags([1], [b"\\Seen"])
    after_flag = state()
    assert after_flag != after_arrival  # a flag changed elsewhere counts too
    with imap_direct(user) as imap:
        append_message(imap, "Archive", subject="filed by a rule")
    assert state() != after_flag  # and so does mail arriving in another folder
