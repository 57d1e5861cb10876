"""Writing mail against the real servers: Postfix submission, Dovecot, Redis and a Celery worker.

Everything is checked on the server with an independent imapclient connection:
what Bob's INBOX received, what is in Alice's Sent and Drafts, the flags of the
original.
"""
from __future__ import annotations

import email
import html.parser
import os
import re
import socket
import uuid
from email import policy
from email.message import EmailMessage

import pytest
from django.contrib.auth import get_user_model

from accounts.models import Identity, ServerProfile
from mailview.imap import get_pool
from mailview.models import Compose
from mailview.services.compose import sending
from mailview.services.compose.uploads import compose_dir
from tests.support import RawUriClient, imap_direct, new_mail_user, wait_until

pytestmark = pytest.mark.django_db(transaction=True)
JSON = {"HTTP_ACCEPT": "application/json"}


# -- helpers ----------------------------------------------------------------------------


class FormReader(html.parser.HTMLParser):
    """The compose form's fields as a browser would post them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: dict[str, object] = {}
        self.checkboxes: dict[str, list[tuple[str, bool]]] = {}
        self._textarea: str | None = None
        self._select: str | None = None
        self.options: dict[str, list[tuple[str, str, bool]]] = {}
        self._option: tuple[str, bool] | None = None

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind == "checkbox":
                self.checkboxes.setdefault(name, []).append((a.get("value", "on"), "checked" in a))
            elif kind not in ("file", "submit"):
                self.fields[name] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self._textarea_start = True
            self.fields[name] = ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            self._option = (a.get("value", ""), "selected" in a)

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self._textarea:
            if getattr(self, "_textarea_start", False) and data.startswith("\n"):
                data = data[1:]  # browsers drop the newline right after <textarea>
            self._textarea_start = False
            self.fields[self._textarea] = str(self.fields[self._textarea]) + data
        if self._option is not None and self._select:
            self.options.setdefault(self._select, []).append((self._option[0], data.strip(), self._option[1]))
            self._option = None

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def post_data(self) -> dict[str, object]:
        data = dict(self.fields)
        data.pop("csrfmiddlewaretoken", None)
        for name, options in self.options.items():
            chosen = [v for v, _label, selected in options if selected] or [options[0][0]]
            data[name] = chosen[0]
        for name, boxes in self.checkboxes.items():
            data[name] = [v for v, checked in boxes if checked]
        return data


def open_compose(client, query: str = "") -> dict[str, object]:
    response = client.get(f"/mail/compose/{query}")
    assert response.status_code == 200, response.content[:500]
    reader = FormReader()
    reader.feed(response.content.decode())
    data = reader.post_data()
    assert data.get("compose"), "the page carries its compose id"
    return data


def sign_in(client, user) -> None:
    assert client.post("/accounts/login/", {"email": user.email, "password": user.password}).status_code == 302


def upload(client, form: dict, filename: str, data: bytes, *, chunk: int = 256 * 1024, content_type: str = "application/octet-stream") -> dict:
    """Upload a file as compose.js does, for the compose page whose fields are `form` (its seed included)."""
    start = client.post(f"/mail/compose/{form['compose']}/attachments/", {"filename": filename, "size": str(len(data)), "type": content_type, "seed": form.get("seed", "")}, **JSON)
    assert start.status_code == 201, start.content
    info = start.json()
    offset = 0
    while offset < len(data):
        piece = data[offset : offset + chunk]
        answer = client.post(f"{info['chunk_url']}?offset={offset}", piece, content_type="application/octet-stream", **JSON)
        assert answer.status_code == 200, answer.content
        offset = answer.json()["received"]
    return info


def send(client, data: dict, **changes: object) -> Compose:
    response = client.post("/mail/compose/", {**data, **changes, "action": "send"}, **JSON)
    assert response.status_code == 202, response.content
    return Compose.objects.get(pk=data["compose"])


def wait_for_state(compose: Compose, *states: str, timeout: float = 60) -> Compose:
    def reached():
        compose.refresh_from_db()
        return compose.state in states and compose

    return wait_until(reached, timeout=timeout, message=f"the send to reach {states}")


def messages_in(user, folder: str, *criteria) -> list[tuple[int, bytes, tuple]]:
    with imap_direct(user) as imap:
        imap.select_folder(folder, readonly=True)
        uids = imap.search(list(criteria) or ["ALL"])
        if not uids:
            return []
        fetched = imap.fetch(uids, ["BODY.PEEK[]", "FLAGS"])
        return [(int(uid), fetched[uid][b"BODY[]"], tuple(fetched[uid][b"FLAGS"])) for uid in sorted(uids)]


def wait_for_message(user, folder: str, *criteria, count: int = 1, timeout: float = 30) -> list[tuple[int, bytes, tuple]]:
    return wait_until(lambda: (found := messages_in(user, folder, *criteria)) and len(found) >= count and found, timeout=timeout, message=f"{count} message(s) in {folder} of {user.email}")


def parsed(raw: bytes) -> EmailMessage:
    return email.message_from_bytes(raw, policy=policy.default)  # type: ignore[return-value]


def append_original(user, *, subject: str, sender: str, to: str, cc: str = "", reply_to: str = "", references: str = "", attachment: tuple[str, bytes] | None = None, body: str = "First line of the original.\nSecond line.\n") -> tuple[int, str, bytes]:
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = sender
    message["To"] = to
    if cc:
        message["Cc"] = cc
    if reply_to:
        message["Reply-To"] = reply_to
    message["Subject"] = subject
    message["Date"] = "Tue, 01 Dec 2026 10:00:00 +0000"
    message_id = f"<orig-{uuid.uuid4().hex}@example.org>"
    message["Message-ID"] = message_id
    if references:
        message["References"] = references
    message.set_content(body)
    if attachment:
        message.add_attachment(attachment[1], maintype="application", subtype="octet-stream", filename=attachment[0])
    raw = message.as_bytes()
    with imap_direct(user) as imap:
        imap.append("INBOX", raw)
        imap.select_folder("INBOX", readonly=True)
        uid = max(imap.search(["HEADER", "Message-ID", message_id.strip("<>")]))
        stored = imap.fetch([uid], ["BODY.PEEK[]"])[uid][b"BODY[]"]
    return int(uid), message_id, stored


def flags_of(user, folder: str, uid: int) -> tuple:
    with imap_direct(user) as imap:
        imap.select_folder(folder, readonly=True)
        return tuple(imap.get_flags([uid])[uid])


@pytest.fixture(autouse=True)
def _no_leftover_uploads():
    """Uploads of composes a test left behind do not pile up in the upload directory."""
    yield
    from mailview.services.compose.uploads import uploads_purge

    for compose in Compose.objects.all():
        uploads_purge(compose=compose)


@pytest.fixture
def alice(client, mail_user):
    sign_in(client, mail_user)
    return mail_user


@pytest.fixture
def bob():
    return new_mail_user("bob")


# -- sending ---------------------------------------------------------------------------------


def test_alice_sends_to_bob_with_attachments_and_it_lands_in_sent_not_drafts(celery_worker, client, alice, bob):
    charlie = new_mail_user("charlie")
    data = open_compose(client)
    binary = os.urandom(700 * 1024) + b"\r\n.\r\n" + bytes(range(256)) * 4  # a dot line and every byte value
    text = b"plain text attachment\n.\nwith a lone dot line\n"
    upload(client, data, "photo.bin", binary)
    upload(client, data, "notes.txt", text, content_type="text/plain")
    saved = client.post("/mail/compose/", {**data, "to": f"Bob <{bob.email}>", "subject": "Quarterly numbers", "body": "Hi Bob,\nthe numbers.\n", "action": "save"}, **JSON)
    assert saved.status_code == 200 and saved.json()["saved"] is True
    assert len(messages_in(alice, "Drafts")) == 1

    compose = send(client, data, to=f"Bob <{bob.email}>", bcc=charlie.email, subject="Quarterly numbers", body="Hi Bob,\nthe numbers.\n")
    assert wait_for_state(compose, "sent", "failed").state == "sent", (compose.error_code, compose.error_detail)

    [(_uid, raw, _flags)] = wait_for_message(bob, "INBOX")
    received = parsed(raw)
    assert received["Subject"] == "Quarterly numbers"
    assert received["From"].addresses[0].addr_spec == alice.email
    assert received["To"].addresses[0].addr_spec == bob.email and received["To"].addresses[0].display_name == "Bob"
    assert received["Message-ID"] == compose.message_id
    assert received["Date"] is not None and received["MIME-Version"] == "1.0"
    assert received["Bcc"] is None, "Bcc never reaches the recipients"
    assert "the numbers." in received.get_body(("plain",)).get_content()
    attachments = {part.get_filename(): part.get_payload(decode=True) for part in received.iter_attachments()}
    assert attachments == {"photo.bin": binary, "notes.txt": text}

    wait_for_message(charlie, "INBOX")  # the Bcc recipient got it too
    [(_uid, sent_raw, sent_flags)] = messages_in(alice, "Sent")
    assert parsed(sent_raw)["Message-ID"] == compose.message_id and b"\\Seen" in sent_flags
    assert parsed(sent_raw)["Bcc"].addresses[0].addr_spec == charlie.email, "the Sent copy remembers the Bcc"
    assert messages_in(alice, "Drafts") == []
    assert not compose_dir(compose).exists(), "uploads are removed once sent"
    page = client.get(f"/mail/compose/{compose.pk}/status/").content.decode()
    assert "Your message was sent." in page and 'href="/mail/Sent/"' in page


@pytest.fixture
def no_queue(monkeypatch):
    """Sends are queued but no task is sent to the broker: the test runs the service itself."""
    from mailview.services.compose import lifecycle

    monkeypatch.setattr(lifecycle, "_enqueue", lambda compose, enqueue: None)


def deliver(compose: Compose) -> sending.Outcome:
    """The worker's service, run in this process with its owner's session (as the task does)."""
    with get_pool().session(compose.user_id) as imap:
        return sending.compose_deliver(compose_id=str(compose.pk), imap=imap)


def test_a_send_run_twice_submits_once(client, alice, bob, monkeypatch, no_queue):
    """The task's service, run in this process: the second run must not talk SMTP again."""
    data = open_compose(client)
    client.post("/mail/compose/", {**data, "to": bob.email, "subject": "Once only", "body": "x", "action": "send"}, **JSON)
    compose = Compose.objects.get(pk=data["compose"])
    calls = []
    real_submit = sending.smtp_submit
    monkeypatch.setattr(sending, "smtp_submit", lambda **kw: calls.append(1) or real_submit(**kw))
    assert deliver(compose) is sending.Outcome.DONE
    assert deliver(compose) is sending.Outcome.DONE
    assert len(calls) == 1
    compose.refresh_from_db()
    assert compose.state == "sent"
    # Finishing again (a redelivered task after SMTP) makes no second Sent copy.
    Compose.objects.filter(pk=compose.pk).update(state="submitted")
    assert deliver(compose) is sending.Outcome.DONE
    assert len(calls) == 1 and len(messages_in(alice, "Sent")) == 1
    wait_for_message(bob, "INBOX")


