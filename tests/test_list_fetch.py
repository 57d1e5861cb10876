"""The list FETCH asks only the header fields a row shows instead of ENVELOPE (issue #12:
the preview line's bytes are paid for by what no row showed). On the real Dovecot: every row
of generated mail, of CPython's odd-mail corpus and of hand-made tricky headers is the same as
from ENVELOPE (sender, recipient, subject, date, size, flags, labels, attachment icon), and the
page's first view with previews costs at most a fifth more bytes than the list before previews."""
from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model

from mailview.imap import get_pool
from mailview.imap.connection import SUMMARY_ITEMS, list_fetch_items
from mailview.imap.sort import esort_page
from mailview.services.reading.messages import MessageSummary, summarize
from tests.support import REPO, cpython_test_messages, imap_commands_sent, imap_direct, new_mail_user

pytestmark = pytest.mark.django_db(transaction=True)

TRICKY = {
    "split-utf8": b"From: =?utf-8?b?SsO?= =?utf-8?b?tnJn?= <j@example.org>\r\nSubject: =?utf-8?q?Gr=C3?= =?utf-8?q?=BC=C3=9Fe?=\r\n",
    "eight-bit": b'From: "M\xc3\xbcller, Hans" <h@example.org>\r\nSubject: Caf\xc3\xa9 8-bit\r\nTo: "Bj\xf6rn" <b@example.org>\r\n',
    "group-to": b"From: a@example.org\r\nTo: Team: x@example.org, =?utf-8?q?Z=C3=B6e?= <z@example.org>;\r\nSubject: group\r\n",
    "undisclosed": b"From: Ann <ann@example.org>\r\nTo: undisclosed-recipients:;\r\nSubject: undisclosed\r\n",
    "sender-only": b"Sender: List <list@example.org>\r\nSubject: only a sender\r\n",
    "nothing": b"X-Nothing: 1\r\n",
    "folded": b"From: =?utf-8?q?Ren=C3=A9e?=\r\n =?utf-8?q?_M=C3=BCller?= <r@example.org>\r\nSubject: a subject\r\n that is folded\r\n",
    "quoted-comma": b'From: "Doe, Jane" <jane@example.org>, other@example.org\r\nSubject: quoted comma\r\n',
    "two-froms": b"From: First <first@example.org>\r\nFrom: Second <second@example.org>\r\nSubject: two froms\r\n",
    "unparsable": b"From: a@\r\nSubject: the stdlib parser raises: ENVELOPE for this row\r\n",
    "comment-name": b"From: old@example.org (Old Style)\r\nSubject: a comment as the name\r\n",
    "markup": b'From: "<script>alert(1)</script>" <x@example.org>\r\nSubject: <img src=x onerror=alert(2)>\r\n',
    "text-attachment": (
        b"From: a@example.org\r\nSubject: a text attachment\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
        b"--b\r\nContent-Type: text/plain\r\n\r\nsee the notes\r\n"
        b"--b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=notes.txt\r\n\r\nthe notes\r\n--b--\r\n"
    ),
}


# Where an address lacks a part the server's ENVELOPE says so in its place (Dovecot, Cyrus);
# the header fields say what the mail says (`From: foo` shows "foo", not "foo@MISSING_DOMAIN").
ENVELOPE_FILLERS = ("MISSING_MAILBOX", "MISSING_DOMAIN", "SYNTAX_ERROR", "@unspecified-domain")


def comparable(old: MessageSummary, new: MessageSummary) -> tuple[MessageSummary, MessageSummary]:
    if old == new or not any(f in old.correspondent_email for f in ENVELOPE_FILLERS):
        return old, new
    blank = {"correspondent_email": ""}
    if old.correspondent == old.correspondent_email:  # no name: the row shows the address
        blank["correspondent"] = ""
    return dataclasses.replace(old, **blank), dataclasses.replace(new, **blank)


def tricky(name: str, headers: bytes) -> bytes:
    if b"\r\n\r\n" in headers:
        return headers
    return headers + f"Message-ID: <{name}@example.org>\r\nDate: Tue, 01 Dec 2026 10:00:00 +0000\r\n\r\ntext of {name}\r\n".encode()


