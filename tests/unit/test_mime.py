"""mailview.mime without a server: BODYSTRUCTUREs recorded from the dev stack's
Dovecot (tests/unit/data/bodystructures.py), decoding, hostile input."""
from __future__ import annotations

import email
import email.policy
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from imapclient.response_parser import parse_fetch_response
from imapclient.response_types import BodyData

from mailview.mime import (
    MAX_DEPTH,
    Address,
    DisplayPlan,
    MimePart,
    cid_map,
    decode_header_value,
    decode_text,
    decode_transfer,
    display_plan,
    find_part,
    has_attachment,
    iter_parts,
    parse_bodystructure,
    parse_envelope_addresses,
    safe_filename,
)
from mailview.mime import structure as structure_module
from tests.support import cpython_test_messages
from tests.unit.data.bodystructures import BODYSTRUCTURES, CPYTHON, PART_BODIES

REPO = Path(__file__).resolve().parents[2]
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# These tests need no database, pool, cache or Redis: replace tests/conftest.py's
# autouse fixtures for this module only, so it also runs with `-p no:django`.
@pytest.fixture(scope="session", autouse=True)
def _clean_test_redis() -> None:
    return None


@pytest.fixture(autouse=True)
def _fresh_pool_and_cache():
    yield


def fetched(data: list) -> dict:
    (record,) = parse_fetch_response(data).values()
    return record


def tree(name: str) -> MimePart:
    return parse_bodystructure(fetched(BODYSTRUCTURES[name])[b"BODYSTRUCTURE"])


def sections(parts) -> list[str]:
    return [p.section for p in parts]


def leaves(root: MimePart) -> list[MimePart]:
    return [p for p in iter_parts(root) if not p.is_multipart]


def shown_text(name: str, parts) -> str:
    out = []
    for part in parts:
        raw = PART_BODIES[name][part.section]
        out.append(decode_text(decode_transfer(raw, part.encoding), part.charset))
    return "\n".join(out)


def check_plan_invariants(root: MimePart, plan: DisplayPlan) -> None:
    """What must hold for any message, however odd."""
    all_leaves = {id(p) for p in leaves(root)}
    for part in plan.body_parts + plan.inline_images + plan.attachments:
        assert id(part) in all_leaves, part.section
        assert not part.is_multipart
    assert len({id(p) for p in plan.attachments}) == len(plan.attachments)
    assert len({id(p) for p in plan.inline_images}) == len(plan.inline_images)
    assert not {id(p) for p in plan.inline_images} & {id(p) for p in plan.attachments}
    for part in plan.body_parts:
        assert part.maintype == "text" or part.mime_type.startswith("message/"), part.mime_type
        if part in plan.attachments:  # only the "nothing else to show" fallback
            assert len(plan.body_parts) == 1
    for part, message in plan.nested_messages:
        assert part in plan.attachments and part.message is message
    for body_section, message_section in plan.nested_in.items():
        assert body_section.startswith(message_section + ".")
    if plan.has_attachments:
        assert plan.attachments
    if any(a.mime_type not in structure_module.SIGNATURE_TYPES for a in plan.attachments):
        assert plan.has_attachments  # only a multipart/signed signature does not count
    hash(plan)


# --------------------------------------------------------------------------
# Display plans over real Dovecot BODYSTRUCTUREs
# --------------------------------------------------------------------------

D39 = ".".join(["1"] * 39)
#: name: (body, body with prefer_plain, inline images, attachments, nested messages, has_attachments)
PLANS: dict[str, tuple[list[str], list[str], list[str], list[str], list[str], bool]] = {
    "plain": (["1"], ["1"], [], [], [], False),
    "flowed": (["1"], ["1"], [], [], [], False),
    "alternative": (["2"], ["1"], [], [], [], False),
    "html_only_cp1252": (["1"], ["1"], [], [], [], False),
    "related": (["2.1"], ["1"], ["2.2", "2.3"], [], [], False),
    "related_start": (["2"], ["2"], ["1"], ["3"], [], True),
    "mixed_attachments": (["1.2"], ["1.1"], [], [str(i) for i in range(2, 13)], [], True),
    "apple_inline": (["1", "3"], ["1", "3"], [], ["2"], [], True),
    "nested": (["1", "2.2"], ["1", "2.1"], [], ["2"], ["2"], True),
    "nested_single": (["1", "2.1"], ["1", "2.1"], [], ["2"], ["2"], True),
    "nested_twice": (["1", "2.1", "2.2.1"], ["1", "2.1", "2.2.1"], [], ["2", "2.2"], ["2", "2.2"], True),
    "forward_attachment": (["1", "2.1"], ["1", "2.1"], [], ["2"], ["2"], True),
    "top_rfc822": (["1.2"], ["1.1"], [], ["1"], ["1"], True),
    "signed_pgp": (["1.1"], ["1.1"], [], ["1.2", "2"], [], True),
    "signed_smime": (["1"], ["1"], [], ["2"], [], False),
    "encrypted_pgp": ([], [], [], ["1", "2"], [], True),
    "bounce": (["1", "2", "3.1"], ["1", "2", "3.1"], [], ["3"], ["3"], True),
    "bounce_headers": (["1", "2", "3"], ["1", "2", "3"], [], [], [], False),
    "mdn": (["1", "2"], ["1", "2"], [], [], [], False),
    "pdf_single": ([], [], [], ["1"], [], True),
    "deep40": ([], [], [], [D39 + ".1", D39 + ".2"], [], True),
    "deep120": ([], [], [], [".".join(["1"] * 99)], [], True),
    "no_boundary": (["TEXT"], ["TEXT"], [], [], [], False),
    "unknown_charset": (["1"], ["1"], [], [], [], False),
    "wrong_charset": (["1"], ["1"], [], [], [], False),
    "charsets": ([str(i) for i in range(1, 18)], [str(i) for i in range(1, 18)], [], [], [], False),
    "calendar": (["2"], ["1"], [], ["3"], [], True),
    "digest": (["1.1", "2.1"], ["1.1", "2.1"], [], ["1", "2"], ["1", "2"], True),
    "weird_case": (["1"], ["1"], [], ["2"], [], True),
    "unknown_types": (["1", "5"], ["1", "5"], [], ["2", "3", "4"], [], True),
    "empty_alternative": (["1"], ["1"], [], [], [], False),
    "outlook": (["1.1.2"], ["1.1.1"], ["1.2"], ["2"], [], True),
    "envelope_tricky": (["1"], ["1"], [], [], [], False),
}

