"""A message whose FETCH answer is one line over imaplib's 1 MB limit (a hostile BODYSTRUCTURE:
a megabyte of filename, or thousands of parts with long names; a megabyte of Subject in its
ENVELOPE), against the real Dovecot: the list, the conversation list, search results, the
message page and the live sync's row fetch all answer, the message's row is listed (without
its structure: no paperclip, no preview), its neighbours in full, and the pooled connection
is never left mid-line for the next request (it is dropped and a fresh one opened).
"""
from __future__ import annotations

import base64
import re
import uuid
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model

from mailview.imap import connection as imap_connection
from mailview.imap import get_pool
from mailview.imap.connection import RawAddress
from mailview.services.live import events
from mailview.services.live.state import folder_states_forget
from mailview.services.live.sync import folders_sync
from mailview.templatetags.mail_list import message_rows
from tests.support import imap_direct, mailbox_of_cases, new_mail_user

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 4 + b"\n%%EOF\n"
ROW = re.compile(r'<tr class="message[^"]*" data-uid="(\d+)"[^>]*>(.*?)</tr>', re.S)


def _message(case: str, subject: str, content_type: str, body: bytes) -> bytes:
    head = (
        f"X-Test-Case: {case}\r\nFrom: Sender <sender@example.org>\r\nTo: reader@example.test\r\nSubject: {subject}\r\n"
        f"Date: Tue, 01 Dec 2026 10:00:00 +0000\r\nMessage-ID: <{uuid.uuid4().hex}@example.org>\r\nMIME-Version: 1.0\r\n"
        f"{content_type}\r\n\r\n"
    )
    return head.encode() + body + b"\r\n"


def _multipart(parts: list[bytes], boundary: str) -> tuple[str, bytes]:
    body = b"".join(b"--" + boundary.encode() + b"\r\n" + p + b"\r\n" for p in parts) + b"--" + boundary.encode() + b"--"
    return f'Content-Type: multipart/mixed; boundary="{boundary}"', body


def _plain(case: str, subject: str, text: str) -> bytes:
    return _message(case, subject, "Content-Type: text/plain; charset=utf-8", text.encode())


def _huge_filename() -> bytes:
    """One attachment whose name is 1.1 MB: Dovecot sends it quoted, on the BODYSTRUCTURE's one line."""
    ctype, body = _multipart([
        b"Content-Type: text/plain; charset=utf-8\r\n\r\nThe text before a huge name.",
        b'Content-Type: application/octet-stream; name="' + b"n" * 1_100_000 + b'.bin"\r\nContent-Disposition: attachment\r\n\r\ndata',
    ], "huge-name")
    return _message("huge-name", "Echo huge filename", ctype, body)


def _many_parts() -> bytes:
    """6,000 parts with 160-character names: a BODYSTRUCTURE line of about 1.4 MB."""
    name = "p" * 160
    ctype, body = _multipart(
        [f'Content-Type: text/plain; charset=us-ascii; name="{name}{i}.txt"\r\n\r\nx'.encode() for i in range(6000)], "many-parts"
    )
    return _message("many-parts", "Foxtrot thousands of parts", ctype, body)


def _many_recipients() -> bytes:
    """50,000 short addresses in Cc: the ENVELOPE's line is over the limit (the BODYSTRUCTURE is
    not; a long value such as a megabyte of Subject comes as a literal, on no line)."""
    cc = ",\r\n ".join(f"p{i}@example.org" for i in range(50_000))
    return _message("many-recipients", "Golf many recipients", f"Cc: {cc}\r\nContent-Type: text/plain; charset=utf-8",
                    b"The text to many people.")


def _with_attachment() -> bytes:
    ctype, body = _multipart([
        b"Content-Type: text/plain; charset=utf-8\r\n\r\nThe text beside a PDF.",
        b"Content-Type: application/pdf; name=report.pdf\r\nContent-Disposition: attachment; filename=report.pdf\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n" + base64.encodebytes(PDF),
    ], "att")
    return _message("attachment", "Bravo with attachment", ctype, body)


SUBJECTS = {
    "alpha": "Alpha before", "attachment": "Bravo with attachment", "huge-name": "Echo huge filename",
    "many-parts": "Foxtrot thousands of parts", "many-recipients": "Golf many recipients", "delta": "Delta after",
}


