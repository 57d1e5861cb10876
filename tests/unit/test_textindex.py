"""The full-text index's pure parts, without a server: FTS5 queries built from what a person
types can never be FTS5 syntax (hypothesis), the store forgets and finds by folder, the parts
whose text is indexed (every text a reader sees, wherever it is; forwarded messages; text
attachments; bounded), how they are decoded (plain, HTML, quoted-printable, base64 cut short,
charsets), and the fast reader of FETCH answers (hypothesis: hostile answers never raise)."""
from __future__ import annotations

import base64
import re

from hypothesis import given
from hypothesis import strategies as st

from mailview.imap.fetchparse import parse_fetch_data, section_of
from mailview.imap.query import parse_query
from mailview.imap.search import query_keys
from mailview.imap.sequences import esearch_all
from mailview.mime import MimePart, parse_bodystructure
from mailview.mime.message_text import MAX_INDEXED_PARTS, TextPlan, index_plan, message_text
from mailview.textindex import IndexedDoc, TextIndex, fts_query, index_path, remove_index

SAFE = re.compile(r'^"[^\W_]+( [^\W_]+)*" \*$')


@given(st.text(max_size=300))
def test_a_query_is_quoted_words_whatever_is_typed(text):
    expression = fts_query(text)
    assert expression is None or SAFE.match(expression), expression