#: name: (text expected in the shown bodies, with prefer_plain)
MARKERS: dict[str, tuple[list[str], list[str]]] = {
    "plain": (["Hello, plain marker."], ["Hello, plain marker."]),
    "flowed": (["Grüße, this is a flowed marker line that is soft broken."], []),
    "alternative": (["alternative <b>html</b> marker"], ["alternative plain marker"]),
    "html_only_cp1252": (["\u201csmart quotes\u201d html marker \u20ac"], []),
    "related": (['related html marker <img src="cid:logo@fixtures.test">'], ["related plain marker"]),
    "related_start": (["related start root marker"], []),
    "mixed_attachments": (["mixed html marker"], ["mixed plain marker"]),
    "apple_inline": (["apple before marker", "apple after marker"], []),
    "nested": (["outer text marker", "nested inner html marker"], ["nested inner plain marker"]),
    "nested_single": (["outer of single marker", "nested single body marker"], []),
    "nested_twice": (["outermost text marker", "middle text marker", "twice nested html marker"], []),
    "forward_attachment": (["see attached marker", "forwarded as attachment marker"], []),
    "top_rfc822": (["top inner html marker"], ["top inner plain marker"]),
    "signed_pgp": (["pgp signed marker"], []),
    "signed_smime": (["smime signed marker"], []),
    "bounce": (["bounce human readable marker", "Status: 5.1.1", "the original that bounced marker"], []),
    "bounce_headers": (["headers bounce marker", "Action: failed", "Subject: original subject"], []),
    "mdn": (["mdn human marker", "Disposition: manual-action"], []),
    "no_boundary": (["no boundary marker"], []),
    "unknown_charset": (["unknown charset marker é ü"], []),
    "wrong_charset": (["wrong charset marker Grüße"], []),
    "calendar": (["invite html marker"], ["invite plain marker"]),
    "digest": (["digest one marker", "digest two marker"], []),
    "weird_case": (["weird case marker \u2713"], []),
    "unknown_types": (["unknown multipart marker", "+++ b"], []),
    "outlook": (["outlook html marker"], ["outlook plain marker"]),
    "envelope_tricky": (["envelope marker"], []),
}


def test_every_recorded_message_has_an_expected_plan():
    assert set(PLANS) == set(BODYSTRUCTURES)


@pytest.mark.parametrize("name", sorted(PLANS))
def test_display_plan(name):
    body, body_plain, inline, attachments, nested, has = PLANS[name]
    root = tree(name)
    plan = display_plan(root)
    assert sections(plan.body_parts) == body
    assert sections(display_plan(root, prefer_plain=True).body_parts) == body_plain
    assert sections(plan.inline_images) == inline
    assert sections(plan.attachments) == attachments
    assert [p.section for p, _ in plan.nested_messages] == nested
    assert plan.has_attachments is has
    assert has_attachment(fetched(BODYSTRUCTURES[name])[b"BODYSTRUCTURE"]) is has
    check_plan_invariants(root, plan)


@pytest.mark.parametrize("name", sorted(MARKERS))
def test_shown_text_decodes(name):
    html_markers, plain_markers = MARKERS[name]
    root = tree(name)
    text = shown_text(name, display_plan(root).body_parts)
    for marker in html_markers:
        assert marker in text
    plain_text = shown_text(name, display_plan(root, prefer_plain=True).body_parts)
    for marker in plain_markers:
        assert marker in plain_text


@pytest.mark.parametrize("name", sorted(BODYSTRUCTURES))
def test_sections_match_what_dovecot_serves(name):
    """Every leaf's section, fetched from Dovecot as BODY.PEEK[section], gave
    exactly the number of octets BODYSTRUCTURE announced for that part."""
    for part in leaves(tree(name)):
        if part.section.endswith("TEXT") or part.size > 4096:
            continue
        assert part.section in PART_BODIES[name], part.section
        assert len(PART_BODIES[name][part.section]) == part.size, part.section


