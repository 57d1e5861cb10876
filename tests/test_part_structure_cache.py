"""Downloading parts of one message parses its structure once: a message with thousands of parts
costs seconds of BODYSTRUCTURE parsing, which each attachment download used to pay again."""
from __future__ import annotations

from email.message import EmailMessage

import pytest

from mailview.imap.connection import ImapConnection
from tests.support import imap_direct

pytestmark = pytest.mark.django_db


def _message_with_attachments(count: int) -> bytes:
    message = EmailMessage()
    message["From"] = "Sender <sender@example.org>"
    message["To"] = "reader@example.test"
    message["Subject"] = "Files"
    message.set_content("see the files")
    for n in range(count):
        message.add_attachment(f"file {n}\n".encode(), maintype="application", subtype="octet-stream", filename=f"f{n}.bin")
    return message.as_bytes()


@pytest.fixture
def structure_fetches(monkeypatch):
    """How many times the app fetched a message's BODYSTRUCTURE (it still talks to Dovecot)."""
    calls: list[int] = []
    original = ImapConnection.fetch_message_meta

    def counting(self, uid):  # type: ignore[no-untyped-def]
        calls.append(uid)
        return original(self, uid)

    monkeypatch.setattr(ImapConnection, "fetch_message_meta", counting)
    return calls


def test_parts_of_one_message_share_one_structure_fetch_and_a_gone_message_is_404(signed_in, mail_user, structure_fetches):
    with imap_direct(mail_user) as imap:
        imap.append("INBOX", _message_with_attachments(5))
        imap.select_folder("INBOX")
        (uid,) = imap.search(["ALL"])

    for section in ("2", "3", "4", "5", "6"):
        response = signed_in.get(f"/mail/INBOX/{uid}/part/{section}/?download=1")
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == f"file {int(section) - 2}\n".encode()
    assert structure_fetches == [uid], "the structure is fetched for the first part only"

    # Deleted on another device: the cached structure does not make the part look present.
    with imap_direct(mail_user) as imap:
        imap.select_folder("INBOX")
        imap.delete_messages([uid])
        imap.expunge()
    response = signed_in.get(f"/mail/INBOX/{uid}/part/3/?download=1")
    assert response.status_code == 404
