"""Nothing that shows mail or account data may be kept by a browser or proxy cache."""
from __future__ import annotations

import re
from email.message import EmailMessage

import pytest

from tests.support import RawUriClient, imap_direct, new_mail_user, wait_until

pytestmark = pytest.mark.django_db(transaction=True)
JSON = {"HTTP_ACCEPT": "application/json"}
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000" "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def message_with_parts() -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "Ann <ann@example.org>", "me@example.test", "private things"
    msg.set_content("the plain text")
    msg.add_alternative('<p>see <img src="cid:logo@x"></p>', subtype="html")
    msg.get_payload()[1].add_related(PNG, maintype="image", subtype="png", cid="<logo@x>", filename="logo.png")
    msg.add_attachment(b"secret figures\n", maintype="application", subtype="octet-stream", filename="figures.bin")
    return bytes(msg)


@pytest.fixture
def opened(client):
    user = new_mail_user("nostore")
    with imap_direct(user) as imap:
        imap.append("INBOX", message_with_parts())
    assert client.post("/accounts/login/", {"email": user.email, "password": user.password}).status_code == 302
    return client


def assert_no_store(response, url: str) -> None:
    directives = {d.strip() for d in response.get("Cache-Control", "").lower().split(",")}
    assert {"private", "no-store"} <= directives, f"{url}: Cache-Control {response.get('Cache-Control')!r}"


def test_every_page_and_endpoint_with_mail_or_account_data_is_private_no_store(celery_worker, opened):
    client = opened
    page = client.get("/mail/INBOX/1/").content.decode()
    body = re.search(r'<iframe class="message-body[^"]*" src="([^"]+)"', page).group(1).replace("&amp;", "&")
    attachment = re.search(r'href="(/mail/INBOX/1/part/[0-9.]+/\?download=1)"', page).group(1)
    inline = re.search(r'src="http://testserver(/mail/INBOX/1/part/[0-9.]+/\?t=[^"]+)"', client.get(body).content.decode()).group(1).replace("&amp;", "&")
    action = client.post("/actions/", {"action": "flag", "folder": "INBOX", "uid": "1"}, **JSON).json()["action_id"]
    wait_until(lambda: client.get(f"/actions/{action}/", **JSON).json()["state"] != "pending", timeout=30, message="the action")
    urls = [
        "/mail/INBOX/", "/mail/INBOX/?q=private", "/mail/INBOX/1/", body, attachment, "/mail/INBOX/1/raw/",
        "/mail/compose/", "/mail/compose/addresses/?q=ann", "/accounts/settings/", "/accounts/identities/", "/accounts/two-factor/",
        "/folders/", "/folders/tree/?current=INBOX", "/folders/state/?folder=INBOX", f"/actions/{action}/",
        "/mail/INBOX/999/",  # an error page is a page too
    ]
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code in (200, 404), (url, response.status_code)
        assert_no_store(response, url)
    assert client.get(attachment).getvalue() == b"secret figures\n"
    # An inline image fetched by the sandboxed body with its token, without a session cookie.
    image = RawUriClient().get(inline)
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert_no_store(image, inline)
    # POST answers (JSON) too.
    assert_no_store(client.post("/actions/", {"action": "unflag", "folder": "INBOX", "uid": "1"}, **JSON), "POST /actions/")


def test_static_files_keep_their_own_caching(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
