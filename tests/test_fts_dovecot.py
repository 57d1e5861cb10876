"""Body search on a Dovecot with its own full-text index, and on one without (issue #12).

scripts/test.sh starts, beside the stack's Dovecot, a second Dovecot with the fts plugin and
Debian's fts-xapian (scripts/ftsdovecot.sh: indexed when searched, never as mail arrives). People
of the domain `fts.test` reach it through a server profile; the same messages in the stack's own
Dovecot (no index: SEARCH scans the mail) are the case without. On each server, what a person
finds through HTTP (all folders, and one folder) is exactly what an independent imapclient
`SEARCH TEXT` finds in each folder: a word in the second of two text parts, a non-ASCII word, a
word in every folder, and a word nothing has ("No messages match", not an error). The webmail's
own index (services/fulltext/) answers the same beside the server's.

Dovecot with fts-xapian 1.5.5 does not advertise SEARCH=FUZZY (only SNIPPET=FUZZY and
PREVIEW=FUZZY): the webmail asks it plain `TEXT`, which it answers from its index. It answers
header searches from that index too, which lacks References, In-Reply-To, Date and headers of
ours: the person's replies in Sent (conversations) and a snooze return's marker are read from
the headers there instead (`ImapConnection.header_search_blind`).
"""
from __future__ import annotations

import os
import re
import ssl
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urlencode

import pytest
from django.contrib.auth import get_user_model
from imapclient import IMAPClient

from accounts.models import ServerProfile
from mailview.imap import get_pool
from mailview.services.fulltext.indexing import index_fill, user_index_path
from mailview.textindex.store import remove_index
from tests.support import REPO, MailUser, imap_commands_sent, new_mail_user

pytestmark = pytest.mark.django_db(transaction=True)

FTSDOVECOT = REPO / "scripts" / "ftsdovecot.sh"
FTS_DOMAIN = "fts.test"
# The search page's rows: UID and `<folder>/<uid>`.
ROW = re.compile(r'<tr class="message[^"]*" data-uid="(\d+)" data-folder="[^"]*" data-ref="([^"]+)">')


def _mail(case: str, subject: str, content_type: str, body: str) -> bytes:
    return (
        f"From: Sender <sender@example.org>\r\nTo: reader@example.test\r\nSubject: {subject}\r\n"
        f"Message-ID: <{uuid.uuid4().hex}@example.org>\r\nX-Test-Case: {case}\r\nMIME-Version: 1.0\r\n"
        f"Date: Mon, 30 Nov 2026 09:00:00 +0000\r\nContent-Type: {content_type}\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n"
    ).encode()


def _two_text_parts(case: str, subject: str, first: str, second: str, *, line_break: str = "\r\n") -> bytes:
    """multipart/mixed of two text/plain parts, neither an attachment; each text ends with
    `line_break` (the CRLF before a boundary is the boundary's, not the text's)."""
    parts = "".join(
        f"--b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{text}{line_break}\r\n" for text in (first, second)
    )
    return (
        f"From: Sender <sender@example.org>\r\nTo: reader@example.test\r\nSubject: {subject}\r\n"
        f"Message-ID: <{uuid.uuid4().hex}@example.org>\r\nX-Test-Case: {case}\r\nMIME-Version: 1.0\r\n"
        f'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n{parts}--b1--\r\n'
    ).encode()


# (folder, case, message): a handful, in three folders the search covers and Trash, which it
# leaves out unless asked.
SEED = [
    ("INBOX", "plain", _mail("plain", "Numbers", "text/plain; charset=utf-8", "The quarterly budget forecast is ready.")),
    ("INBOX", "two-parts", _two_text_parts("two-parts", "Two notes", "The first part says hello.", "The second part alone names the zebracorn.")),
    ("INBOX", "non-ascii", _mail("non-ascii", "Kuchen", "text/plain; charset=utf-8", "Grüße aus München, der Käsekuchen ist fertig.")),
    ("INBOX", "html", _mail("html", "Approved", "text/html; charset=utf-8", "<p>The <b>budget</b> is approved.</p>")),
    ("Work", "work", _mail("work", "Meeting", "text/plain; charset=utf-8", "Budget meeting at noon; bring Käsekuchen.")),
    ("Archive", "archive", _two_text_parts("archive", "Old notes", "An old budget.", "A zebracorn was seen in 2019.")),
    # fts-xapian 1.5.5 leaves out the last word of a text that does not end with a line break
    # (here: "quillfeather"); the webmail's own index has it.
    ("Work", "unterminated", _two_text_parts("unterminated", "Terse", "No line breaks.", "Signed quillfeather", line_break="")),
    ("Trash", "trash", _mail("trash", "Gone", "text/plain; charset=utf-8", "A deleted budget about the zebracorn.")),
]
SEARCHED = ["INBOX", "Work", "Archive"]  # what "all folders" covers here (not Trash and Junk)
# A word in three folders, one only in a second text part, a non-ASCII one, and two words, one
# in the subject and one in the text.
WORDS = ["budget", "zebracorn", "Käsekuchen", "numbers ready"]
NOTHING = "quixotrelp"


