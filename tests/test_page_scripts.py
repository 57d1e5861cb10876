"""Each page loads the scripts it uses, and hands them their texts and URLs as data."""
from __future__ import annotations

import json
import re

import pytest

from mailview.templatetags.mail_urls import script_urls
from tests.support import append_message, imap_direct

pytestmark = pytest.mark.django_db


def scripts(page: str) -> list[str]:
    return re.findall(r'<script src="/static/js/([\w-]+\.js)"', page)


def data_block(page: str, block_id: str) -> object:
    block = re.search(rf'<script id="{block_id}" type="application/json">(.*?)</script>', page, re.S)
    return json.loads(block.group(1)) if block else None


def test_each_page_loads_only_the_scripts_it_uses(client, mail_user):
    with imap_direct(mail_user) as imap:
        append_message(imap, "INBOX", subject="Scripts")
        imap.select_folder("INBOX", readonly=True)
        uid = imap.search(["ALL"])[0]
    assert scripts(client.get("/accounts/login/").content.decode()) == []
    assert client.post("/accounts/login/", {"email": mail_user.email, "password": mail_user.password}).status_code == 302

    pages = {
        "list": client.get("/mail/INBOX/"),
        "message": client.get(f"/mail/INBOX/{uid}/"),
        "compose": client.get("/mail/compose/", follow=True),
        "settings": client.get("/accounts/settings/"),
        "folders": client.get("/folders/"),
    }
    assert {name: page.status_code for name, page in pages.items()} == dict.fromkeys(pages, 200)
    html = {name: page.content.decode() for name, page in pages.items()}
    assert {name: scripts(page) for name, page in html.items()} == {
        "list": ["app.js", "actions.js", "mail.js", "live.js", "reading_pane.js"],
        "message": ["app.js", "actions.js", "message.js", "body_frame.js", "preview.js", "live.js"],
        "compose": ["app.js", "compose.js"],
        "settings": ["app.js"],
        "folders": ["app.js"],
    }
    # The pages with actions.js hand it the URL map; the others carry no data they do not use.
    for name in ("list", "message"):
        assert data_block(html[name], "script-urls") == script_urls()
        assert data_block(html[name], "script-texts")["undone"] == "Undone."
    for name in ("compose", "settings", "folders"):
        assert data_block(html[name], "script-urls") is None and data_block(html[name], "script-texts") is None
