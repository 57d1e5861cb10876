"""Conversations (services/reading/conversations.py) against the real Dovecot: the grouping
is the server's `THREAD REFERENCES`, the header-based fallback groups the same mailbox the
same way, new mail joins its conversation without a new THREAD, and the list, the
conversation page and its actions work through HTTP."""
from __future__ import annotations

import re
import subprocess
import sys
import uuid
from html import unescape

import pytest
from django.contrib.auth import get_user_model

from mailview.imap import get_pool
from mailview.imap.connection import ImapConnection
from mailview.imap.threads import parse_thread_response, thread_groups, thread_messages
from mailview.services.reading.conversations import folder_threads, thread_headers, thread_nodes_of
from tests.support import REPO, act, imap_direct, new_mail_user

pytestmark = pytest.mark.django_db(transaction=True)
ROW = re.compile(r'<tr (?:data-depth="(\d+)" )?class="message([^"]*)" data-uid="(\d+)"([^>]*)>(.*?)</tr>', re.S)


def raw(mid: str, subject: str, *, refs: str = "", irt: str = "", sender: str = "Ann <ann@example.org>", day: int = 1) -> bytes:
    lines = [f"From: {sender}", "To: me@example.test", f"Subject: {subject}", f"Message-ID: <{mid}>",
             f"Date: Tue, {day:02d} Dec 2026 10:00:00 +0000"]
    if refs:
        lines.append(f"References: {refs}")
    if irt:
        lines.append(f"In-Reply-To: {irt}")
    return ("\r\n".join(lines) + f"\r\n\r\nText of {subject} ({mid})\r\n").encode()


def seed(user, tag: str) -> dict[str, int]:
    """A mailbox of conversations (replies, a reply by In-Reply-To only, two replies to a message
    that is not there, a subject-only reply) and the person's own reply in Sent; {name: UID}."""
    m = {n: f"{n}-{tag}@example.org" for n in ("a1", "a2", "a3", "a4", "b1", "c1", "c2", "d1", "d2", "e1", "s1")}
    inbox = [
        ("a1", raw(m["a1"], "Plan for Friday", day=1)),
        ("b1", raw(m["b1"], "Other topic", day=2, sender="Bob <bob@example.org>")),
        ("a2", raw(m["a2"], "Re: Plan for Friday", refs=f"<{m['a1']}>", day=3, sender="Bob <bob@example.org>")),
        ("c1", raw(m["c1"], "Re: Lost parent", refs="<gone@example.org>", day=4)),
        ("a3", raw(m["a3"], "Re: Plan for Friday", refs=f"<{m['a1']}> <{m['a2']}>", day=5, sender="Cy <cy@example.org>")),
        ("d1", raw(m["d1"], "Lunch", day=6)),
        ("c2", raw(m["c2"], "Re: Lost parent", refs="<gone@example.org>", day=7)),
        ("a4", raw(m["a4"], "Re: Plan for Friday", irt=f"<{m['a1']}>", day=8)),
        ("d2", raw(m["d2"], "Re: Lunch", day=9)),
        ("e1", raw(m["e1"], "Alone", day=10)),
    ]
    uids: dict[str, int] = {}
    with imap_direct(user) as imap:
        for name, body in inbox:
            imap.append("INBOX", body, flags=[b"\\Seen"] if name in ("a1", "a2") else [])
        imap.append("Sent", raw(m["s1"], "Re: Plan for Friday", refs=f"<{m['a1']}> <{m['a2']}>", day=4, sender=f"Me <{user.email}>"),
                    flags=[b"\\Seen"])
        imap.select_folder("INBOX", readonly=True)
        for uid, data in imap.fetch(imap.search(["ALL"]), [b"BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"]).items():
            value = next(v for k, v in data.items() if k.startswith(b"BODY[")).decode()
            uids[next(n for n, mid in m.items() if mid in value)] = int(uid)
    return uids


@pytest.fixture(scope="module")
def mailbox():
    user = new_mail_user("threads")
    return user, seed(user, uuid.uuid4().hex[:8])


