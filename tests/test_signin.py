"""Sign-in against the real Dovecot: success, failures, rate limits, sessions, sign-out."""
from __future__ import annotations

import pytest
from django.conf import settings
from django.test import override_settings

from accounts.crypto import decrypt_secret
from accounts.models import AuditEvent, MailCredential
from mailview.imap import get_pool
from tests.support import DovecotLog, dovecot_connections, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(client, email: str, password: str, **extra):
    return client.post("/accounts/login/", {"email": email, "password": password}, **extra)


def test_it_signs_in_with_the_imap_password_and_shows_the_inbox(client, mail_user):
    response = sign_in(client, mail_user.email, mail_user.password)
    assert response.status_code == 302
    assert response["Location"] == "/mail/"
    response = client.get("/mail/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/mail/INBOX/"
    assert mail_user.email in response.content.decode()


def test_it_stores_the_mail_password_only_encrypted(client, mail_user):
    sign_in(client, mail_user.email, mail_user.password)
    credential = MailCredential.objects.get(login=mail_user.email)
    assert mail_user.password not in credential.encrypted_password
    assert decrypt_secret(credential.encrypted_password) == mail_user.password


def test_it_creates_the_django_user_on_first_sign_in_only(client, mail_user, django_user_model):
    sign_in(client, mail_user.email, mail_user.password)
    client.post("/accounts/logout/")
    sign_in(client, mail_user.email, mail_user.password)
    assert django_user_model.objects.filter(username=mail_user.email).count() == 1
    assert not django_user_model.objects.get(username=mail_user.email).has_usable_password()


def test_a_wrong_password_shows_the_form_again_with_an_error(client, mail_user):
    response = sign_in(client, mail_user.email, "not-the-password")
    assert response.status_code == 200
    assert "Wrong email address or password." in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not MailCredential.objects.exists()
    assert AuditEvent.objects.filter(kind="login_failed", email=mail_user.email).exists()


def test_an_unknown_address_is_refused_like_a_wrong_password(client):
    response = sign_in(client, "nobody-here@example.test", "whatever")
    assert response.status_code == 200
    assert "Wrong email address or password." in response.content.decode()


def test_an_unreachable_server_shows_a_clear_message(client, mail_user):
    with override_settings(WEBMAIL_IMAP_PORT=1):  # nothing listens on port 1
        response = sign_in(client, mail_user.email, mail_user.password)
    assert response.status_code == 503
    assert "The mail server cannot be reached right now" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_server_that_is_not_imap_shows_a_clear_message(client, mail_user):
    # Redis answers on this port: a misbehaving server, not a closed port.
    redis_port = int(settings.REDIS_URL.rsplit(":", 1)[1].split("/")[0])
    with override_settings(WEBMAIL_IMAP_PORT=redis_port, WEBMAIL_IMAP_TIMEOUT=3):
        response = sign_in(client, mail_user.email, mail_user.password)
    assert response.status_code == 503
    assert "The mail server cannot be reached right now" in response.content.decode()


@override_settings(WEBMAIL_LOGIN_BACKOFF_BASE=120)
def test_too_many_failures_for_one_address_from_one_ip_make_it_wait(client, mail_user):
    for _ in range(settings.WEBMAIL_LOGIN_FREE_FAILURES):
        assert sign_in(client, mail_user.email, "wrong").status_code == 200
    response = sign_in(client, mail_user.email, mail_user.password)  # even the right password now waits
    assert response.status_code == 429
    assert "Try again in 2 minutes" in response.content.decode()
    assert 60 < int(response["Retry-After"]) <= 120
    assert AuditEvent.objects.filter(kind="rate_limited").exists()


@override_settings(WEBMAIL_LOGIN_FAILURES_PER_ADDRESS=4, WEBMAIL_LOGIN_FREE_FAILURES=100)
def test_too_many_failures_for_one_address_from_many_ips_are_rate_limited(client, mail_user):
    for n in range(4):
        assert sign_in(client, mail_user.email, "wrong", REMOTE_ADDR=f"198.51.100.{n + 1}").status_code == 200
    response = sign_in(client, mail_user.email, "wrong", REMOTE_ADDR="198.51.100.200")
    assert response.status_code == 429


@override_settings(WEBMAIL_LOGIN_FAILURES_PER_IP=3, WEBMAIL_LOGIN_FAILURES_PER_ADDRESS=100)
def test_too_many_failures_from_one_ip_are_rate_limited_across_addresses(client):
    for n in range(3):
        assert sign_in(client, f"someone{n}@example.test", "wrong").status_code == 200
    response = sign_in(client, "another@example.test", "wrong")
    assert response.status_code == 429


def test_the_session_key_rotates_at_sign_in(client, mail_user):
    session = client.session  # an anonymous session, with its cookie
    session["probe"] = 1
    session.save()
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    sign_in(client, mail_user.email, mail_user.password)
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert before and after and before != after


def test_sign_out_needs_post(signed_in):
    response = signed_in.get("/accounts/logout/")
    assert response.status_code == 405
    assert "_auth_user_id" in signed_in.session


def test_sign_out_wipes_the_credential_and_closes_connections(signed_in, mail_user):
    assert signed_in.get("/mail/INBOX/").status_code == 200
    assert get_pool().stats()["open"] >= 1
    assert dovecot_connections(mail_user.email) >= 1
    response = signed_in.post("/accounts/logout/")
    assert response.status_code == 302
    assert not MailCredential.objects.filter(login=mail_user.email).exists()
    assert get_pool().stats()["open"] == 0
    wait_until(lambda: dovecot_connections(mail_user.email) == 0, message="Dovecot to see the logout")
    assert signed_in.get("/mail/INBOX/").status_code == 302  # back to the sign-in page


def test_the_password_never_reaches_the_logs(client, mail_user, caplog):
    log = DovecotLog()
    caplog.set_level("DEBUG")
    sign_in(client, mail_user.email, mail_user.password)
    client.get("/mail/INBOX/")
    assert mail_user.password not in caplog.text
    assert all(mail_user.password not in line for line in log.lines())


def test_a_next_url_off_site_is_ignored(client, mail_user):
    response = client.post("/accounts/login/?next=https://evil.example/", {"email": mail_user.email, "password": mail_user.password, "next": "https://evil.example/"})
    assert response["Location"] == "/mail/"


def test_mail_pages_need_a_sign_in(client):
    response = client.get("/mail/INBOX/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_pages_cannot_be_framed_except_the_message_body(client):
    response = client.get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
