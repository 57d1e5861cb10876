"""Writing mail without a server: checks, replies, quoting, recipients, MIME building."""
from __future__ import annotations

import email
from datetime import UTC, datetime
from email import policy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailview.mime import Address
from mailview.mime.html_text import html_to_text
from mailview.services.compose.building import EmbeddedMessageAttachment, FileAttachment, MessageSpec, headers_without, message_build
from mailview.services.compose.headers import InvalidHeaderInput, check_filename, check_header_text, clean_message_ids, parse_address_list
from mailview.services.compose.prefill import forward_subject, quote_text, reply_recipients, reply_subject
from mailview.tasks import retry_countdown

ALICE = Address("Alice", "alice@example.test")


def spec(**changes: object) -> MessageSpec:
    base = dict(sender=ALICE, to=(Address("Bob", "bob@example.test"),), subject="Hi", text="Hello\n", message_id="<m1@example.test>",
                date=datetime(2026, 12, 1, 10, 0, tzinfo=UTC))
    return MessageSpec(**{**base, **changes})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("bob@example.test", [("", "bob@example.test")]),
        ('Bob <bob@example.test>, "Doe, Jane" <jane@example.org>; carl@example.net', [("Bob", "bob@example.test"), ("Doe, Jane", "jane@example.org"), ("", "carl@example.net")]),
        ("Jürgen Groß <j@exämple.org>", [("Jürgen Groß", "j@xn--exmple-cua.org")]),
        ("a@example.test, A@EXAMPLE.TEST", [("", "a@example.test")]),
        ("  ", []),
    ],
)
def test_address_lists_parse(typed, expected):
    assert [(a.name, a.email) for a in parse_address_list(typed, field="To")] == expected


@pytest.mark.parametrize("typed", ["bob", "bob@", "@example.test", "bob@localhost", "a b@example.test", "bob@example.test <x@y.z>", "jür@example.test", "x@-bad-.test"])
def test_invalid_addresses_are_named_when_sending_and_skipped_while_drafting(typed):
    with pytest.raises(InvalidHeaderInput) as refused:
        parse_address_list(f"ok@example.test, {typed}", field="To")
    assert "is not a valid email address" in refused.value.message
    assert [a.email for a in parse_address_list(f"ok@example.test, {typed}", field="To", strict=False)] == ["ok@example.test"]


@pytest.mark.parametrize("value", ["bob@example.test\r\nBcc: x@y.z", "bob@example.test\nBcc: x@y.z", "bob@example.test\rX", "a\x00@example.test", "bob@example.test\u2028Bcc: x@y.z"])
def test_line_breaks_in_addresses_are_refused_even_while_drafting(value):
    for strict in (True, False):
        with pytest.raises(InvalidHeaderInput):
            parse_address_list(value, field="To", strict=strict)


@pytest.mark.parametrize("value", ["Hello\r\nBcc: x@y.z", "Hello\nX: y", "Hello\rX", "Hi\x00", "Hi\x85there", "Hi\u2029there", "Hi\x1b[31m"])
def test_header_text_with_control_characters_is_refused(value):
    with pytest.raises(InvalidHeaderInput):
        check_header_text(value, field="Subject")


def test_header_text_keeps_unicode_and_turns_tabs_into_spaces():
    assert check_header_text("  Grüße\t東京 🎉 ", field="Subject") == "Grüße 東京 🎉"


def test_filenames_with_line_breaks_are_refused_and_others_made_safe():
    with pytest.raises(InvalidHeaderInput):
        check_filename("a.txt\r\nContent-Type: text/html")
    assert check_filename("../../etc/passwd") == "passwd"
    assert check_filename("Résumé – 履歴書.pdf") == "Résumé – 履歴書.pdf"


def test_reply_and_forward_subjects():
    assert reply_subject("Lunch") == "Re: Lunch"
    assert reply_subject("RE: Lunch") == "RE: Lunch"
    assert reply_subject("Aw: Mittag") == "Aw: Mittag"
    assert forward_subject("Lunch") == "Fwd: Lunch"
    assert forward_subject("Fw: Lunch") == "Fw: Lunch"
    assert reply_subject("") == "Re: "


def test_quoting_prefixes_every_line_and_deepens_quotes():
    assert quote_text("one\n\n> older\ntwo\n") == "> one\n>\n>> older\n> two"


def test_reply_prefers_reply_to_and_reply_all_drops_own_addresses():
    bob, carol, dave, list_ = (Address("Bob", "bob@x.test"), Address("", "carol@x.test"), Address("", "dave@x.test"), Address("List", "list@x.test"))
    me, alias = Address("", "me@x.test"), Address("", "ME.alias@x.test")
    own = {"me@x.test", "me.alias@x.test"}
    to, cc = reply_recipients(from_=[bob], reply_to=[list_], to=[me, carol], cc=[dave, alias], own=own, reply_all=False)
    assert (to, cc) == ([list_], [])
    to, cc = reply_recipients(from_=[bob], reply_to=[], to=[me, carol, Address("", "Me@X.test")], cc=[dave, alias, bob], own=own, reply_all=True)
    assert to == [bob, carol] and cc == [dave]
    # Replying to my own sent message goes to whom I wrote.
    to, _cc = reply_recipients(from_=[me], reply_to=[], to=[carol], cc=[], own=own, reply_all=False)
    assert to == [carol]