@pytest.fixture(scope="module")
def mailbox():
    """One mail user holding the hostile messages between ordinary ones; (user, {case: uid})."""
    return mailbox_of_cases("bigline", {
        "alpha": _plain("alpha", "Alpha before", "An ordinary message before."),
        "attachment": _with_attachment(),
        "huge-name": _huge_filename(),
        "many-parts": _many_parts(),
        "many-recipients": _many_recipients(),
        "delta": _plain("delta", "Delta after", "An ordinary message after."),
    })


@pytest.fixture(autouse=True)
def _nothing_known_oversized():
    imap_connection.forget_oversized()
    yield
    imap_connection.forget_oversized()


@pytest.fixture
def reader(client, mailbox):
    user, _ = mailbox
    assert client.post("/accounts/login/", {"email": user.email, "password": user.password}).status_code == 302
    return client


def _rows(html: str) -> dict[int, str]:
    return {int(uid): row for uid, row in ROW.findall(html)}


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return response.content.decode()


def _connection_still_speaks(mailbox) -> None:
    """The pooled connection the page used answers the next command as itself (not with the
    rest of a line left on its socket)."""
    user, uids = mailbox
    account = get_user_model().objects.get(username=user.email)
    with get_pool().session(account) as imap:
        imap.select("INBOX")
        assert imap.fetch_flags([uids["alpha"], uids["delta"]]).keys() == {uids["alpha"], uids["delta"]}


def _answers_are_over_the_limit(mailbox) -> None:
    """What the tests rely on: Dovecot's answer for these messages is over imaplib's line limit
    (each asked on a connection of its own: the rest of the line stays on the socket)."""
    user, uids = mailbox
    for case, item in (("huge-name", b"BODYSTRUCTURE"), ("many-parts", b"BODYSTRUCTURE"), ("many-recipients", b"ENVELOPE")):
        with imap_direct(user) as imap:
            imap.select_folder("INBOX", readonly=True)
            with pytest.raises(Exception, match="got more than"):
                imap.fetch([uids[case]], [item])


@pytest.mark.parametrize("view", ["flat", "conversations"])
def test_the_list_shows_every_row_and_the_next_request_still_works(reader, mailbox, view):
    _, uids = mailbox
    html = _page(reader, f"/mail/INBOX/?view={view}")
    rows = _rows(html)
    assert set(rows) == set(uids.values())
    for case, subject in SUBJECTS.items():
        assert subject in rows[uids[case]]
    assert "paperclip" in rows[uids["attachment"]]  # the neighbours' rows are whole
    assert "paperclip" not in rows[uids["huge-name"]]  # its structure could not be read
    # The same session, the next request: the pooled connection was not left mid-line.
    again = _rows(_page(reader, f"/mail/INBOX/?view={view}"))
    assert set(again) == set(uids.values())
    assert "Alpha before" in _page(reader, f"/mail/INBOX/{uids['alpha']}/")
    _connection_still_speaks(mailbox)


def test_search_results_list_every_match(reader, mailbox):
    _, uids = mailbox
    everywhere = _rows(_page(reader, "/mail/search/?" + urlencode({"q": "from:sender@example.org"})))
    assert set(everywhere) == set(uids.values())
    in_folder = _rows(_page(reader, "/mail/INBOX/?" + urlencode({"q": "from:sender@example.org", "view": "flat"})))
    assert set(in_folder) == set(uids.values())
    assert "Delta after" in _page(reader, f"/mail/INBOX/{uids['delta']}/")
    _connection_still_speaks(mailbox)


@pytest.mark.parametrize("case", ["huge-name", "many-parts"])
def test_a_message_too_complex_to_read_opens_with_a_way_to_its_source(reader, mailbox, case):
    _, uids = mailbox
    page = _page(reader, f"/mail/INBOX/{uids[case]}/")
    assert SUBJECTS[case] in page
    assert "notice-too-complex" in page
    assert f"/mail/INBOX/{uids[case]}/raw/" in page
    assert _page(reader, f"/mail/INBOX/{uids[case]}/body/")  # the body document answers too
    assert "notice-too-complex" in _page(reader, f"/mail/INBOX/{uids[case]}/print/")
    raw = reader.get(f"/mail/INBOX/{uids[case]}/raw/")
    assert raw.status_code == 200 and SUBJECTS[case].encode() in b"".join(raw.streaming_content)
    assert "The text beside a PDF." in _page(reader, f"/mail/INBOX/{uids['attachment']}/body/")
    _connection_still_speaks(mailbox)