def test_a_run_that_died_during_data_is_never_resent(client, alice, bob, monkeypatch, no_queue):
    data = open_compose(client)
    client.post("/mail/compose/", {**data, "to": bob.email, "subject": "Maybe sent", "body": "x", "action": "send"}, **JSON)
    compose = Compose.objects.get(pk=data["compose"])
    Compose.objects.filter(pk=compose.pk).update(state="submitting")  # as a worker killed mid-DATA leaves it
    monkeypatch.setattr(sending, "smtp_submit", lambda **kw: pytest.fail("must not submit again"))
    assert deliver(compose) is sending.Outcome.FAILED
    compose.refresh_from_db()
    assert compose.state == "failed" and compose.error_code == "interrupted"
    assert len(messages_in(alice, "Drafts")) == 1, "the message is kept as a draft"
    assert "may or may not have been sent" in client.get(f"/mail/compose/{compose.pk}/status/").content.decode()


def test_a_refused_recipient_keeps_the_draft_and_names_the_address(celery_worker, client, alice):
    data = open_compose(client)
    nobody = f"nobody-{uuid.uuid4().hex[:8]}@example.test"
    compose = send(client, data, to=nobody, subject="To nobody", body="hello")
    assert wait_for_state(compose, "sent", "failed").state == "failed"
    assert compose.error_code == "recipient"
    status = client.get(f"/mail/compose/{compose.pk}/status/", **JSON).json()
    assert status["done"] and not status["sent"] and nobody in status["message"]
    page = client.get(f"/mail/compose/{compose.pk}/status/").content.decode()
    assert "refused these recipients" in page and "kept in Drafts" in page
    [(_uid, raw, flags)] = messages_in(alice, "Drafts")
    assert parsed(raw)["Subject"] == "To nobody" and b"\\Draft" in flags
    # The person can edit and send again: the compose is editable.
    assert client.get(f"/mail/compose/{compose.pk}/").status_code == 200


