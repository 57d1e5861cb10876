"""Hostile mail, by class, against the real Dovecot: every message opens, its body document
renders and every part downloads, never a 5xx, with bounded work and a plain note where
something was cut or could not be decoded.

The classes (each generated here, appended once per module, named by an `X-Test-Case`
header, walked through the message page, the body document and every part URL):

* sizes of every kind: one attribute value, one header, one line, the number of parts,
  nesting depth (multipart and message/rfc822), the number of text parts;
* every transfer encoding (base64, quoted-printable, 7bit/8bit/binary, unknown, uuencode)
  broken every way (illegal characters, bad or inner padding, truncated, nothing valid),
  as the shown text, as an HTML body and as an attachment;
* charsets: declared wrong, unknown, unsafe codecs, broken multi-byte encodings.

Work is bounded, not time: what the sanitizer and css-inline are given is recorded and
compared with their caps, the page lists at most a fixed number of parts, and a part's
Content-Length is always the number of bytes sent.
"""
from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass, field
from urllib.parse import unquote

import nh3
import pytest

from mailview import sanitizer
from mailview.mime import structure
from mailview.sanitizer import inline
from mailview.services.reading import message_view
from mailview.templatetags.mail_styles import BODY_HEIGHT_SCRIPT
from tests.support import imap_direct, mailbox_of_cases

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 4 + b"\n%%EOF\n"


# --------------------------------------------------------------------------- #
# Building messages
# --------------------------------------------------------------------------- #