@pytest.fixture(scope="module")
def generated():
    """A folder of generated mail with real reply chains (scripts/mailgen.py)."""
    user = new_mail_user("threadgen")
    subprocess.run(
        [sys.executable, str(REPO / "scripts" / "mailgen.py"), "seed", "--user", user.email, "--count", "150", "--seed", "12",
         "--big-attachments", "0", "--index"],
        check=True, capture_output=True, timeout=300,
    )
    return user


def sign_in(client, user):
    assert client.post("/accounts/login/", {"email": user.email, "password": user.password}).status_code == 302
    return get_user_model().objects.get(username=user.email)


def server_groups(user) -> set[frozenset[int]]:
    with imap_direct(user) as imap:
        imap.select_folder("INBOX", readonly=True)
        return set(thread_groups(parse_thread_response(imap.thread("REFERENCES"))))


def rows(html: str) -> list[dict]:
    return [{"depth": d, "classes": c, "uid": int(u), "attrs": a, "body": b} for d, c, u, a, b in ROW.findall(html)]


@pytest.mark.parametrize("which", ["mailbox", "generated"])
def test_grouping_is_the_servers_thread_and_the_header_fallback_agrees(client, request, which):
    user = request.getfixturevalue(which)
    user = user[0] if isinstance(user, tuple) else user
    person = sign_in(client, user)
    expected = server_groups(user)
    assert any(len(g) > 1 for g in expected)  # there are conversations to find
    with get_pool().session(person) as imap:
        selected = imap.select("INBOX", readonly=True, refresh=True)
        kept = folder_threads(imap=imap, user_key=str(person.pk), selected=selected)
        headers = thread_headers(imap=imap, uids=imap.all_uids())
    assert kept.source == "thread"
    assert set(thread_groups(thread_nodes_of(kept))) == expected
    # The fallback for servers without THREAD, from the same mailbox's headers.
    assert set(thread_groups(thread_messages(headers.values()))) == expected


def test_without_thread_the_headers_build_the_same_conversations(client, mailbox, monkeypatch):
    user, uids = mailbox
    person = sign_in(client, user)
    monkeypatch.setattr(ImapConnection, "has_capability", lambda self, name: not name.upper().startswith("THREAD=") and name.upper() in self.capabilities)
    with get_pool().session(person) as imap:
        selected = imap.select("INBOX", readonly=True, refresh=True)
        kept = folder_threads(imap=imap, user_key=str(person.pk) + "-nothread", selected=selected)
    assert kept.source == "headers"
    assert set(thread_groups(thread_nodes_of(kept))) == server_groups(user)
    assert {uids["a1"], uids["a2"], uids["a3"], uids["a4"]} in set(thread_groups(thread_nodes_of(kept)))


def test_the_list_shows_one_row_per_conversation_and_single_messages_as_before(client, mailbox):
    user, uids = mailbox
    sign_in(client, user)
    grouped = rows(client.get("/mail/INBOX/").content.decode())
    flat = rows(client.get("/mail/INBOX/?view=flat").content.decode())
    # a(4), b, c(2), d(2 by subject), e: five conversations, newest first
    assert len(grouped) == 5 and len(flat) == 10
    plan = next(r for r in grouped if "Plan for Friday" in r["body"])
    assert "conversation" in plan["classes"] and "unread" in plan["classes"]  # a3, a4 unread
    assert f'data-uids="{uids["a1"]} {uids["a2"]} {uids["a3"]} {uids["a4"]}"' in plan["attrs"]
    assert f'href="/mail/INBOX/thread/{uids["a1"]}/"' in plan["body"]
    assert '<span class="thread-count"' in plan["body"] and ">4</span>" in plan["body"]
    assert "Ann, Bob, Cy" in unescape(plan["body"])
    # A conversation of one message is exactly the flat list's row, with the message URL.
    alone = next(r for r in grouped if r["uid"] == uids["e1"])
    assert alone == next(r for r in flat if r["uid"] == uids["e1"])
    assert f'href="/mail/INBOX/{uids["e1"]}/"' in alone["body"]
    assert grouped[0]["uid"] == uids["e1"]  # newest first
    assert "5 conversations" in client.get("/mail/INBOX/").content.decode()