@dataclass(frozen=True)
class Mailbox:
    server: str  # "fts": the Dovecot with fts-xapian; "dovecot": the stack's, without an index
    user: MailUser
    port: int
    uids: dict[str, tuple[str, int]]  # case -> (folder, UID)

    def direct(self) -> IMAPClient:
        """An independent connection (not the app's pool) to the person's server."""
        client = IMAPClient("127.0.0.1", port=self.port, ssl=False, timeout=30)
        client.starttls(ssl.create_default_context(cafile=os.environ["WEBMAIL_IMAP_CA_FILE"]))
        client.login(self.user.email, self.user.password)
        return client

    def server_text(self, words: str, folders: list[str]) -> dict[str, list[int]]:
        """`SEARCH TEXT w1 TEXT w2 ...` (each word of `words`) in each folder, as the server answers it."""
        criteria = [key for word in words.split() for key in ("TEXT", word)]
        with self.direct() as imap:
            found = {}
            for folder in folders:
                imap.select_folder(folder, readonly=True)
                found[folder] = sorted(imap.search(criteria, charset="UTF-8"))
            return found

    @property
    def home(self) -> Path:
        """The person's home on the full-text search Dovecot."""
        local, domain = self.user.email.split("@")
        return Path(os.environ["MAILSTACK_FTS_DIR"]) / "mail" / domain / local


def ftsdovecot(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(FTSDOVECOT), *args], capture_output=True, text=True, check=True, timeout=120)


@pytest.fixture(scope="module", params=["fts", "dovecot"])
def mailbox(request) -> Iterator[Mailbox]:
    server = request.param
    if server == "fts":
        user, port = new_mail_user("fts", FTS_DOMAIN), int(os.environ["MAILSTACK_FTS_IMAP_PORT"])
    else:
        user, port = new_mail_user("nofts"), int(os.environ["WEBMAIL_IMAP_PORT"])
    box = Mailbox(server, user, port, {})
    with box.direct() as imap:
        imap.create_folder("Work")
        imap.subscribe_folder("Work")  # search covers the folders the sidebar shows
        for folder, _case, raw in SEED:
            imap.append(folder, raw)
        for folder in {folder for folder, _case, _raw in SEED}:
            imap.select_folder(folder, readonly=True)
            for uid, data in imap.fetch(imap.search(["ALL"]), [b"BODY.PEEK[HEADER.FIELDS (X-TEST-CASE)]"]).items():
                value = next(v for k, v in data.items() if k.startswith(b"BODY["))
                box.uids[value.decode().split(":", 1)[1].strip()] = (folder, int(uid))
    assert set(box.uids) == {case for _folder, case, _raw in SEED}
    try:
        yield box
    finally:
        if server == "fts":
            ftsdovecot("deluser", user.email)  # its mail there; the stack's account goes as usual


@pytest.fixture
def signed_in(client, mailbox):
    """The person signed in, on their server: the fts.test profile points at the second Dovecot."""
    if mailbox.server == "fts":
        ServerProfile.objects.create(
            domain=FTS_DOMAIN, imap_host="127.0.0.1", imap_port=mailbox.port, imap_security="starttls", imap_login="address",
            smtp_host="127.0.0.1", smtp_port=int(os.environ["WEBMAIL_SMTP_PORT"]), smtp_security="starttls", smtp_login="address",
            verify_tls=True, ca_file=os.environ["WEBMAIL_IMAP_CA_FILE"],
        )
    response = client.post("/accounts/login/", {"email": mailbox.user.email, "password": mailbox.user.password})
    assert response.status_code == 302, response.content[:300]
    return client


