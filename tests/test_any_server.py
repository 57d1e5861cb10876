"""The same integration suite against Dovecot, Cyrus and Courier (issue #14): sign-in, the
folder tree, lists, sorting, search, opening, downloads, flags, move and undo, delete to
Trash, folder admin, drafts, and sending with a Sent copy. Each test runs once per server;
its id (`[cyrus]`) names the server a failure belongs to.

The three servers (started by scripts/test.sh: scripts/mailstack.sh and scripts/imapservers.sh)
differ the way real deployments do: Dovecot (default profile, addresses as logins, every
extension), Cyrus 3.6 (local parts as logins, special-use folders made at the first login,
ESORT without PARTIAL), Courier 5.0 (every folder under `INBOX.`, no special folders, no
LIST-EXTENDED, SPECIAL-USE, MOVE, ESORT or UIDNEXT on SELECT; STARTTLS required, as Cyrus and
Dovecot offer it).
"""
from __future__ import annotations

import os
import re
import ssl
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from imapclient import IMAPClient

from accounts.models import ServerProfile
from mailview.models import Compose
from tests.support import CREATED_MAIL_USERS, REPO, MailUser, act, append_message, imap_commands_sent, mailstack, wait_until

pytestmark = pytest.mark.django_db(transaction=True)
JSON = {"HTTP_ACCEPT": "application/json"}
IMAPSERVERS = REPO / "scripts" / "imapservers.sh"


def imapservers(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(IMAPSERVERS), *args], capture_output=True, text=True, check=True, timeout=120)


@dataclass(frozen=True)
class Server:
    """One of the three servers: how to make a person there and how to look at their mail."""

    name: str
    domain: str
    port: int
    security: str
    login_format: str  # what the profile tells the app (the server's own login names)
    prefix: str  # the personal namespace: where new folders go
    separator: str

    def login_of(self, user: MailUser) -> str:
        return user.email.split("@")[0] if self.login_format == "localpart" else user.email

    def folder(self, name: str) -> str:
        """`Work/Sub` as this server names it."""
        return name if name == "INBOX" else self.prefix + name.replace("/", self.separator)

    def direct(self, user: MailUser) -> IMAPClient:
        """An independent connection (not the app's pool) to check the server's state."""
        client = IMAPClient("127.0.0.1", port=self.port, ssl=False, timeout=30)
        if self.security == "starttls":
            client.starttls(ssl.create_default_context(cafile=os.environ["WEBMAIL_IMAP_CA_FILE"]))
        client.login(self.login_of(user), user.password)
        return client

    def subjects(self, user: MailUser, folder: str) -> list[str]:
        with self.direct(user) as imap:
            imap.select_folder(self.folder(folder), readonly=True)
            uids = imap.search(["ALL"])
            data = imap.fetch(uids, ["ENVELOPE"]) if uids else {}
        return sorted(v[b"ENVELOPE"].subject.decode() for v in data.values())

    def folders(self, user: MailUser) -> set[str]:
        with self.direct(user) as imap:
            return {name for _flags, _delimiter, name in imap.list_folders()}


SERVERS = {
    "dovecot": Server("dovecot", "example.test", 0, "starttls", "address", "", "/"),
    "cyrus": Server("cyrus", "cyrus.test", 0, "starttls", "localpart", "", "/"),
    "courier": Server("courier", "courier.test", 0, "starttls", "%u", "INBOX.", "."),
}
PORTS = {"dovecot": "WEBMAIL_IMAP_PORT", "cyrus": "MAILSTACK_CYRUS_PORT", "courier": "MAILSTACK_COURIER_PORT"}
_MADE: dict[str, list[str]] = {"cyrus": [], "courier": []}


@pytest.fixture(scope="module", autouse=True)
def _remove_server_users() -> Iterator[None]:
    yield
    for name, emails in _MADE.items():
        if emails:
            imapservers("deluser", name, *emails)
            emails.clear()


@pytest.fixture(params=list(SERVERS), ids=list(SERVERS))
def srv(request) -> Server:
    base = SERVERS[request.param]
    server = Server(**{**base.__dict__, "port": int(os.environ[PORTS[base.name]])})
    if server.name != "dovecot":
        ServerProfile.objects.create(
            domain=server.domain, imap_host="127.0.0.1", imap_port=server.port, imap_security=server.security,
            imap_login=server.login_format, smtp_login="address",
            smtp_host="127.0.0.1", smtp_port=int(os.environ["WEBMAIL_SMTP_PORT"]), smtp_security="starttls",
            verify_tls=True, ca_file=os.environ["WEBMAIL_IMAP_CA_FILE"],
        )
    return server


