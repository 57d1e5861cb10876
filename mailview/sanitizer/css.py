"""The ``style`` attribute, declaration by declaration (step 3): parsed with tinycss2 and
rebuilt from an allowlist of token types, properties and functions, remote ``url()``
counted and blocked unless allowed; results cached per (value, allow_remote)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import tinycss2

from . import limits
from .policy import _HTTP, _REMOTE_HINT_RE, _SAFE_CSS_URL_RE, _check_url, _is_dangerous, _is_remote

_CSS_NAME_RE = re.compile(r"-?[a-z][a-z0-9-]*\Z")
_CSS_DENIED = {
    "behavior", "-ms-behavior", "-moz-binding", "-o-link", "-o-link-source", "content", "z-index", "src",
    "quotes", "-webkit-user-modify", "user-modify",
}
_CSS_FUNCTIONS = {"rgb", "rgba", "hsl", "hsla", "calc"}
_CSS_URL_PROPERTIES = {"background", "background-image"}
_CSS_LITERALS = {",", "/", "+", "-", "*", "%"}
_CSS_STRING_RE = re.compile(r"[\w \-.,'&+!#]*\Z")
_CSS_SAFE_POSITION = {"static", "relative"}


class _Reject(Exception):
    pass


def _split_declarations(text: str) -> list[str]:
    """Split a declaration list at its top-level semicolons (strings, blocks and
    functions respected), returning the raw text of each piece."""
    line_starts = [0]
    for index, char in enumerate(text):
        if char == "\n":
            line_starts.append(index + 1)
    cuts = []
    for token in tinycss2.parse_component_value_list(text, skip_comments=False):
        if token.type == "literal" and token.value == ";":
            offset = line_starts[token.source_line - 1] + token.source_column - 1
            if text[offset:offset + 1] != ";":  # positions not what we think: give up safely
                raise _Reject
            cuts.append(offset)
    pieces, start = [], 0
    for cut in cuts:
        pieces.append(text[start:cut])
        start = cut + 1
    pieces.append(text[start:])
    return pieces


def _count_remote_urls(tokens: Iterable[Any] | None) -> int:
    count = 0
    for token in tokens or ():
        if token.type == "url" and _is_remote(token.value):
            count += 1
        elif token.type == "function":
            if token.lower_name == "url":
                count += sum(1 for arg in token.arguments if arg.type == "string" and _is_remote(arg.value))
            else:
                count += _count_remote_urls(token.arguments)
        elif token.type in ("() block", "[] block", "{} block"):
            count += _count_remote_urls(token.content)
    return count


def _clean_declaration(raw: str, allow_remote: bool) -> tuple[str | None, int]:
    """One declaration's raw text → (canonical ``name:value`` or None, remote URLs blocked)."""
    if "\\" in raw or "/*" in raw or "<" in raw or "\x00" in raw:
        remote = 1 if (not allow_remote and "url" in raw.lower() and _REMOTE_HINT_RE.search(raw)) else 0
        return None, remote
    decl = tinycss2.parse_one_declaration(raw, skip_comments=False)
    if decl.type != "declaration":
        return None, 0
    name = decl.lower_name
    if not _CSS_NAME_RE.match(name) or name in _CSS_DENIED:
        return None, 0 if allow_remote else _count_remote_urls(decl.value)
    urls_allowed = allow_remote and name in _CSS_URL_PROPERTIES
    parts: list[str] = []

    def url(target: str) -> None:
        if _is_remote(target) and urls_allowed and _SAFE_CSS_URL_RE.match(target) \
                and _check_url(target, _HTTP) == target:
            parts.append(f"url('{target}')")
            return
        raise _Reject

    def walk(tokens: Iterable[Any], depth: int) -> None:
        for token in tokens:
            kind = token.type
            if kind == "whitespace":
                if parts and parts[-1] != " ":
                    parts.append(" ")
            elif kind in ("ident", "number", "percentage", "dimension", "hash"):
                parts.append(tinycss2.serialize([token]))
            elif kind == "string":
                if not _CSS_STRING_RE.match(token.value):
                    raise _Reject
                quote = '"' if "'" in token.value else "'"
                parts.append(f"{quote}{token.value}{quote}")
            elif kind == "literal":
                if token.value not in _CSS_LITERALS:
                    raise _Reject
                parts.append(token.value)
            elif kind == "url":
                url(token.value)
            elif kind == "function":
                fname = token.lower_name
                if fname == "url":
                    args = [arg for arg in token.arguments if arg.type != "whitespace"]
                    if len(args) != 1 or args[0].type != "string":
                        raise _Reject
                    url(args[0].value)
                elif fname in _CSS_FUNCTIONS and depth < 6:
                    parts.append(fname + "(")
                    walk(token.arguments, depth + 1)
                    parts.append(")")
                else:
                    raise _Reject
            elif kind == "() block" and depth < 6:
                parts.append("(")
                walk(token.content, depth + 1)
                parts.append(")")
            else:  # comments, at-keywords, [] and {} blocks, unicode-range, errors ...
                raise _Reject

    try:
        walk(decl.value, 0)
    except _Reject:
        return None, 0 if allow_remote else _count_remote_urls(decl.value)
    value = "".join(parts).strip()
    if not value:
        return None, 0
    if name == "position" and value.lower() not in _CSS_SAFE_POSITION:
        return None, 0
    result = f"{name}:{value}{'!important' if decl.important else ''}"
    if _is_dangerous(result):  # e.g. "javascript:x" parses as a (meaningless) declaration
        return None, 0
    return result, 0


_STYLE_CACHE: dict[tuple[str, bool], tuple[str, int]] = {}
_STYLE_CACHE_SIZE = 20_000


def _clean_style_cached(value: str, allow_remote: bool) -> tuple[tuple[str, int], bool]:
    """(_clean_style result, whether it came from the cache)."""
    key = (value, allow_remote)
    result = _STYLE_CACHE.get(key)
    if result is not None:
        return result, True
    result = _clean_style(value, allow_remote)
    if len(_STYLE_CACHE) >= _STYLE_CACHE_SIZE:
        _STYLE_CACHE.clear()
    _STYLE_CACHE[key] = result
    return result, False


def _clean_style(value: str, allow_remote: bool) -> tuple[str, int]:
    """A ``style`` attribute value → (safe canonical value, remote URLs blocked)."""
    if len(value) > limits.MAX_STYLE_CHARS:
        return "", 0
    text = value.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    try:
        pieces = _split_declarations(text)
    except _Reject:
        return "", 0
    kept, blocked = [], 0
    for piece in pieces:
        if not piece.strip():
            continue
        first, remote = _clean_declaration(piece, allow_remote)
        blocked += remote
        # Keep a declaration only if its canonical form is itself stable: this makes
        # sanitizing idempotent and rules out tokens that merge when re-serialized.
        if first is not None and _clean_declaration(first, allow_remote)[0] == first:
            kept.append(first)
    return ";".join(kept), blocked