def search_all(client, word: str) -> tuple[str, dict[str, list[int]]]:
    """The search page of every folder, message text included: its HTML and UIDs per folder."""
    response = client.get("/mail/search/?" + urlencode({"q": word, "body": "1"}))
    assert response.status_code == 200
    html = response.content.decode()
    found: dict[str, list[int]] = {}
    for uid, ref in ROW.findall(html):
        found.setdefault(unquote(unescape(ref).rsplit("/", 1)[0]), []).append(int(uid))
    return html, {folder: sorted(uids) for folder, uids in found.items()}


def search_folder(client, folder: str, word: str) -> tuple[str, list[int]]:
    """One folder's list searched, message text included: its HTML and UIDs in page order."""
    response = client.get(f"/mail/{folder}/?" + urlencode({"q": word, "body": "1"}))
    assert response.status_code == 200
    html = response.content.decode()
    return html, [int(uid) for uid in re.findall(rf'<a href="/mail/{re.escape(folder)}/(\d+)/">', html)]


@pytest.mark.parametrize("word", WORDS)
def test_message_text_is_found_in_every_folder_where_the_server_finds_it(signed_in, mailbox, word):
    _html, found = search_all(signed_in, word)
    server = mailbox.server_text(word, SEARCHED)
    expected = {folder: uids for folder, uids in server.items() if uids}
    assert expected, f"{mailbox.server} finds {word!r}"
    assert found == expected
    assert "Trash" not in found  # Trash only when asked
    for folder in SEARCHED:
        _html, listed = search_folder(signed_in, folder, word)
        assert sorted(listed) == server[folder], folder


def test_a_word_only_in_the_second_text_part_is_found(signed_in, mailbox):
    _html, found = search_all(signed_in, "zebracorn")
    assert found == {"INBOX": [mailbox.uids["two-parts"][1]], "Archive": [mailbox.uids["archive"][1]]}
    assert mailbox.server_text("hello", ["INBOX"])["INBOX"] == [mailbox.uids["two-parts"][1]]  # the first part is text too


def test_a_non_ascii_word_is_found_in_any_case(signed_in, mailbox):
    _html, found = search_all(signed_in, "käsekuchen")
    assert found == {"INBOX": [mailbox.uids["non-ascii"][1]], "Work": [mailbox.uids["work"][1]]}
    assert found == {f: uids for f, uids in mailbox.server_text("käsekuchen", SEARCHED).items() if uids}


def test_the_last_word_of_a_text_without_a_line_break_is_found_where_the_server_finds_it(signed_in, mailbox):
    """Without the webmail's index the server's answer is the page's, also where the server's
    own index misses a word (fts-xapian 1.5.5: the last word of a text without a line break)."""
    _html, found = search_all(signed_in, "quillfeather")
    assert found == {f: uids for f, uids in mailbox.server_text("quillfeather", SEARCHED).items() if uids}
    if mailbox.server == "dovecot":  # a scan of the mail finds it
        assert found == {"Work": [mailbox.uids["unterminated"][1]]}


def test_a_word_nothing_has_finds_no_messages_and_says_so(signed_in, mailbox):
    assert mailbox.server_text(NOTHING, SEARCHED) == {folder: [] for folder in SEARCHED}
    html, found = search_all(signed_in, NOTHING)
    assert found == {}
    assert f"No messages match “{NOTHING}”." in html
    assert 'data-total="0"' in html
    assert "could not search" not in html and "Not searched in time" not in html
    html, listed = search_folder(signed_in, "INBOX", NOTHING)
    assert listed == []
    assert f"No messages match “{NOTHING}”." in html


def test_the_server_is_asked_text_as_it_advertises_no_fuzzy_search(signed_in, mailbox):
    """Neither Dovecot advertises SEARCH=FUZZY (fts-xapian 1.5.5 does not make Dovecot say it):
    the webmail asks `TEXT`, never `FUZZY TEXT`, and gets the server's answer."""
    with mailbox.direct() as imap:
        assert b"SEARCH=FUZZY" not in imap.capabilities()
    with imap_commands_sent() as sent:
        _html, found = search_all(signed_in, "budget")
    searches = [c for c in sent if re.match(r"(UID )?(SEARCH|SORT|ESEARCH)\b", c)]
    assert searches and all("FUZZY" not in c for c in searches)
    assert any("TEXT" in c for c in searches)
    assert found == {f: uids for f, uids in mailbox.server_text("budget", SEARCHED).items() if uids}


