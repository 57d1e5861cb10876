"""The full-text index's pure parts, without a server: FTS5 queries built from what a person
types can never be FTS5 syntax (hypothesis), the store forgets and finds by folder, and the
text the indexer reads from a message's sections (plain, HTML, quoted-printable, base64,
charsets, nested multiparts, attachments left out)."""
from __future__ import annotations

import base64
import re

from hypothesis import given
from hypothesis import strategies as st

from mailview.imap.query import parse_query
from mailview.imap.search import query_keys
from mailview.imap.sequences import esearch_all
from mailview.mime.message_text import text_from_sections
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


def test_plain_quoted_printable_and_charsets():
    text = text_from_sections(
        header=HEADER + b"Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n",
        part1=b"marma=\r\nlade =C4rger",
    )
    assert text.subject == "Grüße" and "anna@example.org" in text.people and "bob@example.org" in text.people
    assert text.body == "marmalade Ärger"


def test_base64_and_html():
    text = text_from_sections(
        header=HEADER + b"Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n",
        part1=base64.b64encode(b"<style>.x{}</style><p>the <b>quokka</b> &amp; co</p>"),
    )
    assert "quokka & co" in text.body and ".x" not in text.body


def test_the_first_text_of_nested_multiparts_and_no_attachments():
    mixed = HEADER + b'Content-Type: multipart/mixed; boundary="b"\r\n'
    nested = text_from_sections(
        header=mixed, mime1=b'Content-Type: multipart/alternative; boundary="c"\r\n',
        part1=b"--c\r\n...", mime11=b"Content-Type: text/plain; charset=utf-8\r\n", part11=b"a narwhal",
    )
    assert nested.body == "a narwhal"
    attached = text_from_sections(
        header=mixed, mime1=b"Content-Type: text/plain; name=notes.txt\r\nContent-Disposition: attachment; filename=notes.txt\r\n", part1=b"secret",
    )
    assert attached.body == ""
    image = text_from_sections(header=HEADER + b"Content-Type: image/png\r\n", part1=b"\x89PNG")
    assert image.body == ""


@given(st.binary(max_size=400), st.binary(max_size=400), st.binary(max_size=400))
def test_hostile_sections_never_raise(header, mime1, part1):
    text = text_from_sections(header=header, mime1=mime1, part1=part1)
    assert isinstance(text.body, str)
