"""A big folder's whole-folder answers (every UID of a plain SEARCH or SORT, a THREAD's tree) are
longer than imaplib's 1 MB line limit past ~170,000 messages: against the real Dovecot, the
message page's previous/next, the list on a server without ESORT, select-all-N filing, the
conversation build and the UID listings of the sync and the search index all still answer,
and an answer longer than the configured cap still fails cleanly (the connection is dropped,
never reused mid-line).

A scale model, so the suite needs no 200,000-message folder: imaplib's limit is lowered to
`SCALED_LINE` (4 kB instead of 1 MB) and a folder of 2,000 messages stands in (its plain SORT
answer is ~9 kB, its THREAD ~12 kB). The door's allowance (EXISTS × bytes per message, capped
by `WEBMAIL_IMAP_MAX_ANSWER_BYTES`) is the real one. The last test needs no model: an answer
really over 1 MB (its setup takes ~10 s, see there).
"""
from __future__ import annotations

import imaplib
import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from mailview.imap import get_pool
from mailview.imap.connection import ImapConnection
from mailview.imap.errors import ImapResponseTooLarge
from mailview.services.filing.actions import message_action_apply
from mailview.services.filing.queue import folder_uid_set
from mailview.services.reading.thread_building import threads_build_run
from tests.support import imap_direct, new_mail_user

pytestmark = pytest.mark.django_db(transaction=True)

COUNT = 2000
SCALED_LINE = 4000
ROW = re.compile(r'<tr class="message[^"]*" data-uid="(\d+)"')
# What a server without ESORT/ESEARCH (Courier, old Cyrus) lacks: every list is a plain SORT.
EXTENSIONS = frozenset({"ESORT", "ESEARCH", "CONTEXT=SORT", "CONTEXT=SEARCH"})


def _messages(count: int, tag: str) -> list[bytes]:
    """Tiny messages whose subjects do not sort in arrival order (a SORT by subject is a
    scrambled list, which no sequence-set range compresses); every tenth replies to the one before."""
    out = []
    for index in range(count):
        subject = f"{tag} {(index * 7919) % count:05d}"
        refs = f"In-Reply-To: <{tag}-{index - 1}@example.org>\r\n" if index % 10 == 9 else ""
        out.append(
            f"From: Sender {index} <s{index}@example.org>\r\nTo: reader@example.test\r\nSubject: {subject}\r\n"
            f"Message-ID: <{tag}-{index}@example.org>\r\n{refs}Date: Tue, 01 Dec 2026 10:00:00 +0000\r\n\r\nBody {index}\r\n".encode()
        )
    return out


def _fill(user, folder: str, count: int, tag: str) -> None:
    """One MULTIAPPEND (RFC 3502) of `count` messages: a second or two for thousands."""
    with imap_direct(user) as imap:
        if folder != "INBOX":
            imap.create_folder(folder)
        imap.multiappend(folder, _messages(count, tag))


@pytest.fixture(scope="module")
def big():
    """A person whose INBOX holds COUNT messages; the server's own orders, asked at full limit."""
    user = new_mail_user("bigsort")
    _fill(user, "INBOX", COUNT, "Heap")
    with imap_direct(user) as imap:
        imap.select_folder("INBOX", readonly=True)
        orders = {
            "arrival": [int(u) for u in imap.sort(["ARRIVAL"])][::-1],  # newest first, same-second too
            "subject": [int(u) for u in imap.sort(["SUBJECT"])],
        }
        plain = imap._imap  # the answer's length is what the tests rely on
        typ, data = plain.uid("SORT", "(SUBJECT)", "UTF-8", "ALL")
        assert typ == "OK" and len(data[0]) > 2 * SCALED_LINE
    return user, orders


@pytest.fixture
def reader(client, big):
    from accounts.models import UserSettings

    user, orders = big
    assert client.post("/accounts/login/", {"email": user.email, "password": user.password}).status_code == 302
    UserSettings.objects.update_or_create(user=_account(user), defaults={"list_view": "flat"})
    return client, user, orders


@pytest.fixture
def short_lines(monkeypatch):
    """imaplib reads lines of at most SCALED_LINE bytes (the 1 MB limit, scaled down)."""
    monkeypatch.setattr(imaplib, "_MAXLINE", SCALED_LINE)


@pytest.fixture
def without_esort(monkeypatch):
    """Every new pooled connection to the real Dovecot behaves as a server without ESORT/ESEARCH."""
    connect = ImapConnection._connect

    def plain(self: ImapConnection) -> None:
        connect(self)
        self.capabilities = self.capabilities - EXTENSIONS

    monkeypatch.setattr(ImapConnection, "_connect", plain)


@contextmanager
def short_lines_off() -> Iterator[None]:
    """The test's own imapclient connections (its set-up and checks) read at imaplib's full limit."""
    saved = imaplib._MAXLINE
    imaplib._MAXLINE = 1_000_000
    try:
        yield
    finally:
        imaplib._MAXLINE = saved


def _step(client, uid: int, direction: str) -> str:
    response = client.get(f"/mail/INBOX/{uid}/{direction}/")
    assert response.status_code == 302, response.status_code
    return response["Location"]


