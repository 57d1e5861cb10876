"""The preview line of list and search rows, on the real Dovecot: the server's PREVIEW
(RFC 8970, advertised by Dovecot 2.3) where advertised, else the first bytes of the text
part; checked for plain, HTML-only, base64, quoted-printable and non-ASCII mail, and for
a script in the mail staying text."""
from __future__ import annotations

import re
from html import unescape

import pytest

from tests.support import imap_direct, new_mail_user

pytestmark = pytest.mark.django_db(transaction=True)

PLAIN = "Grüße aus Köln: the meeting moves to Thursday at ten."
CASES = {
    "plain": (
        "From: a@example.org\r\nSubject: plain\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        + PLAIN + "\r\n\r\n> an older quoted line\r\n"
    ).encode("utf-8"),
    "html-only": (
        b"From: a@example.org\r\nSubject: html-only\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
        b"<html><head><style>p{color:red}</style><script>alert('x')</script></head>"
        b"<body><p>Hello <b>HTML</b> &lt;script&gt;alert(1)&lt;/script&gt; world</p></body></html>\r\n"
    ),
    "base64": (
        b"From: a@example.org\r\nSubject: base64\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + __import__("base64").encodebytes(("Здравствуйте, это текст в base64. " * 20).encode("utf-8"))
    ),
    "latin1-qp": (
        b"From: a@example.org\r\nSubject: qp\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"
        b"Content-Transfer-Encoding: quoted-printable\r\n\r\nCaf=E9 cr=E8me br=FBl=E9e, s'il vous pla=EEt.\r\n"
    ),
    "alternative": (
        b"From: a@example.org\r\nSubject: alternative\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n"
        b"--b\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nThe plain branch.\r\n"
        b"--b\r\nContent-Type: text/html; charset=us-ascii\r\n\r\n<p>The html branch.</p>\r\n--b--\r\n"
    ),
}
EXPECTED = {
    "plain": PLAIN,
    "html-only": "Hello HTML <script>alert(1)</script> world",
    "base64": "Здравствуйте, это текст в base64.",
    "latin1-qp": "Café crème brûlée, s'il vous plaît.",
    "alternative": "The plain branch.",
}
ROW = re.compile(r'<tr class="message[^"]*" data-uid="(\d+)"[^>]*>(.*?)</tr>', re.S)
PREVIEW = re.compile(r'<span class="preview">(.*?)</span>', re.S)
SUBJECT = re.compile(r'<td class="col-subject">.*?<a href="[^"]+">(.*?)</a>', re.S)


@pytest.fixture(scope="module")
def mailbox():
    user = new_mail_user("previews")
    with imap_direct(user) as imap:
        for raw in CASES.values():
            imap.append("INBOX", raw)
    return user


def _previews(html: str) -> dict[str, str]:
    out = {}
    for _uid, body in ROW.findall(html):
        preview = PREVIEW.search(body)
        out[unescape(SUBJECT.search(body).group(1))] = unescape(preview.group(1)) if preview else ""
    return out


def _sign_in(client, user) -> None:
    assert client.post("/accounts/login/", {"email": user.email, "password": user.password}).status_code == 302


def _matches(expected: str, shown: str) -> bool:
    return shown == expected or (shown.endswith("…") and expected.startswith(shown[:-1].rstrip())) or shown.startswith(expected)


def test_list_rows_show_the_start_of_each_text(client, mailbox):
    _sign_in(client, mailbox)
    html = client.get("/mail/INBOX/").content.decode()
    shown = _previews(html)
    subjects = {"plain": "plain", "html-only": "html-only", "base64": "base64", "latin1-qp": "qp", "alternative": "alternative"}
    for case, subject in subjects.items():
        assert _matches(EXPECTED[case], shown[subject]), (case, shown[subject])
    assert "older quoted line" not in shown["plain"]
    # The mail's own markup is text: escaped in the page, never an element.
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "alert('x')" not in html and "color:red" not in html


def test_search_rows_show_the_preview_too(client, mailbox):
    _sign_in(client, mailbox)
    html = client.get("/mail/search/?q=subject:plain").content.decode()
    assert _matches(PLAIN, _previews(html)["plain"])


def test_without_preview_advertised_the_text_part_start_gives_the_same(client, mailbox):
    """A server without PREVIEW (Dovecot with the capability taken out of this connection's
    view): the first bytes of each text part, fetched once, then kept."""
    from django.contrib.auth import get_user_model

    from mailview.imap import get_pool
    from mailview.services.reading.messages import message_page

    _sign_in(client, mailbox)
    user = get_user_model().objects.get(username=mailbox.email)
    with get_pool().session(user) as imap:
        with_server = message_page(imap=imap, user_key="previews-a", folder="INBOX", page=1, per_page=50, sort="date", order="desc")
        before = imap.capabilities
        imap.capabilities = frozenset(c for c in before if not c.startswith("PREVIEW"))
        try:
            heads_asked = []
            real = imap.fetch_heads
            imap.fetch_heads = lambda wanted: heads_asked.append(dict(wanted)) or real(wanted)  # type: ignore[method-assign]
            fallback = message_page(imap=imap, user_key="previews-b", folder="INBOX", page=1, per_page=50, sort="date", order="desc")
            again = message_page(imap=imap, user_key="previews-b", folder="INBOX", page=1, per_page=50, sort="date", order="desc")
        finally:
            imap.capabilities = before
            del imap.fetch_heads
    ours = {m.subject: m.preview for m in fallback.messages}
    for case, subject in {"plain": "plain", "html-only": "html-only", "base64": "base64", "latin1-qp": "qp", "alternative": "alternative"}.items():
        assert _matches(EXPECTED[case], ours[subject]), (case, ours[subject])
    assert {m.subject: bool(m.preview) for m in with_server.messages} == {m.subject: bool(m.preview) for m in fallback.messages}
    # Bounded partial fetches (never a whole part), and none the second time (kept).
    assert len(heads_asked) == 1 and all(size <= 2048 for _section, size in heads_asked[0].values())
    assert [m.preview for m in again.messages] == [m.preview for m in fallback.messages]
