"""The folder tree page against the real Dovecot."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest

from mailview.imap import get_pool
from tests.support import append_message, imap_direct, new_mail_user

pytestmark = pytest.mark.django_db(transaction=True)

HOSTILE = "<img src=x onerror=alert(1)>"


class FolderLinks(HTMLParser):
    """Collects (href, text, li classes) of the folder tree's links."""

    def __init__(self) -> None:
        super().__init__()
        self.in_nav = False
        self.li_class = ""
        self.href: str | None = None
        self.current = False
        self.text = ""
        self.links: list[tuple[str, str, str, bool]] = []
        self.counts: dict[str, str] = {}
        self._in_count = False
        self._in_name = False

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        a = dict(attrs)
        if tag == "nav" and a.get("id") == "folders":
            self.in_nav = True
        if not self.in_nav:
            return
        if tag == "li":
            self.li_class = a.get("class", "")
        if tag == "a" and "folder" in self.li_class:
            self.href, self.text, self.current = a.get("href"), "", a.get("aria-current") == "page"
        if tag == "span" and a.get("class") == "unread-count":
            self._in_count = True
        if tag == "span" and a.get("class") == "folder-name":
            self._in_name = True

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag == "nav":
            self.in_nav = False
        if tag == "li":
            self.li_class = ""
        if tag == "a" and self.href is not None:
            self.links.append((self.href, self.text.strip(), self.li_class, self.current))
            self.href = None
        if tag == "span":
            self._in_count = False
            self._in_name = False

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self.href is not None and self._in_name:
            self.text += data
        if self._in_count and self.links:
            self.counts[self.links[-1][1]] = data.strip()


def folder_links(html: str) -> FolderLinks:
    parser = FolderLinks()
    parser.feed(html)
    return parser


@pytest.fixture
def populated_user():
    user = new_mail_user("tree")
    with imap_direct(user) as imap:
        for name in ["Work", "Work/Projects", "Personal", HOSTILE, "Entwürfe", "Hidden"]:
            imap.create_folder(name)
            if name != "Hidden":
                imap.subscribe_folder(name)
        for n in range(3):
            append_message(imap, "INBOX", subject=f"in {n}", seen=(n == 0))
        for n in range(2):
            append_message(imap, "Work/Projects", subject=f"proj {n}")
    return user


def sign_in(client, user) -> None:
    assert client.post("/accounts/login/", {"email": user.email, "password": user.password}).status_code == 302


def test_special_use_folders_come_first_then_nested_user_folders(client, populated_user):
    sign_in(client, populated_user)
    html = client.get("/mail/INBOX/").content.decode()
    page = folder_links(html)
    hrefs = [href for href, _, _, _ in page.links]
    assert hrefs[:6] == ["/mail/INBOX/", "/mail/Drafts/", "/mail/Sent/", "/mail/Archive/", "/mail/Junk/", "/mail/Trash/"]
    assert hrefs[6:] == [
        "/mail/%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E/",
        "/mail/Entw%C3%BCrfe/",
        "/mail/Personal/",
        "/mail/Work/",
        "/mail/Work%2FProjects/",
    ]
    texts = [t for _, t, _, _ in page.links]
    assert texts[:6] == ["Inbox", "Drafts", "Sent", "Archive", "Junk", "Trash"]
    assert texts[7:] == ["Entwürfe", "Personal", "Work", "Projects"]
    nested = {href: classes for href, _, classes, _ in page.links}
    assert "depth-1" in nested["/mail/Work%2FProjects/"] and "depth-0" in nested["/mail/Work/"]


def test_unread_counts_are_shown(client, populated_user):
    sign_in(client, populated_user)
    page = folder_links(client.get("/mail/INBOX/").content.decode())
    assert page.counts["Inbox"] == "2"
    assert page.counts["Projects"] == "2"
    assert "Work" not in page.counts  # no unread mail of its own


def test_counts_are_the_same_without_list_status(client, populated_user):
    """Servers without LIST-STATUS get STATUS per folder."""
    sign_in(client, populated_user)
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=populated_user.email)
    with get_pool().session(user) as imap:
        with_list_status = {f.name: (f.messages, f.unseen) for f in imap.list_folders()}
        imap.capabilities = imap.capabilities - {"LIST-STATUS"}
        with_status = {f.name: (f.messages, f.unseen) for f in imap.list_folders()}
    assert with_list_status == with_status
    assert with_status["INBOX"] == (3, 2)


def test_the_current_folder_is_highlighted(client, populated_user):
    sign_in(client, populated_user)
    response = client.get("/mail/Work%2FProjects/")
    assert response.status_code == 200
    page = folder_links(response.content.decode())
    current = [href for href, _, _, cur in page.links if cur]
    assert current == ["/mail/Work%2FProjects/"]
    assert "2 messages" in response.content.decode()


def test_a_hostile_folder_name_is_shown_as_text(client, populated_user):
    sign_in(client, populated_user)
    html = client.get("/mail/INBOX/").content.decode()
    assert HOSTILE not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    response = client.get("/mail/%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E/")
    assert response.status_code == 200
    assert HOSTILE not in response.content.decode()


def test_unsubscribed_folders_show_on_request(client, populated_user):
    sign_in(client, populated_user)
    assert "/mail/Hidden/" not in client.get("/mail/INBOX/").content.decode()
    html = client.get("/mail/INBOX/?all_folders=1").content.decode()
    assert "/mail/Hidden/" in html and "unsubscribed" in html


def test_mail_redirects_to_the_inbox(client, populated_user):
    sign_in(client, populated_user)
    response = client.get("/mail/")
    assert response.status_code == 302 and response["Location"] == "/mail/INBOX/"


def test_a_missing_folder_is_a_clear_404(client, populated_user):
    sign_in(client, populated_user)
    response = client.get("/mail/No%20such%20folder/")
    assert response.status_code == 404
    assert "This folder does not exist" in response.content.decode()


def test_another_user_cannot_open_my_folders(client, populated_user):
    stranger = new_mail_user("charlie")
    sign_in(client, stranger)
    assert client.get("/mail/Work%2FProjects/").status_code == 404
    assert "Projects" not in client.get("/mail/INBOX/").content.decode()


def test_special_folder_names_follow_the_browser_language(client, populated_user):
    sign_in(client, populated_user)
    html = client.get("/mail/INBOX/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    page = folder_links(html)
    assert [t for _, t, _, _ in page.links][:6] == ["Posteingang", "Entwürfe", "Gesendet", "Archiv", "Spam", "Papierkorb"]
    assert 'lang="de"' in html