def test_smtp_down_keeps_the_draft_and_the_page_says_so(celery_worker):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
    port = closed.getsockname()[1]
    try:
        person = new_mail_user("downer", domain="smtp-down.test")
        ServerProfile.objects.create(
            domain="smtp-down.test", imap_host="127.0.0.1", imap_port=int(os.environ["WEBMAIL_IMAP_PORT"]), imap_security="starttls",
            smtp_host="127.0.0.1", smtp_port=port, smtp_security="starttls", ca_file=os.environ["WEBMAIL_IMAP_CA_FILE"],
        )
        client = RawUriClient()
        sign_in(client, person)
        data = open_compose(client)
        compose = send(client, data, to="someone@example.test", subject="While the server is down", body="hello")

        def says_unreachable():
            compose.refresh_from_db()
            return compose.state == "queued" and compose.error_code == "unreachable"

        wait_until(says_unreachable, timeout=30, message="the first attempt to fail")
        status = client.get(f"/mail/compose/{compose.pk}/status/", **JSON).json()
        assert not status["done"] and status["can_cancel"]
        page = client.get(f"/mail/compose/{compose.pk}/status/").content.decode()
        assert "cannot be reached" in page and "kept in Drafts" in page and "Trying again" in page
        [(_uid, raw, flags)] = messages_in(person, "Drafts")
        assert parsed(raw)["Subject"] == "While the server is down" and b"\\Draft" in flags
        # Cancelling stops the retries and brings the message back to editing.
        assert client.post(f"/mail/compose/{compose.pk}/cancel/").status_code == 302
        compose.refresh_from_db()
        assert compose.state == "draft"
        assert len(messages_in(person, "Drafts")) == 1
    finally:
        closed.close()


# -- replies and forwards ----------------------------------------------------------------------


def test_reply_goes_to_reply_to_quotes_and_marks_the_original_answered(celery_worker, client, alice, bob):
    uid, message_id, _raw = append_original(
        alice, subject="Lunch plans", sender="Carol Example <carol@example.org>", to=alice.email,
        reply_to=f"Bob Replies <{bob.email}>", references="<older@example.org>",
    )
    data = open_compose(client, f"?reply=INBOX/{uid}")
    assert bob.email in data["to"] and "carol@example.org" not in data["to"]
    assert data["subject"] == "Re: Lunch plans"
    assert "Carol Example wrote:" in data["body"]
    assert re.search(r"On .+, Carol Example wrote:\n> First line of the original\.\n> Second line\.", data["body"])
    compose = send(client, data, body="Sounds good.\n" + data["body"])
    assert wait_for_state(compose, "sent", "failed").state == "sent", compose.error_detail
    [(_u, raw, _f)] = wait_for_message(bob, "INBOX")
    reply = parsed(raw)
    assert reply["Subject"] == "Re: Lunch plans"
    assert reply["In-Reply-To"] == message_id
    assert reply["References"].split() == ["<older@example.org>", message_id]
    text = reply.get_body(("plain",)).get_content()
    assert text.startswith("Sounds good.") and "> First line of the original." in text
    assert b"\\Answered" in flags_of(alice, "INBOX", uid)


def test_reply_all_drops_the_users_own_addresses(celery_worker, client, alice, bob):
    charlie, dave = new_mail_user("charlie"), new_mail_user("dave")
    alias = "alice.alias@example.test"
    Identity.objects.create(user=get_user_model().objects.get(username=alice.email), email=alias, name="Alice Alias")
    uid, message_id, _raw = append_original(
        alice, subject="Team sync", sender=f"Bob <{bob.email}>", to=f"{alice.email}, {charlie.email}, Alias <{alias}>",
        cc=f"{dave.email}, {alice.email.upper()}",
    )
    data = open_compose(client, f"?reply_all=INBOX/{uid}")
    to = [a.strip() for a in data["to"].split(",")]
    assert bob.email in data["to"] and charlie.email in data["to"] and len(to) == 2
    assert data["cc"] == dave.email
    assert alice.email not in data["to"].lower() + data["cc"].lower() and alias not in data["to"] + data["cc"]
    compose = send(client, data)
    assert wait_for_state(compose, "sent", "failed").state == "sent", compose.error_detail
    [(_u, raw, _f)] = messages_in(alice, "Sent")
    sent = parsed(raw)
    assert sorted(a.addr_spec for a in sent["To"].addresses) == sorted([bob.email, charlie.email])
    assert [a.addr_spec for a in sent["Cc"].addresses] == [dave.email]
    assert sent["In-Reply-To"] == message_id
    for person in (bob, charlie, dave):
        wait_for_message(person, "INBOX", "HEADER", "In-Reply-To", message_id.strip("<>"))
    assert b"\\Answered" in flags_of(alice, "INBOX", uid)


