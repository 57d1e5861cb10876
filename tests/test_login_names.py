"""The login name the servers are told comes from the profile's format; the sign-in
address stays the person's identity."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from accounts.models import MailCredential, ServerProfile
from tests.support import REPO, append_message, imap_direct, new_mail_user

pytestmark = pytest.mark.django_db(transaction=True)


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


def test_the_profiles_login_format_is_what_the_server_is_told(client):
    """Dovecot here knows people by their whole address: a profile that sends the local
    part is refused, one whose template rebuilds the address signs in."""
    user = new_mail_user("fmt", domain="example.org")
    with imap_direct(user) as imap:
        append_message(imap, "INBOX", subject="Template login")
    row = profile("example.org", imap_login="localpart")
    refused = client.post("/accounts/login/", {"email": user.email, "password": user.password})
    assert refused.status_code == 200  # the form again: the server refused "fmt-…"
    row.imap_login = "%n@%d"
    row.save()
    assert client.post("/accounts/login/", {"email": user.email, "password": user.password}).status_code == 302
    # The identity is still the address, and the list is read with the templated login.
    assert MailCredential.objects.get().login == user.email
    assert "Template login" in client.get("/mail/INBOX/").content.decode()


def test_a_bad_format_is_refused_in_the_admin(admin_client):
    response = admin_client.post(
        "/admin/accounts/serverprofile/add/",
        {"domain": "bad.example", "imap_host": "h", "imap_port": 993, "imap_security": "ssl", "imap_login": "%x",
         "smtp_host": "h", "smtp_port": 587, "smtp_security": "starttls", "verify_tls": "on"},
    )
    assert response.status_code == 200
    assert not ServerProfile.objects.filter(domain="bad.example").exists()


def test_a_bad_environment_format_stops_the_start() -> None:
    env = {**os.environ, "WEBMAIL_IMAP_LOGIN": "%q"}
    result = subprocess.run(
        [sys.executable, "-c", "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'webmail.settings'); django.setup()"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode != 0
    assert "WEBMAIL_IMAP_LOGIN" in result.stderr


def test_the_default_profile_takes_its_formats_from_the_environment(client, settings):
    from accounts.services import imap_login_name_for, smtp_login_name_for

    user = new_mail_user("envfmt")  # example.test: no profile, the default server
    settings.WEBMAIL_IMAP_LOGIN = "localpart"
    settings.WEBMAIL_SMTP_LOGIN = "%u"
    assert imap_login_name_for(user.email) == user.email.split("@")[0]
    assert smtp_login_name_for(user.email) == user.email
    # Dovecot knows the whole address only: the local part is refused.
    assert client.post("/accounts/login/", {"email": user.email, "password": user.password}).status_code == 200
    settings.WEBMAIL_IMAP_LOGIN = "%n@%d"
    assert client.post("/accounts/login/", {"email": user.email, "password": user.password}).status_code == 302
