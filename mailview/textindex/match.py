"""Search terms → FTS5 MATCH expressions. Pure.

FTS5 has a query syntax of its own (`AND`, `OR`, `NOT`, `NEAR`, `*`, `^`, column filters,
quotes). Nothing a person typed is handed to it as syntax: a term is split into its words
(letters and digits, as the `unicode61` tokenizer splits text), each word is put inside
double quotes (a word has no quote in it), and the words of one term form one phrase with
a prefix match on the last, so `budget` also finds "budgets" and `anna@example.org` finds
those words next to each other. A term without any letter or digit has no FTS5 form
(`None`): the caller searches it another way.
"""
from __future__ import annotations

import re

# What unicode61 keeps as token characters, roughly: letters, digits (no "_", which it splits on).
_WORD = re.compile(r"[^\W_]+")
#: Words of one term beyond this are not searched (a pasted paragraph).
MAX_WORDS = 16


def tokens(text: str) -> list[str]:
    """The words of `text`, lower-cased, at most MAX_WORDS."""
    return [w.lower() for w in _WORD.findall(text or "")][:MAX_WORDS]


def fts_query(value: str, *, prefix: bool = True) -> str | None:
    """The FTS5 expression for one search term: its words as one phrase, or None when it
    has no word."""
    words = tokens(value)
    if not words:
        return None
    phrase = '"' + " ".join(words) + '"'
    return phrase + " *" if prefix else phrase