def test_forward_inline_keeps_the_original_attachments_and_sets_forwarded(celery_worker, client, alice, bob):
    blob = os.urandom(50_000)
    uid, _mid, _raw = append_original(alice, subject="Contract", sender="Carol <carol@example.org>", to=alice.email, attachment=("contract.pdf", blob))
    data = open_compose(client, f"?forward=INBOX/{uid}")
    assert data["subject"] == "Fwd: Contract" and data["to"] == ""
    assert "---------- Forwarded message ----------" in data["body"] and "First line of the original." in data["body"]
    assert data["keep_part"] == ["2"], "the original's attachment is offered, checked"
    compose = send(client, data, to=bob.email)
    assert wait_for_state(compose, "sent", "failed").state == "sent", compose.error_detail
    [(_u, raw, _f)] = wait_for_message(bob, "INBOX")
    forwarded = parsed(raw)
    assert forwarded["Subject"] == "Fwd: Contract"
    assert "From: Carol <carol@example.org>" in forwarded.get_body(("plain",)).get_content()
    assert {p.get_filename(): p.get_payload(decode=True) for p in forwarded.iter_attachments()} == {"contract.pdf": blob}
    flags = flags_of(alice, "INBOX", uid)
    assert b"$Forwarded" in flags and b"\\Answered" not in flags


def test_forward_as_attachment_attaches_the_original_byte_for_byte(celery_worker, client, alice, bob):
    # An 8-bit original (raw UTF-8 body, odd spacing): it must travel untouched.
    original = (
        f"From: Carol <carol@example.org>\r\nTo: {alice.email}\r\nSubject: =?utf-8?q?=C3=9Cber_den_Vertrag?=\r\n"
        f"Date: Tue, 01 Dec 2026 10:00:00 +0000\r\nMessage-ID: <eightbit-{uuid.uuid4().hex}@example.org>\r\nX-Odd:   spaced   \r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        "Grüße aus Köln.\r\n.\r\nA dot line above.\r\n"
    ).encode()
    with imap_direct(alice) as imap:
        imap.append("INBOX", original)
        imap.select_folder("INBOX", readonly=True)
        uid = max(imap.search(["ALL"]))
        assert imap.fetch([uid], ["BODY.PEEK[]"])[uid][b"BODY[]"] == original
    data = open_compose(client, f"?forward=INBOX/{uid}&as=attachment")
    assert data["subject"] == "Fwd: Über den Vertrag" and "Forwarded message" not in data["body"]
    compose = send(client, data, to=bob.email, body="See the attached message.")
    assert wait_for_state(compose, "sent", "failed").state == "sent", compose.error_detail
    [(_u, raw, _f)] = wait_for_message(bob, "INBOX")
    # The embedded message's bytes are exactly the original's.
    match = re.search(rb"Content-Type: message/rfc822\r\n(?:[^\r\n]+\r\n)*\r\n", raw)
    assert match, raw[:2000]
    assert raw[match.end():].startswith(original.rstrip(b"\r\n"))
    part = next(p for p in parsed(raw).iter_attachments())
    assert part.get_content_type() == "message/rfc822" and part.get_filename() == "Über den Vertrag.eml"
    assert b"$Forwarded" in flags_of(alice, "INBOX", uid)


# -- non-ASCII ------------------------------------------------------------------------------------


def test_non_ascii_names_subjects_and_filenames_round_trip(celery_worker, client, alice, bob):
    user = get_user_model().objects.get(username=alice.email)
    data = open_compose(client)
    Identity.objects.filter(user=user, is_default=True).update(name="Zoë Ålander-Øberg")
    subject = "Grüße aus Köln – 東京 🎉 naïve café, a long subject that has to be folded over several lines"
    filename = "Résumé – 履歴書 (final).pdf"
    payload = "Ünïcödé body ✓\n".encode() * 10
    upload(client, data, filename, payload)
    compose = send(client, data, to=f'"Jürgen Groß, Jr." <{bob.email}>', subject=subject, body="Grüße — ünïcödé ✓\n")
    assert wait_for_state(compose, "sent", "failed").state == "sent", compose.error_detail
    [(_u, raw, _f)] = wait_for_message(bob, "INBOX")
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert head.isascii(), "headers are RFC 2047 encoded"
    message = parsed(raw)
    assert message["Subject"] == subject
    assert message["From"].addresses[0].display_name == "Zoë Ålander-Øberg"
    assert message["To"].addresses[0].display_name == "Jürgen Groß, Jr."
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == filename and attachment.get_payload(decode=True) == payload
    assert re.search(rb"filename\*(0\*)?=utf-8''R%C3%A9sum%C3%A9", raw), "RFC 2231 file name"
    assert "Grüße — ünïcödé ✓" in message.get_body(("plain",)).get_content()


# -- refusals ---------------------------------------------------------------------------------------


INJECTION = "x\r\nBcc: victim@example.org"


@pytest.mark.parametrize("field", ["to", "cc", "bcc", "subject", "from"])
@pytest.mark.parametrize("action", ["send", "save"])
def test_header_injection_in_every_field_is_refused(client, alice, bob, field, action):
    data = open_compose(client)
    values = {**data, "to": bob.email, "subject": "Hello", "body": "b", "action": action}
    values[field] = {"from": str(data["from"]), "subject": "Hello"}.get(field, bob.email) + INJECTION
    response = client.post("/mail/compose/", values)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page and "line break" in page
    compose = Compose.objects.get(pk=data["compose"])
    assert compose.state == "draft" and compose.draft_uid is None
    assert messages_in(alice, "Drafts") == []
    json_answer = client.post("/mail/compose/", values, **JSON)
    assert json_answer.status_code == 400 and field in json_answer.json()["errors"]


def test_line_breaks_in_a_filename_are_refused(client, alice):
    data = open_compose(client)
    response = client.post(f"/mail/compose/{data['compose']}/attachments/", {"filename": "a.txt\r\nContent-Type: text/html", "size": "3", "seed": data["seed"]}, **JSON)
    assert response.status_code == 400 and "line breaks" in response.json()["error"]
    assert not Compose.objects.get(pk=data["compose"]).attachments.exists()