def _account(user):
    return get_user_model().objects.get(username=user.email)


@pytest.mark.parametrize("server", ["esort", "plain"])
@pytest.mark.parametrize("sort", ["arrival", "subject"])
def test_previous_and_next_step_through_a_big_folder(reader, short_lines, request, server, sort):
    client, _user, orders = reader
    if server == "plain":
        request.getfixturevalue("without_esort")
    order = orders[sort]
    client.get("/mail/INBOX/" if sort == "arrival" else "/mail/INBOX/?sort=subject&order=asc")
    middle = order[COUNT // 2]
    assert _step(client, middle, "next") == f"/mail/INBOX/{order[COUNT // 2 + 1]}/"
    assert _step(client, middle, "previous") == f"/mail/INBOX/{order[COUNT // 2 - 1]}/"


def test_the_list_of_a_big_folder_pages_on_a_server_without_esort(reader, short_lines, without_esort):
    client, _user, orders = reader
    first = client.get("/mail/INBOX/?sort=subject&order=asc")
    assert first.status_code == 200
    rows = [int(u) for u in ROW.findall(first.content.decode())]
    assert rows and rows == orders["subject"][: len(rows)]
    second = client.get("/mail/INBOX/?sort=subject&order=asc&page=2")
    assert second.status_code == 200
    assert [int(u) for u in ROW.findall(second.content.decode())] == orders["subject"][len(rows) : 2 * len(rows)]


@pytest.mark.parametrize("server", ["esort", "plain"])
def test_select_all_files_every_message_of_a_big_folder(reader, short_lines, request, server):
    """"Select all N" of a search, then move: the UIDs matching (SORT or SEARCH of the whole
    folder), then which of them are there now (a UID SEARCH of the whole range): all of them move."""
    _client, user, _orders = reader
    if server == "plain":
        request.getfixturevalue("without_esort")
    heap, done = f"Pile{server}", f"Done{server}"
    with short_lines_off():
        _fill(user, heap, COUNT, "Pile")
        with imap_direct(user) as imap:
            imap.create_folder(done)
    with get_pool().session(_account(user)) as imap:
        every = folder_uid_set(imap=imap, folder=heap, query="Pile")
        assert every is not None
        result = message_action_apply(imap=imap, action_id=uuid.uuid4().hex, kind="move", folder=heap, uids=every, target=done)
    assert result.ok and result.count == COUNT, result
    with short_lines_off(), imap_direct(user) as imap:
        assert imap.folder_status(heap, ["MESSAGES"])[b"MESSAGES"] == 0
        assert imap.folder_status(done, ["MESSAGES"])[b"MESSAGES"] == COUNT


def test_select_all_on_a_server_with_esearch_reads_no_long_line(reader, short_lines):
    """Where ESORT and ESEARCH are advertised (Dovecot) the whole-folder answers of select-all
    are sequence sets (`1:2000`): it works with no allowance beyond the ordinary line at all."""
    _client, user, _orders = reader
    with short_lines_off():
        _fill(user, "Stack", COUNT, "Stack")
        with imap_direct(user) as imap:
            imap.create_folder("Stacked")
    with override_settings(WEBMAIL_IMAP_MAX_ANSWER_BYTES=SCALED_LINE), get_pool().session(_account(user)) as imap:
        every = folder_uid_set(imap=imap, folder="Stack", query="Stack")
        assert every == f"1:{COUNT}"
        result = message_action_apply(imap=imap, action_id=uuid.uuid4().hex, kind="move", folder="Stack", uids=every, target="Stacked")
        assert result.ok and result.count == COUNT, result
        imap.select("Stacked")
        assert imap.uids_with_flag(f"1:{COUNT}", "\\Seen", present=False) == list(range(1, COUNT + 1))


@pytest.mark.parametrize("hidden", [set(), {"THREAD=REFERENCES", *EXTENSIONS}], ids=["thread", "headers"])
def test_the_conversations_of_a_big_folder_are_built(reader, short_lines, monkeypatch, hidden):
    """By the server's THREAD (its whole tree on one line), or where it has none from every UID
    (a plain SEARCH without ESEARCH) and their threading headers."""
    _client, user, _orders = reader
    connect = ImapConnection._connect

    def without(self: ImapConnection) -> None:
        connect(self)
        self.capabilities = self.capabilities - hidden

    monkeypatch.setattr(ImapConnection, "_connect", without)
    with get_pool().session(_account(user)) as imap:
        threads = threads_build_run(imap=imap, user_pk=_account(user).pk, folder="INBOX", build_seconds=60)
    assert threads.count == COUNT - COUNT // 10  # every tenth message joined the one before
    assert sorted(u for i in range(threads.count) for u, _depth in threads.thread(i)) == list(range(1, COUNT + 1))


def test_the_conversation_list_of_a_big_folder_shows(reader, short_lines):
    from accounts.models import UserSettings

    client, user, orders = reader
    UserSettings.objects.update_or_create(user=_account(user), defaults={"list_view": "conversations"})
    response = client.get("/mail/INBOX/")
    assert response.status_code == 200
    assert int(ROW.findall(response.content.decode())[0]) == orders["arrival"][0]


def test_the_uid_listings_of_sync_and_index_answer_on_a_server_without_esearch(reader, short_lines, without_esort):
    _client, user, _orders = reader
    with get_pool().session(_account(user)) as imap:
        imap.select("INBOX")
        assert imap.all_uids() == list(range(1, COUNT + 1))
        assert imap.uids_from(1) == list(range(1, COUNT + 1))
        assert imap.search_uids(["ALL"]) == list(range(1, COUNT + 1))
        assert imap.present_uids(f"1:{COUNT}") == list(range(1, COUNT + 1))


def test_an_answer_over_the_configured_cap_fails_cleanly(reader, short_lines):
    """Past WEBMAIL_IMAP_MAX_ANSWER_BYTES the long answer is refused as before (the page says the
    server failed), the connection it left mid-line is not used again, and a short answer works."""
    client, user, orders = reader
    with override_settings(WEBMAIL_IMAP_MAX_ANSWER_BYTES=SCALED_LINE + 2000):
        client.get("/mail/INBOX/?sort=subject&order=asc")
        response = client.get(f"/mail/INBOX/{orders['subject'][10]}/next/")
        assert response.status_code == 502
        with get_pool().session(_account(user)) as imap:
            with pytest.raises(ImapResponseTooLarge):
                imap.select("INBOX")
                imap.sorted_uids(sort="subject", reverse=False)
            imap.select("INBOX")
            assert imap.fetch_flags([orders["subject"][0]]).keys() == {orders["subject"][0]}
            assert imap.sorted_uids(sort="date", reverse=False) == list(range(1, COUNT + 1))  # ESORT: "1:2000"
        client.get("/mail/INBOX/")
        middle = orders["arrival"][100]
        assert _step(client, middle, "next") == f"/mail/INBOX/{orders['arrival'][101]}/"



# The real thing, no scale model: UIDs of ten digits (Dovecot keeps a Maildir's UIDs in its
# `dovecot-uidlist`, written here before Dovecot first reads the folder), so 95,000 messages
# answer a plain SEARCH or SORT with 1,045,000 bytes on one line. The messages are hard links
# to one tiny file (one inode: no 95,000 writes); setting up costs ~5-10 s.
HUGE = 95_000
FIRST_HUGE_UID = 4_000_000_000


@pytest.fixture(scope="module")
def huge():
    """(person, folder) whose folder holds HUGE messages with UIDs from FIRST_HUGE_UID."""
    user = new_mail_user("bigline")
    with imap_direct(user) as imap:
        imap.create_folder("Huge")
        imap.append("INBOX", b"Subject: first\r\n\r\nmakes the Maildir\r\n")
    local, domain = user.email.split("@")
    folder = Path(os.environ["MAILSTACK_DIR"]) / "mail" / domain / local / "Maildir" / "Huge"
    owner = folder.stat().st_uid, folder.stat().st_gid
    for name in ("cur", "new", "tmp"):
        (folder / name).mkdir(exist_ok=True)
        os.chown(folder / name, *owner)
    for index_file in folder.glob("dovecot.index*"):
        index_file.unlink()
    names = [f"1796600000.M{index}P1.bigsort,S=80:2,S" for index in range(HUGE)]
    for start in range(0, HUGE, 60_000):  # a file system's links per inode are bounded (ext4: 65,000)
        source = folder / "tmp" / "one"
        source.write_bytes(b"From: a@example.org\r\nSubject: one of many\r\nDate: Tue, 01 Dec 2026 10:00:00 +0000\r\n\r\nx\r\n")
        os.chown(source, *owner)
        for name in names[start : start + 60_000]:
            os.link(source, folder / "cur" / name)
        source.unlink()
    lines = [f"3 V1796600000 N{FIRST_HUGE_UID + HUGE} G{uuid.uuid4().hex}"]
    lines += [f"{FIRST_HUGE_UID + index} :{name.split(':')[0]}" for index, name in enumerate(names)]
    uidlist = folder / "dovecot-uidlist"
    uidlist.write_text("\n".join(lines) + "\n")
    os.chown(uidlist, *owner)
    with imap_direct(user) as imap:
        imap.select_folder("Huge", readonly=True)
        with pytest.raises(imaplib.IMAP4.error, match="got more than"):  # what the test relies on
            imap.search(["ALL"])
    return user


def test_a_plain_answer_over_one_megabyte_is_read(client, huge, without_esort):
    assert client.post("/accounts/login/", {"email": huge.email, "password": huge.password}).status_code == 302
    expected = list(range(FIRST_HUGE_UID, FIRST_HUGE_UID + HUGE))
    with get_pool().session(_account(huge)) as imap:
        imap.select("Huge")
        assert imap.all_uids() == expected  # a plain SEARCH ALL: 1,045,000 bytes
        assert imap.sorted_uids(sort="date", reverse=False) == expected  # a plain SORT (ARRIVAL)
