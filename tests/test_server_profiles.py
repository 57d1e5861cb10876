"""The mail server is chosen by the address's domain: admin-managed profiles, else the default."""
from __future__ import annotations

import os
import re

import pytest

from accounts.models import ServerProfile
from tests.support import append_message, imap_direct, mail_user_with, new_mail_user

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(client, user):
    return client.post("/accounts/login/", {"email": user.email, "password": user.password})


def inbox_subjects(client) -> list[str]:
    """The subjects the signed-in person sees in their inbox."""
    response = client.get("/mail/INBOX/")
    assert response.status_code == 200
    return re.findall(r'<a href="/mail/INBOX/\d+/">(.*?)</a>', response.content.decode())


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
    assert "cannot be reached" in response.content.decode()
    other = mail_user_with("default", ["On the default server"])  # example.test: no profile
    assert sign_in(client, other).status_code == 302
    assert inbox_subjects(client) == ["On the default server"]


def test_implicit_tls_profile_signs_in(client):
    user = new_mail_user("tls", domain="example.org")
    with imap_direct(user) as imap:
        append_message(imap, "INBOX", subject="Over implicit TLS")
    profile("example.org", imap_port=int(os.environ["MAILSTACK_IMAPS_PORT"]), imap_security="ssl")
    assert sign_in(client, user).status_code == 302
    assert inbox_subjects(client) == ["Over implicit TLS"]


def test_an_untrusted_certificate_is_refused_with_a_clear_message(client):
    user = new_mail_user("untrusted", domain="example.org")
    profile("example.org", ca_file="")  # the stack's certificate is self-signed
    response = sign_in(client, user)
    assert response.status_code == 503
    assert "cannot be reached" in response.content.decode()


def test_verification_can_be_turned_off_per_profile(client):
    user = new_mail_user("noverify", domain="example.org")
    with imap_direct(user) as imap:
        append_message(imap, "INBOX", subject="Unverified but there")
    profile("example.org", ca_file="", verify_tls=False)
    assert sign_in(client, user).status_code == 302
    assert inbox_subjects(client) == ["Unverified but there"]


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