def test_a_message_with_an_envelope_too_large_opens_in_full(reader, mailbox):
    """Its ENVELOPE is over the limit, its structure is not: the page shows its text and its
    recipients (the first of them: the header field is read as far as a row reads it)."""
    _, uids = mailbox
    page = _page(reader, f"/mail/INBOX/{uids['many-recipients']}/")
    assert "Golf many recipients" in page and "notice-too-complex" not in page
    assert "p0@example.org" in page and "p99@example.org" in page
    assert "The text to many people." in _page(reader, f"/mail/INBOX/{uids['many-recipients']}/body/")
    _connection_still_speaks(mailbox)


def test_a_conversation_holding_it_opens(reader, mailbox):
    _, uids = mailbox
    page = _page(reader, f"/mail/INBOX/thread/{uids['huge-name']}/")
    assert "Echo huge filename" in page


def test_row_fetches_isolate_the_message_and_remember_it(reader, mailbox):
    """What every row fetch goes through (lists, search, conversations, the live sync's new
    rows: `fetch_summaries` with previews): the hostile ones come back without their structure,
    the others with it; the next page costs no new connection."""
    _answers_are_over_the_limit(mailbox)
    user, uids = mailbox
    account = get_user_model().objects.get(username=user.email)
    pool = get_pool()
    everything = sorted(uids.values())
    hostile = {uids["huge-name"], uids["many-parts"]}
    with pool.session(account) as imap:
        imap.select("INBOX")
        summaries = imap.fetch_summaries(everything, preview=everything)
        rows = imap.fetch_list_rows(everything)
        assert set(summaries) == set(rows) == set(everything)
        for found in (summaries, rows):
            assert {uid for uid, s in found.items() if s.oversized} == hostile
            assert all(s.bodystructure is None for uid, s in found.items() if uid in hostile)
            assert all(s.bodystructure is not None for uid, s in found.items() if uid not in hostile)
        assert summaries[uids["many-recipients"]].subject == b"Golf many recipients"
        assert summaries[uids["many-recipients"]].cc[:2] == (RawAddress(None, "p0", "example.org"), RawAddress(None, "p1", "example.org"))
        logins = pool.stats()["logins"]
        assert imap.fetch_list_rows(everything).keys() == set(everything)
        assert imap.fetch_summaries(everything, preview=everything).keys() == set(everything)
        assert pool.stats()["logins"] == logins  # remembered: asked the way that works at once


def test_the_live_sync_adds_its_row_with_its_neighbours(client):
    """A hostile message arriving while a tab is open: the sync's one FETCH of the new rows
    isolates it, one rows_added event carries both new rows, and the next sync says nothing."""
    mail_user = new_mail_user("bigsync")
    assert client.post("/accounts/login/", {"email": mail_user.email, "password": mail_user.password}).status_code == 302
    user = get_user_model().objects.get(username=mail_user.email)
    folder_states_forget(user_pk=user.pk)
    with imap_direct(mail_user) as imap:
        imap.append("INBOX", _plain("first", "Hotel first", "Already there."))

    def run_sync() -> list[events.Event]:
        before = events.latest_event_id(user.pk)
        with get_pool().session(user) as imap:
            folders_sync(imap=imap, user_pk=user.pk, folders=["INBOX"], render_rows=message_rows)
        return events.events_after(user.pk, before) or []

    assert run_sync() == []
    with imap_direct(mail_user) as imap:
        imap.append("INBOX", _huge_filename())
        imap.append("INBOX", _plain("after", "India after", "Arrived after it."))
    found = run_sync()
    assert [e.kind for e in found] == ["rows_added", "counts"]
    rows = found[0].data["rows"]
    assert [r["uid"] for r in rows] == [2, 3]
    assert "Echo huge filename" in rows[0]["html"] and "India after" in rows[1]["html"]
    assert run_sync() == []
    folder_states_forget(user_pk=user.pk)


def test_a_connection_left_mid_line_is_closed_not_handed_out_again(reader, mailbox):
    """The raw overflow, with no command after it in the same session: the connection says it
    is not open, the pool closes it when it comes back, and the next session gets a fresh one."""
    from mailview.imap import ImapResponseTooLarge

    user, uids = mailbox
    account = get_user_model().objects.get(username=user.email)
    pool = get_pool()
    with pool.session(account) as imap:
        imap.select("INBOX")
        with pytest.raises(ImapResponseTooLarge):
            imap._fetch([uids["huge-name"]], [b"UID", b"BODYSTRUCTURE"])
        assert not imap.is_open
        dropped = imap
    closed = pool.stats()["closed"]
    with pool.session(account) as imap:
        assert imap is not dropped
        imap.select("INBOX")
        assert imap.fetch_flags([uids["delta"]]).keys() == {uids["delta"]}
    assert closed >= 1 and dropped._client is None