@pytest.fixture(scope="module")
def mailbox():
    user = new_mail_user("listfetch")
    subprocess.run(
        [sys.executable, str(REPO / "scripts" / "mailgen.py"), "seed", "--user", user.email, "--count", "120", "--seed", "23",
         "--big-attachments", "0", "--index"],
        check=True, capture_output=True, timeout=300,
    )
    with imap_direct(user) as imap:
        imap.create_folder("Odd")
        for name, headers in TRICKY.items():
            imap.append("Odd", tricky(name, headers))
        for path in cpython_test_messages():
            imap.append("Odd", path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    return user


def sign_in(client, user) -> None:
    assert client.post("/accounts/login/", {"email": user.email, "password": user.password}).status_code == 302
    assert client.post("/mail/INBOX/view/", {"view": "flat"}).status_code == 302


@pytest.mark.parametrize("folder", ["INBOX", "Odd"])
def test_rows_show_what_they_showed_from_the_envelope(client, mailbox, folder):
    sign_in(client, mailbox)
    user = get_user_model().objects.get(username=mailbox.email)
    with get_pool().session(user) as imap:
        imap.select(folder, readonly=True)
        uids = imap.search_uids(["ALL"])
        before = imap.fetch_summaries(uids)
        lean = imap.fetch_list_rows(uids)
        lean_to = imap.fetch_list_rows(uids, recipients=True)
    assert len(uids) > 10 and set(before) == set(lean) == set(lean_to) == set(uids)
    fillers = 0
    for uid in uids:
        old, new = comparable(summarize(before[uid]), summarize(lean[uid]))
        assert new == old, uid
        old, new = comparable(summarize(before[uid], show_recipient=True), summarize(lean_to[uid], show_recipient=True))
        assert new == old, uid
        fillers += old.correspondent_email == ""
    attachments = [uid for uid in uids if summarize(lean[uid]).has_attachment]
    assert attachments or folder == "Odd"
    assert fillers < len(uids) // 4  # the exception stays one


class Counting:
    """Bytes imaplib reads from and writes to one imapclient connection."""

    def __init__(self, client) -> None:
        imap, counter = client._imap, self
        self.total = 0
        file, sock = imap.file, imap.sock

        class File:
            def readline(self, *a):
                data = file.readline(*a)
                counter.total += len(data)
                return data

            def read(self, *a):
                data = file.read(*a)
                counter.total += len(data)
                return data

            def __getattr__(self, name):
                return getattr(file, name)

        class Sock:
            def sendall(self, data, *a):
                counter.total += len(data)
                return sock.sendall(data, *a)

            def __getattr__(self, name):
                return getattr(sock, name)

        imap.file, imap.sock = File(), Sock()

    def take(self) -> int:
        total, self.total = self.total, 0
        return total


def test_the_list_page_asks_header_fields_and_previews_cost_at_most_a_fifth_more(client, mailbox):
    sign_in(client, mailbox)
    with imap_commands_sent() as sent:
        assert client.get("/mail/INBOX/").status_code == 200
    fetches = [c for c in sent if c.startswith("UID FETCH")]
    assert fetches and not [c for c in fetches if "ENVELOPE" in c], fetches
    page = next(c for c in fetches if "HEADER.FIELDS (FROM SENDER SUBJECT)" in c)
    assert "PREVIEW" in page and "BODYSTRUCTURE" in page  # the paperclip and the preview line

    with imap_direct(mailbox) as imap:
        assert b"PREVIEW" in imap.capabilities()
        imap.select_folder("INBOX", readonly=True)
        imap.fetch(imap.search(["ALL"]), [b"PREVIEW"])  # Dovecot makes each preview once: not what is measured
        counter = Counting(imap)
        _count, uids = esort_page(imap, b"REVERSE ARRIVAL", 1, 50)
        sort = counter.take()
        imap.fetch(uids, SUMMARY_ITEMS)
        before = sort + counter.take()  # the list page before previews existed
        imap.fetch(uids, [*list_fetch_items(), b"PREVIEW"])
        first_view = sort + counter.take()
        imap.fetch(uids, [*SUMMARY_ITEMS, b"PREVIEW"])
        with_envelope = sort + counter.take()
    assert first_view <= 1.2 * before, (first_view, before)
    assert first_view < with_envelope