def test_an_identity_name_with_a_line_break_is_refused_everywhere(client, alice, bob):
    response = client.post("/accounts/identities/", {"name": "Alice\r\nBcc: victim@example.org", "email": alice.email})
    assert response.status_code == 400 and "single line" in response.content.decode()
    user = get_user_model().objects.get(username=alice.email)
    assert not Identity.objects.filter(user=user, name__contains="Bcc").exists()
    # One smuggled in through the admin still cannot reach a header.
    sneaky = Identity.objects.create(user=user, email=alice.email, name="Alice\nBcc: victim@example.org")
    data = open_compose(client)
    response = client.post("/mail/compose/", {**data, "from": str(sneaky.pk), "to": bob.email, "subject": "x", "body": "y", "action": "send"}, **JSON)
    assert response.status_code == 400 and "from" in response.json()["errors"]
    assert Compose.objects.get(pk=data["compose"]).state == "draft"


def test_an_oversized_attachment_gets_a_clear_message(client, alice):
    data = open_compose(client)
    too_big = 40 * 1024 * 1024
    response = client.post(f"/mail/compose/{data['compose']}/attachments/", {"filename": "video.mp4", "size": str(too_big), "seed": data["seed"]}, **JSON)
    assert response.status_code == 413
    message = response.json()["error"].replace("\xa0", " ")
    # Postfix advertises SIZE 36700160 in the test stack: the message names that limit.
    assert "too big" in message and "35.0 MB" in message and "video.mp4" in message
    assert response.json()["limit"] == 36700160
    # A chunk beyond what was announced is refused too.
    small = client.post(f"/mail/compose/{data['compose']}/attachments/", {"filename": "small.txt", "size": "4"}, **JSON).json()
    answer = client.post(f"{small['chunk_url']}?offset=0", b"12345678", content_type="application/octet-stream", **JSON)
    assert answer.status_code == 413
    # Without JavaScript (a file posted with the form) the page shows the same kind of message.
    from django.core.cache import cache
    from django.core.files.uploadedfile import SimpleUploadedFile

    cache.set(sending.smtp_size_limit_key(sending.smtp_endpoint_for(alice.email)), 20_000, 60)
    page = client.post("/mail/compose/", {**data, "action": "attach", "attachment": SimpleUploadedFile("big.iso", b"x" * 30_000)})
    assert page.status_code == 413 and "“big.iso” is too big to send" in page.content.decode().replace("&ldquo;", "“").replace("&rdquo;", "”")


def test_chunks_are_idempotent_and_resume_at_the_server_offset(client, alice):
    data = open_compose(client)
    start = client.post(f"/mail/compose/{data['compose']}/attachments/", {"filename": "f.bin", "size": "10", "seed": data["seed"]}, **JSON).json()
    assert client.post(f"{start['chunk_url']}?offset=0", b"01234", content_type="application/octet-stream", **JSON).json()["received"] == 5
    again = client.post(f"{start['chunk_url']}?offset=0", b"01234", content_type="application/octet-stream", **JSON)
    assert again.status_code == 200 and again.json()["received"] == 5, "a retried chunk is acknowledged, not appended"
    gap = client.post(f"{start['chunk_url']}?offset=7", b"789", content_type="application/octet-stream", **JSON)
    assert gap.status_code == 409 and gap.json()["received"] == 5
    done = client.post(f"{start['chunk_url']}?offset=5", b"56789", content_type="application/octet-stream", **JSON).json()
    assert done["complete"] is True
    attachment = Compose.objects.get(pk=data["compose"]).attachments.get()
    assert (compose_dir(attachment.compose) / attachment.pk.hex).read_bytes() == b"0123456789"


# -- drafts ---------------------------------------------------------------------------------------------


def test_autosave_replaces_the_draft_instead_of_piling_up(client, alice):
    data = open_compose(client)
    uids = []
    for n in range(4):
        answer = client.post("/mail/compose/", {**data, "to": "x@example.org", "subject": "Plan", "body": f"version {n}", "action": "save"}, **JSON)
        assert answer.status_code == 200 and answer.json()["saved"] is True
        uids.append(answer.json()["uid"])
    assert uids == sorted(set(uids)), "each save is a new version with a new UID"
    [(uid, raw, flags)] = messages_in(alice, "Drafts")
    assert uid == uids[-1] and b"\\Draft" in flags and "version 3" in parsed(raw).get_body(("plain",)).get_content()
    unchanged = client.post("/mail/compose/", {**data, "to": "x@example.org", "subject": "Plan", "body": "version 3", "action": "save"}, **JSON).json()
    assert unchanged["saved"] is False and unchanged["uid"] == uid, "nothing changed: no new APPEND"
    assert [u for u, _r, _f in messages_in(alice, "Drafts")] == [uid]


def test_a_draft_resumes_on_another_device(client, alice):
    data = open_compose(client)
    client.post("/mail/compose/", {**data, "to": "x@example.org", "subject": "Half written", "body": "to be continued", "action": "save"}, **JSON)
    [(uid, _raw, _flags)] = messages_in(alice, "Drafts")
    other_device = RawUriClient()
    sign_in(other_device, alice)
    resumed = open_compose(other_device, f"?draft=Drafts/{uid}")
    assert resumed["compose"] == data["compose"] and resumed["subject"] == "Half written" and "to be continued" in resumed["body"]
    answer = other_device.post("/mail/compose/", {**resumed, "body": "finished on the phone", "action": "save"}, **JSON)
    assert answer.status_code == 200
    [(_uid, raw, _flags)] = messages_in(alice, "Drafts")
    assert "finished on the phone" in parsed(raw).get_body(("plain",)).get_content()


def test_a_draft_written_elsewhere_resumes_with_its_attachment_and_is_replaced(client, alice):
    draft = EmailMessage(policy=policy.SMTP)
    draft["From"] = alice.email
    draft["To"] = "Someone <someone@example.org>"
    draft["Subject"] = "From my desktop client"
    draft["Message-ID"] = "<desktop-draft-1@example.test>"
    draft.set_content("Typed in another client.\n")
    draft.add_attachment(b"%PDF-1.4 fake", maintype="application", subtype="pdf", filename="plan.pdf")
    with imap_direct(alice) as imap:
        imap.append("Drafts", draft.as_bytes(), flags=[b"\\Draft"])
    [(uid, _raw, _flags)] = messages_in(alice, "Drafts")
    page = client.get(f"/mail/compose/?draft=Drafts/{uid}").content.decode()
    assert "plan.pdf" in page and "Typed in another client." in page
    reader = FormReader()
    reader.feed(page)
    data = reader.post_data()
    assert data["to"] == "Someone <someone@example.org>" and data["subject"] == "From my desktop client"
    assert client.post("/mail/compose/", {**data, "body": "Edited here.", "action": "save"}, **JSON).status_code == 200
    [(new_uid, raw, _flags)] = messages_in(alice, "Drafts")
    assert new_uid != uid
    again = parsed(raw)
    assert again["Message-ID"] == "<desktop-draft-1@example.test>"
    assert {p.get_filename(): p.get_payload(decode=True) for p in again.iter_attachments()} == {"plan.pdf": b"%PDF-1.4 fake"}