def person_on(server: Server, prefix: str = "any") -> MailUser:
    """A new mail user on `server`. Cyrus and Courier people are also known to Dovecot, whose
    accounts the SMTP submission server checks (and where mail to them is delivered)."""
    user = MailUser(f"{prefix}-{uuid.uuid4().hex[:10]}@{server.domain}", f"pw-{uuid.uuid4().hex[:12]}")
    CREATED_MAIL_USERS.append(user.email)
    mailstack("adduser", user.email, user.password)
    if server.name != "dovecot":
        imapservers("adduser", server.name, user.email, user.password)
        _MADE[server.name].append(user.email)
    return user


@pytest.fixture
def person(client, srv) -> MailUser:
    """Signed in, with six messages in INBOX and a folder Work."""
    user = person_on(srv)
    with srv.direct(user) as imap:
        imap.create_folder(srv.folder("Work"))
        imap.subscribe_folder(srv.folder("Work"))
        for n, sender in enumerate(["Carol <c@example.org>", "alice <a@example.org>", "Bob <b@example.org>"] * 2):
            append_message(imap, "INBOX", subject=f"message {n}", sender=sender)
    response = client.post("/accounts/login/", {"email": user.email, "password": user.password})
    assert response.status_code == 302, f"{srv.name}: sign-in failed"
    return user


def list_subjects(client, folder: str, query: str = "") -> list[str]:
    response = client.get(f"/mail/{folder}/{query}")
    assert response.status_code == 200, response.content[:300]
    return re.findall(rf'<a href="/mail/{re.escape(folder)}/\d+/">(.*?)</a>', response.content.decode())


def uid_of(server: Server, user: MailUser, folder: str, subject: str) -> int:
    with server.direct(user) as imap:
        imap.select_folder(server.folder(folder), readonly=True)
        return int(imap.search(["SUBJECT", subject])[0])


# -- reading ------------------------------------------------------------------------------


def test_sign_in_and_the_folder_tree(client, srv, person):
    page = client.get("/mail/INBOX/").content.decode()
    assert "message 5" in page
    work = srv.folder("Work")
    # Courier's INBOX.Work shows at the top level, named Work, linked by its full name.
    assert re.search(rf'href="/mail/{re.escape(work)}/"[^>]*>\s*(<[^>]+>\s*)*Work\b', page), f"{srv.name}: no Work in the tree"
    # The person's identity is the address, whatever the server's login name is.
    assert person.email in page


def test_list_sort_and_search(client, srv, person):
    assert sorted(list_subjects(client, "INBOX")) == [f"message {n}" for n in range(6)]
    assert list_subjects(client, "INBOX", "?sort=subject&order=asc") == [f"message {n}" for n in range(6)]
    assert list_subjects(client, "INBOX", "?sort=subject&order=desc") == [f"message {n}" for n in range(5, -1, -1)]
    by_sender = list_subjects(client, "INBOX", "?sort=from&order=asc")
    assert set(by_sender[:2]) == {"message 1", "message 4"}, f"{srv.name}: {by_sender}"  # alice first
    assert sorted(list_subjects(client, "INBOX", "?q=message+3")) == ["message 3"]
    assert sorted(list_subjects(client, "INBOX", "?q=Bob")) == ["message 2", "message 5"]