@given(st.text(max_size=200))
def test_no_typed_text_breaks_the_index(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("ix") / "user-1.sqlite3"
    with TextIndex.open(path) as index:
        index.folder_start("INBOX", uidvalidity=1, total=1)
        index.add("INBOX", [IndexedDoc(1, 0, "subject", "people", "the body text")], next_uid=2)
        expression = fts_query(text)
        if expression is not None:
            assert index.match("INBOX", expression) <= {1}
        assert index.folder("INBOX").indexed == 1


def test_fts_syntax_is_only_words():
    assert fts_query('a" OR b NEAR(c d) ^e col:f *') == '"a or b near c d e col f" *'
    assert fts_query('"" * () -') is None
    assert fts_query("Straßenbahn Köln") == '"straßenbahn köln" *'


def test_the_store_finds_by_folder_and_forgets(tmp_path):
    path = index_path(tmp_path, 7)
    with TextIndex.open(path) as index:
        for folder, validity in (("INBOX", 1), ("Archive", 2)):
            index.folder_start(folder, uidvalidity=validity, total=2)
            index.add(folder, [IndexedDoc(1, 10, "Budget", "Anna", "a pelican"), IndexedDoc(2, 20, "x", "y", "budgets")], next_uid=3)
        assert index.match("INBOX", fts_query("budget")) == {1, 2}
        assert index.match_dated("Archive", fts_query("pelican")) == {1: 10}
        assert index.remove("INBOX", [1]) == 1
        assert index.match("INBOX", fts_query("budget")) == {2}
        assert index.match("Archive", fts_query("budget")) == {1, 2}
        # A new UIDVALIDITY drops the folder's documents; a new doc never takes an old rowid.
        entry = index.folder_start("Archive", uidvalidity=3, total=1)
        assert (entry.indexed, entry.next_uid, entry.orphans) == (0, 1, 2)
        index.add("Archive", [IndexedDoc(1, 5, "other", "", "nothing")], next_uid=2)
        assert index.match("Archive", fts_query("pelican")) == set()
        index.folder_forget(["INBOX"])
        assert set(index.folders()) == {"Archive"}
    assert remove_index(path) and not path.exists()


def test_fuzzy_text_keys_only_where_asked():
    query = parse_query('budget subject:TEXT')
    assert query_keys(query, in_body=True, fuzzy=True) == [b"FUZZY", b"TEXT", b'"budget"', b"SUBJECT", b'"TEXT"']
    assert query_keys(query, in_body=True) == [b"TEXT", b'"budget"', b"SUBJECT", b'"TEXT"']
    assert b"FUZZY" not in query_keys(query, in_body=False, fuzzy=True)


def test_esearch_all_reads_compact_sets():
    assert esearch_all([b'(TAG "A12") UID ALL 1:3,7,9:10']) == [1, 2, 3, 7, 9, 10]
    assert esearch_all(b'(TAG "A12") UID') == []


HEADER = b"Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\nFrom: Anna <anna@example.org>\r\nTo: bob@example.org\r\n"


def _structure(wire: bytes) -> MimePart:
    """A BODYSTRUCTURE as the server writes it, read as the indexer reads it."""
    fetched = parse_fetch_data([b"1 (UID 5 BODYSTRUCTURE " + wire + b")"])
    return parse_bodystructure(fetched[5][b"BODYSTRUCTURE"])


def _leaf(kind: bytes, sub: bytes, *, params: bytes = b'("charset" "utf-8")', encoding: bytes = b"7bit", size: int = 10,
          disposition: bytes = b"NIL", cid: bytes = b"NIL") -> bytes:
    lines = b" 1" if kind == b"text" else b""
    return b'("%s" "%s" %s %s NIL "%s" %d%s NIL %s NIL NIL)' % (kind, sub, params, cid, encoding, size, lines, disposition)


def _multi(sub: bytes, *kids: bytes) -> bytes:
    return b"(" + b"".join(kids) + b' "%s" ("boundary" "b") NIL NIL NIL)' % sub


PLAIN = _leaf(b"text", b"plain")
HTML = _leaf(b"text", b"html")
IMAGE = _leaf(b"image", b"png", params=b"NIL", encoding=b"base64", size=4000)
PDF = _leaf(b"application", b"pdf", params=b'("name" "a.pdf")', encoding=b"base64", size=9000, disposition=b'("attachment" ("filename" "a.pdf"))')
NOTES = _leaf(b"text", b"plain", params=b'("charset" "utf-8" "name" "notes.txt")', encoding=b"base64", disposition=b'("attachment" ("filename" "notes.txt"))')
CSV = _leaf(b"text", b"csv", params=b'("name" "t.csv")', disposition=b'("attachment" ("filename" "t.csv"))')


def _sections(wire: bytes, **kw: int) -> tuple[str, ...]:
    return index_plan(_structure(wire), max_bytes=kw.pop("max_bytes", 65536), **kw).sections


def test_the_plan_takes_every_text_a_reader_sees_wherever_it_is():
    assert _sections(PLAIN) == ("1",)
    assert _sections(_multi(b"alternative", PLAIN, HTML)) == ("1",)  # plain preferred to its HTML
    assert _sections(_multi(b"mixed", _multi(b"mixed", _multi(b"alternative", PLAIN, HTML), PDF))) == ("1.1.1",)
    assert _sections(_multi(b"mixed", IMAGE, PLAIN)) == ("2",)  # text after an image
    assert _sections(_multi(b"mixed", _multi(b"related", IMAGE, HTML))) == ("1.2",)  # HTML only, after the related's image
    assert _sections(_multi(b"mixed", PLAIN, PDF, PLAIN)) == ("1", "3")
    assert _sections(_multi(b"mixed", PLAIN, NOTES, CSV, IMAGE)) == ("1", "2", "3")  # text attachments after the text
    assert _sections(_multi(b"mixed", IMAGE, PDF)) == ()
    assert _sections(IMAGE) == ()


def test_the_plan_reads_forwarded_messages_and_their_headers():
    envelope = b'("Mon, 1 Jan 2024 00:00:00 +0000" "The \\"flamingo\\" report" (("Bob" NIL "bob" "example.org")) NIL NIL NIL NIL NIL NIL NIL)'
    inner = _multi(b"alternative", _leaf(b"text", b"plain", encoding=b"quoted-printable"), HTML)
    rfc822 = b'("message" "rfc822" NIL NIL NIL "7bit" 500 %s %s 20 NIL NIL NIL NIL)' % (envelope, inner)
    plan = index_plan(_structure(_multi(b"mixed", PLAIN, rfc822)), max_bytes=65536)
    assert plan.sections == ("1", "2.1")
    assert 'The "flamingo" report' in plan.embedded and "bob@example.org" in plan.embedded


def test_the_plan_is_bounded_however_many_parts_or_levels():
    many = _multi(b"mixed", *([PLAIN] * 3000))
    plan = index_plan(_structure(many), max_bytes=65536)
    assert len(plan.parts) == MAX_INDEXED_PARTS and plan.sections[:2] == ("1", "2")
    # By bytes too: parts are taken while those before add up to less than the budget.
    big = _leaf(b"text", b"plain", size=40000)
    assert _sections(_multi(b"mixed", big, big, big, PLAIN), max_bytes=65536) == ("1", "2")
    deep = PLAIN
    for _ in range(90):
        deep = _multi(b"mixed", deep)
    assert len(_sections(deep)) == 1  # past the structure's depth limit, the leaf is a text attachment


def test_message_text_decodes_each_part_and_cut_parts():
    qp = _leaf(b"text", b"plain", params=b'("charset" "iso-8859-1")', encoding=b"quoted-printable", size=30)
    html = _leaf(b"text", b"html", encoding=b"base64", size=200)
    cut = _leaf(b"text", b"plain", encoding=b"base64", size=10_000)
    bogus = _leaf(b"text", b"plain", params=b'("charset" "x-no-such-charset")', size=20)
    plan = index_plan(_structure(_multi(b"mixed", qp, _multi(b"mixed", IMAGE, html), cut, bogus)), max_bytes=65536)
    assert plan.sections == ("1", "2.2", "3", "4")
    sections = {
        "1": b"marma=\r\nlade =C4rger",
        "2.2": base64.b64encode(b"<style>.x{}</style><p>the <b>quokka</b> &amp; co</p>"),
        "3": base64.b64encode(b"a pelican and more")[:-3],  # cut inside the last group
        "4": "Grüße".encode(),
    }
    text = message_text(header=HEADER, plan=plan, sections=sections, max_chars=65536)
    assert text.subject == "Grüße" and "anna@example.org" in text.people and "bob@example.org" in text.people
    assert "marmalade Ärger" in text.body and "quokka & co" in text.body and ".x" not in text.body
    assert "a pelican and" in text.body and "Grüße" in text.body
    assert len(message_text(header=HEADER, plan=plan, sections=sections, max_chars=10).body) == 10


def test_fetch_answers_with_literals_escapes_and_unsolicited_flags():
    data = [
        (b'1 (UID 7 INTERNALDATE " 7-Dec-2026 02:59:41 +0100" BODY[HEADER.FIELDS (SUBJECT FROM TO CC)] {11}', b"Subject: x\r\n"),
        b' BODYSTRUCTURE ("text" "plain" ("charset" "a\\"b\\\\") NIL NIL "7bit" 3 1 NIL NIL NIL NIL))',
        b"2 (FLAGS (\\Seen))",
        (b"3 (UID 9 BODY[1]<0> {3}", b"a)b"), b" BODY[2.1]<0> NIL)",
    ]
    fetched = parse_fetch_data(data)
    assert set(fetched) == {7, 9}
    assert fetched[7][b"BODY[HEADER.FIELDS (SUBJECT FROM TO CC)]"] == b"Subject: x\r\n"
    assert fetched[7][b"BODYSTRUCTURE"][2] == (b"charset", b'a"b\\')
    assert fetched[9] == {b"UID": b"9", b"BODY[1]<0>": b"a)b", b"BODY[2.1]<0>": None}
    assert [section_of(k) for k in fetched[9]] == [None, "1", "2.1"]


@given(st.lists(st.one_of(st.binary(max_size=200), st.tuples(st.binary(max_size=100), st.binary(max_size=50))), max_size=6))
def test_hostile_fetch_answers_never_raise(data):
    fetched = parse_fetch_data(data)
    assert all(isinstance(uid, int) for uid in fetched)
    for values in fetched.values():
        structure = values.get(b"BODYSTRUCTURE")
        plan = index_plan(parse_bodystructure(structure), max_bytes=1024)
        assert isinstance(message_text(header=b"", plan=plan, sections={}, max_chars=100).body, str)


@given(st.binary(max_size=400), st.binary(max_size=400), st.sampled_from(["base64", "quoted-printable", "8bit", "x-junk"]))
def test_hostile_sections_never_raise(header, body, encoding):
    part = parse_bodystructure((b"text", b"html", (b"charset", b"x-junk"), None, None, encoding.encode(), b"9999", b"1"))
    text = message_text(header=header, plan=TextPlan(parts=(part,)), sections={"1": body}, max_chars=1000)
    assert isinstance(text.body, str) and len(text.body) <= 1000