def test_message_ids_from_hostile_headers_are_filtered():
    assert clean_message_ids("<a@b> junk <c d@e> <f@g>\r\nBcc: x") == ["<a@b>", "<f@g>"]
    many = " ".join(f"<{n}@x>" for n in range(100))
    kept = clean_message_ids(many)
    assert len(kept) == 30 and kept[0] == "<0@x>" and kept[-1] == "<99@x>"


def test_a_message_is_proper_mime_with_encoded_headers_and_filenames():
    raw = message_build(spec(
        sender=Address("Zoë Ålander", "zoe@example.test"), to=(Address("Doe, Jane", "jane@example.org"),), bcc=(Address("", "secret@example.org"),),
        subject="Grüße – 東京", text="Ünïcödé\n", in_reply_to="<p@x>", references="<o@x> <p@x>",
        attachments=(FileAttachment("Résumé.pdf", "application/pdf", b"%PDF\x00\xff"),),
    ))
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert head.isascii() and b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert raw.isascii(), "7bit: bodies are quoted-printable or base64"
    message = email.message_from_bytes(raw, policy=policy.default)
    assert message["From"].addresses[0].display_name == "Zoë Ålander"
    assert message["To"].addresses[0].display_name == "Doe, Jane"
    assert message["Subject"] == "Grüße – 東京"
    assert message["Message-ID"] == "<m1@example.test>" and message["In-Reply-To"] == "<p@x>" and message["References"] == "<o@x> <p@x>"
    assert message["Bcc"].addresses[0].addr_spec == "secret@example.org"
    assert message.get_body(("plain",)).get_content().replace("\r\n", "\n") == "Ünïcödé\n"
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "Résumé.pdf" and attachment.get_payload(decode=True) == b"%PDF\x00\xff"
    assert b"filename*=utf-8''R%C3%A9sum%C3%A9.pdf" in raw
    assert raw.count(b"MIME-Version") == 1
    wire = headers_without(raw, {"bcc"})
    assert b"secret@example.org" not in wire and wire == raw.replace(b"Bcc: secret@example.org\r\n", b"")


def test_rich_text_becomes_multipart_alternative():
    raw = message_build(spec(text="Bold text\n", html="<p><b>Bold</b> text</p>"))
    message = email.message_from_bytes(raw, policy=policy.default)
    assert message.get_content_type() == "multipart/alternative"
    assert "<b>Bold</b>" in message.get_body(("html",)).get_content()
    assert message.get_body(("plain",)).get_content().replace("\r\n", "\n") == "Bold text\n"


def test_an_attached_message_keeps_every_byte():
    original = b"From: x@y.z\r\nSubject: =?utf-8?q?=C3=BC?=\r\nX-Odd:   spaced   \r\n\r\nBody with 8bit \xc3\xbc and a\r\n.\r\nline\r\n"
    raw = message_build(spec(messages=(EmbeddedMessageAttachment("orig.eml", original),)))
    assert original in raw
    assert b"Content-Transfer-Encoding: 8bit" in raw


@pytest.mark.parametrize("field", ["sender", "to"])
def test_the_builder_refuses_line_breaks_even_if_a_check_was_skipped(field):
    bad = Address("Eve\r\nBcc: victim@example.org", "eve@example.test")
    with pytest.raises(InvalidHeaderInput):
        message_build(spec(**{field: bad if field == "sender" else (bad,)}))
    with pytest.raises(InvalidHeaderInput):
        message_build(spec(subject="x\nBcc: y@z.test"))


def test_html_becomes_readable_text_for_quoting():
    text = html_to_text("<html><head><style>p{}</style></head><body><p>Hello&nbsp;<b>there</b></p><ul><li>one</li><li>two</li></ul><blockquote>old</blockquote><script>x()</script></body></html>")
    assert "Hello\xa0there" in text and "* one" in text and "> old" in text and "x()" not in text and "p{}" not in text


def test_retries_back_off_exponentially_up_to_the_cap(settings):
    settings.WEBMAIL_SEND_RETRY_BASE = 30
    settings.WEBMAIL_SEND_RETRY_CAP = 600
    assert [retry_countdown(n) for n in range(7)] == [30, 60, 120, 240, 480, 600, 600]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_no_typed_subject_ever_yields_a_header_line_break(subject):
    try:
        clean = check_header_text(subject, field="Subject")
    except InvalidHeaderInput:
        return
    raw = message_build(spec(subject=clean))
    head = raw.split(b"\r\n\r\n", 1)[0]
    # Every header line is a field or a fold (starts with space), so nothing was injected.
    for line in head.split(b"\r\n"):
        assert line[:1] in (b" ", b"\t") or b":" in line
    assert sum(1 for line in head.split(b"\r\n") if line.lower().startswith(b"subject:")) == 1