def test_section_numbering_single_part_and_nested():
    assert tree("plain").section == "1"
    assert sections(tree("alternative").children) == ["1", "2"]
    top = tree("top_rfc822")  # a whole message that is message/rfc822
    assert (top.section, top.mime_type) == ("1", "message/rfc822")
    assert top.message.body.section == "1" and sections(top.message.body.children) == ["1.1", "1.2"]
    nested = tree("nested").children[1]
    assert nested.message.body.mime_type == "multipart/alternative"
    assert sections(nested.message.body.children) == ["2.1", "2.2"]
    single = tree("nested_single").children[1]
    assert (single.message.body.section, single.message.body.mime_type) == ("2.1", "text/plain")
    # BODY[2] of a message/rfc822 part is the whole embedded message (the .eml download)
    assert PART_BODIES["nested_single"]["2"].startswith(b"Content-Type: text/plain")
    assert b"\r\nSubject: single inner\r\n" in PART_BODIES["nested_single"]["2"]


def test_parts_and_filenames():
    root = tree("mixed_attachments")
    names = {p.section: p.filename for p in leaves(root)}
    assert names == {
        "1.1": None, "1.2": None, "2": "report.pdf", "3": "photo.jpg", "4": "notes.txt", "5": None,
        "6": "日本語.txt",  # RFC 2231 filename*=utf-8''...
        "7": "Grüße aus Köln und Umgebung.xls",  # RFC 2231 continuations in iso-8859-1, merged by Dovecot
        "8": "résumé final.doc",  # RFC 2047 in name=, two encoded words
        "9": "Ünïcödé raw.bin",  # raw 8-bit UTF-8 (a literal on the wire)
        "10": "evil.exe",  # ..\..\windows\evil.exe
        "11": "invoicegnp.exe",  # U+202E right-to-left override removed
        "12": "winmail.dat",
    }
    pdf = find_part(root, "2")
    assert (pdf.mime_type, pdf.encoding, pdf.disposition, pdf.size) == ("application/pdf", "base64", "attachment", 20)
    assert pdf.is_attachment and pdf.suggested_filename == "report.pdf"
    assert decode_transfer(PART_BODIES["mixed_attachments"]["2"], pdf.encoding).startswith(b"%PDF-1.4")
    assert find_part(root, "1.1").is_attachment is False
    assert find_part(root, "4").is_attachment is True  # text with a filename
    assert find_part(root, "5").is_attachment is True  # text/csv is data
    assert find_part(root, "10").params["name"] == "../../etc/passwd"  # params stay as sent
    assert find_part(root, "99") is None
    assert root.params["BOUNDARY"] == "MIX" == root.params.get("boundary")


def test_related_inline_images_and_cid_map():
    root = tree("related")
    logo, photo = find_part(root, "2.2"), find_part(root, "2.3")
    assert (logo.content_id, logo.disposition, logo.filename) == ("logo@fixtures.test", "inline", "logo.png")
    assert photo.content_id == "photo@fixtures.test" and photo.filename is None
    assert photo.suggested_filename == "part-2.3.jpg"
    assert cid_map(root) == {"logo@fixtures.test": logo, "photo@fixtures.test": photo}
    # Apple Mail puts a cid image in multipart/mixed: an attachment, but still in the cid map
    apple = tree("apple_inline")
    assert set(cid_map(apple)) == {"5A1B@apple.test"}
    weird = tree("weird_case")
    assert find_part(weird, "1").charset == "UTF-8" and find_part(weird, "1").encoding == "quoted-printable"
    assert find_part(weird, "2").disposition == "attachment" and find_part(weird, "2").content_id == "SHOUT@X"


def test_nested_messages_envelopes():
    plan = display_plan(tree("nested"))
    ((part, message),) = plan.nested_messages
    assert message.subject == "Inner été"
    assert message.from_ == [Address("Zöe", "zoe@example.test")]
    # "Team: a@..., Jörg <...>;, undisclosed-recipients:;" -- groups give their members
    assert message.to == [Address("", "a@example.test"), Address("Jörg", "jorg@example.test")]
    assert message.cc == [Address("", "carol@example.test")]
    assert message.date == datetime(2024, 10, 1, 10, 0, tzinfo=timezone(timedelta(hours=2)))
    assert plan.nested_in == {"2.2": "2"}
    assert plan.message_of(plan.body_parts[1]) == (part, message)
    assert plan.message_of(plan.body_parts[0]) is None
    assert part.suggested_filename == "Inner été.eml"
    hash(message)
    top = display_plan(tree("top_rfc822")).nested_messages[0][1]
    assert top.subject == "top inner" and top.date is None  # "Date: not a date"
    assert tree("forward_attachment").children[1].suggested_filename == "forwarded.eml"


def test_signature_does_not_set_the_paperclip():
    smime = display_plan(tree("signed_smime"))
    assert sections(smime.attachments) == ["2"] and smime.has_attachments is False
    assert smime.attachments[0].filename == "smime.p7s"


def test_deep_nesting_is_bounded():
    root = tree("deep40")
    depth = 0
    node = root
    while node.children and node.is_multipart:
        node = node.children[0]
        depth += 1
    assert depth <= MAX_DEPTH + 1
    plan = display_plan(root)
    assert [p.filename for p in plan.attachments] == [None, "deep.bin"]
    text = decode_text(decode_transfer(PART_BODIES["deep40"][D39 + ".1"], "base64"), "utf-8")
    assert text == "deep 40 text marker\n"
    # Dovecot itself stops at 100 levels: the rest is one application/octet-stream part
    (rest,) = display_plan(tree("deep120")).attachments
    assert rest.mime_type == "application/octet-stream"


