"""Sign-in limits that stop guessing without locking the real user out."""
from __future__ import annotations

import threading

import pyotp
import pytest
from django.contrib.auth.models import Permission
from django.test import Client, RequestFactory, override_settings

from accounts import ratelimit
from accounts.models import AuditEvent, TwoFactor
from accounts.two_factor import enrollment_confirm
from tests.support import DovecotLog, imap_direct, mailstack, new_mail_user, wait_until
from webmail.client_ip import client_ip
from webmail.redis_client import get_redis

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(client, email: str, password: str, **extra):
    return client.post("/accounts/login/", {"email": email, "password": password}, **extra)


# --- the client's IP behind reverse proxies -------------------------------------------------


@pytest.mark.parametrize(
    "proxies, forwarded, expected",
    [
        (0, "203.0.113.9", "10.0.0.2"),  # no proxy trusted: the header is the client's own word
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # a forged entry on the left is ignored
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.1", "203.0.113.9"),
        (1, "not-an-ip", "10.0.0.2"),
        (1, "", "10.0.0.2"),
    ],
)
def test_the_client_ip_is_read_from_the_right_of_x_forwarded_for(proxies, forwarded, expected):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(WEBMAIL_TRUSTED_PROXIES=proxies):
        assert client_ip(request) == expected


