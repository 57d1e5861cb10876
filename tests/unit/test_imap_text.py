"""The IMAP layer's pure helpers (UID sets, SEARCH keys) and MIME's lenient dates: no server."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from mailview.imap.search import flag_search_keys, search_keys
from mailview.imap.sequences import _RUNS_PER_COMMAND, _uid_chunks, parse_sequence_list, uid_set_text
from mailview.mime.structure import _parse_date


def test_uid_sets_are_compact_runs_and_read_back_in_order():
    assert uid_set_text([7, 1, 2, 3, 3, 9, 10]) == "1:3,7,9:10"
    assert uid_set_text([]) == ""
    assert parse_sequence_list("5,3:1,9") == [5, 3, 2, 1, 9]
    assert parse_sequence_list(uid_set_text(range(1, 50, 2))) == list(range(1, 50, 2))


def test_uid_chunks_stay_under_the_command_line_limit():
    scattered = list(range(1, 2 * 3 * _RUNS_PER_COMMAND, 2))  # every run is one UID
    chunks = _uid_chunks(scattered)
    assert len(chunks) == 3
    assert all(chunk.count(",") == _RUNS_PER_COMMAND - 1 for chunk in chunks)
    assert [u for chunk in chunks for u in parse_sequence_list(chunk)] == scattered
    assert _uid_chunks("1:*") == ["1:*"] and _uid_chunks([]) == []


def test_search_keys_match_every_word_in_the_address_fields_or_the_text():
    assert search_keys("") == [b"ALL"]
    assert search_keys('a"b') == [b"OR", b"OR", b"OR", b"FROM", b'"a\\"b"', b"TO", b'"a\\"b"', b"CC", b'"a\\"b"', b"SUBJECT", b'"a\\"b"']
    assert search_keys("grüße welt", in_body=True) == [b"TEXT", "grüße".encode(), b"TEXT", b'"welt"']
    assert flag_search_keys("\\Seen", present=False) == [b"UNSEEN"]
    assert flag_search_keys("$Junk", present=True) == [b"KEYWORD", b"$Junk"]


def test_dates_with_dotted_times_or_without_a_zone_are_read():
    assert _parse_date("Sat, 8 May 2010 16.03.09 +0200") == datetime(2010, 5, 8, 16, 3, 9, tzinfo=timezone(timedelta(hours=2)))
    assert _parse_date("12-Jan-2024 10:00:00 +0000") == datetime(2024, 1, 12, 10, 0, tzinfo=UTC)
    assert _parse_date("not a date") is None
