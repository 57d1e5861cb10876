"""No sender spoofing, against the real Postfix, Dovecot and a Celery worker.

A person sends as their sign-in address and the aliases the operator allows (per
server profile, or WEBMAIL_ALLOWED_SENDERS); the envelope sender is always the
sign-in address; the shipped Postfix refuses a foreign MAIL FROM on submission.
"""
from __future__ import annotations

import os
import smtplib
import ssl
import uuid
from email.message import EmailMessage

import pytest

from accounts.models import Identity, ServerProfile
from mailview.models import Compose
from mailview.services.compose import sending
from tests.support import RawUriClient, new_mail_user
from tests.test_compose import JSON, deliver, messages_in, open_compose, parsed, send, sign_in, wait_for_message, wait_for_state

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def alice(client, mail_user):
    sign_in(client, mail_user)
    return mail_user


@pytest.fixture
def bob():
    return new_mail_user("bob")


@pytest.fixture
def aliased():
    """Someone on a domain whose server profile allows `sales@` and anything `@team.` of it."""
    domain = f"alias-{uuid.uuid4().hex[:8]}.test"
    person = new_mail_user("erin", domain=domain)
    profile = ServerProfile.objects.create(
        domain=domain, imap_host="127.0.0.1", imap_port=int(os.environ["WEBMAIL_IMAP_PORT"]), imap_security="starttls",
        smtp_host="127.0.0.1", smtp_port=int(os.environ["MAILSTACK_SUBMISSION_PORT"]), smtp_security="starttls",
        ca_file=os.environ["WEBMAIL_IMAP_CA_FILE"], allowed_senders=f"sales@{domain}\n*@team.{domain}",
    )
    client = RawUriClient()
    sign_in(client, person)
    return person, profile, client


def _identity(person, email: str) -> Identity:
    return Identity.objects.get(user__username=person.email, email=email)


def test_an_identity_for_another_address_of_the_same_domain_is_refused(client, alice):
    colleague = f"ceo-{uuid.uuid4().hex[:6]}@example.test"
    response = client.post("/accounts/identities/", {"name": "The CEO", "email": colleague})
    assert response.status_code == 400
    assert f"You cannot send as {colleague}" in response.content.decode()
    assert not Identity.objects.filter(email=colleague).exists()


def test_an_allowed_alias_sends_with_the_sign_in_address_as_envelope_sender(celery_worker, aliased, bob):
    person, profile, client = aliased
    sales = f"sales@{profile.domain}"
    assert client.post("/accounts/identities/", {"name": "Sales", "email": sales}).status_code == 302
    assert client.post("/accounts/identities/", {"email": f"anyone@team.{profile.domain}"}).status_code == 302
    assert client.post("/accounts/identities/", {"email": f"boss@{profile.domain}"}).status_code == 400
    data = open_compose(client)
    compose = send(client, data, **{"from": str(_identity(person, sales).pk)}, to=bob.email, subject="From sales", body="hello")
    assert compose.envelope_from == person.email
    assert wait_for_state(compose, "sent", "failed").state == "sent", (compose.error_code, compose.error_detail)
    [(_uid, raw, _flags)] = wait_for_message(bob, "INBOX")
    received = parsed(raw)
    assert received["From"].addresses[0].addr_spec == sales
    # Dovecot's LMTP records the envelope sender Postfix passed on.
    assert received["Return-Path"] == f"<{person.email}>"


def test_an_identity_made_before_a_policy_change_cannot_send(aliased, bob, monkeypatch):
    person, profile, client = aliased
    from mailview.services.compose import lifecycle

    monkeypatch.setattr(lifecycle, "_enqueue", lambda compose, enqueue: None)  # this test runs the worker's service
    sales = f"sales@{profile.domain}"
    assert client.post("/accounts/identities/", {"email": sales}).status_code == 302
    identity = _identity(person, sales)
    data = open_compose(client)
    compose = send(client, data, **{"from": str(identity.pk)}, to=bob.email, subject="Queued as sales", body="x")
    # The operator withdraws the alias while the message waits for the worker.
    ServerProfile.objects.filter(pk=profile.pk).update(allowed_senders="")
    assert deliver(compose) is sending.Outcome.FAILED
    compose.refresh_from_db()
    assert compose.state == "failed" and compose.error_code == "sender"
    status = client.get(f"/mail/compose/{compose.pk}/status/", **JSON).json()
    assert f"not allowed to send as {sales}" in status["message"]
    # Sending it again from the page is refused up front, naming the field.
    answer = client.post("/mail/compose/", {**data, "from": str(identity.pk), "to": bob.email, "subject": "again", "body": "x", "action": "send"}, **JSON)
    assert answer.status_code == 400 and "from" in answer.json()["errors"]
    assert Compose.objects.get(pk=compose.pk).state == "failed"
    assert messages_in(bob, "INBOX") == []


def test_a_from_changed_in_the_stored_draft_is_checked_by_the_worker(alice, bob, client, monkeypatch):
    """The worker sends the draft stored on IMAP: a From rewritten there (by another client) is refused."""
    from mailview.imap import reset_pool_for_tests
    from mailview.services.compose import lifecycle
    from tests.support import imap_direct

    monkeypatch.setattr(lifecycle, "_enqueue", lambda compose, enqueue: None)
    data = open_compose(client)
    compose = send(client, data, to=bob.email, subject="Honest", body="x")
    forged = EmailMessage()
    forged["From"] = "ceo@example.test"
    forged["To"] = bob.email
    forged["Subject"] = "Forged"
    forged["Message-ID"] = compose.message_id
    forged.set_content("pay this invoice\n")
    with imap_direct(alice) as imap:
        imap.select_folder("Drafts")
        imap.delete_messages(imap.search(["ALL"]))
        imap.expunge()
        imap.append("Drafts", forged.as_bytes(), flags=[b"\\Draft"])
    reset_pool_for_tests()  # the worker is another process, with connections of its own
    assert deliver(compose) is sending.Outcome.FAILED
    compose.refresh_from_db()
    assert compose.error_code == "sender" and "ceo@example.test" in compose.error_detail
    assert messages_in(bob, "INBOX") == []


def _submission(user) -> smtplib.SMTP:
    smtp = smtplib.SMTP("127.0.0.1", int(os.environ["MAILSTACK_SUBMISSION_PORT"]), timeout=30)
    smtp.starttls(context=ssl.create_default_context(cafile=os.environ["WEBMAIL_IMAP_CA_FILE"]))
    smtp.login(user.email, user.password)
    return smtp


def test_postfix_submission_refuses_a_foreign_mail_from(bob):
    """The shipped Postfix config: MAIL FROM must be an address the SASL login owns."""
    mallory = new_mail_user("mallory")
    smtp = _submission(mallory)
    try:
        with pytest.raises((smtplib.SMTPSenderRefused, smtplib.SMTPRecipientsRefused)) as refused:
            smtp.sendmail(bob.email, [bob.email], f"From: {bob.email}\r\nSubject: spoofed\r\n\r\nhi\r\n")
        text = str(refused.value)
        assert "553" in text and "not owned by user" in text
        smtp.rset()
        assert smtp.sendmail(mallory.email, [bob.email], f"From: {mallory.email}\r\nSubject: honest\r\n\r\nhi\r\n") == {}
    finally:
        smtp.quit()
    [(_uid, raw, _flags)] = wait_for_message(bob, "INBOX")
    assert parsed(raw)["Subject"] == "honest"