@override_settings(WEBMAIL_TRUSTED_PROXIES=1, WEBMAIL_LOGIN_FAILURES_PER_IP=3)
def test_behind_a_proxy_one_clients_failures_do_not_lock_out_the_others(client, mail_user):
    attacker = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.66"}
    for n in range(3):
        assert sign_in(client, f"someone{n}@example.test", "wrong", **attacker).status_code == 200
    assert sign_in(client, "another@example.test", "wrong", **attacker).status_code == 429
    user = Client()
    response = sign_in(user, mail_user.email, mail_user.password, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert response.status_code == 302 and response["Location"] == "/mail/"


# --- backoff, not lockout ---------------------------------------------------------------------


@override_settings(WEBMAIL_LOGIN_BACKOFF_BASE=30)
def test_after_failures_the_real_user_waits_seconds_and_other_ips_not_at_all(client, mail_user, settings):
    for _ in range(settings.WEBMAIL_LOGIN_FREE_FAILURES):
        assert sign_in(client, mail_user.email, "wrong").status_code == 200
    response = sign_in(client, mail_user.email, mail_user.password)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 30
    assert "Try again in" in response.content.decode() and "seconds" in response.content.decode()
    # The same person on their phone (another IP) is not held up by the guesses.
    response = sign_in(Client(), mail_user.email, mail_user.password, REMOTE_ADDR="198.51.100.2")
    assert response.status_code == 302


@override_settings(WEBMAIL_LOGIN_FREE_FAILURES=2, WEBMAIL_LOGIN_BACKOFF_BASE=10, WEBMAIL_LOGIN_BACKOFF_MAX=35)
def test_the_wait_doubles_with_each_further_failure_up_to_the_maximum():
    ip, email = "198.51.100.7", "someone@example.test"
    wait_key = ratelimit._keys(ip, email)[1]
    for _ in range(2):
        assert ratelimit.login_attempt_begin(ip=ip, email=email) is None  # free
    waits = []
    for _ in range(4):
        limited = ratelimit.login_attempt_begin(ip=ip, email=email)
        waits.append(limited.retry_after if limited else 0)
        get_redis().pexpire(wait_key, 1)  # the wait is over (instead of sleeping through it)
        wait_until(lambda: get_redis().pttl(wait_key) < 0, message="the wait to end")
        assert ratelimit.login_attempt_begin(ip=ip, email=email) is None  # allowed, and counted
    assert waits == [10, 20, 35, 35]


def test_a_right_password_forgets_the_failures_of_that_address_from_that_ip():
    ip, email = "198.51.100.8", "someone@example.test"
    for _ in range(3):
        ratelimit.login_attempt_begin(ip=ip, email=email)
    ratelimit.login_attempt_begin(ip=ip, email=email)
    ratelimit.login_succeeded(ip=ip, email=email)
    redis = get_redis()
    pair, wait, address, per_ip = ratelimit._keys(ip, email)
    assert redis.get(pair) is None and redis.get(wait) is None
    assert int(redis.get(address)) == 3 and int(redis.get(per_ip)) == 3  # the failures still count there


@override_settings(WEBMAIL_LOGIN_FREE_FAILURES=3, WEBMAIL_LOGIN_FAILURES_PER_ADDRESS=3, WEBMAIL_LOGIN_BACKOFF_BASE=60)
def test_concurrent_guesses_cannot_get_past_the_limit(mail_user):
    """Twelve guesses at once: only as many reach the mail server as the limit allows
    (the old check-then-count let every one of them through)."""
    barrier = threading.Barrier(12)
    statuses: list[int] = []

    def guess() -> None:
        from django.db import connection

        try:
            barrier.wait()
            statuses.append(sign_in(Client(), mail_user.email, "wrong").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=guess) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [200] * 3 + [429] * 9
    assert AuditEvent.objects.filter(kind="login_failed", email=mail_user.email).count() == 3


# --- the client's IP reaches the mail server ----------------------------------------------------


@override_settings(WEBMAIL_TRUSTED_PROXIES=1)
def test_the_mail_server_sees_the_browsers_ip_not_the_webmails(client, mail_user):
    log = DovecotLog()
    response = sign_in(client, mail_user.email, mail_user.password, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.77")
    assert response.status_code == 302
    logins = [line for line in log.lines() if f"Login: user=<{mail_user.email}>" in line]
    assert len(logins) == 1 and "rip=203.0.113.77," in logins[0], logins
    log.mark()
    sign_in(Client(), mail_user.email, "wrong", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.99")
    failures = wait_until(lambda: [line for line in log.lines() if mail_user.email in line and "rip=" in line], message="the failed login in Dovecot's log")
    assert all("rip=198.51.100.99" in line for line in failures), failures


@override_settings(WEBMAIL_TRUSTED_PROXIES=1)
def test_the_pools_logins_carry_the_ip_of_the_request_that_opened_them(client, mail_user):
    assert sign_in(client, mail_user.email, mail_user.password).status_code == 302
    log = DovecotLog()
    assert client.get("/mail/INBOX/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.88").status_code == 200
    logins = wait_until(lambda: [line for line in log.lines() if f"Login: user=<{mail_user.email}>" in line], message="the pool's login in Dovecot's log")
    assert len(logins) == 1 and "rip=203.0.113.88," in logins[0], logins


# --- non-ASCII passwords and addresses ----------------------------------------------------------


def test_a_password_with_umlauts_signs_in(client):
    email = new_mail_user("umlaut").email
    mailstack("adduser", email, "pässwörd")
    response = sign_in(client, email, "pässwörd")
    assert response.status_code == 302 and response["Location"] == "/mail/"
    assert client.get("/mail/INBOX/").status_code == 200  # the pool logs in with it too
    assert sign_in(Client(), email, "passwörd").status_code == 200  # and a wrong one is just wrong


def test_a_password_with_umlauts_can_send_mail():
    from mailview.services.compose.sending import smtp_endpoint_for
    from mailview.smtp.client import smtp_submit
    from mailview.smtp.errors import SmtpAuthError

    email = new_mail_user("umlaut").email
    mailstack("adduser", email, "pässwörd")
    message = f"From: {email}\r\nTo: {email}\r\nSubject: Grüße\r\nMessage-ID: <umlaut-{email}>\r\n\r\nHallo\r\n".encode()
    submit = dict(endpoint=smtp_endpoint_for(email), envelope_from=email, recipients=[email], data=message, on_commit_point=lambda: None)
    reply = smtp_submit(username=email, password="pässwörd", **submit)
    assert reply
    with pytest.raises(SmtpAuthError) as refused:
        smtp_submit(username=email, password="passwörd", **submit)
    assert refused.value.code == "auth"


@pytest.mark.parametrize("address", ["jörg@example.test", "отдел@example.test"])
def test_an_address_the_server_cannot_take_gets_a_clear_message(client, address):
    response = sign_in(client, address, "pässwörd")
    assert response.status_code == 200
    assert "cannot be used to sign in" in response.content.decode()
    assert not AuditEvent.objects.filter(kind="login_failed").exists()


def test_an_internationalized_domain_is_sent_in_its_ascii_form(client):
    response = sign_in(client, "bob@bücher.example", "pässwörd")
    assert response.status_code == 200
    assert "Wrong email address or password." in response.content.decode()
    assert AuditEvent.objects.filter(kind="login_failed", email="bob@xn--bcher-kva.example").exists()


# --- a server's connection limit is not a wrong password ----------------------------------------


@override_settings(WEBMAIL_LOGIN_FREE_FAILURES=1, WEBMAIL_LOGIN_BACKOFF_BASE=60)
def test_the_servers_connection_limit_is_reported_as_busy_and_not_counted(client, mail_user):
    held = []
    try:
        for _ in range(10):  # Dovecot allows 10 per user and IP (mail_max_userip_connections)
            held.append(imap_direct(mail_user))
        response = sign_in(client, mail_user.email, mail_user.password)
    finally:
        for connection in held:
            connection.logout()
    assert response.status_code == 503
    assert "too many connections" in response.content.decode()
    assert response["Retry-After"]
    assert not AuditEvent.objects.filter(kind="login_failed").exists()
    # Not counted: with one free failure, a counted attempt would make the next one wait.
    response = sign_in(client, mail_user.email, mail_user.password)
    assert response.status_code == 302


# --- the admin's own sign-in --------------------------------------------------------------------


@pytest.fixture
def local_admin(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.test", "admin-password-1")


def test_the_admin_sign_in_asks_for_the_second_factor(client, local_admin):
    secret = pyotp.random_base32()
    assert enrollment_confirm(user=local_admin, secret=secret, code=pyotp.TOTP(secret).now()) is not None
    response = client.post("/admin/login/?next=/admin/", {"username": "root", "password": "admin-password-1", "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/code/"
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302
    code = pyotp.TOTP(secret).generate_otp(TwoFactor.objects.get().last_step + 1)
    response = client.post("/accounts/login/code/", {"code": code})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_admin_sign_in_without_a_second_factor_still_works(client, local_admin):
    response = client.post("/admin/login/?next=/admin/", {"username": "root", "password": "admin-password-1", "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@override_settings(WEBMAIL_LOGIN_FREE_FAILURES=2, WEBMAIL_LOGIN_BACKOFF_BASE=60)
def test_the_admin_sign_in_is_rate_limited(client, local_admin):
    for _ in range(2):
        response = client.post("/admin/login/", {"username": "root", "password": "guess"})
        assert response.status_code == 200 and "_auth_user_id" not in client.session
    response = client.post("/admin/login/", {"username": "root", "password": "admin-password-1"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(kind="login_failed", email="root").count() == 2


# --- the pool's admin page needs a permission -----------------------------------------------------


def test_a_staff_user_without_the_permission_cannot_see_the_pool(client, django_user_model):
    staff = django_user_model.objects.create_user("helpdesk", password="x", is_staff=True)
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/admin/pool/").status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="view_pool_stats"))
    assert client.get("/admin/pool/").status_code == 200


def test_a_superuser_sees_the_pool(client, local_admin):
    client.force_login(local_admin, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/admin/pool/").status_code == 200


def test_a_profile_named_with_the_unicode_domain_still_applies(client):
    from accounts.models import ServerProfile

    ServerProfile.objects.create(domain="bücher.example", imap_host="127.0.0.1", imap_port=1, imap_security="starttls", smtp_host="127.0.0.1")
    response = sign_in(client, "Bob@Bücher.example", "pässwörd")
    assert response.status_code == 503  # the profile's (down) server was asked, not the default
