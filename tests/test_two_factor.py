"""Two-step sign-in: TOTP after the IMAP password, recovery codes, replay and rate limits."""
from __future__ import annotations

import re

import pyotp
import pytest
from django.conf import settings
from django.test import override_settings

from accounts.models import AuditEvent, TwoFactor

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(client, user):
    return client.post("/accounts/login/", {"email": user.email, "password": user.password})


def turn_on(client) -> tuple[str, list[str]]:
    page = client.post("/accounts/two-factor/", {"op": "start"}).content.decode()
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)
    assert 'src="data:image/svg+xml;base64,' in page  # the QR code, inline
    done = client.post("/accounts/two-factor/", {"op": "confirm", "code": pyotp.TOTP(secret).now()}).content.decode()
    codes = re.findall(r"<code>([0-9a-f]{6}-[0-9a-f]{6})</code>", done)
    assert len(codes) == 8
    return secret, codes


def next_code(secret: str) -> str:
    """The code of the step after the one spent confirming the setup (a code never works
    twice); accepted for clock drift while it is at most one step ahead."""
    return pyotp.TOTP(secret).generate_otp(TwoFactor.objects.get().last_step + 1)


@pytest.fixture
def protected(signed_in, mail_user):
    secret, codes = turn_on(signed_in)
    signed_in.post("/accounts/logout/")
    return mail_user, secret, codes


def test_the_password_alone_no_longer_signs_in(client, protected):
    user, _, _ = protected
    response = sign_in(client, user)
    assert response.status_code == 302 and response["Location"] == "/accounts/login/code/"
    assert "_auth_user_id" not in client.session
    assert client.get("/mail/INBOX/").status_code == 302


def test_a_current_code_completes_the_sign_in_once(client, protected):
    user, secret, _ = protected
    sign_in(client, user)
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    code = next_code(secret)
    response = client.post("/accounts/login/code/", {"code": code})
    assert response.status_code == 302 and response["Location"] == "/mail/"
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != before  # rotated
    assert client.get("/mail/INBOX/").status_code == 200
    client.post("/accounts/logout/")
    sign_in(client, user)
    replay = client.post("/accounts/login/code/", {"code": code})
    assert replay.status_code == 200 and "not right" in replay.content.decode()


def test_a_wrong_code_is_refused_and_recorded(client, protected):
    user, secret, _ = protected
    sign_in(client, user)
    wrong = "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"
    response = client.post("/accounts/login/code/", {"code": wrong})
    assert response.status_code == 200 and "not right" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(kind="2fa_failed", email=user.email).exists()


def test_recovery_codes_work_once_each(client, protected):
    user, _, codes = protected
    sign_in(client, user)
    assert client.post("/accounts/login/code/", {"code": codes[0]}).status_code == 302
    client.post("/accounts/logout/")
    sign_in(client, user)
    assert client.post("/accounts/login/code/", {"code": codes[0]}).status_code == 200
    assert len(TwoFactor.objects.get().recovery_hashes) == 7


@override_settings(WEBMAIL_LOGIN_BACKOFF_BASE=60)
def test_guessing_codes_is_rate_limited(client, protected):
    user, _, _ = protected
    sign_in(client, user)
    for _ in range(settings.WEBMAIL_LOGIN_FREE_FAILURES):
        assert client.post("/accounts/login/code/", {"code": "123456"}).status_code == 200
    response = client.post("/accounts/login/code/", {"code": "654321"})
    assert response.status_code == 429


@override_settings(WEBMAIL_LOGIN_FREE_FAILURES=100)
def test_guessing_codes_from_many_ips_is_capped_per_account(client, protected):
    from accounts.two_factor_views import TWO_FACTOR_FAILURES_PER_ACCOUNT

    user, _, _ = protected
    sign_in(client, user)
    for n in range(TWO_FACTOR_FAILURES_PER_ACCOUNT):
        assert client.post("/accounts/login/code/", {"code": "123456"}, REMOTE_ADDR=f"198.51.100.{n + 1}").status_code == 200
    response = client.post("/accounts/login/code/", {"code": "654321"}, REMOTE_ADDR="198.51.100.250")
    assert response.status_code == 429


def test_the_code_step_needs_the_password_step_first(client):
    response = client.get("/accounts/login/code/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"


def test_turning_off_needs_a_code(client, protected):
    user, secret, codes = protected
    sign_in(client, user)
    assert client.post("/accounts/login/code/", {"code": next_code(secret)}).status_code == 302
    refused = client.post("/accounts/two-factor/", {"op": "disable", "code": "not-a-code"})
    assert refused.status_code == 200 and TwoFactor.objects.exists()
    client.post("/accounts/two-factor/", {"op": "disable", "code": codes[1]})
    assert not TwoFactor.objects.exists()
    client.post("/accounts/logout/")
    assert sign_in(client, user)["Location"] == "/mail/"


def test_a_wrong_confirmation_code_does_not_turn_it_on(signed_in):
    signed_in.post("/accounts/two-factor/", {"op": "start"})
    page = signed_in.post("/accounts/two-factor/", {"op": "confirm", "code": "000000"}).content.decode()
    assert "not right" in page and not TwoFactor.objects.exists()


def test_the_code_that_confirmed_the_setup_cannot_sign_in(client, protected):
    user, secret, _ = protected
    sign_in(client, user)
    spent = pyotp.TOTP(secret).generate_otp(TwoFactor.objects.get().last_step)
    assert client.post("/accounts/login/code/", {"code": spent}).status_code == 200
    # still not signed in: the mail asks for the sign-in again
    mail = client.get("/mail/INBOX/")
    assert mail.status_code == 302 and mail["Location"].startswith("/accounts/login/")