def test_missing_boundary_fetches_the_whole_text():
    root = tree("no_boundary")
    (part,) = root.children
    assert (part.section, part.mime_type) == ("TEXT", "text/plain")
    # as an embedded message body: "<section>.TEXT"; nested: the multipart's own section
    empty_multipart = ((b"text", b"plain", None, None, None, b"7bit", 0, 0), b"mixed", None, None, None, None)
    root = parse_bodystructure(BodyData.create((
        (b"text", b"plain", None, None, None, b"7bit", 10, 1),
        (b"message", b"rfc822", None, None, None, b"7bit", 99, (None,) * 10, empty_multipart, 3),
        empty_multipart,
        b"mixed", (b"boundary", b"x"), None, None, None,
    )))
    assert sections(leaves(root)) == ["1", "2", "2.TEXT", "3"]
    assert sections(display_plan(root).body_parts) == ["1", "2.TEXT", "3"]
    # without extension data (a BODY response, not BODYSTRUCTURE) nothing is guessed
    bare = parse_bodystructure(BodyData.create(((b"text", b"plain", None, None, None, b"7bit", 0, 0), b"mixed")))
    assert sections(leaves(bare)) == ["1"]


def test_cpython_bodystructures_specific_cases():
    def cpy(name):
        return parse_bodystructure(fetched(CPYTHON[name])[b"BODYSTRUCTURE"])

    assert sections(display_plan(cpy("msg_25.txt")).body_parts) == ["TEXT"]  # multipart/report, boundary cut
    plan = display_plan(cpy("msg_44.txt"))  # two text/plain parts named msg.txt and nothing else
    assert sections(plan.body_parts) == ["1"] and sections(plan.attachments) == ["1", "2"]
    riscos = find_part(cpy("msg_26.txt"), "2")  # filename= wins over name=
    assert (riscos.filename, riscos.params["name"]) == ("clock.bmp", "clock.bmp,69c")


@pytest.mark.parametrize("name", sorted(CPYTHON))
def test_cpython_bodystructures_plan(name):
    data = fetched(CPYTHON[name])
    root = parse_bodystructure(data[b"BODYSTRUCTURE"])
    for prefer_plain in (False, True):
        plan = display_plan(root, prefer_plain=prefer_plain)
        check_plan_invariants(root, plan)
        assert plan.body_parts or plan.attachments
    section_list = [p.section for p in leaves(root)]
    assert len(section_list) == len(set(section_list))
    parse_envelope_addresses(data[b"ENVELOPE"].from_)
    decode_header_value(data[b"ENVELOPE"].subject)


# --------------------------------------------------------------------------
# parse_bodystructure over hand-made and odd structures
# --------------------------------------------------------------------------

def test_odd_servers():
    # NIL everywhere: RFC 2045's default type
    part = parse_bodystructure(BodyData.create((None, None, None, None, None, None, None)))
    assert (part.section, part.mime_type, part.encoding, part.size) == ("1", "text/plain", "7bit", 0)
    part = parse_bodystructure(BodyData.create((b"image", None, None, None, None, None, None)))
    assert part.mime_type == "application/octet-stream"
    # str instead of bytes, upper case, BODY (no extension data), size as string
    part = parse_bodystructure(BodyData.create(("TEXT", "HTML", ("CHARSET", "ISO-8859-1"), "<A@B>", None, "BASE64", "12", 1)))
    assert (part.mime_type, part.charset, part.content_id, part.encoding, part.size) == ("text/html", "ISO-8859-1", "A@B", "base64", 12)
    # text part without the lines field: disposition found anyway
    part = parse_bodystructure(BodyData.create((b"text", b"plain", None, None, None, b"7bit", 5, None, (b"attachment", (b"FILENAME", b"a.txt")))))
    assert (part.disposition, part.filename, part.is_attachment) == ("attachment", "a.txt", True)
    # unknown disposition type is an attachment (RFC 2183)
    part = parse_bodystructure(BodyData.create((b"image", b"png", None, None, None, b"base64", 5, None, (b"x-weird", None), None, None)))
    assert part.disposition == "attachment"
    # a multipart without a subtype (imapclient keeps the last part in the tail)
    root = parse_bodystructure(BodyData.create(((b"text", b"plain", None, None, None, b"7bit", 1, 1), (b"text", b"html", None, None, None, b"7bit", 1, 1))))
    assert root.mime_type == "multipart/mixed"
    # a message/rfc822 without envelope or body is just an attachment
    part = parse_bodystructure(BodyData.create((b"message", b"rfc822", None, None, None, b"7bit", 5)))
    assert part.message is None and display_plan(part).attachments == (part,)
    # garbage
    for junk in (None, (), [], "x", b"x", 5, BodyData.create((b"",)), ((),), (((((),),),),)):
        root = parse_bodystructure(junk)
        display_plan(root)
        assert isinstance(root, MimePart)
    assert has_attachment(None) is False


