"""What the pages hand live.js: the event stream's URL, the id to start after, what they show;
and the CSP that lets them reach an event server on another origin."""
from __future__ import annotations

import json
import re

import pytest

from mailview.services.live import events
from tests.support import append_message, imap_direct
from webmail.middleware import DEFAULT_CSP, content_security_policy

pytestmark = pytest.mark.django_db


def live_config(page: str) -> dict:
    block = re.search(r'<script id="live-config" type="application/json">(.*?)</script>', page, re.S)
    assert block, "no live-config block"
    return json.loads(block.group(1))


def test_list_and_message_pages_start_the_stream_after_the_latest_event(signed_in, mail_user, settings):
    from django.contrib.auth import get_user_model

    settings.WEBMAIL_EVENTS_URL = "http://127.0.0.1:31082/events/"
    pk = get_user_model().objects.get(username=mail_user.email).pk
    latest = events.publish(pk, "folders", {})
    with imap_direct(mail_user) as imap:
        append_message(imap, "INBOX", subject="Live")
        imap.select_folder("INBOX", readonly=True)
        uid = imap.search(["ALL"])[0]
        uidvalidity = imap.folder_status("INBOX", ["UIDVALIDITY"])[b"UIDVALIDITY"]
    listing = live_config(signed_in.get("/mail/INBOX/?sort=subject").content.decode())
    assert listing["url"] == "http://127.0.0.1:31082/events/" and listing["last"] == latest and listing["folder"] == "INBOX"
    assert listing["list"] == {"sort": "subject", "order": "asc", "page": 1, "perPage": 50, "searching": False, "uidvalidity": uidvalidity}
    message = live_config(signed_in.get(f"/mail/INBOX/{uid}/").content.decode())
    assert message["message"] == {"uid": uid} and "list" not in message and message["last"] == latest
    assert message["texts"]["newOne"] == "%s new message"


def test_the_page_works_when_redis_cannot_give_a_start_id(signed_in, monkeypatch):
    import redis

    def down(*args, **kwargs):
        raise redis.exceptions.ConnectionError("down")

    monkeypatch.setattr(events, "latest_event_id", down)
    response = signed_in.get("/mail/INBOX/")
    assert response.status_code == 200
    assert live_config(response.content.decode())["last"] == ""  # the stream will start with a resync


def test_the_csp_allows_the_event_server_only_when_it_is_another_origin():
    assert content_security_policy("/events/") == DEFAULT_CSP
    assert content_security_policy("") == DEFAULT_CSP
    policy = content_security_policy("http://127.0.0.1:21082/events/")
    assert "connect-src 'self' http://127.0.0.1:21082;" in policy
    assert "script-src 'self';" in policy


def test_german_pages_get_german_live_texts(signed_in):
    page = signed_in.get("/mail/INBOX/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert live_config(page)["texts"]["newMany"] == "%s neue Nachrichten"
