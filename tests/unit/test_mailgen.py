"""Unit tests for scripts/mailgen.py (stdlib + pytest only, no services needed).

Run alone with:  python -m pytest tests/unit/test_mailgen.py -q -p no:cacheprovider --noconftest
"""
from __future__ import annotations

import base64
import collections
import email
import hashlib
import itertools
import os
import re
import subprocess
import sys
from datetime import timedelta
from email import policy
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from scripts import mailgen as mg  # noqa: E402
from scripts.mailgen import (  # noqa: E402
    BIG_EXACT_SIZE,
    BIG_INDEX,
    BIG_SUBJECT,
    END_DATE,
    GenOptions,
    big_attachment_indices,
    build_message,
    count_messages,
    default_maildir,
    ensure_tree,
    folder_path,
    generate_message,
    imap_utf7_decode,
    imap_utf7_encode,
    seed_folder,
)

N = 300
OPTS = GenOptions(count=3000)  # no big attachments: keeps the in-memory tests fast


@pytest.fixture(scope="module")
def sample():
    """The first N messages of INBOX, seed 1: (GeneratedMessage, parsed message)."""
    out = []
    for i in range(N):
        g = build_message(1, i, options=OPTS)
        out.append((g, email.message_from_bytes(g.data, policy=policy.default)))
    return out


# --------------------------------------------------------------------------- determinism
def test_same_seed_and_index_give_same_bytes():
    for i in (0, 1, 7, 42, 299, 2999):
        a = generate_message(1, i, options=OPTS)
        mg._facts.cache_clear()
        mg._block_layout.cache_clear()
        assert generate_message(1, i, options=OPTS) == a


def test_different_index_or_seed_gives_different_bytes():
    msgs = {generate_message(1, i, options=OPTS) for i in range(50)}
    assert len(msgs) == 50
    assert generate_message(1, 3, options=OPTS) != generate_message(2, 3, options=OPTS)
    # the folder is part of the namespace
    assert generate_message(1, 3, options=OPTS) != generate_message(1, 3, options=GenOptions(count=3000,
                                                                                             folder="Work"))


def test_bytes_are_stable_across_interpreters():
    """No dependence on hash randomisation, time or process state."""
    code = (f"import sys, hashlib; sys.path.insert(0, {str(REPO)!r}); from scripts.mailgen import *; "
            "o = GenOptions(count=3000); "
            "print(hashlib.sha256(b''.join(generate_message(1, i, options=o) for i in range(40))).hexdigest())")
    here = hashlib.sha256(b"".join(generate_message(1, i, options=OPTS) for i in range(40))).hexdigest()
    for hashseed in ("1", "12345"):
        env = dict(os.environ, PYTHONHASHSEED=hashseed)
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        assert out.stdout.strip() == here


def test_generate_message_works_without_options():
    data = generate_message(5, 0)
    assert data == generate_message(5, 0, options=GenOptions())
    assert b"\r\n" not in data


# --------------------------------------------------------------------------- parsing
def test_every_message_parses_cleanly(sample):
    for g, m in sample:
        for h in ("Message-ID", "Date", "From", "To", "Subject"):
            assert m[h] is not None, (g.kind, h)
            str(m[h])  # policy.default header objects must not raise
        assert not m.defects, (g.kind, m.defects)
        for part in m.walk():
            assert not part.defects, (g.kind, part.get_content_type(), part.defects)
            if part.get_content_maintype() == "text":
                assert isinstance(part.get_content(), str)
        assert b"\r" not in g.data
        assert all(len(line) <= 998 for line in g.data.split(b"\n"))


def test_message_ids_are_unique(sample):
    ids = [str(m["Message-ID"]) for _g, m in sample]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"<[^<>@\s]+@[^<>@\s]+>", i) for i in ids)