def test_params_rfc2231_forms():
    parse = structure_module._parse_params
    assert parse((b"name*", b"utf-8''%E2%82%AC.txt"))["name"] == "€.txt"
    assert parse((b"name*", b"iso-8859-1'de'%FC.txt"))["name"] == "ü.txt"
    assert parse((b"name*0*", b"utf-8''%E2%82", b"name*1*", b"%AC", b"name*2", b".txt"))["name"] == "€.txt"
    assert parse((b"name*1", b"b", b"name*0", b"a"))["name"] == "ab"
    assert parse((b"name", b"plain", b"name*", b"utf-8''better"))["name"] == "better"
    assert parse((b"name", b"=?utf-8?B?w6k=?=.txt"))["name"] == "é.txt"
    assert parse((b"boundary", b"=?not-decoded?="))["boundary"] == "=?not-decoded?="
    assert parse((b"name*", b"x-unknown''%E9t%E9"))["name"] == "été"
    assert parse((b"odd",)) == {} and parse(None) == {}


def test_mimepart_is_frozen_hashable_and_accepts_plain_dicts():
    part = MimePart("1", "text/plain", {"Charset": "utf-8"}, None, "7bit", 3, None, None)
    assert part.params["charset"] == "utf-8" and part.charset == "utf-8"
    assert part == MimePart("1", "text/plain", {"charset": "utf-8"}, None, "7bit", 3, None, None)
    assert len({part, tree("nested"), tree("nested")}) == 2
    with pytest.raises(AttributeError):
        part.section = "2"  # type: ignore[misc]


def test_address_str():
    assert str(Address("Alice Example", "alice@example.test")) == "Alice Example <alice@example.test>"
    assert str(Address("", "bob@example.test")) == "bob@example.test"
    assert str(Address("Doe, John", "j@example.test")) == '"Doe, John" <j@example.test>'
    assert str(Address('Say "hi"', "h@example.test")) == '"Say \\"hi\\"" <h@example.test>'


def test_parse_envelope_addresses_from_imapclient():
    envelope = fetched(BODYSTRUCTURES["envelope_tricky"])[b"ENVELOPE"]
    assert parse_envelope_addresses(envelope.from_) == [Address("Renée", "renee@example.test")]
    assert parse_envelope_addresses(envelope.to) == []  # undisclosed-recipients:;
    assert parse_envelope_addresses(envelope.cc) == [
        Address("", "local-only"),  # Dovecot: host "MISSING_DOMAIN"
        Address("", "g1@example.test"), Address("", "g2@example.test"),
        Address("Quoted, Name", "q@example.test"),
    ]
    assert parse_envelope_addresses(envelope.bcc) == []
    assert decode_header_value(envelope.subject) == "\U0001f642café raw Grüße"
    assert parse_envelope_addresses([(b"\xff\xfe", None, b"a\r\nb", b"x.test"), (None,), "junk", None]) == [
        Address("ÿþ", "ab@x.test"),
    ]


# --------------------------------------------------------------------------
# decode_transfer
# --------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "encoding", "expected"), [
    (b"aGVsbG8=", "base64", b"hello"),
    (b"aGVsbG8=\r\n", "BASE64", b"hello"),
    (b"aGVsbG8", "base64", b"hello"),  # missing padding
    (b"aGVs\r\nbG8=", "base64", b"hello"),
    (b"aGVs!!bG8*=", "base64", b"hello"),  # garbage skipped
    (b"aGk=aGk=", "base64", b"hihi"),  # concatenated padded blocks
    (b"aGVsbG8gd", "base64", b"hello "),  # a dangling sextet
    (b"", "base64", b""),
    (b"====", "base64", b""),
    (b"caf=C3=A9 soft=\r\nbreak", "quoted-printable", "café softbreak".encode()),
    (b"lower=c3=a9", "Quoted-Printable", "loweré".encode()),
    (b"bad=ZZescape=", "quoted-printable", b"bad=ZZescape"),
    (b"raw \xff bytes", "8bit", b"raw \xff bytes"),
    (b"raw", "binary", b"raw"),
    (b"raw", "x-unknown", b"raw"),
    (b"raw", "", b"raw"),
    (b"begin 644 x\n#:&D*\n`\nend\n", "x-uuencode", b"hi\n"),
])
def test_decode_transfer(raw, encoding, expected):
    assert decode_transfer(raw, encoding) == expected


# --------------------------------------------------------------------------
# decode_text
# --------------------------------------------------------------------------

SAMPLES = [
    ("utf-8", "Grüße 🙂", "utf-8"), ("utf8", "Grüße", "utf-8"), ("UTF-8", "Grüße", "utf-8"), ('"utf-8"', "Grüße", "utf-8"),
    ("latin1", "Français", "latin-1"), ("iso-8859-1", "Français", "latin-1"),
    ("iso-8859-1", "\u201cquoted\u201d", "cp1252"),  # labelled latin-1, really windows-1252
    ("windows-1252", "€ “x”", "cp1252"), ("iso-8859-15", "€ œ", "iso8859_15"), ("iso-8859-2", "Zażółć", "iso8859_2"),
    ("x-sjis", "シフトJIS", "cp932"), ("shift_jis", "日本語～", "cp932"), ("euc-jp", "日本語", "euc_jp"),
    ("iso-2022-jp", "日本語のテキスト", "iso2022_jp"),
    ("ks_c_5601-1987", "한국어 텍스트", "cp949"), ("euc-kr", "한국어", "cp949"),
    ("gb2312", "简体中文", "gb18030"), ("gbk", "简体中文", "gbk"), ("gb18030", "简体中文", "gb18030"),
    ("big5", "繁體中文", "big5"),
    ("iso-8859-8-i", "עברית", "iso8859_8"), ("iso-8859-8", "עברית", "iso8859_8"),
    ("unicode-1-1-utf-7", "UTF-7 €", "utf-7"), ("utf-7", "a+b €", "utf-7"),
    ("windows-874", "ภาษาไทย", "cp874"), ("tis-620", "ภาษาไทย", "cp874"),
    ("x-mac-roman", "Mac “quotes” ƒ", "mac_roman"), ("macintosh", "ƒ", "mac_roman"),
    ("koi8-r", "Русский", "koi8_r"), ("windows-1251", "Кириллица", "cp1251"),
    ("utf-16", "wide", "utf-16"), ("us-ascii", "plain", "ascii"),
]