@pytest.mark.parametrize("mailbox", ["fts"], indirect=True)  # the stack's Dovecot has no index to look at
def test_the_fts_server_answers_from_the_index_it_builds_when_searched(signed_in, mailbox):
    """fts_autoindex = no: nothing is indexed until a search; the webmail's search makes the
    server index the folder (~/index/xapian-indexes, one database per folder) and answer from it."""
    assert mailbox.server == "fts"
    folder = f"Fresh-{uuid.uuid4().hex[:6]}"
    with mailbox.direct() as imap:
        imap.create_folder(folder)
        imap.subscribe_folder(folder)
        imap.append(folder, _mail("fresh", "Fresh", "text/plain; charset=utf-8", "A fresh budget line."))
    try:
        indexes = mailbox.home / "index" / "xapian-indexes"
        before = {p.name for p in indexes.glob("db_*")}
        _html, listed = search_folder(signed_in, folder, "budget")
        assert len(listed) == 1
        assert {p.name for p in indexes.glob("db_*")} - before, "the server built the folder's index for the webmail's search"
        assert not (mailbox.home / "Maildir" / "xapian-indexes").exists(), "the index is no folder of the person's"
        assert mailbox.server_text("budget", [folder])[folder] == listed
    finally:
        with mailbox.direct() as imap:  # the module's other tests search every folder
            imap.delete_folder(folder)


def test_the_webmails_own_index_finds_the_same_beside_the_servers(signed_in, mailbox):
    """With the person's index filled, body search is answered from it (no folder is named as
    searched without an index) and finds what the server finds; mail that arrives after the fill
    is searched on the server (`UID n:* TEXT`), here its index or its scan."""
    user = get_user_model().objects.get(username=mailbox.user.email)
    try:
        with get_pool().session(user) as imap:
            result = index_fill(imap=imap, user_pk=user.pk, seconds=60)
        assert result.done and not result.busy
        for word in WORDS:
            html, found = search_all(signed_in, word)
            assert "search-unindexed" not in html, word
            assert found == {f: uids for f, uids in mailbox.server_text(word, SEARCHED).items() if uids}, word
        # A word the FTS server's index leaves out (see SEED): the webmail's index has it.
        _html, found = search_all(signed_in, "quillfeather")
        assert found == {"Work": [mailbox.uids["unterminated"][1]]}
        with mailbox.direct() as imap:
            imap.append("INBOX", _mail("late", "Late", "text/plain; charset=utf-8", "A late zebracorn."))
        html, found = search_all(signed_in, "zebracorn")
        assert "search-unindexed" not in html
        expected = mailbox.server_text("zebracorn", SEARCHED)
        assert len(expected["INBOX"]) == 2
        assert found == {f: uids for f, uids in expected.items() if uids}
    finally:
        remove_index(user_index_path(user.pk))
        with mailbox.direct() as imap:  # the module's other tests count on the seeded mail
            imap.select_folder("INBOX")
            if late := imap.search(["HEADER", "X-Test-Case", "late"]):
                imap.delete_messages(late)
                imap.expunge()


