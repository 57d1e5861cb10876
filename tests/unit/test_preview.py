"""The preview line, pure: cut input, quoted lines, control characters, length."""
from __future__ import annotations

import base64

from mailview.mime import parse_bodystructure
from mailview.mime.preview import PREVIEW_CHARS, preview_clean, preview_from_part, preview_from_server, preview_part


def test_quotes_attributions_signatures_and_controls_are_left_out():
    text = "Hi Anna,\r\n\r\nthanks\x00 for\u202e it!\n\nOn Monday, Bob wrote:\n> old\n-- \nBob's signature"
    assert preview_clean(text) == "Hi Anna, thanks for it!"


def test_long_text_is_cut_at_a_word_with_an_ellipsis():
    out = preview_clean("word " * 200)
    assert len(out) <= PREVIEW_CHARS + 1 and out.endswith("…") and not out.endswith(" …")


def test_base64_cut_mid_group_and_mid_character_still_decodes():
    raw = base64.encodebytes(("Ünïcödé " * 100).encode("utf-8"))[:123]
    part = preview_part(parse_bodystructure((b"text", b"plain", (b"charset", b"utf-8"), None, None, b"base64", 4000, 50)))
    assert part is not None
    assert preview_from_part(raw, part).startswith("Ünïcödé Ünïcödé")


def test_server_previews_in_either_shape():
    assert preview_from_server(b"Gr\xc3\xbc\xc3\x9fe\r\nyou") == "Grüße you"
    assert preview_from_server((b"FUZZY", b"snippet")) == "snippet"
    assert preview_from_server(None) is None