@pytest.mark.parametrize(("charset", "text", "codec"), SAMPLES)
def test_decode_text_charsets(charset, text, codec):
    assert decode_text(text.encode(codec), charset) == text


@pytest.mark.parametrize(("raw", "charset", "expected"), [
    ("Grüße".encode(), "us-ascii", "Grüße"),  # wrong label: UTF-8 wins
    ("Grüße".encode("cp1252"), "us-ascii", "Grüße"),  # wrong label, not UTF-8: windows-1252
    ("Grüße".encode(), "x-unknown-foo", "Grüße"),
    ("Grüße".encode("latin-1"), "x-unknown-foo", "Grüße"),
    ("Grüße".encode(), None, "Grüße"),
    ("Grüße".encode("cp1252"), "", "Grüße"),
    (b"ok \xff\xfe end", "utf-8", "ok \ufffd\ufffd end"),  # known charset, broken bytes: replacement, text kept
    (b"\x81\x8d", "windows-1252", "\x81\x8d"),  # undefined in cp1252: kept as the same code points
    (b"caf\xe9", "base64", "café"),  # not a text codec: ignored
    (b"caf\xe9", "rot13", "café"),
    (b"\\u0041 caf\xe9", "unicode_escape", "\\u0041 café"),  # never interpreted
    (b"abc", "undefined", "abc"),
    (b"xn--caf", "idna", "xn--caf"),
    (b"+2D0-x", "utf-7", "\ufffdx"),  # a lone surrogate from UTF-7 never leaks
    (b"\xef\xbb\xbfbom", "utf-8", "bom"),
    (b"", "utf-8", ""),
    (b"a", "utf-8; format=flowed", "a"),
    (b"a", "x" * 500, "a"),
])
def test_decode_text_fallbacks(raw, charset, expected):
    assert decode_text(raw, charset) == expected


def test_decode_text_recorded_charsets():
    root = tree("charsets")
    samples = ["日本語のテキスト", "日本語ｶﾀｶﾅ", "シフトJIS", "日本語", "简体中文", "繁體中文", "Русский текст", "Кириллица",
               "한국어 텍스트", "ภาษาไทย", "עברית", "UTF-7 €", "Mac “quotes” ƒ", "Euro € œ", "Français àéè", "emoji 🙂",
               "Zażółć gęślą"]
    for part, sample in zip(display_plan(root).body_parts, samples, strict=True):
        text = decode_text(decode_transfer(PART_BODIES["charsets"][part.section], part.encoding), part.charset)
        assert text.strip() == f"[{part.charset}] {sample}"


# --------------------------------------------------------------------------
# decode_header_value
# --------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    ("=?utf-8?q?caf=C3=A9?=", "café"),
    ("=?UTF-8?Q?caf=C3=A9?=", "café"),
    ("=?utf-8?b?Y2Fmw6k=?=", "café"),
    ("=?utf-8?q?a?= =?utf-8?q?b?=", "ab"),  # adjacent words: whitespace between goes
    ("=?utf-8?q?a?=\r\n =?utf-8?q?b?=", "ab"),  # ... also when folded
    ("=?utf-8?q?a?= x =?utf-8?q?b?=", "a x b"),
    ("=?utf-8?B?4pw=?= =?utf-8?B?kw==?=", "\u2713"),  # one character split over two words
    ("=?iso-8859-1?q?caf=E9?= =?koi8-r?b?8NLJ18XU?=", "caféПривет"),  # mixed charsets
    ("=?utf-8?B?w6l0w6k?=", "été"),  # missing padding
    ("=?utf-8?B?w6l0w6k=!?=", "été"),  # garbage
    ("=?utf-8?B?!!!?=", ""),
    ("=?utf-8?q?hello_world?=", "hello world"),  # underscore is a space in Q ...
    ("snake_case =?utf-8?q?x?=", "snake_case x"),  # ... not outside
    ("=?utf-8?q?100=ZZ?=", "100=ZZ"),
    ("=?x-unknown?q?caf=C3=A9?=", "café"),
    ("=?utf-8*en?q?hi?=", "hi"),  # RFC 2231 language
    ("=??q?abc?=", "abc"),
    ("=?utf-8?q?unterminated", "=?utf-8?q?unterminated"),
    ("=?utf-8?q?a=0D=0Ab?=", "a  b"),
    ("pre=?utf-8?q?mid?=post", "premidpost"),
    ("Subject\r\n folded\r\n\ttwice", "Subject folded\ttwice".replace("\t", " ")),
    ("a\x00b\x07c\x1bd\x7fe", "abcde"),
    ("line1\r\nline2", "line1 line2"),
    ("  padded  ", "padded"),
    (b"Gr\xc3\xbc\xc3\x9fe", "Grüße"),  # raw 8-bit UTF-8
    (b"Gr\xfc\xdfe", "Grüße"),  # raw 8-bit, not UTF-8: windows-1252
    (b"=?utf-8?q?x?=", "x"),
    (None, ""),
    (b"", ""),
    ("=?utf-7?q?+2D0-?=", "\ufffd"),
])
def test_decode_header_value(value, expected):
    assert decode_header_value(value) == expected