def test_discarding_removes_the_draft_and_the_uploads(client, alice):
    data = open_compose(client)
    upload(client, data, "tmp.txt", b"temporary")
    client.post("/mail/compose/", {**data, "to": "x@example.org", "subject": "Nope", "body": "never mind", "action": "save"}, **JSON)
    compose = Compose.objects.get(pk=data["compose"])
    assert len(messages_in(alice, "Drafts")) == 1 and compose_dir(compose).exists()
    assert client.post(f"/mail/compose/{compose.pk}/discard/").status_code == 302
    assert messages_in(alice, "Drafts") == [] and not compose_dir(compose).exists()
    assert not Compose.objects.filter(pk=compose.pk).exists()


# -- identities, autocomplete, ownership --------------------------------------------------------------------


def test_identities_bring_their_signature_and_become_the_default(client, alice, settings):
    settings.WEBMAIL_ALLOWED_SENDERS = ["work-{local}@example.test"]  # the operator allows this alias
    assert client.post("/accounts/identities/", {"name": "Alice Work", "email": f"work-{alice.email}", "signature": "Alice\nACME Corp", "is_default": "on"}).status_code == 302
    page = client.get("/accounts/identities/").content.decode()
    assert "Alice Work" in page and "ACME Corp" in page
    data = open_compose(client)
    user = get_user_model().objects.get(username=alice.email)
    work = Identity.objects.get(user=user, name="Alice Work")
    assert data["from"] == str(work.pk) and data["body"].endswith("-- \nAlice\nACME Corp\n")
    assert Identity.objects.filter(user=user, is_default=True).count() == 1
    outside = client.post("/accounts/identities/", {"email": "ceo@elsewhere.example"})
    assert outside.status_code == 400 and "You cannot send as ceo@elsewhere.example" in outside.content.decode()


def test_address_completion_suggests_most_used_first(client, alice):
    from mailview.mime import Address
    from mailview.services.addressbook import addresses_collect

    user = get_user_model().objects.get(username=alice.email)
    addresses_collect(user=user, addresses=[Address("Bobby Rare", "bobby@example.org")])
    for _ in range(3):
        addresses_collect(user=user, addresses=[Address("Bob Often", "bob.often@example.org")])
    results = client.get("/mail/compose/addresses/?q=bo").json()["results"]
    assert [r["email"] for r in results] == ["bob.often@example.org", "bobby@example.org"]
    assert results[0]["label"] == "Bob Often <bob.often@example.org>"
    assert client.get("/mail/compose/addresses/?q=often").json()["results"][0]["email"] == "bob.often@example.org"
    assert client.get("/mail/compose/addresses/?q=zzz").json()["results"] == []


def test_another_user_gets_404_everywhere(client, alice, bob):
    data = open_compose(client)
    info = upload(client, data, "mine.txt", b"private")
    outsider = RawUriClient()
    sign_in(outsider, bob)
    base = f"/mail/compose/{data['compose']}"
    assert outsider.get(f"{base}/").status_code == 404
    assert outsider.get(f"{base}/status/").status_code == 404
    assert outsider.post(f"{base}/attachments/", {"filename": "x", "size": "1"}).status_code == 404
    assert outsider.post(f"{info['chunk_url']}?offset=7", b"x", content_type="application/octet-stream").status_code == 404
    assert outsider.post(info["delete_url"]).status_code == 404
    assert outsider.post(f"{base}/discard/").status_code == 404
    assert outsider.post("/mail/compose/", {"compose": data["compose"], "to": bob.email, "action": "send"}).status_code == 404
    alice_identity = Identity.objects.get(user__username=alice.email)
    assert outsider.get(f"/accounts/identities/{alice_identity.pk}/").status_code == 404
    assert outsider.post(f"/accounts/identities/{alice_identity.pk}/delete/").status_code == 404
    assert Compose.objects.get(pk=data["compose"]).attachments.count() == 1


def test_replying_to_a_missing_message_is_a_clear_404(client, alice):
    assert client.get("/mail/compose/?reply=INBOX/99999").status_code == 404
    assert client.get("/mail/compose/?forward=no-uid-here").status_code == 404
    assert client.get("/mail/compose/?draft=Drafts/abc").status_code == 404


def test_old_compose_sessions_and_their_uploads_are_cleaned_up(client, alice):
    from datetime import timedelta

    from django.utils import timezone

    from mailview.services.compose.lifecycle import compose_cleanup

    data = open_compose(client)
    upload(client, data, "old.txt", b"old")
    fresh = open_compose(client)
    client.post("/mail/compose/", {**fresh, "subject": "Fresh", "action": "save"}, **JSON)
    Compose.objects.filter(pk=data["compose"]).update(updated_at=timezone.now() - timedelta(days=30))
    old = Compose.objects.get(pk=data["compose"])
    assert compose_dir(old).exists()
    assert compose_cleanup(enqueue=lambda compose_id: None) == 1
    assert not Compose.objects.filter(pk=old.pk).exists() and not compose_dir(old).exists()
    assert Compose.objects.filter(pk=fresh["compose"]).exists()