def test_the_threaded_view_is_an_indented_tree(client, mailbox):
    user, uids = mailbox
    sign_in(client, user)
    shown = rows(client.get("/mail/INBOX/?view=threads").content.decode())
    assert len(shown) == 10
    plan = [(r["uid"], int(r["depth"] or 0)) for r in shown if "Plan for Friday" in r["body"]]
    assert plan == [(uids["a1"], 0), (uids["a2"], 1), (uids["a3"], 2), (uids["a4"], 1)]


def test_the_view_is_a_setting(client, mailbox):
    user, _uids = mailbox
    person = sign_in(client, user)
    assert client.post("/mail/INBOX/view/", {"view": "flat"}).status_code == 302
    assert len(rows(client.get("/mail/INBOX/").content.decode())) == 10
    person.mail_settings.refresh_from_db()
    assert person.mail_settings.list_view == "flat"
    client.post("/mail/INBOX/view/", {"view": "conversations"})
    assert len(rows(client.get("/mail/INBOX/").content.decode())) == 5


def test_opening_a_conversation_shows_every_message_with_my_reply_and_marks_it_read(client, mailbox):
    user, uids = mailbox
    sign_in(client, user)
    response = client.get(f"/mail/INBOX/thread/{uids['a3']}/")  # any of its messages opens it
    assert response.status_code == 200
    html = response.content.decode()
    items = re.findall(r'<li class="conversation-message([^"]*)" data-uid="(\d+)" data-folder="([^"]+)">\s*<details( open)?>', html)
    shown = [(folder, int(uid)) for _c, uid, folder, _o in items]
    # oldest first, with my reply from Sent (day 4) between a2 (day 3) and a3 (day 5)
    assert shown[:2] == [("INBOX", uids["a1"]), ("INBOX", uids["a2"])]
    assert shown[2][0] == "Sent"
    assert shown[3:] == [("INBOX", uids["a3"]), ("INBOX", uids["a4"])]
    opened = [bool(o) for _c, _u, _f, o in items]
    assert opened == [False, False, False, True, True]  # older read ones folded; the unread and the newest open
    with imap_direct(user) as imap:
        imap.select_folder("INBOX", readonly=True)
        assert set(imap.search(["UNSEEN"])) & {uids["a3"], uids["a4"]} == set()
        imap.select_folder("INBOX")
        imap.remove_flags([uids["a3"], uids["a4"]], [b"\\Seen"])  # as it was, for the other tests
    assert client.get("/mail/INBOX/thread/999999/").status_code == 404


def test_the_print_view_of_a_conversation_has_every_message_and_no_app_around_it(client, mailbox):
    user, uids = mailbox
    sign_in(client, user)
    response = client.get(f"/mail/INBOX/thread/{uids['a3']}/print/")
    assert response.status_code == 200
    html = response.content.decode()
    # oldest first, my reply from Sent among them, each with its headers and body
    texts = re.findall(r'Text of (?:Re: )?Plan for Friday \(<a href="mailto:(\w+)-', html)  # addresses are linked
    assert texts == ["a1", "a2", "s1", "a3", "a4"]
    assert html.count('<section class="print-message">') == 5 and html.count('class="hdr-from"') == 5
    assert 'class="topbar"' not in html and 'id="folders"' not in html
    directives = dict(d.strip().split(" ", 1) for d in response["Content-Security-Policy"].split(";"))
    assert directives["script-src"] == "'self'" and "allow-same-origin" not in directives["sandbox"]
    with imap_direct(user) as imap:  # printing is not reading
        imap.select_folder("INBOX", readonly=True)
        assert {uids["a3"], uids["a4"]} <= set(imap.search(["UNSEEN"]))
    page = client.get(f"/mail/INBOX/thread/{uids['a3']}/").content.decode()
    assert f'href="/mail/INBOX/thread/{uids["a1"]}/print/"' in page  # the conversation page links it
    with imap_direct(user) as imap:
        imap.select_folder("INBOX")
        imap.remove_flags([uids["a3"], uids["a4"]], [b"\\Seen"])  # as it was, for the other tests