# --------------------------------------------------------------------------
# safe_filename
# --------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "expected"), [
    ("report.pdf", "report.pdf"),
    ("../../etc/passwd", "passwd"),
    ("..\\..\\windows\\system32\\evil.exe", "evil.exe"),
    ("C:\\Users\\bob\\report.pdf", "report.pdf"),
    ("a\x00b", "ab"),
    ("\r\n", "attachment"),
    (".htaccess", "htaccess"),
    ("", "attachment"),
    (None, "attachment"),
    ("...", "attachment"),
    ("..", "attachment"),
    ("/", "attachment"),
    ("dir/", "dir"),
    ('a"b<c>d|e?f*g:h.txt', "a_b_c_d_e_f_g_h.txt"),
    ("CON.txt", "_CON.txt"),
    ("invoice\u202egnp.exe", "invoicegnp.exe"),
    ("  spaced   name .txt ", "spaced name .txt"),
    ("trailing dot.", "trailing dot"),
    ("Grüße.pdf", "Grüße.pdf"),
])
def test_safe_filename(name, expected):
    assert safe_filename(name) == expected


def test_safe_filename_length_and_default():
    long_name = safe_filename("x" * 500 + ".pdf")
    assert long_name.endswith(".pdf") and len(long_name.encode()) <= 200
    wide = safe_filename("é" * 300 + ".docx")
    assert wide.endswith(".docx") and len(wide.encode()) <= 200 and "\ufffd" not in wide
    assert len(safe_filename("y" * 500).encode()) <= 200
    assert safe_filename("", default="message.eml") == "message.eml"
    assert safe_filename("..", default="../bad") == "bad"
    assert safe_filename("", default="") == "attachment"


def assert_safe_filename(result: str) -> None:
    assert result
    assert not result.startswith(".")
    assert not set(result) & set('/\\\x00<>:"|?*')
    assert all(ord(ch) >= 32 and not 0x7F <= ord(ch) <= 0x9F for ch in result)
    assert len(result.encode("utf-8")) <= 200


@FAST
@given(st.text())
def test_safe_filename_property(name):
    assert_safe_filename(safe_filename(name))


# --------------------------------------------------------------------------
# Never raise
# --------------------------------------------------------------------------

@FAST
@given(st.binary(max_size=300), st.one_of(st.none(), st.text(max_size=20), st.sampled_from(
    ["utf-8", "utf-7", "utf-16", "utf-32", "iso-2022-jp", "gb2312", "big5", "ks_c_5601-1987", "x-sjis", "base64",
     "unicode_escape", "undefined", "idna", "punycode", "hz", "cp037", "x-mac-roman", "us-ascii"])))
@example(b"+", "UTF7")  # UTF-7 decodes a lone "+" to nothing: the text must not vanish
@example(b"\xef\xbb\xbf", None)  # a byte order mark alone is no text: nothing vanished
def test_decode_text_never_raises(raw, charset):
    text = decode_text(raw, charset)
    assert isinstance(text, str)
    text.encode("utf-8")  # no lone surrogates
    if raw and raw not in BYTE_ORDER_MARKS:
        assert text


