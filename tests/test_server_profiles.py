"""The mail server is chosen by the address's domain: admin-managed profiles, else the default."""
from __future__ import annotations

import os

import pytest

from accounts.models import ServerProfile
from tests.support import new_mail_user

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(client, user):
    return client.post("/accounts/login/", {"email": user.email, "password": user.password})


def profile(domain: str, **overrides) -> ServerProfile:
    values = {
        "domain": domain,
        "imap_host": "127.0.0.1",
        "imap_port": int(os.environ["WEBMAIL_IMAP_PORT"]),
        "imap_security": "starttls",
        "smtp_host": "127.0.0.1",
        "smtp_port": int(os.environ["WEBMAIL_SMTP_PORT"]),
        "verify_tls": True,
        "ca_file": os.environ["WEBMAIL_IMAP_CA_FILE"],
        **overrides,
    }
    return ServerProfile.objects.create(**values)


def test_a_domain_profile_is_used_over_the_default(client):
    user = new_mail_user("prof", domain="example.org")
    profile("example.org", imap_port=1)  # this domain's server is "down"
    response = sign_in(client, user)
    assert response.status_code == 503
    other = new_mail_user("default")  # example.test: no profile, the default server
    assert sign_in(client, other).status_code == 302


def test_implicit_tls_profile_signs_in(client):
    user = new_mail_user("tls", domain="example.org")
    profile("example.org", imap_port=int(os.environ["MAILSTACK_IMAPS_PORT"]), imap_security="ssl")
    assert sign_in(client, user).status_code == 302
    assert client.get("/mail/INBOX/").status_code == 200


def test_an_untrusted_certificate_is_refused_with_a_clear_message(client):
    user = new_mail_user("untrusted", domain="example.org")
    profile("example.org", ca_file="")  # the stack's certificate is self-signed
    response = sign_in(client, user)
    assert response.status_code == 503
    assert "cannot be reached" in response.content.decode()


def test_verification_can_be_turned_off_per_profile(client):
    user = new_mail_user("noverify", domain="example.org")
    profile("example.org", ca_file="", verify_tls=False)
    assert sign_in(client, user).status_code == 302


def test_profiles_are_managed_in_the_admin(admin_client):
    response = admin_client.post(
        "/admin/accounts/serverprofile/add/",
        {"domain": "Example.NET", "imap_host": "imap.example.net", "imap_port": 993, "imap_security": "ssl", "smtp_host": "smtp.example.net", "smtp_port": 587, "smtp_security": "starttls", "verify_tls": "on", "ca_file": ""},
    )
    assert response.status_code == 302
    assert ServerProfile.objects.get().domain == "example.net"
    assert admin_client.get("/admin/accounts/serverprofile/").status_code == 200
    assert admin_client.get("/admin/auth/user/").status_code == 200
    assert admin_client.get("/admin/accounts/auditevent/").status_code == 200