def test_body_search_without_an_index_asks_the_server_fuzzy_where_advertised(client, srv, person, monkeypatch):
    """A folder the webmail has not indexed is searched on the server; where the server
    advertises SEARCH=FUZZY (Cyrus here) the text keys ask for it (RFC 6203). Cyrus without a
    search engine answers every FUZZY key with nothing: the search is asked again without it,
    and that server is not asked FUZZY again."""
    from mailview.imap import connection

    monkeypatch.setattr(connection, "_FUZZY_EMPTY", set())
    with srv.direct(person) as imap:
        imap.append(
            "INBOX",
            b"From: Dora <d@example.org>\r\nTo: x@example.test\r\nSubject: Travel plans\r\n"
            b"Message-ID: <travel-" + uuid.uuid4().hex.encode() + b"@example.org>\r\n\r\nWe fly with the zeppelin tomorrow.\r\n",
        )
    with imap_commands_sent() as sent:
        everywhere = client.get("/mail/search/?q=zeppelin&body=1").content.decode()
    assert "Travel plans" in everywhere, f"{srv.name}: not found searching every folder"
    asked_fuzzy = [c for c in sent if "FUZZY" in c.upper()]
    assert bool(asked_fuzzy) == (srv.name == "cyrus"), f"{srv.name}: {[c for c in sent if 'SEARCH' in c.upper() or 'SORT' in c.upper()]}"
    with imap_commands_sent() as sent:
        found = list_subjects(client, "INBOX", "?q=zeppelin&body=1")
    assert found == ["Travel plans"], f"{srv.name}: {found}"
    assert not [c for c in sent if "FUZZY" in c.upper()]  # Cyrus: known now to find nothing with it


def test_paging_past_the_first_page(client, srv, person):
    with srv.direct(person) as imap:
        for n in range(6, 60):
            append_message(imap, "INBOX", subject=f"message {n}")
    first = list_subjects(client, "INBOX", "?sort=subject&order=desc")
    second = list_subjects(client, "INBOX", "?sort=subject&order=desc&page=2")
    assert len(first) == 50 and len(second) == 10
    assert not set(first) & set(second)


def test_open_and_download(client, srv, person):
    uid = uid_of(srv, person, "INBOX", "message 2")
    page = client.get(f"/mail/INBOX/{uid}/")
    assert page.status_code == 200 and "message 2" in page.content.decode()
    raw = client.get(f"/mail/INBOX/{uid}/raw/")
    assert raw.status_code == 200
    assert b"Subject: message 2" in b"".join(raw.streaming_content) if raw.streaming else raw.content


def test_download_without_binary_carries_an_estimated_size_for_progress(client, srv, person):
    """Courier has no BINARY, so the decoded size of a base64 attachment is unknown and the
    download has no Content-Length; it carries the size estimated from BODYSTRUCTURE, which
    the page's progress bar uses. Servers with BINARY give the exact Content-Length."""
    import base64
    import random

    data = random.Random(14).randbytes(300_000)  # noqa: S311 - test data, not a secret
    encoded = base64.encodebytes(data).replace(b"\n", b"\r\n")  # 76-character lines, as mail is written
    raw = (
        b"From: a@example.org\r\nTo: x@example.test\r\nSubject: with attachment\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n'
        b"--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"data.bin\"\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n" + encoded + b"--b--\r\n"
    )
    with srv.direct(person) as imap:
        imap.append("INBOX", raw)
        has_binary = b"BINARY" in imap.capabilities()
    uid = uid_of(srv, person, "INBOX", "with attachment")
    assert "data-download-progress" in client.get(f"/mail/INBOX/{uid}/").content.decode()  # message.js's hook
    response = client.get(f"/mail/INBOX/{uid}/part/2/?download=1")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    if has_binary:
        assert response["Content-Length"] == str(len(data))
        assert not response.has_header("X-Estimated-Content-Length")
    else:
        assert srv.name == "courier"
        assert not response.has_header("Content-Length")
        estimate = int(response["X-Estimated-Content-Length"])
        assert abs(estimate - len(data)) <= len(data) * 0.01, (estimate, len(data))


# -- filing -------------------------------------------------------------------------------


def test_flags(celery_worker, client, srv, person):
    uid = uid_of(srv, person, "INBOX", "message 0")
    assert act(client, action="flag", folder="INBOX", uid=[uid])["state"] == "done"
    with srv.direct(person) as imap:
        imap.select_folder("INBOX", readonly=True)
        assert b"\\Flagged" in imap.get_flags([uid])[uid]
    assert act(client, action="unflag", folder="INBOX", uid=[uid])["state"] == "done"
    with srv.direct(person) as imap:
        imap.select_folder("INBOX", readonly=True)
        assert b"\\Flagged" not in imap.get_flags([uid])[uid]