def test_rich_text_passes_the_sanitizer_and_goes_out_as_alternative(client, alice):
    data = open_compose(client)
    hostile = '<p><b>Bold</b> <a href="https://example.org/x">link</a></p><script>alert(1)</script><img src="x" onerror="alert(2)"><a href="javascript:alert(3)">js</a>'
    answer = client.post("/mail/compose/", {**data, "to": "x@example.org", "subject": "Rich", "body": "Bold link js", "body_html": hostile, "action": "save"}, **JSON)
    assert answer.status_code == 200
    [(_uid, raw, _flags)] = messages_in(alice, "Drafts")
    message = parsed(raw)
    assert message.get_content_type() == "multipart/alternative"
    html_part = message.get_body(("html",)).get_content()
    assert "<b>Bold</b>" in html_part and 'href="https://example.org/x"' in html_part
    assert "<script" not in html_part and "onerror" not in html_part and "javascript:" not in html_part
    assert "Bold link js" in message.get_body(("plain",)).get_content()


# -- only drafts resume as drafts; a save expunges nothing but its own draft ----------


def _inbox_state(user, uid: int) -> list[tuple[int, bytes, frozenset]]:
    """The message's bytes and flags as the server has them (\\Recent is per session: left out)."""
    return [(u, raw, frozenset(flags) - {b"\\Recent"}) for u, raw, flags in messages_in(user, "INBOX") if u == uid]


def _inbox_message(user, subject: str) -> tuple[int, bytes, frozenset]:
    uid, _message_id, _raw = append_original(user, subject=subject, sender="Carol <carol@example.org>", to=user.email)
    [found] = _inbox_state(user, uid)
    return found


def test_a_message_outside_drafts_is_refused_as_a_draft_and_never_expunged(client, alice):
    uid, raw, flags = _inbox_message(alice, "Keep me")
    response = client.get(f"/mail/compose/?draft=INBOX/{uid}")
    assert response.status_code == 409
    assert "not a draft" in response.content.decode()
    # Whatever a client posts next (a save of a fresh compose naming the message in every
    # way it could), the INBOX message stays, byte for byte, with its flags.
    data = open_compose(client)
    for extra in ({}, {"draft": f"INBOX/{uid}", "draft_folder": "INBOX", "draft_uid": str(uid)}):
        answer = client.post("/mail/compose/", {**data, **extra, "to": "x@example.org", "subject": "Plan", "body": f"v{len(extra)}", "action": "save"}, **JSON)
        assert answer.status_code == 200
    assert _inbox_state(alice, uid) == [(uid, raw, flags)]


def test_a_message_with_the_draft_flag_elsewhere_resumes_as_a_copy_and_stays(client, alice):
    uid, raw, _flags = _inbox_message(alice, "Draft kept in INBOX")
    with imap_direct(alice) as imap:
        imap.select_folder("INBOX")
        imap.add_flags([uid], [b"\\Draft"])
    [(_uid, raw, flags)] = _inbox_state(alice, uid)
    data = open_compose(client, f"?draft=INBOX/{uid}")
    assert data["subject"] == "Draft kept in INBOX"
    assert open_compose(client, f"?draft=INBOX/{uid}")["compose"] == data["compose"], "opened again: the same copy"
    for n in range(2):
        answer = client.post("/mail/compose/", {**data, "body": f"edited {n}", "action": "save"}, **JSON)
        assert answer.status_code == 200 and answer.json()["saved"] is True
    assert _inbox_state(alice, uid) == [(uid, raw, flags)]
    [(_uid, copy, _f)] = messages_in(alice, "Drafts")
    assert "edited 1" in parsed(copy).get_body(("plain",)).get_content()
    assert parsed(copy)["Message-ID"] != parsed(raw)["Message-ID"], "the copy is a message of its own"


def test_a_draft_resumed_from_drafts_and_saved_twice_leaves_one_copy(client, alice):
    draft = EmailMessage(policy=policy.SMTP)
    draft["From"] = alice.email
    draft["To"] = "someone@example.org"
    draft["Subject"] = "Resume me"
    draft["Message-ID"] = f"<resume-{uuid.uuid4().hex}@example.test>"
    draft.set_content("first words\n")
    with imap_direct(alice) as imap:
        imap.append("Drafts", draft.as_bytes(), flags=[b"\\Draft"])
    [(uid, _raw, _flags)] = messages_in(alice, "Drafts")
    inbox_uid, inbox_raw, inbox_flags = _inbox_message(alice, "Bystander")
    data = open_compose(client, f"?draft=Drafts/{uid}")
    for n in range(2):
        answer = client.post("/mail/compose/", {**data, "body": f"more words {n}", "action": "save"}, **JSON)
        assert answer.status_code == 200 and answer.json()["saved"] is True
    [(new_uid, raw, _flags)] = messages_in(alice, "Drafts")
    assert new_uid != uid and "more words 1" in parsed(raw).get_body(("plain",)).get_content()
    assert _inbox_state(alice, inbox_uid) == [(inbox_uid, inbox_raw, inbox_flags)]


def test_a_compose_pointing_outside_drafts_expunges_nothing_there(client, alice):
    """A compose row naming a non-draft (as one resumed from INBOX before this fix did):
    saving, discarding or sending it never touches that message."""
    uid, raw, flags = _inbox_message(alice, "Not a draft")
    data = open_compose(client)
    client.post("/mail/compose/", {**data, "to": "x@example.org", "subject": "s", "body": "b", "action": "save"}, **JSON)
    message_id = parsed(raw)["Message-ID"]
    Compose.objects.filter(pk=data["compose"]).update(draft_folder="INBOX", draft_uid=uid, message_id=message_id)
    answer = client.post("/mail/compose/", {**data, "to": "x@example.org", "subject": "s", "body": "changed", "action": "save"}, **JSON)
    assert answer.status_code == 200 and answer.json()["saved"] is True
    assert _inbox_state(alice, uid) == [(uid, raw, flags)]
    assert client.post(f"/mail/compose/{data['compose']}/discard/").status_code == 302
    assert _inbox_state(alice, uid) == [(uid, raw, flags)]
    assert messages_in(alice, "Drafts", "HEADER", "Message-ID", message_id.strip("<>")) == [], "its own versions in Drafts did go"


# -- uploads are refused by their declared size, before the body is read; a per-user quota ----------