def test_kind_mix(sample):
    kinds = collections.Counter(g.kind for g, _m in sample)
    plainish = kinds["plain"] + kinds["reply"] + kinds["thread_root"] + kinds["notification"]
    assert 0.30 * N < plainish < 0.60 * N
    assert 0.12 * N < kinds["newsletter"] < 0.40 * N
    assert kinds["related"] > 0.04 * N
    assert kinds["mixed"] > 0.08 * N
    assert kinds["forward"] >= 2
    types = collections.Counter(p.get_content_type() for _g, m in sample for p in m.walk())
    for t in ("text/plain", "text/html", "multipart/alternative", "multipart/related", "multipart/mixed",
              "message/rfc822", "image/png", "image/gif", "application/pdf", "text/csv"):
        assert types[t] > 0, t


def test_charsets_and_transfer_encodings(sample):
    charsets = collections.Counter()
    ctes = collections.Counter()
    for _g, m in sample:
        for part in m.walk():
            if part.get_content_charset():
                charsets[part.get_content_charset()] += 1
            if part["Content-Transfer-Encoding"]:
                ctes[str(part["Content-Transfer-Encoding"]).lower()] += 1
    for cs in ("utf-8", "iso-8859-1", "windows-1252", "shift_jis", "koi8-r", "iso-2022-jp"):
        assert charsets[cs] > 0, (cs, charsets)
    for cte in ("7bit", "8bit", "quoted-printable", "base64"):
        assert ctes[cte] > 0, (cte, ctes)
    # the bodies decode to text in the expected scripts
    texts = [p.get_content() for _g, m in sample for p in m.walk()
             if p.get_content_type() == "text/plain" and p.get_content_charset() in ("shift_jis", "koi8-r")]
    assert any(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", t) for t in texts)
    assert any(re.search(r"[\u0400-\u04ff]", t) for t in texts)


def test_rfc2047_headers(sample):
    raw_headers = b"\n".join(g.data.split(b"\n\n", 1)[0] for g, _m in sample)
    words = re.findall(rb"=\?([A-Za-z0-9_-]+)\?([QqBb])\?", raw_headers)
    encodings = {e.upper() for _c, e in words}
    charsets = {c.upper() for c, _e in words}
    assert encodings == {b"Q", b"B"}
    assert {b"UTF-8", b"ISO-8859-1"} <= charsets
    assert charsets & {b"KOI8-R", b"ISO-2022-JP"}
    # decoded display names and subjects contain non-ASCII text
    decoded = [str(m["Subject"]) for _g, m in sample] + [str(m["From"]) for _g, m in sample]
    assert sum(not s.isascii() for s in decoded) > 20


def test_attachments_with_rfc2231_filenames(sample):
    names = []
    for _g, m in sample:
        for part in m.iter_attachments() if m.is_multipart() else ():
            if part.get_filename():
                names.append(part.get_filename())
    assert any(not n.isascii() for n in names)
    raw = b"".join(g.data for g, _m in sample)
    assert b"filename*=utf-8''" in raw or b"filename*0*=utf-8''" in raw
    sizes = [len(p.get_content()) for _g, m in sample for p in m.walk()
             if p.get_content_disposition() == "attachment" and p.get_content_maintype() != "message"]
    assert min(sizes) < 50_000 and max(sizes) > 100_000


def test_inline_images_are_referenced_by_cid(sample):
    seen = 0
    for g, m in sample:
        if g.kind != "related":
            continue
        html_part = m.get_body(("html",))
        cids = set(re.findall(r'src="cid:([^"]+)"', html_part.get_content()))
        parts = {str(p["Content-ID"]).strip("<>"): p for p in m.walk() if p["Content-ID"]}
        assert cids and cids <= set(parts)
        for cid in cids:
            img = parts[cid].get_content()
            assert img[:8] == b"\x89PNG\r\n\x1a\n" or img[:6] == b"GIF89a"
        seen += 1
    assert seen > 5


def test_newsletters_have_remote_images_tracking_pixel_and_style(sample):
    news = [m for g, m in sample if g.kind == "newsletter"]
    assert news
    for m in news:
        h = m.get_body(("html",)).get_content()
        assert "<style" in h and "<table" in h and 'style="' in h
        assert "https://images.example.net/" in h
        assert 'width="1" height="1"' in h
        assert m["List-Unsubscribe"]
        assert m.get_body(("plain",)) is not None


def test_plain_text_variants(sample):
    plains = [(m, m.get_body(("plain",))) for _g, m in sample]
    assert any(p is not None and p.get_param("format") == "flowed" for _m, p in plains)
    texts = [p.get_content() for _m, p in plains if p is not None]
    assert any(re.search(r"^> ", t, re.M) for t in texts)
    assert any(re.search(r"(wrote|schrieb|a écrit) ?:$", t, re.M) for t in texts)
    assert any("https://" in t for t in texts)


def test_thread_headers(sample):
    by_id = {str(m["Message-ID"]): (i, m) for i, (_g, m) in enumerate(sample)}
    replies = [(i, m) for i, (_g, m) in enumerate(sample) if m["In-Reply-To"]]
    assert len(replies) > 0.1 * N
    chains = collections.Counter()
    for i, m in replies:
        refs = str(m["References"]).split()
        assert refs[-1] == str(m["In-Reply-To"])
        assert str(m["Subject"]).startswith("Re: ")
        parent = by_id.get(refs[-1])
        if parent is not None:
            assert parent[0] < i
            assert m["Date"].datetime > parent[1]["Date"].datetime
            root = by_id[refs[0]][1]
            assert str(m["Subject"]) == "Re: " + str(root["Subject"])
        chains[refs[0]] += 1
    sizes = [n + 1 for n in chains.values()]
    assert min(sizes) >= 2 and max(sizes) <= 8 and max(sizes) >= 4


def test_dates_spread_over_four_years_mostly_ascending():
    opts = GenOptions(count=1000)
    gs = [build_message(1, i, options=opts) for i in range(0, 1000, 5)]
    ts = [g.timestamp for g in gs]
    assert max(ts) <= END_DATE.timestamp()
    assert min(ts) >= (END_DATE - timedelta(days=4 * 366)).timestamp()
    assert max(ts) - min(ts) > 3.5 * 365 * 86400
    ascending = sum(b > a for a, b in itertools.pairwise(ts))
    assert ascending > 0.85 * (len(ts) - 1)
    for g in gs[:20]:
        m = email.message_from_bytes(g.data, policy=policy.default)
        assert m["Date"].datetime.timestamp() == g.timestamp


def test_flag_distribution():
    gs = [build_message(1, i, options=GenOptions(count=2000)) for i in range(0, 2000, 2)]
    n = len(gs)
    seen = sum("S" in g.flags for g in gs) / n
    flagged = sum("F" in g.flags for g in gs) / n
    answered = sum("R" in g.flags for g in gs) / n
    assert 0.62 < seen < 0.78
    assert 0.02 < flagged < 0.09
    assert answered > 0.02
    assert all(g.flags == "".join(sorted(g.flags)) for g in gs)


def test_folder_roles():
    sent = [build_message(1, i, options=GenOptions(count=50, folder="Sent", user="bob@example.test"))
            for i in range(20)]
    assert all("bob@example.test" in str(email.message_from_bytes(g.data, policy=policy.default)["From"])
               for g in sent)
    assert all("S" in g.flags for g in sent)
    drafts = [build_message(1, i, options=GenOptions(count=10, folder="Drafts")) for i in range(10)]
    assert all("D" in g.flags for g in drafts)
    lists = [email.message_from_bytes(generate_message(1, i, options=GenOptions(count=50, folder="Lists/python-dev")),
                                      policy=policy.default) for i in range(10)]
    assert all(m["List-Id"] == "<python-dev.lists.example.org>" for m in lists)
    assert all("[Python-Dev]" in str(m["Subject"]) for m in lists)
    junk = [generate_message(1, i, options=GenOptions(count=50, folder="Junk")) for i in range(20)]
    assert all(b"X-Spam-Flag: YES" in d for d in junk)
    assert any(b"<script>" in d for d in junk)


# --------------------------------------------------------------------------- big attachments
def test_big_attachment_indices():
    assert big_attachment_indices(50) == frozenset()
    assert big_attachment_indices(100) == {BIG_INDEX}
    assert big_attachment_indices(3000) == {7, 1007, 2007}
    assert big_attachment_indices(3000, 0) == frozenset()
    assert len(big_attachment_indices(100_000)) == 100
    assert big_attachment_indices(5, 3) == frozenset()


def test_the_20_mb_message():
    opts = GenOptions(count=200, big_indices=big_attachment_indices(200))
    g = build_message(1, BIG_INDEX, options=opts)
    assert g.subject == BIG_SUBJECT
    assert g.kind == "big"
    head, _, _ = g.data.partition(b"\n\n")
    assert f"Subject: {BIG_SUBJECT}".encode() in head
    # decode only the attachment part (cheap), not the whole message
    boundary = re.search(rb'boundary="([^"]+)"', head).group(1)
    parts = g.data.split(b"--" + boundary)
    att = [p for p in parts if b"Content-Disposition: attachment" in p]
    assert len(att) == 1
    body = att[0].split(b"\n\n", 1)[1]
    raw = base64.b64decode(body)
    assert len(raw) == BIG_EXACT_SIZE
    assert raw.startswith(b"%PDF-")
    assert g.data == generate_message(1, BIG_INDEX, options=opts)
    # no other message of the folder has that subject
    others = big_attachment_indices(3000) - {BIG_INDEX}
    for i in others:
        assert build_message(1, i, options=GenOptions(count=3000,
                                                      big_indices=big_attachment_indices(3000))).subject != BIG_SUBJECT


def test_big_message_headers_parse():
    opts = GenOptions(count=200, big_indices=big_attachment_indices(200))
    data = generate_message(1, BIG_INDEX, options=opts)
    m = email.message_from_bytes(data, policy=policy.default)
    assert str(m["Subject"]) == BIG_SUBJECT
    att = next(m.iter_attachments())
    assert att.get_filename() == mg.BIG_FILENAME
    assert 20 * 2**20 <= len(data) * 3 // 4 <= 26 * 2**20


# --------------------------------------------------------------------------- maildir
NAME_RE = re.compile(r"^(\d+)\.M(\d+)P(\d+)\.([A-Za-z0-9-]+),S=(\d+),W=(\d+):2,([A-Z]*)$")


def test_seed_folder_writes_maildir(tmp_path, capsys):
    root = tmp_path / "Maildir"
    n = seed_folder(root, "Work/Projects", 120, 3, big_attachments=0, jobs=1)
    assert n == 120
    d = root / "Work" / "Projects"
    assert {p.name for p in d.iterdir()} >= {"cur", "new", "tmp"}
    assert not list((d / "tmp").iterdir()) and not list((d / "new").iterdir())
    files = sorted((d / "cur").iterdir())
    assert len(files) == 120 == count_messages(d)
    indices = set()
    opts = GenOptions(folder="Work/Projects", count=120)
    for f in files:
        m = NAME_RE.match(f.name)
        assert m, f.name
        ts, idx, seed, _host, size, vsize, flags = m.groups()
        data = f.read_bytes()
        assert int(size) == len(data) == f.stat().st_size
        assert int(vsize) == len(data) + data.count(b"\n")
        assert flags == "".join(sorted(flags)) and set(flags) <= set("SFRD")
        assert int(seed) == 3
        g = build_message(3, int(idx), options=opts)
        assert data == g.data and flags == g.flags
        assert int(ts) == int(g.timestamp)
        assert f.stat().st_mtime == g.timestamp
        indices.add(int(idx))
    assert indices == set(range(120))
    # idempotent: nothing to do the second time, and it says so
    capsys.readouterr()
    assert seed_folder(root, "Work/Projects", 120, 3, big_attachments=0) == 0
    assert "nothing to do" in capsys.readouterr().out
    assert seed_folder(root, "Work/Projects", 100, 3, big_attachments=0) == 0
    # growing the folder adds only the missing indices
    assert seed_folder(root, "Work/Projects", 130, 3, big_attachments=0, jobs=1) == 10
    assert count_messages(d) == 130


def test_seed_folder_parallel_matches_serial(tmp_path):
    a = tmp_path / "a"
    b = tmp_path / "b"
    seed_folder(a, "INBOX", 600, 9, big_attachments=0, jobs=1, verbose=False)
    seed_folder(b, "INBOX", 600, 9, big_attachments=0, jobs=2, verbose=False)
    fa = {p.name: p.read_bytes() for p in (a / "INBOX" / "cur").iterdir()}
    fb = {p.name: p.read_bytes() for p in (b / "INBOX" / "cur").iterdir()}
    assert len(fa) == 600 and fa == fb


def test_seed_folder_with_big_attachment(tmp_path):
    root = tmp_path / "Maildir"
    assert seed_folder(root, "INBOX", 10, 1, big_attachments=1, jobs=1, verbose=False) == 10
    files = list((root / "INBOX" / "cur").glob(f"*.M{BIG_INDEX}P1.*"))
    assert len(files) == 1
    assert files[0].stat().st_size > BIG_EXACT_SIZE * 4 // 3
    head = files[0].read_bytes()[:4096]
    assert f"Subject: {BIG_SUBJECT}".encode() in head


def test_ensure_tree(tmp_path):
    root = tmp_path / "Maildir"
    written = ensure_tree(root, 1, scale=0.2, verbose=False)
    assert set(written) == {f for f, _n in mg.TREE}
    for rel in ("Work/Projects/Zeta", "Work/Clients &- Partners", "Entw&APw-rfe", "&BB8EQAQ+BDUEOgRCBEs-",
                "Lists/python-dev", "Sent", "Drafts", "Junk", "Trash", "Archive", "Personal/Travel", "Receipts"):
        d = root / rel
        assert (d / "cur").is_dir() and (d / "new").is_dir() and (d / "tmp").is_dir(), rel
        assert count_messages(d) >= 1, rel
    assert all(v == 0 for v in ensure_tree(root, 1, scale=0.2, verbose=False).values())


def test_cli_seed(tmp_path):
    root = tmp_path / "md"
    rc = mg.main(["seed", "--user", "carol@example.test", "--count", "30", "--seed", "2", "--maildir", str(root),
                  "--folder", "Personal/Travel", "--jobs", "1"])
    assert rc == 0
    assert count_messages(root / "Personal" / "Travel") == 30


def test_default_maildir(monkeypatch, tmp_path):
    monkeypatch.setenv("MAILSTACK_DIR", str(tmp_path))
    assert default_maildir("alice@example.test") == tmp_path / "mail" / "example.test" / "alice" / "Maildir"
    monkeypatch.delenv("MAILSTACK_DIR")
    assert default_maildir("a@b.test") == REPO / "var" / "mailstack" / "mail" / "b.test" / "a" / "Maildir"
    for bad in ("nodomain", "../x@y", "@y"):
        with pytest.raises(ValueError):
            default_maildir(bad)


def test_folder_path(tmp_path):
    assert folder_path(tmp_path, "INBOX") == tmp_path / "INBOX"
    assert folder_path(tmp_path, "inbox") == tmp_path / "INBOX"
    assert folder_path(tmp_path, "Work/Projects") == tmp_path / "Work" / "Projects"
    assert folder_path(tmp_path, "Проекты/Архив 2024") == tmp_path / "&BB8EQAQ+BDUEOgRCBEs-" / "&BBAEQARFBDgEMg- 2024"
    for bad in ("", "../x", "a/../b"):
        with pytest.raises(ValueError):
            folder_path(tmp_path, bad)


# --------------------------------------------------------------------------- modified UTF-7
@pytest.mark.parametrize("plain, encoded", [
    ("INBOX", "INBOX"),
    ("Entwürfe", "Entw&APw-rfe"),
    ("Проекты", "&BB8EQAQ+BDUEOgRCBEs-"),
    ("Clients & Partners", "Clients &- Partners"),
    ("&", "&-"),
    ("~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-"),  # RFC 3501 example
    ("😀 emoji", "&2D3eAA- emoji"),
    ("Brouillons été", "Brouillons &AOk-t&AOk-"),
])
def test_imap_utf7(plain, encoded):
    assert imap_utf7_encode(plain) == encoded
    assert imap_utf7_decode(encoded) == plain