def test_move_and_undo(celery_worker, client, srv, person):
    uids = [uid_of(srv, person, "INBOX", f"message {n}") for n in (0, 1)]
    state = act(client, action="move", folder="INBOX", uid=uids, target=srv.folder("Work"))
    assert state["state"] == "done" and state["undo"] is True, state
    assert srv.subjects(person, "Work") == ["message 0", "message 1"]
    undo = client.post(f"/actions/{state['id']}/undo/", **JSON)
    undo_id = undo.json()["action_id"]
    wait_until(lambda: client.get(f"/actions/{undo_id}/", **JSON).json()["state"] == "done", timeout=30, message="undo")
    assert srv.subjects(person, "INBOX") == [f"message {n}" for n in range(6)]
    assert srv.subjects(person, "Work") == []


def test_delete_goes_to_trash(celery_worker, client, srv, person):
    uid = uid_of(srv, person, "INBOX", "message 4")
    state = act(client, action="delete", folder="INBOX", uid=[uid])
    assert state["state"] == "done", state
    assert "message 4" not in srv.subjects(person, "INBOX")
    trash = next(f for f in srv.folders(person) if f.rsplit(srv.separator, 1)[-1] in ("Trash", "Deleted Items", "Deleted Messages"))
    with srv.direct(person) as imap:
        imap.select_folder(trash, readonly=True)
        assert len(imap.search(["SUBJECT", "message 4"])) == 1


def test_folder_create_rename_delete(client, srv, person):
    def manage(**data):
        response = client.post("/folders/", data, follow=True)
        assert response.status_code == 200
        return response.content.decode()

    manage(op="create", name="Projects")
    assert srv.folder("Projects") in srv.folders(person), f"{srv.name}: {srv.folders(person)}"
    manage(op="create", name="Zeta", parent=srv.folder("Projects"))
    assert srv.folder("Projects/Zeta") in srv.folders(person)
    manage(op="rename", folder=srv.folder("Projects/Zeta"), name="Eta", parent=srv.folder("Projects"))
    assert srv.folder("Projects/Eta") in srv.folders(person) and srv.folder("Projects/Zeta") not in srv.folders(person)
    manage(op="delete", folder=srv.folder("Projects/Eta"), confirm="1")
    assert srv.folder("Projects/Eta") not in srv.folders(person)


# -- writing ------------------------------------------------------------------------------


def compose_form(client) -> dict[str, object]:
    from tests.test_compose import open_compose

    return open_compose(client)


def test_draft_is_saved_to_drafts(client, srv, person):
    data = compose_form(client)
    answer = client.post("/mail/compose/", {**data, "to": "x@example.org", "subject": "Draft here", "body": "b", "action": "save"}, **JSON)
    assert answer.status_code == 200 and answer.json()["saved"] is True, answer.content
    drafts = next(f for f in srv.folders(person) if f.rsplit(srv.separator, 1)[-1] in ("Drafts", "Draft"))
    with srv.direct(person) as imap:
        imap.select_folder(drafts, readonly=True)
        assert len(imap.search(["SUBJECT", "Draft here"])) == 1
    # The app's own Drafts list follows each save (issue #14: it stayed stale on Cyrus).
    assert list_subjects(client, drafts) == ["Draft here"]
    again = client.post("/mail/compose/", {**data, "to": "x@example.org", "subject": "Draft changed", "body": "c", "action": "save"}, **JSON)
    assert again.json()["saved"] is True
    assert list_subjects(client, drafts) == ["Draft changed"], f"{srv.name}: the Drafts list is stale"


def test_send_with_a_sent_copy(celery_worker, client, srv, person):
    from tests.support import new_mail_user
    from tests.test_compose import wait_for_message, wait_for_state

    bob = new_mail_user("bob")
    data = compose_form(client)
    response = client.post("/mail/compose/", {**data, "to": bob.email, "subject": "From any server", "body": "Hi", "action": "send"}, **JSON)
    assert response.status_code == 202, response.content
    compose = Compose.objects.get(pk=data["compose"])
    assert wait_for_state(compose, "sent", "failed").state == "sent", (srv.name, compose.error_code, compose.error_detail)
    wait_for_message(bob, "INBOX")
    sent = next(f for f in srv.folders(person) if f.rsplit(srv.separator, 1)[-1] in ("Sent", "Sent Items", "Sent Messages"))
    with srv.direct(person) as imap:
        imap.select_folder(sent, readonly=True)
        assert len(imap.search(["SUBJECT", "From any server"])) == 1