def test_stepping_goes_through_the_conversations_in_the_lists_order(client, mailbox):
    """Previous/next on a conversation page (and where filing goes on to): the list's order,
    newest first (e, d, a, c, b), each as the UID its row links (its oldest)."""
    user, uids = mailbox
    sign_in(client, user)

    def step(uid: int, way: str):
        response = client.get(f"/mail/INBOX/thread/{uid}/{way}/", HTTP_ACCEPT="application/json")
        assert response.status_code == 200
        return response.json()["url"]

    page = client.get(f"/mail/INBOX/thread/{uids['a3']}/").content.decode()
    assert f'href="/mail/INBOX/thread/{uids["a3"]}/next/"' in page and 'data-step="previous"' in page
    assert step(uids["a3"], "next") == f"/mail/INBOX/thread/{uids['c1']}/"
    assert step(uids["a1"], "previous") == f"/mail/INBOX/thread/{uids['d1']}/"
    assert step(uids["d2"], "previous") == f"/mail/INBOX/thread/{uids['e1']}/"
    assert step(uids["e1"], "previous") is None
    assert step(uids["b1"], "next") is None
    assert step(uids["c2"], "next") == f"/mail/INBOX/thread/{uids['b1']}/"
    # Without JavaScript: a redirect there, or back to the same conversation with a note.
    assert client.get(f"/mail/INBOX/thread/{uids['e1']}/next/")["Location"] == f"/mail/INBOX/thread/{uids['d1']}/"
    assert client.get(f"/mail/INBOX/thread/{uids['b1']}/next/")["Location"] == f"/mail/INBOX/thread/{uids['b1']}/"
    assert client.get("/mail/INBOX/thread/999999/next/", HTTP_ACCEPT="application/json").json() == {"url": None}

def test_another_person_cannot_open_it(client, mailbox, other_mail_user):
    _user, uids = mailbox
    sign_in(client, other_mail_user)
    assert client.get(f"/mail/INBOX/thread/{uids['a1']}/").status_code == 404
    assert client.get(f"/mail/INBOX/thread/{uids['a1']}/print/").status_code == 404


def test_new_mail_joins_its_conversation_without_a_new_thread_command(client, monkeypatch):
    user = new_mail_user("threadnew")
    uids = seed(user, uuid.uuid4().hex[:8])
    sign_in(client, user)
    assert len(rows(client.get("/mail/INBOX/").content.decode())) == 5
    with imap_direct(user) as imap:
        imap.select_folder("INBOX", readonly=True)
        data = imap.fetch([uids["a2"]], [b"BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])[uids["a2"]]
        a2 = next(v for k, v in data.items() if k.startswith(b"BODY[")).decode().split("<", 1)[1].split(">", 1)[0]
        imap.append("INBOX", raw(f"new-{uuid.uuid4().hex}@example.org", "Re: Plan for Friday", refs=f"<{a2}>", day=11))
        imap.append("INBOX", raw(f"new-{uuid.uuid4().hex}@example.org", "Brand new", day=12))
    threads_run: list[int] = []
    original = ImapConnection.thread
    monkeypatch.setattr(ImapConnection, "thread", lambda self, **kw: threads_run.append(1) or original(self, **kw))
    shown = rows(client.get("/mail/INBOX/").content.decode())
    assert threads_run == []  # joined incrementally, not a full THREAD
    assert len(shown) == 6  # the reply joined "Plan for Friday"; "Brand new" is a row of its own
    plan = next(r for r in shown if "Plan for Friday" in r["body"])
    assert ">5</span>" in plan["body"]
    assert shown[1] is plan or shown[1]["uid"] == plan["uid"]  # the conversation moved up
    assert len(server_groups(user)) == 6


def test_actions_apply_to_the_whole_conversation(client, celery_worker):
    user = new_mail_user("threadact")
    uids = seed(user, uuid.uuid4().hex[:8])
    sign_in(client, user)
    html = client.get("/mail/INBOX/").content.decode()
    value = re.search(rf'name="uid" value="({uids["a1"]},[\d,]+)"', html).group(1)
    state = act(client, action="archive", folder="INBOX", uid=value)
    assert state["state"] == "done"
    with imap_direct(user) as imap:
        imap.select_folder("INBOX", readonly=True)
        assert not set(imap.search(["ALL"])) & {uids["a1"], uids["a2"], uids["a3"], uids["a4"]}
        assert imap.folder_status("Archive", [b"MESSAGES"])[b"MESSAGES"] == 4
    shown = rows(client.get("/mail/INBOX/").content.decode())
    assert len(shown) == 4 and not any("Plan for Friday" in r["body"] for r in shown)
