"""Errors reach the server log as one line naming the request and the user, never a password."""
from __future__ import annotations

import io
import logging
import socket

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from mailview.imap import reset_pool_for_tests

pytestmark = pytest.mark.django_db(transaction=True)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends: nothing listens there


def server_log():  # type: ignore[no-untyped-def]
    """The configured stderr handler (settings.LOGGING), writing into a buffer for the test."""
    handler = next(h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler) and h.formatter is not None)
    buffer = io.StringIO()
    return handler, buffer, handler.setStream(buffer)


def test_an_imap_failure_during_a_request_logs_one_line_with_user_and_request_id_and_no_password(client, mail_user):
    assert client.post("/accounts/login/", {"email": mail_user.email, "password": mail_user.password}).status_code == 302
    pk = get_user_model().objects.get(username=mail_user.email).pk
    reset_pool_for_tests()
    handler, buffer, stderr = server_log()
    try:
        with override_settings(WEBMAIL_IMAP_PORT=closed_port()):  # the mail server goes away
            response = client.get("/mail/INBOX/")
    finally:
        handler.setStream(stderr)
    assert response.status_code == 503
    request_id = response["X-Request-ID"]
    assert len(request_id) >= 8
    err = buffer.getvalue()
    lines = [line for line in err.splitlines() if f"req={request_id}" in line]
    assert len(lines) == 1, err[-3000:]
    assert f"user={pk} " in lines[0] and "IMAP" in lines[0]
    assert mail_user.password not in err
    reset_pool_for_tests()


def test_a_sane_request_id_from_the_proxy_is_kept_and_anything_else_replaced(client):
    assert client.get("/accounts/login/", HTTP_X_REQUEST_ID="proxy-id-1234abcd")["X-Request-ID"] == "proxy-id-1234abcd"
    forged = client.get("/accounts/login/", HTTP_X_REQUEST_ID="x\nERROR forged line")["X-Request-ID"]
    assert forged != "x\nERROR forged line" and "\n" not in forged and len(forged) >= 8