# -- what each server lacks, handled ------------------------------------------------------


def connection_to(server: Server, user: MailUser):
    from mailview.imap.connection import Credentials, ImapConnection, ServerEndpoint

    endpoint = ServerEndpoint(
        host="127.0.0.1", port=server.port, security=server.security, verify_tls=True, ca_file=os.environ["WEBMAIL_IMAP_CA_FILE"]
    )
    return ImapConnection(endpoint, Credentials(server.login_of(user), user.password))


def test_cyrus_is_asked_for_partial_sort_once_per_process_not_per_connection(db):
    """Cyrus 3.6 advertises ESORT and refuses `SORT RETURN (PARTIAL ...)`: the refusal is
    remembered for its host:port, so a second connection sorts without asking again."""
    from mailview.imap.connection import forget_partial_refusals, partial_sort_refused

    server = Server(**{**SERVERS["cyrus"].__dict__, "port": int(os.environ["MAILSTACK_CYRUS_PORT"])})
    user = person_on(server, "esort")
    with server.direct(user) as imap:
        for n in range(5):
            append_message(imap, "INBOX", subject=f"sorted {n}")
    forget_partial_refusals()
    from mailview.wiring import _partial_refusals_key
    from webmail.redis_client import get_redis

    get_redis().delete(_partial_refusals_key())
    first, second = connection_to(server, user), connection_to(server, user)
    try:
        assert first.has_capability("ESORT")
        first.select("INBOX")
        before = first.operations
        total, uids = first.sorted_page(sort="subject", reverse=False, first=1, last=2) or (0, [])
        assert (total, len(uids)) == (5, 2), "the page still comes, from a plain SORT"
        assert first.operations - before == 2, "one refused PARTIAL, one plain SORT"
        assert partial_sort_refused(first.endpoint)
        second.select("INBOX")
        before = second.operations
        assert second.sorted_page(sort="subject", reverse=False, first=1, last=2) is None
        assert second.operations == before, "a new connection does not ask again"
        # Another process (its own memory empty) learns it from Redis, and does not ask either.
        forget_partial_refusals()
        third = connection_to(server, user)
        try:
            third.select("INBOX")
            before = third.operations
            assert third.sorted_page(sort="subject", reverse=False, first=1, last=2) is None
            assert third.operations == before and partial_sort_refused(third.endpoint)
        finally:
            third.close()
    finally:
        first.close()
        second.close()


def test_cyrus_answers_a_whole_folder_sort_as_a_sequence_set(db):
    """A whole folder's SORT (previous/next, select all) asks `RETURN (ALL)` where ESORT is
    advertised: a few bytes for a big folder in arrival order. Cyrus 3.6 refuses PARTIAL but
    answers ALL (one command, sort order kept), also once PARTIAL's refusal is known."""
    from mailview.imap.connection import forget_partial_refusals, partial_sort_refused
    from mailview.wiring import _partial_refusals_key
    from webmail.redis_client import get_redis

    server = Server(**{**SERVERS["cyrus"].__dict__, "port": int(os.environ["MAILSTACK_CYRUS_PORT"])})
    user = person_on(server, "esortall")
    with server.direct(user) as imap:
        for subject in ("charlie", "alpha", "bravo", "delta"):
            append_message(imap, "INBOX", subject=subject)
        imap.select_folder("INBOX", readonly=True)
        expected = [int(u) for u in imap.sort(["SUBJECT"])]
    forget_partial_refusals()
    get_redis().delete(_partial_refusals_key())
    connection = connection_to(server, user)
    try:
        assert connection.has_capability("ESORT")
        connection.select("INBOX")
        with imap_commands_sent() as sent:
            assert connection.sorted_uids(sort="subject", reverse=False) == expected
            assert connection.sorted_uids(sort="date", reverse=True) == sorted(expected, reverse=True)
        assert [c.split()[:4] for c in sent] == [["UID", "SORT", "RETURN", "(ALL)"]] * 2
        assert connection.sorted_page(sort="subject", reverse=False, first=1, last=2) == (4, expected[:2])
        assert partial_sort_refused(connection.endpoint)
        with imap_commands_sent() as sent:
            assert connection.sorted_uids(sort="subject", reverse=False) == expected
        assert [c.split()[:4] for c in sent] == [["UID", "SORT", "RETURN", "(ALL)"]]
    finally:
        connection.close()
        forget_partial_refusals()
        forget_partial_refusals()