# UTF-8's, UTF-16's and UTF-32's: a text of only one of them is empty.
BYTE_ORDER_MARKS = {b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"}


@FAST
@given(st.one_of(st.none(), st.binary(max_size=200), st.text(max_size=200), st.lists(st.sampled_from(
    ["=?", "?=", "?q?", "?B?", "utf-8", "x-bad", "=?utf-8?q?", "=?utf-7?b?", "_", "=C3", "=A9", "w6k", " ", "\r\n ",
     "\x00", "\u202e", "=?iso-2022-jp?b?GyRC", "+2D3-", "?"]), max_size=30).map("".join)))
def test_decode_header_value_never_raises(value):
    text = decode_header_value(value)
    assert isinstance(text, str)
    text.encode("utf-8")
    assert not any(ch in text for ch in "\r\n\x00")


@FAST
@given(st.binary(max_size=300), st.sampled_from(["base64", "quoted-printable", "x-uuencode", "7bit", "", "BASE64"]))
def test_decode_transfer_never_raises(raw, encoding):
    assert isinstance(decode_transfer(raw, encoding), bytes)


ATOMS = st.one_of(st.none(), st.integers(-5, 10**12), st.binary(max_size=12), st.text(max_size=8),
                  st.sampled_from([b"text", b"plain", b"html", b"multipart", b"message", b"rfc822", b"attachment",
                                   b"inline", b"base64", b"name*", b"filename*0*", b"charset", b"boundary", b"start"]))
RANDOM_NODES = st.recursive(ATOMS, lambda children: st.one_of(
    st.lists(children, max_size=12).map(tuple), st.lists(children, max_size=4)), max_leaves=80)


def leaf_node(draw_type: tuple[bytes, bytes], disposition, named: bool = True) -> tuple:
    maintype, subtype = draw_type
    params = (b"charset", b"utf-8", b"name", b"f.bin") if named else (b"charset", b"utf-8")
    fields = (maintype, subtype, params, None, None, b"base64", 10)
    if maintype == b"text":
        fields += (1,)
    return fields + (None, disposition, None, None)


LEAF = st.builds(
    leaf_node,
    st.sampled_from([(b"text", b"plain"), (b"text", b"html"), (b"image", b"png"), (b"application", b"pdf"),
                     (b"TEXT", b"CALENDAR"), (b"message", b"delivery-status"), (b"x", b"y")]),
    st.sampled_from([None, (b"attachment", None), (b"inline", (b"filename", b"x.png"))]),
    st.booleans(),
)


def wrap_message(body) -> tuple:
    envelope = (b"Mon, 1 Jan 2024 00:00:00 +0000", b"=?utf-8?q?s?=", ((b"n", None, b"a", b"b"),)) + (None,) * 7
    return (b"message", b"rfc822", None, None, None, b"7bit", 99, envelope, body, 3, None, None, None, None)


STRUCTURES = st.recursive(LEAF, lambda children: st.one_of(
    st.builds(lambda kids, sub: tuple(kids) + (sub, (b"boundary", b"b"), None, None, None),
              st.lists(children, min_size=1, max_size=4),
              st.sampled_from([b"mixed", b"alternative", b"related", b"signed", b"report", b"digest", b"x-new"])),
    children.map(wrap_message),
), max_leaves=40)


def deep_chain(levels: int, kind: str) -> tuple:
    node = leaf_node((b"text", b"plain"), None, named=False)
    for _ in range(levels):
        node = wrap_message(node) if kind == "message" else (node, b"mixed", (b"boundary", b"b"), None, None, None)
    return node


@FAST
@given(RANDOM_NODES)
def test_parse_random_nesting_never_raises(node):
    # call the real code paths (the public functions also have a last-resort guard)
    if isinstance(node, (tuple, list)) and node:
        root = structure_module._Parser().node(node, "", 0, text_section="TEXT")
    else:
        root = parse_bodystructure(node)
    planner = structure_module._Planner(prefer_plain=False)
    planner.walk(root, 0, None)
    check_plan_invariants(root, planner.plan())
    has_attachment(node)


@FAST
@given(STRUCTURES, st.booleans())
def test_plans_of_random_structures(node, prefer_plain):
    bodystructure = BodyData.create(node)
    root = parse_bodystructure(bodystructure)
    plan = display_plan(root, prefer_plain=prefer_plain)
    check_plan_invariants(root, plan)
    section_list = [p.section for p in leaves(root)]
    assert len(section_list) == len(set(section_list))
    assert has_attachment(bodystructure) == plan.has_attachments


@pytest.mark.parametrize("kind", ["multipart", "message"])
@pytest.mark.parametrize("levels", [1, MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1, 200])
def test_deep_chains(levels, kind):
    root = parse_bodystructure(BodyData.create(deep_chain(levels, kind)))
    plan = display_plan(root)
    check_plan_invariants(root, plan)
    if kind == "multipart":
        (only,) = plan.body_parts + plan.attachments
        assert only.section == ".".join(["1"] * levels)  # the true section, however deep
        assert (only in plan.body_parts) is (levels < MAX_DEPTH)
    else:  # message parts at depth 0 .. levels-1, the text at depth `levels`
        assert len(plan.nested_messages) == min(levels, MAX_DEPTH)
        assert len(plan.attachments) == (levels if levels < MAX_DEPTH else MAX_DEPTH + 1)
        assert len(plan.body_parts) == (1 if levels < MAX_DEPTH else 0)


def test_display_plan_bounds_hand_built_trees():
    part = MimePart("1", "text/plain", {}, None, "7bit", 1, None, None)
    for _level in range(300):
        part = MimePart("", "multipart/mixed", {}, None, "7bit", 1, None, None, children=(part,))
    plan = display_plan(part)
    assert plan.body_parts == () and len(plan.attachments) == 1


# --------------------------------------------------------------------------
# CPython's own test messages through the pure side
# --------------------------------------------------------------------------

@pytest.mark.parametrize("path", cpython_test_messages(), ids=lambda p: p.name)
def test_cpython_messages_decode(path):
    raw = path.read_bytes()
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    for header in ("Subject", "From", "To"):
        for value in message.get_all(header) or []:
            as_bytes = str(value).encode("ascii", "surrogateescape") if isinstance(value, str) else str(value).encode()
            decode_header_value(as_bytes).encode("utf-8")
    for part in message.walk():
        if part.get_content_maintype() != "text":
            continue
        payload = part.get_payload()
        if not isinstance(payload, str):
            continue
        encoding = str(part.get("Content-Transfer-Encoding", "7bit"))
        body = decode_transfer(payload.encode("ascii", "surrogateescape"), encoding)
        decode_text(body, part.get_content_charset()).encode("utf-8")
        if encoding.strip().lower() in ("base64", "quoted-printable"):
            assert body == part.get_payload(decode=True)


def test_package_is_pure():
    code = "import sys, mailview.mime; bad = [m for m in sys.modules if m.split('.')[0] in ('django', 'imaplib', 'imapclient')]; print(bad)"
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60,
                            env={k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"})
    assert result.returncode == 0, result.stderr
    assert "django" not in result.stdout
