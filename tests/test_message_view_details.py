"""The message page and its body document in detail, against the real Dovecot: decoded
headers, list rows, nested messages, format=flowed, attachment downloads, hostile
filenames, malformed MIME and the all-headers table.

Every message is built by hand (CRLF, exact headers) and appended once for the module;
each carries an `X-Test-Case` header that names it.
"""
from __future__ import annotations

import base64
import html
import re
from datetime import datetime, timedelta, timezone
from urllib.parse import unquote

import pytest
from django.template.defaultfilters import filesizeformat

from tests.support import mailbox_of_cases

pytestmark = pytest.mark.django_db(transaction=True)

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")


def _raw(case: str, headers: list[str], body: str | bytes, *, date: str = "Tue, 01 Dec 2026 10:00:00 +0000") -> bytes:
    """A message: `headers` (each without line end) after the common ones, CRLF everywhere."""
    common = [f"X-Test-Case: {case}", f"Message-ID: <{case}@example.org>", f"Date: {date}", "MIME-Version: 1.0"]
    if not any(h.lower().startswith("from:") for h in headers):
        common.append("From: Sender <sender@example.org>")
    if not any(h.lower().startswith("subject:") for h in headers):
        common.append(f"Subject: Test case {case}")
    head = "\r\n".join(common + headers).encode() + b"\r\n\r\n"
    data = body.encode() if isinstance(body, str) else body
    return head + data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def _multipart(boundary: str, parts: list[str], *, close: bool = True) -> str:
    text = "".join(f"--{boundary}\r\n{part}\r\n" for part in parts)
    return text + (f"--{boundary}--\r\n" if close else "")


B64_PNG = base64.encodebytes(PNG).decode()