class _EndlessBody:
    """A request body that claims to be huge: counts what the server reads of it."""

    def __init__(self, prefix: bytes) -> None:
        self.prefix = prefix
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        size = 65536 if size is None or size < 0 else size
        start = self.read_bytes
        self.read_bytes += size
        head = self.prefix[start : start + size]
        return head + b"x" * (size - len(head))

    def readline(self, size: int = -1) -> bytes:
        return self.read(min(size if size and size > 0 else 65536, 65536))


HUGE = 300 * 1024 * 1024


@pytest.mark.parametrize("where", ["form", "chunk", "start"])
def test_a_300_mb_upload_is_refused_by_its_content_length_without_reading_it(where, client, alice):
    from django.test import Client

    # CSRF enforced, as in production: Django's CSRF check reads a form body itself.
    browser = Client(enforce_csrf_checks=True)
    browser.cookies = client.cookies  # signed in
    page = browser.get("/mail/compose/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    data = FormReader()
    data.feed(page.content.decode())
    compose_id = str(data.post_data()["compose"])
    saved = browser.post(f"/mail/compose/{compose_id}/", {**data.post_data(), "csrfmiddlewaretoken": token, "action": "save"}, HTTP_X_CSRFTOKEN=token, **JSON)
    assert saved.status_code == 200
    small = browser.post(f"/mail/compose/{compose_id}/attachments/", {"filename": "a.bin", "size": "10"}, HTTP_X_CSRFTOKEN=token, **JSON).json()
    boundary = "b0undary"
    prefix = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{token}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="compose"\r\n\r\n{compose_id}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="action"\r\n\r\nattach\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="attachment"; filename="huge.iso"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    body = _EndlessBody(prefix)
    path = {"form": f"/mail/compose/{compose_id}/", "chunk": f"{small['chunk_url']}?offset=0", "start": f"/mail/compose/{compose_id}/attachments/"}[where]
    response = browser.generic(
        "POST", path, b"", content_type=f"multipart/form-data; boundary={boundary}",
        CONTENT_LENGTH=str(HUGE), HTTP_X_CSRFTOKEN=token, HTTP_ACCEPT="application/json", **{"wsgi.input": body},
    )
    assert body.read_bytes == 0, f"{body.read_bytes} bytes of the body were read before refusing it"
    assert response.status_code == 413, response.content[:300]
    assert "too big" in response.json()["error"]


def test_pending_uploads_have_a_per_user_quota(client, alice, settings):
    settings.WEBMAIL_UPLOAD_QUOTA_BYTES = 1000
    first = open_compose(client)
    upload(client, first, "one.bin", b"1" * 600)
    second = open_compose(client)
    refused = client.post(f"/mail/compose/{second['compose']}/attachments/", {"filename": "two.bin", "size": "500", "seed": second["seed"]}, **JSON)
    assert refused.status_code == 413
    assert "waiting to be sent" in refused.json()["error"]
    assert client.post(f"/mail/compose/{second['compose']}/attachments/", {"filename": "two.bin", "size": "400"}, **JSON).status_code == 201
    # Removing an attachment frees its share.
    [attachment] = Compose.objects.get(pk=first["compose"]).attachments.all()
    assert client.post(f"/mail/compose/{first['compose']}/attachments/{attachment.pk}/delete/", **JSON).status_code == 200
    assert client.post(f"/mail/compose/{second['compose']}/attachments/", {"filename": "three.bin", "size": "500"}, **JSON).status_code == 201
    # So does sending (the files are removed then; the rows stay a few days).
    assert client.post(f"/mail/compose/{second['compose']}/attachments/", {"filename": "four.bin", "size": "200"}, **JSON).status_code == 413
    Compose.objects.filter(pk=second["compose"]).update(state="sent")
    third = open_compose(client)
    assert client.post(f"/mail/compose/{third['compose']}/attachments/", {"filename": "four.bin", "size": "900", "seed": third["seed"]}, **JSON).status_code == 201



# -- opening compose writes no row -----------------------------------------------------------


def test_opening_compose_stores_nothing_until_the_first_save(client, alice, bob):
    uid, message_id, _raw = append_original(alice, subject="Question", sender=f"Bob <{bob.email}>", to=alice.email)
    before = Compose.objects.count()
    pages = [open_compose(client) for _ in range(5)] + [open_compose(client, f"?reply=INBOX/{uid}") for _ in range(5)]
    assert Compose.objects.count() == before, "opening the page wrote a row"
    assert len({p["compose"] for p in pages}) == 10, "each page is its own message"
    # The first save of a reply stores it with what the reply started with (threading, the original).
    reply = pages[-1]
    answer = client.post("/mail/compose/", {**reply, "body": "Yes.", "action": "save"}, **JSON)
    assert answer.status_code == 200 and answer.json()["saved"] is True
    stored = Compose.objects.get(pk=reply["compose"])
    assert (stored.source, stored.source_folder, stored.source_uid, stored.in_reply_to) == ("reply", "INBOX", uid, message_id)
    [(_uid, raw, _flags)] = messages_in(alice, "Drafts")
    assert parsed(raw)["In-Reply-To"] == message_id and parsed(raw)["Subject"] == "Re: Question"
    assert Compose.objects.count() == before + 1
    # Saving again, or uploading with the same page, stores nothing new.
    client.post("/mail/compose/", {**reply, "body": "Yes!", "action": "save"}, **JSON)
    upload(client, reply, "a.txt", b"a")
    assert Compose.objects.count() == before + 1


def test_a_page_seed_is_only_good_for_its_own_user_and_message(client, alice, bob):
    data = open_compose(client)
    other = RawUriClient()
    sign_in(other, bob)
    stolen = other.post("/mail/compose/", {**data, "to": bob.email, "action": "save"}, **JSON)
    assert stolen.status_code == 404
    elsewhere = open_compose(client)
    swapped = client.post("/mail/compose/", {**data, "compose": elsewhere["compose"], "action": "save"}, **JSON)
    assert swapped.status_code == 404
    tampered = client.post("/mail/compose/", {**data, "seed": str(data["seed"])[:-2] + "xx", "action": "save"}, **JSON)
    assert tampered.status_code == 404
    assert not Compose.objects.filter(pk__in=[data["compose"], elsewhere["compose"]]).exists()