def test_dovecot_keeps_its_partial_sort_fast_path(db):
    from mailview.imap.connection import forget_partial_refusals

    server = Server(**{**SERVERS["dovecot"].__dict__, "port": int(os.environ["WEBMAIL_IMAP_PORT"])})
    user = person_on(server, "fast")
    with server.direct(user) as imap:
        for n in range(5):
            append_message(imap, "INBOX", subject=f"sorted {n}")
    forget_partial_refusals()
    connection = connection_to(server, user)
    try:
        connection.select("INBOX")
        before = connection.operations
        assert connection.sorted_page(sort="subject", reverse=True, first=1, last=2) is not None
        assert connection.operations - before == 1
    finally:
        connection.close()


def test_courier_gets_uidnext_from_status_and_moves_without_move(db):
    server = Server(**{**SERVERS["courier"].__dict__, "port": int(os.environ["MAILSTACK_COURIER_PORT"])})
    user = person_on(server, "nomove")
    with server.direct(user) as imap:
        imap.create_folder("INBOX.Work")
        for n in range(3):
            append_message(imap, "INBOX", subject=f"m {n}")
    connection = connection_to(server, user)
    try:
        assert not connection.has_capability("MOVE") and not connection.has_capability("LIST-EXTENDED")
        selected = connection.select("INBOX", readonly=False)
        assert selected.uidnext == 4, "SELECT on Courier says no UIDNEXT; STATUS does"
        moved = connection.move([1, 2], "INBOX.Work")
        assert moved == {1: 1, 2: 2}  # COPYUID from the COPY
        assert connection.present_uids([1, 2, 3]) == [3]
        assert connection.personal_namespace().prefix == "INBOX."
    finally:
        connection.close()
    assert server.subjects(user, "Work") == ["m 0", "m 1"]


# Where each server's ENVELOPE says something the header does not (issue #12's list rows read
# the header fields, the same way on every server): Cyrus takes the last of two From fields,
# Courier drops an 8-bit name's non-ASCII bytes.
ENVELOPE_QUIRKS = {"cyrus": {"two-froms": ("First", "first@example.org")}, "courier": {"eight-bit": ("Björn", "b@example.org")}}


def test_list_rows_from_header_fields_are_the_envelopes_rows(db, srv):
    """The list's FETCH asks the header fields a row shows, not ENVELOPE (issue #12): on each
    server, every row of mail with tricky headers is the row ENVELOPE gave (where the server's
    ENVELOPE is not itself off), with and without the recipient column."""
    from mailview.services.reading.messages import summarize
    from tests.test_list_fetch import TRICKY, comparable, tricky

    user = person_on(srv, "rows")
    with srv.direct(user) as imap:
        for name, headers in TRICKY.items():
            imap.append("INBOX", tricky(name, headers))
    connection = connection_to(srv, user)
    try:
        connection.select("INBOX")
        uids = connection.search_uids(["ALL"])
        before = connection.fetch_summaries(uids)
        lean = connection.fetch_list_rows(uids, recipients=True)
    finally:
        connection.close()
    assert len(uids) == len(TRICKY) and set(lean) == set(uids)
    quirks = ENVELOPE_QUIRKS.get(srv.name, {})
    for uid, name in zip(uids, TRICKY, strict=True):  # appended in this order
        for recipient in (False, True):
            old, new = comparable(summarize(before[uid], show_recipient=recipient), summarize(lean[uid], show_recipient=recipient))
            if name in quirks:
                row = new if name != "eight-bit" or recipient else None
                assert row is None or (row.correspondent, row.correspondent_email) == quirks[name], (srv.name, name, row)
                continue
            assert new == old, (srv.name, name, recipient)