def crlf(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def message(case: str, headers: list[bytes], body: bytes) -> bytes:
    """A message with common headers, `headers` (no line ends) and `body`, CRLF everywhere."""
    common = [f"X-Test-Case: {case}".encode(), b"From: Sender <sender@example.org>", b"To: reader@example.test",
              b"Date: Tue, 01 Dec 2026 10:00:00 +0000", b"MIME-Version: 1.0", f"Message-ID: <{case}@example.org>".encode()]
    if not any(h.lower().startswith(b"subject:") for h in headers):
        common.append(f"Subject: Hostile case {case}".encode())
    return b"\r\n".join(common + headers) + b"\r\n\r\n" + crlf(body)


def part(headers: list[str], body: bytes) -> bytes:
    return ("\r\n".join(headers)).encode() + b"\r\n\r\n" + body


def multipart(boundary: str, parts: list[bytes], subtype: str = "mixed") -> tuple[bytes, bytes]:
    """(Content-Type header, body) of a multipart."""
    body = b"".join(b"--" + boundary.encode() + b"\r\n" + p + b"\r\n" for p in parts) + b"--" + boundary.encode() + b"--\r\n"
    return f'Content-Type: multipart/{subtype}; boundary="{boundary}"'.encode(), body


def with_attachment(case: str, body_text: str, attachment: bytes) -> bytes:
    ctype, body = multipart("att", [part(["Content-Type: text/plain; charset=utf-8"], body_text.encode()), attachment])
    return message(case, [ctype], body)


def b64(data: bytes) -> bytes:
    return base64.encodebytes(data)


def deep_multipart(case: str, depth: int) -> bytes:
    inner = part(["Content-Type: text/plain"], b"deepest text of the multipart chain")
    for level in range(depth, 0, -1):
        ctype, body = multipart(f"d{level}", [part(["Content-Type: text/plain"], f"text at level {level}".encode()), inner])
        inner = ctype + b"\r\n\r\n" + body
    ctype, _, body = inner.partition(b"\r\n\r\n")
    return message(case, [ctype], body)


def deep_rfc822(case: str, depth: int) -> bytes:
    inner = b"From: innermost@example.org\r\nSubject: innermost\r\nContent-Type: text/plain\r\n\r\ninnermost forwarded text\r\n"
    for level in range(depth, 0, -1):
        inner = (f"From: level{level}@example.org\r\nSubject: level {level}\r\nContent-Type: message/rfc822\r\n\r\n").encode() + inner
    return message(case, [b"Content-Type: message/rfc822"], inner)


def many_parts(case: str, count: int, *, text: bool) -> bytes:
    parts = [part(["Content-Type: text/plain"], b"first text part")]
    for i in range(count):
        if text:
            parts.append(part(["Content-Type: text/plain"], f"text part {i}".encode()))
        else:
            parts.append(part(["Content-Type: application/octet-stream", f'Content-Disposition: attachment; filename="f{i}.bin"'], f"data {i}".encode()))
    ctype, body = multipart("many", parts)
    return message(case, [ctype], body)


def html_message(case: str, markup: str, *, charset: str = "utf-8") -> bytes:
    return message(case, [f"Content-Type: text/html; charset={charset}".encode()], markup.encode(charset))


@dataclass(frozen=True)
class Case:
    raw: bytes
    page_has: tuple[str, ...] = ()  # text the message page shows (HTML-unescaped)
    body_has: tuple[str, ...] = ()  # text the body document shows (HTML-unescaped)
    body_lacks: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # notices on the page (something cut or damaged)
    # attachment name on the page -> (the name its download is saved as, the start of its bytes)
    downloads: dict[str, tuple[str, bytes]] = field(default_factory=dict)


DAMAGED_NOTE = "could not be decoded"
CUT_NOTE = "text parts; the first"


def att(headers: list[str], body: bytes) -> bytes:
    return part(headers, body)


BROKEN_BASE64 = {
    # name: (encoded body, what decodes from it, whether Dovecot refuses to decode it)
    "illegal-chars": (b"SGVsbG8g!!d29y$$bGQh\r\n", b"Hello world!"),
    "inner-padding": (b"SGVsbA==bG8gd29ybGQh\r\n", b"Helllo world!"),  # "Hell" and "lo world!"
    "extra-padding": (b"SGVsbG8gd29ybGQh====\r\n", b"Hello world!"),
    "truncated-one": (b"SGVsbG8gd29ybGQhA\r\n", b"Hello world!"),
    "truncated-two": (b"SGVsbG8gd29ybGQhQQ\r\n", b"Hello world!A"),
    "data-after-padding": (b"SGVsbG8gd29ybGQh\r\n=\r\nQUJD\r\n", b"Hello world!ABC"),
    "nothing-valid": (b"%%%%####!!!!\r\n", b""),
}
BROKEN_QP = {
    "bad-escape": (b"Hello =ZZ world=\r\n!\r\n", b"Hello =ZZ world!"),
    "truncated-escape": (b"Hello world=4", b"Hello world=4"),
    "8bit-in-qp": (b"Hello w\xf6rld!\r\n", b"Hello w\xf6rld!"),
    "lowercase-hex": (b"Hello w=c3=b6rld!\r\n", b"Hello w\xc3\xb6rld!"),
}

CASES: dict[str, Case] = {}

# -- sizes ---------------------------------------------------------------------
CASES["attr-huge-title"] = Case(
    html_message("attr-huge-title", '<p title="' + "A" * 1_500_000 + '">visible words after a huge title</p>'),
    body_has=("visible words after a huge title",), body_lacks=("A" * 10_000,),
)
CASES["attr-huge-href"] = Case(
    html_message("attr-huge-href", '<a href="https://example.org/' + "x" * 1_000_000 + '">a link with a huge address</a>'),
    body_has=("a link with a huge address",), body_lacks=("x" * 10_000,),
)
CASES["attr-huge-style"] = Case(
    html_message("attr-huge-style", '<div style="' + "color:red;" * 150_000 + '">styled words</div>'),
    body_has=("styled words",), body_lacks=("color:red;" * 2000,),
)
CASES["attr-many"] = Case(
    html_message("attr-many", "<p " + " ".join(f"data-a{i}=x" for i in range(100_000)) + ">many attributes</p>"),
    body_has=("many attributes",),
)
CASES["header-huge-subject"] = Case(
    message("header-huge-subject", [b"Subject: start of a huge subject " + b"word " * 60_000], b"text under a huge subject\r\n"),
    page_has=("start of a huge subject",), body_has=("text under a huge subject",),
)
CASES["header-many-recipients"] = Case(
    message("header-many-recipients", [b"Cc: " + b",\r\n ".join(f"person{i} <p{i}@example.org>".encode() for i in range(5000))],
            b"text to many people\r\n"),
    page_has=("person0",), body_has=("text to many people",),
)
CASES["header-many-fields"] = Case(
    message("header-many-fields", [f"X-Filler-{i}: value {i}".encode() for i in range(20_000)], b"text under many fields\r\n"),
    body_has=("text under many fields",),
)
CASES["line-huge-plain"] = Case(
    message("line-huge-plain", [b"Content-Type: text/plain; charset=utf-8"], b"first line\r\n" + b"y" * 3_000_000 + b"\r\nlast line\r\n"),
    body_has=("first line",), notes=("only its beginning is shown",),
)
CASES["line-huge-html"] = Case(
    html_message("line-huge-html", "<p>first paragraph</p><p>" + "z" * 3_000_000 + "</p><p>last paragraph</p>"),
    body_has=("first paragraph",), notes=("only its beginning is shown",),
)
CASES["parts-many-attachments"] = Case(
    many_parts("parts-many-attachments", 3000, text=False),
    body_has=("first text part",), notes=("3000 attachments", "the first 200 are listed"),
)
CASES["parts-many-texts"] = Case(
    many_parts("parts-many-texts", 3000, text=True),
    body_has=("first text part", "text part 0"), notes=(CUT_NOTE,),
)
CASES["nesting-multipart"] = Case(deep_multipart("nesting-multipart", 120), body_has=("text at level 1",))
# Forwards of forwards with no text until the innermost, past structure.MAX_DEPTH: offered as .eml.
CASES["nesting-rfc822"] = Case(deep_rfc822("nesting-rfc822", 120), page_has=("level 1.eml",), body_has=("This message has no text.",))
CASES["nesting-html"] = Case(
    html_message("nesting-html", "<div>" * 100_000 + "deep html text" + "</div>" * 100_000),
    body_has=("deep html text",),
)

# -- transfer encodings, broken every way, as the shown text and as an attachment ----------
for name, (encoded, decoded) in BROKEN_BASE64.items():
    CASES[f"b64-text-{name}"] = Case(
        message(f"b64-text-{name}", [b"Content-Type: text/plain; charset=utf-8", b"Content-Transfer-Encoding: base64"], encoded),
        body_has=(decoded.decode(),) if decoded else (), notes=(DAMAGED_NOTE,),
    )
    CASES[f"b64-html-{name}"] = Case(
        message(f"b64-html-{name}", [b"Content-Type: text/html; charset=utf-8", b"Content-Transfer-Encoding: base64"], encoded),
        body_has=(decoded.decode(),) if decoded else (), notes=(DAMAGED_NOTE,),
    )
    CASES[f"b64-att-{name}"] = Case(
        with_attachment(f"b64-att-{name}", "see the attachment",
                        att(["Content-Type: application/pdf; name=report.pdf", "Content-Disposition: attachment; filename=report.pdf",
                             "Content-Transfer-Encoding: base64"], encoded)),
        body_has=("see the attachment",), downloads={"report.pdf": ("report (damaged).pdf", decoded)},
    )
for name, (encoded, decoded) in BROKEN_QP.items():
    CASES[f"qp-text-{name}"] = Case(
        message(f"qp-text-{name}", [b"Content-Type: text/plain; charset=latin-1", b"Content-Transfer-Encoding: quoted-printable"], encoded),
        body_has=(decoded.decode("latin-1").replace("\xc3\xb6", "ö")[:5],),
    )
    CASES[f"qp-att-{name}"] = Case(
        with_attachment(f"qp-att-{name}", "see the qp attachment",
                        att(["Content-Type: application/octet-stream", "Content-Disposition: attachment; filename=data.bin",
                             "Content-Transfer-Encoding: quoted-printable"], encoded)),
        body_has=("see the qp attachment",), downloads={"data.bin": ("data.bin", decoded)},
    )
CASES["b64-att-clean"] = Case(
    with_attachment("b64-att-clean", "a clean attachment",
                    att(["Content-Type: application/pdf", "Content-Disposition: attachment; filename=clean.pdf",
                         "Content-Transfer-Encoding: base64"], b64(PDF))),
    body_has=("a clean attachment",), downloads={"clean.pdf": ("clean.pdf", PDF)},
)
CASES["b64-att-big-truncated"] = Case(
    with_attachment("b64-att-big-truncated", "a big cut attachment",
                    att(["Content-Type: application/pdf", "Content-Disposition: attachment; filename=big.pdf",
                         "Content-Transfer-Encoding: base64"], b64(PDF * 4000)[:-7])),
    body_has=("a big cut attachment",), downloads={"big.pdf": ("big (damaged).pdf", PDF * 3)},
)
CASES["unknown-cte"] = Case(
    message("unknown-cte", [b"Content-Type: text/plain; charset=utf-8", b"Content-Transfer-Encoding: x-rot13"], b"shown as it is\r\n"),
    body_has=("shown as it is",),
)
CASES["unknown-cte-att"] = Case(
    with_attachment("unknown-cte-att", "an attachment in an unknown encoding",
                    att(["Content-Type: application/octet-stream", "Content-Disposition: attachment; filename=odd.dat",
                         "Content-Transfer-Encoding: x-rot13"], b"raw bytes as they are\r\n")),
    body_has=("an attachment in an unknown encoding",), downloads={"odd.dat": ("odd.dat.x-rot13", b"raw bytes as they are")},
)
CASES["uuencode-text"] = Case(
    message("uuencode-text", [b"Content-Type: text/plain", b"Content-Transfer-Encoding: x-uuencode"],
            b"begin 644 cat.txt\r\n#0V%T\r\n`\r\nend\r\n"),
    body_has=("Cat",),
)
CASES["uuencode-att-broken"] = Case(
    with_attachment("uuencode-att-broken", "a broken uuencoded attachment",
                    att(["Content-Type: application/octet-stream", "Content-Disposition: attachment; filename=cat.bin",
                         "Content-Transfer-Encoding: x-uuencode"], b"begin 644 cat.bin\r\n#0V%T!!!junk\r\n\r\n")),
    body_has=("a broken uuencoded attachment",), downloads={"cat.bin": ("cat.bin", b"Cat")},
)
CASES["8bit-in-7bit"] = Case(
    message("8bit-in-7bit", [b"Content-Type: text/plain; charset=us-ascii", b"Content-Transfer-Encoding: 7bit"],
            "Gr\u00fc\u00dfe in UTF-8 though 7bit\r\n".encode() + b"nul \x00 byte\r\n"),
    body_has=("Grüße in UTF-8 though 7bit",),
)
CASES["binary-att"] = Case(
    with_attachment("binary-att", "a binary attachment",
                    att(["Content-Type: application/octet-stream", "Content-Disposition: attachment; filename=bin.dat",
                         "Content-Transfer-Encoding: binary"], b"bytes\x00\xff\xfe\x80 and more")),
    body_has=("a binary attachment",), downloads={"bin.dat": ("bin.dat", b"bytes\x80\xff\xfe\x80 and more")},  # Dovecot stores NUL as 0x80
)

# -- charsets ------------------------------------------------------------------------
CASES["charset-wrong"] = Case(
    message("charset-wrong", [b"Content-Type: text/plain; charset=utf-8"], b"Gr\xfc\xdfe declared UTF-8, sent Latin-1\r\n"),
    body_has=("declared UTF-8, sent Latin-1",),  # the declared charset, its broken bytes replaced
)
CASES["charset-unknown"] = Case(
    message("charset-unknown", [b"Content-Type: text/plain; charset=x-no-such-charset"], b"unknown charset words\r\n"),
    body_has=("unknown charset words",),
)
CASES["charset-unsafe"] = Case(
    message("charset-unsafe", [b"Content-Type: text/html; charset=unicode-escape"], b"<p>escape \\u003cscript\\u003e words</p>\r\n"),
    body_has=("escape \\u003cscript\\u003e words",), body_lacks=("<script",),
)
CASES["charset-utf16-odd"] = Case(
    # ASCII in UTF-16 has NULs (Dovecot stores them as 0x80): CJK has none; then one byte too many.
    message("charset-utf16-odd", [b"Content-Type: text/plain; charset=utf-16le"], "日本語のテキスト".encode("utf-16le") + b"A"),
    body_has=("日本語のテキスト",),
)
CASES["charset-utf7-broken"] = Case(
    message("charset-utf7-broken", [b"Content-Type: text/plain; charset=utf-7"], b"broken +AGEAYgBj- and +ZZZ&&& utf7\r\n"),
    body_has=("broken",),
)
CASES["charset-huge-name"] = Case(
    message("charset-huge-name", [b"Content-Type: text/plain; charset=" + b"x" * 100_000], b"huge charset name\r\n"),
    body_has=("huge charset name",),
)


# --------------------------------------------------------------------------- #
# Fixtures and helpers
# --------------------------------------------------------------------------- #

@pytest.fixture(scope="module")
def mailbox():
    """One mail user holding every case; returns (user, {case: uid})."""
    return mailbox_of_cases("hostile", {name: spec.raw for name, spec in CASES.items()})


@pytest.fixture
def reader(client, mailbox):
    user, _ = mailbox
    assert client.post("/accounts/login/", {"email": user.email, "password": user.password}).status_code == 302
    return client


@pytest.fixture
def work(monkeypatch):
    """What the Rust libraries were given: the length of every input to nh3 and css-inline."""
    seen: dict[str, list[int]] = {"nh3": [], "css_inline": []}
    real_clean = nh3.clean
    real_inliner = inline._INLINER

    def clean(document, *args, **kwargs):
        seen["nh3"].append(len(document))
        return real_clean(document, *args, **kwargs)

    class Inliner:
        def inline(self, document):
            seen["css_inline"].append(len(document))
            return real_inliner.inline(document)

    monkeypatch.setattr(nh3, "clean", clean)
    monkeypatch.setattr(inline, "_INLINER", Inliner())
    return seen


def text_of(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]*>", "", markup))


def body_url(page: str) -> str:
    match = re.search(r'<iframe class="message-body[^"]*" src="([^"]+)"', page)
    assert match, "the page has the body iframe"
    return html.unescape(match.group(1))


def attachment_links(page: str) -> dict[str, str]:
    found = re.findall(r'<a href="([^"]+)" download>.*?<span class="filename">(.*?)</span>', page, re.DOTALL)
    return {html.unescape(name): html.unescape(url) for url, name in found}


def disposition_filename(header: str) -> str:
    """The filename a browser takes from a Content-Disposition (filename*= first)."""
    if match := re.search(r"filename\*=utf-8''([^;]+)", header, re.IGNORECASE):
        return unquote(match.group(1))
    match = re.search(r'filename="((?:[^"\\]|\\.)*)"', header)
    assert match, header
    return re.sub(r"\\(.)", r"\1", match.group(1))


def server_sections(bodystructure) -> list[str]:
    """Every leaf section number of a BODYSTRUCTURE, computed here independently of the app
    (RFC 3501 numbering: a message/rfc822 part's multipart body shares its number)."""
    found: list[str] = []
    stack = [(bodystructure, "")]
    while stack:
        node, section = stack.pop()
        if isinstance(node[0], (list, tuple)):  # multipart
            kids = [k for k in (node[0] if isinstance(node[0], list) else node[: next(i for i, k in enumerate(node) if not isinstance(k, (list, tuple)))])]
            for index, kid in reversed(list(enumerate(kids, 1))):
                stack.append((kid, f"{section}.{index}" if section else str(index)))
            continue
        leaf = section or "1"
        found.append(leaf)
        if node[0].lower() == b"message" and node[1].lower() == b"rfc822" and len(node) > 8 and isinstance(node[8], tuple):
            body = node[8]
            stack.append((body, leaf) if isinstance(body[0], (list, tuple)) else (body, f"{leaf}.1"))
    return found


def sample(sections: list[str], n: int = 12) -> list[str]:
    """All of a few sections (or links); of many the first, the last and the deepest."""
    if len(sections) <= 3 * n:
        return sections
    deepest = sorted(sections, key=lambda s: s.count("."), reverse=True)[:n]
    return list(dict.fromkeys(sections[:n] + sections[-n:] + deepest))


def get_all(client, url: str):
    response = client.get(url)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return response, content


# --------------------------------------------------------------------------- #
# Tests
# --------------------------------------------------------------------------- #

@pytest.mark.parametrize("case", list(CASES))
def test_every_hostile_message_opens_and_shows_what_it_can(reader, mailbox, work, case):
    spec = CASES[case]
    uid = mailbox[1][case]
    response = reader.get(f"/mail/INBOX/{uid}/")
    assert response.status_code == 200, response.content[:300]
    page = response.content.decode()
    for text in spec.page_has:
        assert text in text_of(page), text
    for note in spec.notes:
        assert note in text_of(page), note
    links = attachment_links(page)
    assert len(links) <= message_view.MAX_LISTED_ATTACHMENTS

    body, content = get_all(reader, body_url(page))
    assert body.status_code == 200, content[:300]
    shown = text_of(content.decode())
    for text in spec.body_has:
        assert text in shown, text
    # The body document's one script is ours (its height for the page; the frame's CSP allows
    # exactly it): nothing of what the mail lacks may appear besides it.
    ours = f"<script>{BODY_HEIGHT_SCRIPT}</script>"
    assert content.decode().count("<script") == content.decode().count(ours)
    for text in spec.body_lacks:
        assert text not in content.decode().replace(ours, "")
    # Work, not time: the Rust libraries never see more than their caps.
    assert all(n <= sanitizer.MAX_INPUT_CHARS + 200 for n in work["nh3"] + work["css_inline"]), work
    assert len(content) < 3 * message_view.MAX_TEXT_TOTAL + 100_000


@pytest.mark.parametrize("case", list(CASES))
def test_every_part_of_a_hostile_message_downloads(reader, mailbox, case):
    spec = CASES[case]
    user, uids = mailbox
    uid = uids[case]
    page = reader.get(f"/mail/INBOX/{uid}/").content.decode()
    links = attachment_links(page)
    assert set(spec.downloads) <= set(links), (list(spec.downloads), list(links))
    for name, (saved_as, expected) in spec.downloads.items():
        response, content = get_all(reader, links[name])
        assert response.status_code == 200
        assert disposition_filename(response["Content-Disposition"]) == saved_as
        assert content.startswith(expected), (name, content[:80])
        if response.has_header("Content-Length"):
            assert int(response["Content-Length"]) == len(content)
        else:  # no length promised only where it is unknowable up front: damage, uuencode, QP
            assert saved_as != name or re.search(rb"Transfer-Encoding: (x-uuencode|quoted-printable)", spec.raw)

    # Every part the page links downloads; every part the server has is a clear answer.
    for name in sample(list(links)):
        url = links[name]
        response, content = get_all(reader, url)
        assert response.status_code == 200, (name, url, response.status_code)
        if response.has_header("Content-Length"):
            assert int(response["Content-Length"]) == len(content), (name, url)
    with imap_direct(user) as imap:
        imap.select_folder("INBOX", readonly=True)
        bodystructure = imap.fetch([uid], ["BODYSTRUCTURE"])[uid][b"BODYSTRUCTURE"]
    for section in sample(server_sections(bodystructure)):
        response, content = get_all(reader, f"/mail/INBOX/{uid}/part/{section}/?download=1")
        assert response.status_code in (200, 404), (section, response.status_code)
        if response.status_code == 200 and response.has_header("Content-Length"):
            assert int(response["Content-Length"]) == len(content), section


def test_the_source_of_a_hostile_message_always_downloads(reader, mailbox):
    for case in ("nesting-multipart", "parts-many-attachments", "b64-att-truncated-one"):
        response, content = get_all(reader, f"/mail/INBOX/{mailbox[1][case]}/raw/")
        assert response.status_code == 200
        assert f"X-Test-Case: {case}".encode() in content
        assert int(response["Content-Length"]) == len(content)


def test_the_body_document_without_the_page_renders_the_same_bounds(reader, mailbox, work):
    """The iframe's URL on a cache miss (no `v=`): the same plan and bounds as the page."""
    for case in ("parts-many-texts", "line-huge-html", "attr-huge-title"):
        uid = mailbox[1][case]
        response = reader.get(f"/mail/INBOX/{uid}/body/")
        assert response.status_code == 200
        shown = text_of(response.content.decode())
        for text in CASES[case].body_has:
            assert text in shown
    assert all(n <= sanitizer.MAX_INPUT_CHARS + 200 for n in work["nh3"]), work


def test_a_message_with_thousands_of_parts_lists_a_bounded_number(reader, mailbox):
    page = reader.get(f"/mail/INBOX/{mailbox[1]['parts-many-attachments']}/").content.decode()
    links = attachment_links(page)
    assert len(links) == message_view.MAX_LISTED_ATTACHMENTS
    assert "f0.bin" in links and f"f{message_view.MAX_LISTED_ATTACHMENTS - 1}.bin" in links


def test_text_parts_beyond_the_budget_are_listed_not_rendered(reader, mailbox):
    uid = mailbox[1]["parts-many-texts"]
    page = reader.get(f"/mail/INBOX/{uid}/").content.decode()
    shown = text_of(get_all(reader, body_url(page))[1].decode())
    assert shown.count("text part ") <= message_view.MAX_BODY_PARTS
    assert len(attachment_links(page)) == message_view.MAX_LISTED_ATTACHMENTS


def test_sections_as_deep_as_the_server_nests_are_valid_part_urls(reader, mailbox):
    user, uids = mailbox
    uid = uids["nesting-multipart"]
    with imap_direct(user) as imap:
        imap.select_folder("INBOX", readonly=True)
        bodystructure = imap.fetch([uid], ["BODYSTRUCTURE"])[uid][b"BODYSTRUCTURE"]
    deepest = max(server_sections(bodystructure), key=lambda s: s.count("."))
    assert deepest.count(".") > structure.MAX_DEPTH
    response, content = get_all(reader, f"/mail/INBOX/{uid}/part/{deepest}/?download=1")
    assert response.status_code == 200
    assert content



@pytest.mark.parametrize(("case", "more"), [("header-huge-subject", None), ("header-many-recipients", "and 4900 more"),
                                            ("header-many-fields", "more header fields are not shown")])
def test_huge_headers_are_shown_bounded_and_say_so(reader, mailbox, case, more):
    uid = mailbox[1][case]
    page = reader.get(f"/mail/INBOX/{uid}/?headers=all").content.decode()
    shown = text_of(page)
    if more:
        assert more in shown
    # Every header, name and value on the page is bounded, so the page is: ~100 KB, not megabytes.
    budget = (message_view.MAX_HEADER_FIELDS + 3 * message_view.MAX_LISTED_ADDRESSES + 4) * 2 * message_view.MAX_HEADER_CHARS
    assert len(page) < min(budget, len(CASES[case].raw))
    assert len(max(re.findall(r"<td>(.*?)</td>", page, re.DOTALL) + [""], key=len)) <= 6 * message_view.MAX_HEADER_CHARS
    listing = reader.get("/mail/INBOX/?sort=size").content.decode()
    assert "start of a huge subject" in listing and "word " * 200 not in listing