def test_a_conversation_shows_my_reply_from_sent_though_the_server_cannot_search_its_headers(signed_in, mailbox):
    """The person's replies in Sent are found by `SEARCH HEADER References/In-Reply-To`; a
    Dovecot with fts-xapian answers those from an index without these headers: nothing. The
    webmail notices (a reply in Sent its search does not find) and reads the threading headers
    of the Sent mail since the conversation began instead."""
    tag = uuid.uuid4().hex[:8]
    first = f"<plan-{tag}-{uuid.uuid4().hex}@example.org>"
    mine = (
        f"From: Me <{mailbox.user.email}>\r\nTo: Ann <ann@example.org>\r\nSubject: Re: Plan {tag}\r\n"
        f"Message-ID: <re-{tag}@example.test>\r\nIn-Reply-To: {first}\r\nReferences: {first}\r\n"
        f"Date: Wed, 02 Dec 2026 10:00:00 +0000\r\n\r\nMy answer.\r\n"
    ).encode()
    theirs = (
        f"From: Ann <ann@example.org>\r\nTo: {mailbox.user.email}\r\nSubject: Plan {tag}\r\nMessage-ID: {first}\r\n"
        f"Date: Tue, 01 Dec 2026 10:00:00 +0000\r\n\r\nA plan.\r\n"
    ).encode()
    with mailbox.direct() as imap:
        imap.append("Sent", mine, flags=[b"\\Seen"])
        imap.append("INBOX", theirs, flags=[b"\\Seen"])
        imap.select_folder("INBOX", readonly=True)
        (uid,) = imap.search(["SUBJECT", f"Plan {tag}"])
        imap.select_folder("Sent", readonly=True)
        (reply,) = imap.search(["SUBJECT", f"Plan {tag}"])
    try:
        response = signed_in.get(f"/mail/INBOX/thread/{uid}/")
        assert response.status_code == 200
        items = re.findall(r'<li class="conversation-message[^"]*" data-uid="(\d+)" data-folder="([^"]+)">', response.content.decode())
        assert [(folder, int(u)) for u, folder in items] == [("INBOX", uid), ("Sent", reply)]
    finally:
        with mailbox.direct() as imap:  # the module's other tests search every folder
            for folder, found in (("INBOX", uid), ("Sent", reply)):
                imap.select_folder(folder)
                imap.delete_messages([found])
                imap.expunge()


def test_a_snooze_return_stopped_after_its_append_leaves_one_copy_though_the_server_cannot_search_its_marker(signed_in, mailbox, monkeypatch):
    """A return that stopped between putting the copy back and expunging the original is tried
    again; the copy is known by its marker header (`SEARCH HEADER X-Webmail-Snooze-Return`),
    which a Dovecot with fts-xapian never finds: there the marker is read from the newest mail."""
    from datetime import timedelta

    from django.utils import timezone

    from mailview.imap import ImapConnectionError
    from mailview.models import Snooze
    from mailview.services.filing.snooze import snoozes_wake

    subject = f"Snooze me {uuid.uuid4().hex[:8]}"
    with mailbox.direct() as imap:
        imap.append("INBOX", _mail("snooze", subject, "text/plain; charset=utf-8", "Later."), flags=[b"\\Seen"])
        imap.select_folder("INBOX", readonly=True)
        (uid,) = imap.search(["SUBJECT", subject])
    try:
        assert signed_in.post("/snooze/", {"folder": "INBOX", "uid": [uid], "choice": "tomorrow", "next": "/mail/INBOX/"}).status_code == 302
        Snooze.objects.filter(user__username=mailbox.user.email).update(due_at=timezone.now() - timedelta(seconds=1))
        user = get_user_model().objects.get(username=mailbox.user.email)
        with get_pool().session(user) as imap:
            append = imap.append

            def append_then_stop(*args, **kwargs):
                append(*args, **kwargs)
                raise ImapConnectionError("connection lost")

            monkeypatch.setattr(imap, "append", append_then_stop)
            with pytest.raises(ImapConnectionError):
                snoozes_wake(imap=imap, user=user)
            monkeypatch.undo()
            snoozes_wake(imap=imap, user=user)  # the next sweep
        with mailbox.direct() as imap:
            imap.select_folder("INBOX", readonly=True)
            assert len(imap.search(["SUBJECT", subject])) == 1, "exactly one copy back"
            imap.select_folder("Snoozed", readonly=True)
            assert imap.search(["SUBJECT", subject]) == []
        assert not Snooze.objects.filter(user__username=mailbox.user.email).exists()
    finally:
        with mailbox.direct() as imap:  # the module's other tests search every folder
            for folder in ("INBOX", "Snoozed"):
                if imap.folder_exists(folder):
                    imap.select_folder(folder)
                    if found := imap.search(["SUBJECT", subject]):
                        imap.delete_messages(found)
                        imap.expunge()


def test_the_header_search_check_tells_the_server_with_the_index_from_the_one_without(signed_in, mailbox):
    from mailview.imap import connection

    user = get_user_model().objects.get(username=mailbox.user.email)
    with get_pool().session(user) as imap:
        connection._HEADER_SEARCH_BLIND.pop(f"{imap.endpoint.host}:{imap.endpoint.port}", None)  # checked afresh
        imap.select("INBOX", readonly=True)
        assert imap.header_search_blind() is (mailbox.server == "fts")
        with imap_commands_sent() as sent:
            assert imap.header_search_blind() is (mailbox.server == "fts")
        assert sent == [], "checked once per process and server"