def test_courier_speaks_only_tls_and_the_app_signs_in_over_starttls(client):
    """Courier has a certificate like Dovecot's: LOGIN before STARTTLS is refused, the app's
    profile (STARTTLS, certificate checked) signs in and lists the mailbox."""
    server = Server(**{**SERVERS["courier"].__dict__, "port": int(os.environ["MAILSTACK_COURIER_PORT"])})
    user = person_on(server, "tls")
    plain = IMAPClient("127.0.0.1", port=server.port, ssl=False, timeout=30)
    try:
        assert b"STARTTLS" in plain.capabilities() and b"LOGINDISABLED" in plain.capabilities()
        with pytest.raises(Exception):  # noqa: B017 - imapclient's LoginError or a refused command
            plain.login(user.email, user.password)
    finally:
        plain.shutdown()
    connection = connection_to(server, user)
    try:
        assert connection.select("INBOX", readonly=True).exists == 0
        assert connection.has_capability("AUTH=PLAIN")  # only after TLS (IMAP_CAPABILITY_TLS)
    finally:
        connection.close()
    ServerProfile.objects.create(
        domain=server.domain, imap_host="127.0.0.1", imap_port=server.port, imap_security="starttls", imap_login="%u",
        smtp_host="127.0.0.1", smtp_port=int(os.environ["WEBMAIL_SMTP_PORT"]), smtp_security="starttls",
        verify_tls=True, ca_file=os.environ["WEBMAIL_IMAP_CA_FILE"],
    )
    assert client.post("/accounts/login/", {"email": user.email, "password": user.password}).status_code == 302
    assert client.get("/mail/INBOX/").status_code == 200


# Courier only: Cyrus refuses to delete a special-use folder and Dovecot auto-creates its Drafts.
@pytest.mark.parametrize("srv", ["courier"], indirect=True)
def test_a_drafts_folder_deleted_elsewhere_is_made_again(client, srv, person):
    """APPEND to a missing folder answers NO [TRYCREATE]: the folder is made and the save retried."""
    data = compose_form(client)
    first = client.post("/mail/compose/", {**data, "to": "x@example.org", "subject": "Keep me", "body": "1", "action": "save"}, **JSON)
    assert first.json()["saved"] is True
    drafts = next(f for f in srv.folders(person) if f.rsplit(srv.separator, 1)[-1] == "Drafts")
    with srv.direct(person) as imap:
        imap.delete_folder(drafts)
    again = client.post("/mail/compose/", {**data, "to": "x@example.org", "subject": "Keep me", "body": "2", "action": "save"}, **JSON)
    assert again.status_code == 200 and again.json()["saved"] is True, again.content
    with srv.direct(person) as imap:
        imap.select_folder(drafts, readonly=True)
        assert len(imap.search(["SUBJECT", "Keep me"])) == 1


def test_the_persons_choice_of_special_folder_is_used(celery_worker, client, srv, person):
    """Settings → Special folders, as in Roundcube: the chosen folder wins over the server's."""
    bin_folder = srv.folder("Bin")
    with srv.direct(person) as imap:
        imap.create_folder(bin_folder)
        imap.subscribe_folder(bin_folder)
    page = client.get("/accounts/settings/").content.decode()
    assert f'<option value="{bin_folder}">' in page and "Automatic" in page
    answer = client.post("/accounts/settings/", {"section": "special", "trash": bin_folder})
    assert answer.status_code == 302
    uid = uid_of(srv, person, "INBOX", "message 3")
    assert act(client, action="delete", folder="INBOX", uid=[uid])["state"] == "done"
    assert srv.subjects(person, "Bin") == ["message 3"]
    # The tree marks it as the trash.
    tree = client.get("/mail/INBOX/").content.decode()
    assert re.search(rf'href="/mail/{re.escape(bin_folder)}/"[^>]*>(?:(?!</a>).)*#trash', tree, re.S), f"{srv.name}: Bin is not shown as the trash"


def test_settings_still_open_while_the_mail_server_is_down(client):
    from tests.support import new_mail_user

    user = new_mail_user("down", domain="example.org")
    profile = ServerProfile.objects.create(
        domain="example.org", imap_host="127.0.0.1", imap_port=int(os.environ["WEBMAIL_IMAP_PORT"]), imap_security="starttls",
        smtp_host="127.0.0.1", smtp_port=int(os.environ["WEBMAIL_SMTP_PORT"]), ca_file=os.environ["WEBMAIL_IMAP_CA_FILE"],
    )
    assert client.post("/accounts/login/", {"email": user.email, "password": user.password}).status_code == 302
    profile.imap_port = 1
    profile.save()
    page = client.get("/accounts/settings/")
    assert page.status_code == 200 and "cannot be reached" in page.content.decode()
    assert client.post("/accounts/settings/", {"messages_per_page": 20}).status_code == 302