MESSAGES: dict[str, bytes] = {
    "headers": _raw(
        "headers",
        [
            "From: =?utf-8?q?J=C3=BCrgen_Gro=C3=9F?= <juergen@example.org>",
            "To: =?utf-8?b?Wm/DqyDDhW5nc3Ryw7Zt?= <zoe@example.org>, plain@example.org",
            "Cc: =?utf-8?q?Fran=C3=A7oise?= <fr@example.org>, \"Evil <script>alert('x')</script> \\\"Q\\\"\" <evil@example.org>",
            "Reply-To: Replies Desk <replies@example.org>",
            "Subject: Decoded headers",
        ],
        "Header test body.\r\n",
        date="Wed, 03 Mar 2021 14:15:16 +0200",
    ),
    "reply-to-same": _raw(
        "reply-to-same",
        ["From: Same Person <same@example.org>", "Reply-To: Same Person <same@example.org>", "To: x@example.test"],
        "Reply-To equals From.\r\n",
    ),
    "nested": _raw(
        "nested",
        ["Subject: Forwarding a message", 'Content-Type: multipart/mixed; boundary="outer"'],
        _multipart("outer", [
            "Content-Type: text/plain; charset=utf-8\r\n\r\nOuter text before the forward.",
            "Content-Type: message/rfc822\r\nContent-Disposition: inline\r\n\r\n"
            "From: \"Inner & Co\" <inner@example.org>\r\nTo: someone@example.org\r\n"
            "Subject: Inner <b>report</b> & more\r\nDate: Mon, 01 Feb 2021 09:00:00 +0000\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\nNested body sentence alpha.\r\n",
        ]),
    ),
    "flowed": _raw(
        "flowed",
        ["Content-Type: text/plain; charset=utf-8; format=flowed"],
        "This sentence is soft \r\nbroken across three \r\nlines in the source.\r\n\r\nHard line one.\r\nHard line two.\r\n",
    ),
    "flowed-delsp": _raw(
        "flowed-delsp",
        ["Content-Type: text/plain; charset=utf-8; format=flowed; delsp=yes"],
        "Super \r\ncalifragilistic \r\nexpialidocious ends here.\r\n",
    ),
    "attachments": _raw(
        "attachments",
        ['Content-Type: multipart/mixed; boundary="att"'],
        _multipart("att", [
            "Content-Type: text/plain; charset=utf-8\r\n\r\nSee the attachments.",
            "Content-Type: image/png; name=\"pixel.png\"\r\nContent-Disposition: attachment; filename=\"pixel.png\"\r\n"
            f"Content-Transfer-Encoding: base64\r\n\r\n{B64_PNG}",
            "Content-Type: text/html; charset=utf-8\r\nContent-Disposition: attachment; filename=\"page.html\"\r\n\r\n"
            "<html><body><script>alert(1)</script>hostile html</body></html>",
            "Content-Type: image/svg+xml\r\nContent-Disposition: attachment; filename=\"drawing.svg\"\r\n\r\n"
            '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="5"/></svg>',
        ]),
    ),
    "filenames": _raw(
        "filenames",
        ['Content-Type: multipart/mixed; boundary="fn"'],
        _multipart("fn", [
            "Content-Type: text/plain; charset=utf-8\r\n\r\nHostile names.",
            "Content-Type: application/octet-stream\r\n"
            "Content-Disposition: attachment; filename*=utf-8''..%2F..%2Fetc%2Fpasswd%0D%0AX-Evil%3A%201.txt\r\n\r\ntraversal",
            'Content-Type: text/plain\r\nContent-Disposition: attachment; filename="a\\"b<c>.txt"\r\n\r\nquotes',
            "Content-Type: application/pdf\r\nContent-Disposition: attachment; filename*=utf-8''Gr%C3%BC%C3%9Fe.pdf\r\n\r\n%PDF-1.4",
        ]),
    ),
    "unknown-charset": _raw(
        "unknown-charset",
        ["Content-Type: text/plain; charset=x-no-such"],
        "plain ascii words survive\r\n",
    ),
    "missing-boundary": _raw(
        "missing-boundary",
        ['Content-Type: multipart/mixed; boundary="zzz"'],
        _multipart("zzz", ["Content-Type: text/plain\r\n\r\nfirst part text visible"], close=False),
    ),
    "bad-base64": _raw(
        "bad-base64",
        ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: base64"],
        "RGVjb2RlZCB3!!b3Jk$$cyBoZXJl\r\n",
    ),
    "8bit-subject": _raw(
        "8bit-subject",
        ["Subject: Gr\u00fc\u00dfe 8bit subject", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit"],
        "8-bit subject body.\r\n",
    ),
    "all-headers": _raw(
        "all-headers",
        ["X-Custom-Test: value-123", "X-Html-Test: <b>bold</b> & co"],
        "All headers body.\r\n",
    ),
    "all-headers-8bit": _raw(
        "all-headers-8bit",
        ["X-Name: Gr\u00fc\u00dfe"],
        "8-bit header body.\r\n",
    ),
}


@pytest.fixture(scope="module")
def mailbox():
    """One mail user holding every message above; returns (user, {case: uid})."""
    return mailbox_of_cases("details", MESSAGES)


@pytest.fixture
def reader(client, mailbox):
    user, _ = mailbox
    assert client.post("/accounts/login/", {"email": user.email, "password": user.password}).status_code == 302
    return client


def page_of(client, mailbox, case: str, query: str = "") -> str:
    response = client.get(f"/mail/INBOX/{mailbox[1][case]}/{query}")
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def body_url(page: str) -> str:
    match = re.search(r'<iframe class="message-body[^"]*" src="([^"]+)"', page)
    assert match, "the page has the body iframe"
    return html.unescape(match.group(1))


def body_of(client, mailbox, case: str) -> str:
    response = client.get(body_url(page_of(client, mailbox, case)))
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def dd(page: str, cls: str) -> str | None:
    match = re.search(rf'<dd class="{cls}">(.*?)</dd>', page, re.S)
    return match.group(1) if match else None


def attachment_links(page: str) -> dict[str, str]:
    """Shown filename (unescaped) -> download URL, from the attachments list."""
    found = re.findall(r'<a href="([^"]+)" download>.*?<span class="filename">(.*?)</span>', page, re.S)
    assert found, "the page lists attachments"
    return {html.unescape(name): html.unescape(url) for url, name in found}


def disposition_filename(header: str) -> str:
    """The filename a browser takes from a Content-Disposition (filename*= first)."""
    if match := re.search(r"filename\*=utf-8''([^;]+)", header, re.I):
        return unquote(match.group(1))
    match = re.search(r'filename="((?:[^"\\]|\\.)*)"', header)
    assert match, header
    return re.sub(r"\\(.)", r"\1", match.group(1))


def download(client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


# 1. Headers on the message page -------------------------------------------------

def test_to_cc_reply_to_and_date_are_decoded_and_escaped(reader, mailbox):
    page = page_of(reader, mailbox, "headers")
    assert "J\u00fcrgen Gro\u00df" in html.unescape(dd(page, "hdr-from"))
    to = html.unescape(dd(page, "hdr-to"))
    assert "Zo\u00eb \u00c5ngstr\u00f6m <zoe@example.org>" in to  # Base64 encoded-word
    assert "plain@example.org" in to
    cc_raw = dd(page, "hdr-cc")
    assert "Fran\u00e7oise <fr@example.org>" in html.unescape(cc_raw)  # Q encoded-word
    assert "<script>" not in page
    assert "&lt;script&gt;alert(" in cc_raw
    assert "Evil <script>alert('x')</script>" in html.unescape(cc_raw)
    assert "=?utf-8?" not in page
    reply_to = dd(page, "hdr-reply-to")
    assert reply_to is not None and "replies@example.org" in html.unescape(reply_to)
    time = re.search(r'<dd class="hdr-date"><time datetime="([^"]+)">([^<]+)</time>', page)
    assert time, "the Date header is shown in a <time>"
    shown = datetime.fromisoformat(time.group(1))
    assert shown == datetime(2021, 3, 3, 14, 15, 16, tzinfo=timezone(timedelta(hours=2)))
    assert "2021" in time.group(2)


def test_reply_to_equal_to_from_is_not_repeated(reader, mailbox):
    page = page_of(reader, mailbox, "reply-to-same")
    assert "same@example.org" in dd(page, "hdr-from")
    assert dd(page, "hdr-reply-to") is None


# 2. The list row ------------------------------------------------------------------

def test_list_row_shows_decoded_sender_and_size(reader, mailbox):
    uid = mailbox[1]["headers"]
    response = reader.get("/mail/INBOX/")
    assert response.status_code == 200
    row = re.search(rf'<tr class="[^"]*" data-uid="{uid}".*?</tr>', response.content.decode(), re.S)
    assert row, "the message has a row"
    sender = re.search(r'<td class="col-from"[^>]*>(.*?)</td>', row.group(0)).group(1)
    assert html.unescape(sender) == "J\u00fcrgen Gro\u00df"
    size = html.unescape(re.search(r'<td class="col-size">(.*?)</td>', row.group(0)).group(1))
    assert size == filesizeformat(len(MESSAGES["headers"]))  # RFC822.SIZE is the appended bytes
    assert "KB" in size or "bytes" in size


# 3. message/rfc822 nested ---------------------------------------------------------

def test_an_attached_message_is_rendered_nested(reader, mailbox):
    body = body_of(reader, mailbox, "nested")
    assert "Outer text before the forward." in body
    nested = re.search(r'<table class="nested-headers">(.*?)</table>', body, re.S)
    assert nested, "the attached message has its own header block"
    headers = nested.group(1)
    assert "<b>" not in headers
    assert "Inner &lt;b&gt;report&lt;/b&gt; &amp; more" in headers
    assert "inner@example.org" in html.unescape(headers) and "Inner &amp; Co" in headers
    assert body.index("nested-headers") < body.index("Nested body sentence alpha.")


# 4. format=flowed ------------------------------------------------------------------

def test_format_flowed_soft_breaks_are_joined(reader, mailbox):
    body = body_of(reader, mailbox, "flowed")
    assert "This sentence is soft broken across three lines in the source." in body
    assert "Hard line one.\nHard line two." in body  # hard breaks stay


def test_format_flowed_delsp_removes_the_trailing_space(reader, mailbox):
    body = body_of(reader, mailbox, "flowed-delsp")
    assert "Supercalifragilisticexpialidocious ends here." in body


# 5. Attachments ----------------------------------------------------------------------

def test_an_image_attachment_downloads_as_attachment_and_shows_inline(reader, mailbox):
    links = attachment_links(page_of(reader, mailbox, "attachments"))
    url = links["pixel.png"]
    assert url.endswith("?download=1")
    response, data = download(reader, url)
    assert response["Content-Disposition"].startswith("attachment;")
    assert disposition_filename(response["Content-Disposition"]) == "pixel.png"
    assert data == PNG
    # Raster images are inline-safe (parts.INLINE_SAFE): shown inline without download=1,
    # even though the part says Content-Disposition: attachment.
    response, data = download(reader, url.removesuffix("?download=1"))
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert data == PNG


@pytest.mark.parametrize("filename", ["page.html", "drawing.svg"])
def test_html_and_svg_attachments_are_never_rendered(reader, mailbox, filename):
    url = attachment_links(page_of(reader, mailbox, "attachments"))[filename]
    for link in (url, url.removesuffix("?download=1")):
        response, data = download(reader, link)
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        content_type = response["Content-Type"].lower()
        assert not content_type.startswith(("text/html", "image/svg+xml")), content_type
        assert "html" not in content_type and "svg" not in content_type
        assert b"alert(1)" in data  # the bytes are delivered untouched, just not renderable


# 6. Hostile filenames -------------------------------------------------------------------

def test_hostile_filenames_are_safe_in_header_and_page(reader, mailbox):
    page = page_of(reader, mailbox, "filenames")
    assert "<c>" not in page and "X-Evil:" not in page
    links = attachment_links(page)
    assert len(links) == 3, links
    for shown, url in links.items():
        response, _ = download(reader, url)
        header = response["Content-Disposition"]
        assert "\r" not in header and "\n" not in header
        assert header.startswith("attachment;")
        name = disposition_filename(header)
        assert "/" not in name and "\\" not in name and "\r" not in name and "\n" not in name
        assert name == shown  # the page shows the name the download gets
        assert "X-Evil" not in response
    assert any("passwd" in name for name in links)
    quoted = next(name for name in links if name.startswith("a"))
    assert "<" not in quoted and ">" not in quoted and '"' not in quoted


def test_a_non_ascii_rfc2231_filename_round_trips(reader, mailbox):
    page = page_of(reader, mailbox, "filenames")
    assert "Gr\u00fc\u00dfe.pdf" in page
    response, data = download(reader, attachment_links(page)["Gr\u00fc\u00dfe.pdf"])
    assert "filename*=utf-8''Gr%C3%BC%C3%9Fe.pdf" in response["Content-Disposition"]
    assert data == b"%PDF-1.4"


# 7. Malformed MIME ------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("case", "words"),
    [
        ("unknown-charset", "plain ascii words survive"),
        ("missing-boundary", "first part text visible"),
        ("bad-base64", "Decoded words here"),  # junk characters skipped, the rest decoded
    ],
)
def test_malformed_mime_still_shows_its_text(reader, mailbox, case, words):
    assert words in body_of(reader, mailbox, case)


def test_an_8bit_utf8_subject_is_shown_decoded(reader, mailbox):
    page = page_of(reader, mailbox, "8bit-subject")
    subject = re.search(r'<h1 id="message-subject"[^>]*>(.*?)</h1>', page, re.S).group(1)
    assert "Gr\u00fc\u00dfe 8bit subject" in html.unescape(subject)
    assert "\ufffd" not in subject and "Gr\u00c3" not in subject
    assert "8-bit subject body." in body_of(reader, mailbox, "8bit-subject")


# 8. Show all headers -----------------------------------------------------------------------

def all_headers(page: str) -> list[tuple[str, str]]:
    table = re.search(r'<table class="all-headers">(.*?)</table>', page, re.S)
    assert table, "?headers=all shows the header table"
    return re.findall(r'<tr><th scope="row">(.*?)</th><td>(.*?)</td></tr>', table.group(1), re.S)


def test_all_headers_lists_custom_headers_escaped(reader, mailbox):
    page = page_of(reader, mailbox, "all-headers", "?headers=all")
    rows = dict(all_headers(page))
    assert rows["X-Custom-Test"] == "value-123"
    assert rows["X-Html-Test"] == "&lt;b&gt;bold&lt;/b&gt; &amp; co"
    assert "<b>bold</b>" not in page
    assert '<table class="all-headers">' not in page_of(reader, mailbox, "all-headers")  # only when asked


def test_all_headers_shows_an_8bit_utf8_value_decoded(reader, mailbox):
    # compat32 keeps raw 8-bit bytes as surrogates; they must come out as the UTF-8 text.
    rows = dict(all_headers(page_of(reader, mailbox, "all-headers-8bit", "?headers=all")))
    assert html.unescape(rows["X-Name"]) == "Gr\u00fc\u00dfe"
    assert "\ufffd" not in rows["X-Name"]
