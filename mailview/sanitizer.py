"""The one module every byte of mail HTML goes through before it reaches a browser.

Pipeline of :func:`sanitize_html`:

0. **Bound the input.**  Cap its size (:data:`MAX_INPUT_CHARS`, reported as
   ``truncated``), every attribute value's (:data:`MAX_ATTRIBUTE_CHARS`) and the number
   of attributes of an element (:data:`MAX_ATTRIBUTES`), then re-tokenize it
   (a linear-time subset of the html5 tokenizer, plus the html5 tree builder's
   commonest implicit closes) into a *canonical* token stream: every tag
   re-serialized with quoted, escaped attributes, explicit end tags, no comments /
   doctypes / processing instructions, no ``<script>`` (nor the other
   never-rendered elements) at all, ``<style>`` text kept for step 1, nesting
   capped at :data:`MAX_DEPTH`, elements at :data:`MAX_ELEMENTS`.  This is what
   keeps hostile input from crashing or stalling the two Rust libraries:
   css-inline overflows the stack (SIGSEGV) at ~12k unclosed ``<div>``;
   html5ever's formatting-element "reconstruction" turns 35 KB of misnested
   ``<b>``/``<p>`` into 43 MB; html5ever is quadratic in the "&" of one text
   node; html.parser is quadratic on unclosed tags.  It is not the security
   boundary: everything it emits is parsed again by nh3.
1. **Inline** ``<style>`` blocks into ``style`` attributes with css-inline
   (remote stylesheets never loaded, ``<link>`` dropped, at-rules dropped).  If
   css-inline fails, carry on without inlining.
2. **Sanitize** with nh3 (ammonia: an html5ever tree built like a browser's,
   serialized back) with an email-shaped allowlist, ``url_relative="deny"``,
   ``rel="noopener noreferrer"`` and ``target="_blank"`` on every link.
3. Inside nh3, an **attribute filter** checks every surviving value: ``style``
   declaration by declaration with tinycss2, every URL (nh3 does *not* re-check
   the scheme of a value the filter returns, so the filter is the real gate),
   ``cid:`` rewriting, remote-image blocking and counting.

:func:`text_to_html` turns a plain-text body into HTML that is a fixed point of
:func:`sanitize_html`; :func:`unflow` undoes RFC 3676 ``format=flowed``.
"""

from __future__ import annotations

import html as _html
import html.entities
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

import css_inline
import nh3
import tinycss2

log = logging.getLogger(__name__)

#: Bump whenever the output for some input changes; part of the cache key.
SANITIZER_VERSION = "3"

#: The label of a folded quote (`text_to_html`) is left empty: the output holds no words
#: of any language, so a cached body suits every reader. The view puts the label in.
QUOTE_LABEL_SLOT = '<details class="quoted"><summary></summary>'

#: Larger inputs are truncated (a string cut in the middle of a tag is harmless:
#: the HTML tokenizer drops a tag left open at end of input).
MAX_INPUT_CHARS = 5_000_000
#: Elements nested deeper than this are dropped (their text is kept).
MAX_DEPTH = 256
#: css-inline costs ~ rules x elements; above this budget the <style> blocks are
#: dropped instead of inlined.
INLINE_BUDGET = 5_000_000
#: A single style attribute longer than this is dropped outright.
MAX_STYLE_CHARS = 16_384
#: Elements beyond this many are dropped (their text is kept).
MAX_ELEMENTS = 100_000
#: Style text (not seen before) checked per message; further style attributes are dropped.
STYLE_BUDGET = 1_000_000
#: An attribute value longer than this is dropped before any library sees it (a title,
#: a link or a width of megabytes is never meant to be read, and costs every parser and
#: the browser's layout); image URLs (``src``, ``background``) may be inline ``data:``
#: images and get :data:`MAX_IMAGE_URL_CHARS`.
MAX_ATTRIBUTE_CHARS = 8_192
MAX_IMAGE_URL_CHARS = 1_000_000
#: Attributes kept per element (html5ever checks each new one against all before it).
MAX_ATTRIBUTES = 256
#: html5ever is quadratic in the number of "&"/NBSP characters of one text node or
#: attribute value; longer text runs are split with an empty <span>, such
#: attribute values are dropped.
MAX_ESCAPES_PER_NODE = 512


@dataclass(frozen=True)
class SanitizedHtml:
    html: str  # a body fragment (no <html>/<head>), safe to embed in our own document
    blocked_remote: int  # remote resources removed (restored by allow_remote_images=True)
    truncated: bool = False  # the input was longer than MAX_INPUT_CHARS: only its beginning is here


# --------------------------------------------------------------------------- #
# Allowlist
# --------------------------------------------------------------------------- #

_TABLE_CELL = {"width", "height", "align", "valign", "bgcolor", "background", "colspan", "rowspan",
               "nowrap", "abbr", "scope", "headers"}
_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"style", "title", "dir", "lang"},
    "a": {"href"},
    "img": {"src", "srcset", "alt", "width", "height", "align", "border", "hspace", "vspace"},
    "table": {"width", "height", "align", "bgcolor", "background", "border", "cellpadding", "cellspacing",
              "frame", "rules", "summary"},
    "caption": {"align"},
    "thead": {"align", "valign", "bgcolor"},
    "tbody": {"align", "valign", "bgcolor"},
    "tfoot": {"align", "valign", "bgcolor"},
    "tr": {"align", "valign", "bgcolor", "background", "height"},
    "td": _TABLE_CELL,
    "th": _TABLE_CELL,
    "col": {"span", "width", "align", "valign"},
    "colgroup": {"span", "width", "align", "valign"},
    "font": {"color", "face", "size"},
    "basefont": {"color", "face", "size"},
    "hr": {"width", "size", "align", "noshade", "color"},
    "div": {"align"},
    "p": {"align"},
    "center": set(),
    "h1": {"align"}, "h2": {"align"}, "h3": {"align"}, "h4": {"align"}, "h5": {"align"}, "h6": {"align"},
    "ol": {"start", "type", "reversed"},
    "ul": {"type"},
    "li": {"value", "type"},
    "details": {"open"},
    "bdo": {"dir"},
    "time": {"datetime"},
    "del": {"datetime"},
    "ins": {"datetime"},
    "abbr": set(),
}
_TAGS = {
    "a", "abbr", "acronym", "address", "article", "aside", "b", "bdi", "bdo", "big", "blockquote", "br",
    "caption", "center", "cite", "code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt",
    "em", "figcaption", "figure", "font", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup",
    "hr", "i", "img", "ins", "kbd", "li", "main", "mark", "nav", "nobr", "ol", "p", "pre", "q", "rp", "rt",
    "ruby", "s", "samp", "section", "small", "span", "strike", "strong", "sub", "summary", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "time", "tr", "tt", "u", "ul", "var", "wbr",
}
# Elements removed together with everything inside them (their text must not leak).
_CLEAN_CONTENT = {
    "script", "style", "title", "template", "noscript", "noembed", "noframes", "iframe", "frame", "frameset",
    "object", "applet", "embed", "svg", "math", "textarea", "select", "option", "optgroup", "datalist",
    "head", "audio", "video", "canvas", "map", "dialog", "portal", "button", "xmp", "plaintext", "listing",
}
# The classes text_to_html emits; every other class is meaningless once <style> is inlined.
_ALLOWED_CLASSES = {"div": {"plain-text"}, "blockquote": {"quote"}, "details": {"quoted"}}
_URL_SCHEMES = {"http", "https", "mailto", "cid", "data"}

_ATTRIBUTES = {tag: set(attrs) for tag, attrs in _ATTRIBUTES.items() if tag == "*" or tag in _TAGS}


# --------------------------------------------------------------------------- #
# URLs
# --------------------------------------------------------------------------- #

_SCHEME_RE = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")
_DANGEROUS_RE = re.compile(r"javascript:|vbscript:|livescript:|mocha:|data:text/html|data:image/svg|"
                           r"data:application|-moz-binding|expression\(")
_SQUASH_RE = re.compile(r"[\x00-\x20\x7f]+")
_DATA_IMAGE_RE = re.compile(r"data:image/(?:png|gif|jpeg|jpg|webp);base64,[A-Za-z0-9+/=]*\Z", re.IGNORECASE)
_SAFE_CSS_URL_RE = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&*+,;=%]+\Z")
_HTTP = frozenset({"http", "https"})
_LINK_SCHEMES = frozenset({"http", "https", "mailto"})


def _squash(value: str) -> str:
    """Lower-case, drop whitespace and control characters: how a URL parser sees a scheme."""
    return _SQUASH_RE.sub("", value).lower()


def _is_dangerous(value: str) -> bool:
    return _DANGEROUS_RE.search(_squash(value)) is not None


def _check_url(value: str, schemes: frozenset[str]) -> str | None:
    """Return the URL in a canonical spelling if it is absolute with an allowed scheme, else None."""
    url = value.strip("\t\n\f\r ")
    url = url.replace("\t", "").replace("\n", "").replace("\r", "")
    if not url or any(ord(ch) < 0x20 or ch == "\x7f" for ch in url) or _is_dangerous(url):
        return None
    match = _SCHEME_RE.match(url)
    if not match:
        return None  # relative (and nh3 already denies those)
    scheme = match.group(1).lower()
    if scheme not in schemes:
        return None
    if scheme in _HTTP:
        if "\\" in url or not url[len(scheme) + 1:].startswith("//"):
            return None
        try:
            parts = urlsplit(url)
            if not parts.hostname:
                return None
            parts.port  # noqa: B018 - raises ValueError on a malformed port
        except ValueError:
            return None
    elif scheme == "mailto" and len(url) <= len("mailto:"):
        return None
    return url


def _is_remote(value: str) -> bool:
    url = _squash(value)
    return url.startswith(("http:", "https:", "//", "\\\\", "/\\", "\\/", "ftp:"))


# --------------------------------------------------------------------------- #
# CSS
# --------------------------------------------------------------------------- #

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
_REMOTE_HINT_RE = re.compile(r"https?:|//|\\", re.IGNORECASE)


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
    if len(value) > MAX_STYLE_CHARS:
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


# --------------------------------------------------------------------------- #
# Step 0: canonical token stream
# --------------------------------------------------------------------------- #

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
         "source", "track", "wbr", "basefont", "bgsound", "frame", "image", "spacer"}
# Text-only elements: the tokenizer jumps to their end tag (html5 RAWTEXT/RCDATA/script data).
_RAW_TEXT = {"style", "script", "title", "textarea", "xmp", "iframe", "noembed", "noframes", "noscript"}
# Dropped by the canonicalizer, content and all (nh3 would drop them anyway).
_DROP_WITH_CONTENT = {"script", "title", "textarea", "template", "noscript", "noembed", "noframes", "iframe",
                      "object", "applet", "svg", "math", "select", "datalist", "audio", "video", "canvas",
                      "frameset", "xmp", "plaintext", "listing"}
_FOREIGN = {"svg", "math"}
# Dropped tags whose content is kept (or that are void).
_DROP_TAG = {"meta", "link", "base", "embed", "frame", "input", "keygen", "param", "source", "track",
             "bgsound", "html", "head", "body", "form", "isindex", "image", "spacer"}
# Tags that do not count towards MAX_DEPTH because html5 inserts them implicitly.
_DEPTH_FREE = {"tbody", "thead", "tfoot", "tr", "colgroup"}
# Start tags that close an open <p> (html5 "close a p element").
_CLOSES_P = {"address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl",
             "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
             "header", "hgroup", "hr", "main", "menu", "nav", "ol", "p", "pre", "section", "summary",
             "table", "ul", "li", "dd", "dt"}
_BUTTON_SCOPE = {"applet", "caption", "html", "table", "td", "th", "marquee", "object", "template", "button"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_VALID_TAG_RE = re.compile(r"[a-z][a-z0-9\-]*\Z")
_VALID_ATTR_RE = re.compile(r"[a-z_:][a-z0-9_:.\-]*\Z")
_CHARREF_RE = re.compile(r"&(#[xX][0-9a-fA-F]+;?|#[0-9]+;?|[A-Za-z][A-Za-z0-9]{0,40};?)(?=(.?))", re.DOTALL)
_LEGACY_ENTITIES = {name for name in html.entities.html5 if not name.endswith(";")}

# The html5 tokenizer, reduced to what we need and written so that every
# character is looked at a bounded number of times (html.parser is quadratic
# on some unclosed constructs).
_MARKUP_START_RE = re.compile(r"<(?=[a-zA-Z/!?])")
_TAG_NAME_RE = re.compile(r"[^\t\n\f />]*")
_SPACE_RE = re.compile(r"[\t\n\f ]*")
_SPACE_SLASH_RE = re.compile(r"[\t\n\f /]*")
_ATTR_NAME_RE = re.compile(r"[^\t\n\f />][^\t\n\f />=]*")
_UNQUOTED_RE = re.compile(r"[^\t\n\f >]*")
_COMMENT_END_RE = re.compile(r"--!?>")
_NEEDS_ESCAPE_RE = re.compile("[&\u00a0]")


def _unescape_attribute(value: str) -> str:
    """Decode character references the way html5 does *in attribute values*:
    ``?a=1&copy=2`` and ``&region=eu`` stay as written (html.unescape would not)."""
    if "&" not in value:
        return value

    def replace(match: re.Match[str]) -> str:
        ref = match.group(1)
        if ref.startswith("#"):
            return _html.unescape(match.group(0))
        if ref.endswith(";") and ref in html.entities.html5:
            return html.entities.html5[ref]
        for cut in range(len(ref) - (1 if ref.endswith(";") else 0), 1, -1):
            name = ref[:cut]
            if name in _LEGACY_ENTITIES:
                rest = ref[cut:]
                following = rest[:1] or match.group(2)
                if following == "=" or following.isalnum():
                    return match.group(0)
                return html.entities.html5[name] + rest
        return match.group(0)

    return _CHARREF_RE.sub(replace, value)


def _escape_text(text: str) -> str:
    """Escape text exactly as html5ever's serializer does (so our output is a fixed point)."""
    return (text.replace("&", "&amp;").replace("\u00a0", "&nbsp;")
            .replace("<", "&lt;").replace(">", "&gt;"))


def _escape_attr(text: str) -> str:
    return (text.replace("&", "&amp;").replace("\u00a0", "&nbsp;").replace('"', "&quot;")
            .replace("<", "&lt;").replace(">", "&gt;"))


def _always(match: re.Match[str] | None) -> re.Match[str]:
    """The match of a pattern that cannot fail where it is used (it matches the empty string,
    or the caller checked the first character)."""
    assert match is not None
    return match


def _read_tag(source: str, pos: int) -> tuple[str, list[tuple[str, str]], int] | None:
    """Read a start or end tag whose name starts at ``pos``; None at end of input
    (html5 drops a tag cut off by the end of the input)."""
    end = len(source)
    match = _always(_TAG_NAME_RE.match(source, pos))
    name = match.group().lower()
    pos = match.end()
    attrs: list[tuple[str, str]] = []
    while True:
        pos = _always(_SPACE_SLASH_RE.match(source, pos)).end()
        if pos >= end:
            return None
        if source[pos] == ">":
            return name, attrs, pos + 1
        match = _always(_ATTR_NAME_RE.match(source, pos))
        attr_name = match.group().lower()
        pos = _always(_SPACE_RE.match(source, match.end())).end()
        value = ""
        if pos < end and source[pos] == "=":
            pos = _always(_SPACE_RE.match(source, pos + 1)).end()
            if pos >= end:
                return None
            quote = source[pos]
            if quote in "\"'":
                close = source.find(quote, pos + 1)
                if close < 0:
                    return None
                value = source[pos + 1:close]
                pos = close + 1
            elif quote != ">":
                match = _always(_UNQUOTED_RE.match(source, pos))
                value = match.group()
                pos = match.end()
        attrs.append((attr_name, value))


class _Canonicalizer:
    """Rebuilds a mail body as a canonical token stream (see the module docstring)."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.stack: list[str] = []
        self.depth = 0  # counted depth (tags in _DEPTH_FREE do not count)
        self.skipping: str | None = None  # inside a _DROP_WITH_CONTENT element
        self.skip_nesting = 0
        self.too_deep: dict[str, int] = {}  # start tags dropped for depth → drop as many end tags
        self.elements = 0
        self.style_chars = 0
        self.style_rules = 0
        self.body_attrs: list[tuple[str, str]] | None = None
        self.escapes_in_run = 0  # "&"/NBSP in the current text node

    # -- tokenizer -----------------------------------------------------------
    def feed(self, source: str) -> None:
        source = source.replace("\r\n", "\n").replace("\r", "\n")
        end = len(source)
        pos = 0
        while pos < end:
            match = _MARKUP_START_RE.search(source, pos)
            start = match.start() if match else end
            if start > pos:
                self.text(source[pos:start])
            if start >= end:
                return
            nxt = source[start + 1]
            if nxt == "!":
                if source.startswith("<!--", start):
                    if source.startswith(">", start + 4):
                        pos = start + 5
                    elif source.startswith("->", start + 4):
                        pos = start + 6
                    else:
                        comment_end = _COMMENT_END_RE.search(source, start + 4)
                        pos = comment_end.end() if comment_end else end
                else:  # doctype, CDATA (a bogus comment in HTML content), other bogus comments
                    close = source.find(">", start + 2)
                    pos = close + 1 if close >= 0 else end
            elif nxt == "?":
                close = source.find(">", start + 2)
                pos = close + 1 if close >= 0 else end
            elif nxt == "/":
                if start + 2 >= end:
                    self.text("</")
                    return
                third = source[start + 2]
                if third == ">":
                    pos = start + 3
                elif third.isascii() and third.isalpha():
                    tag = _read_tag(source, start + 2)
                    if tag is None:
                        return
                    self.end_tag(tag[0])
                    pos = tag[2]
                else:
                    close = source.find(">", start + 2)
                    pos = close + 1 if close >= 0 else end
            else:
                tag = _read_tag(source, start + 1)
                if tag is None:
                    return
                name, attrs, pos = tag
                self.start_tag(name, attrs)
                if name == "plaintext" and not self.in_foreign():
                    return  # everything after it is text in html5; we drop the element
                if name in _RAW_TEXT and not self.in_foreign():
                    end_tag = re.compile(rf"</{re.escape(name)}(?=[\t\n\f />])", re.IGNORECASE)
                    found = end_tag.search(source, pos)
                    content_end = found.start() if found else end
                    if name == "style":
                        self.style_text(source[pos:content_end])
                    pos = content_end

    def in_foreign(self) -> bool:
        return self.skipping in _FOREIGN

    # -- tree building -------------------------------------------------------
    def _pop_to(self, index: int) -> None:
        while len(self.stack) > index:
            name = self.stack.pop()
            if name not in _DEPTH_FREE:
                self.depth -= 1
            self.out.append(f"</{name}>")
            self.escapes_in_run = 0

    def _find(self, names: set[str], boundary: set[str]) -> int | None:
        for index in range(len(self.stack) - 1, -1, -1):
            name = self.stack[index]
            if name in names:
                return index
            if name in boundary:
                return None
        return None

    def _implicit_closes(self, tag: str) -> None:
        if tag in _CLOSES_P:
            index = self._find({"p"}, _BUTTON_SCOPE)
            if index is not None:
                self._pop_to(index)
        if tag == "li":
            index = self._find({"li"}, {"ul", "ol", "table", "td", "th"})
        elif tag in ("dd", "dt"):
            index = self._find({"dd", "dt"}, {"dl", "table", "td", "th"})
        elif tag in _HEADINGS:
            index = len(self.stack) - 1 if self.stack and self.stack[-1] in _HEADINGS else None
        elif tag in ("td", "th"):
            index = self._find({"td", "th"}, {"table"})
        elif tag == "tr":
            index = self._find({"tr"}, {"table"})
        elif tag in ("tbody", "thead", "tfoot"):
            index = self._find({"tbody", "thead", "tfoot"}, {"table"})
        elif tag == "table":  # a table directly inside a table (not in a cell) closes the first one
            index = self._find({"table"}, {"td", "th", "caption"})
        elif tag in ("a", "nobr"):
            index = self._find({tag}, {"td", "th", "caption", "table"})
        else:
            index = None
        if index is not None:
            self._pop_to(index)

    def start_tag(self, tag: str, attrs: list[tuple[str, str]]) -> None:
        if self.skipping is not None:
            if tag == self.skipping:
                self.skip_nesting += 1
            return
        if tag in _DROP_WITH_CONTENT:
            self.skipping, self.skip_nesting = tag, 1
            return
        if not _VALID_TAG_RE.match(tag):
            return
        if tag == "body":
            if self.body_attrs is None:
                self.body_attrs = self._attrs(attrs)
            return
        if tag in _DROP_TAG:
            return
        void = tag in _VOID
        if not void and tag not in _DEPTH_FREE and (self.depth >= MAX_DEPTH or self.elements >= MAX_ELEMENTS):
            self.too_deep[tag] = self.too_deep.get(tag, 0) + 1
            if tag == "style":
                self.too_deep["style"] -= 1  # its text is skipped by style_text
            return
        self._implicit_closes(tag)
        parts = [f"<{tag}"]
        for name, value in self._attrs(attrs):
            parts.append(f' {name}="{_escape_attr(value)}"')
        parts.append(">")
        self.out.append("".join(parts))
        self.escapes_in_run = 0
        self.elements += 1
        if not void:
            self.stack.append(tag)
            if tag not in _DEPTH_FREE:
                self.depth += 1

    @staticmethod
    def _attrs(attrs: list[tuple[str, str]]) -> list[tuple[str, str]]:
        seen: set[str] = set()
        result: list[tuple[str, str]] = []
        for name, value in attrs:
            if len(result) >= MAX_ATTRIBUTES:
                break
            if name in seen:
                continue  # html5 keeps the first of duplicated attributes
            seen.add(name)
            if not _VALID_ATTR_RE.match(name) or name.startswith("data-css-inline"):
                continue
            if len(value) > (MAX_IMAGE_URL_CHARS if name in ("src", "background") else MAX_ATTRIBUTE_CHARS):
                continue
            value = _unescape_attribute(value.replace("\x00", "\ufffd"))
            if value.count("&") + value.count("\u00a0") > MAX_ESCAPES_PER_NODE:
                continue
            result.append((name, value))
        return result

    def end_tag(self, tag: str) -> None:
        if self.skipping is not None:
            if tag == self.skipping:
                self.skip_nesting -= 1
                if self.skip_nesting <= 0:
                    self.skipping = None
            return
        if tag == "br":  # html5 turns </br> into <br>
            self.out.append("<br>")
            return
        if self.too_deep.get(tag):
            self.too_deep[tag] -= 1
            return
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index] == tag:
                self._pop_to(index)
                return

    def text(self, data: str) -> None:
        if self.skipping is not None or not data:
            return
        data = _html.unescape(data).replace("\x00", "")
        escapes = data.count("&") + data.count("\u00a0")
        if self.escapes_in_run + escapes <= MAX_ESCAPES_PER_NODE:
            self.escapes_in_run += escapes
            self.out.append(_escape_text(data))
            return
        start = 0
        for match in _NEEDS_ESCAPE_RE.finditer(data):
            self.escapes_in_run += 1
            if self.escapes_in_run > MAX_ESCAPES_PER_NODE:
                self.out.append(_escape_text(data[start:match.start()]) + "<span></span>")
                start = match.start()
                self.escapes_in_run = 1
        self.out.append(_escape_text(data[start:]))

    def style_text(self, css: str) -> None:
        if self.skipping is not None or not self.stack or self.stack[-1] != "style":
            return
        # Keep it raw for css-inline, but without any "<", so that no parser can ever
        # see markup in it (CDO/CDC are no-ops in CSS; "<" elsewhere is an escape).
        css = css.replace("<!--", " ").replace("-->", " ").replace("<", "\\3c ").replace("\x00", "")
        self.style_chars += len(css)
        self.style_rules += css.count("{")
        self.out.append(css)

    def result(self) -> str:
        self._pop_to(0)
        return "".join(self.out)


def _canonicalize(markup: str) -> tuple[str, _Canonicalizer]:
    canonicalizer = _Canonicalizer()
    canonicalizer.feed(markup)
    return canonicalizer.result(), canonicalizer


_COLOR_RE = re.compile(r"#?[0-9a-zA-Z]{1,20}\Z")


def _body_style(attrs: list[tuple[str, str]]) -> str:
    """The <body>'s presentational attributes as CSS for the wrapper <div> (checked again later)."""
    values = dict(attrs)
    decls = []
    if values.get("style"):
        decls.append(values["style"])
    color = values.get("bgcolor", "").strip()
    if _COLOR_RE.match(color):
        decls.append(f"background-color:{color}")
    color = values.get("text", "").strip()
    if _COLOR_RE.match(color):
        decls.append(f"color:{color}")
    background = values.get("background", "").strip()
    if background and _SAFE_CSS_URL_RE.match(background):
        decls.append(f"background-image:url('{background}')")
    return ";".join(decls)


_INLINER = css_inline.CSSInliner(
    inline_style_tags=True,
    keep_style_tags=False,
    keep_link_tags=False,
    keep_at_rules=False,
    load_remote_stylesheets=False,
    base_url=None,
    extra_css=None,
)
_BODY_RE = re.compile(r'\A(?:<!DOCTYPE html>)?<html>\s*<head>\s*</head>\s*<body((?:\s+[^\s="<>/]+(?:="[^"]*")?)*)\s*>',
                      re.IGNORECASE)
_SERIALIZED_ATTR_RE = re.compile(r'([^\s="<>/]+)(?:="([^"]*)")?')


def _prepare(markup: str) -> str:
    """Steps 0 and 1: canonical stream, styles inlined, <body> attributes moved to a <div>."""
    canonical, info = _canonicalize(markup)
    body_attrs = info.body_attrs or []
    body_tag = "<body" + "".join(f' {name}="{_escape_attr(value)}"' for name, value in body_attrs) + ">"
    document = f"<!DOCTYPE html><html><head></head>{body_tag}{canonical}</body></html>"
    if info.style_chars:
        if info.style_rules * max(info.elements, 1) <= INLINE_BUDGET:
            try:
                document = _INLINER.inline(document)
            except Exception:  # css_inline.InlineError, or a panic surfacing as another type
                log.info("css-inline failed; continuing without inlining", exc_info=True)
        else:
            log.info("skipping css-inline: %d rules x %d elements", info.style_rules, info.elements)
    match = _BODY_RE.match(document)
    if match:
        attrs = [(name.lower(), _html.unescape(value or ""))
                 for name, value in _SERIALIZED_ATTR_RE.findall(match.group(1))]
        style = _body_style(attrs)
        wrapper = f'<div style="{_escape_attr(style)}">' if style else ""
        document = "<body>" + wrapper + document[match.end():]
    return document


# --------------------------------------------------------------------------- #
# Steps 2 and 3: nh3 with the attribute filter
# --------------------------------------------------------------------------- #

class _Filter:
    def __init__(self, allow_remote: bool, cid_url: Callable[[str], str | None] | None) -> None:
        self.allow_remote = allow_remote
        self.cid_url = cid_url
        self.blocked = 0
        self.style_budget = STYLE_BUDGET

    def __call__(self, tag: str, attr: str, value: str) -> str | None:
        if attr == "style":
            if self.style_budget <= 0:
                return None
            (cleaned, blocked), cached = _clean_style_cached(value, self.allow_remote)
            if not cached:
                self.style_budget -= len(value)
            self.blocked += blocked
            return cleaned or None
        if attr in ("target", "rel") and tag == "a":
            return value  # set by nh3 itself
        if attr == "class":
            allowed = _ALLOWED_CLASSES.get(tag, ())
            kept = [name for name in value.split() if name in allowed]
            return " ".join(kept) or None
        if attr == "href":
            return _check_url(value, _LINK_SCHEMES) if tag == "a" else None
        if attr == "src":
            return self._image(value) if tag == "img" else None
        if attr == "background":
            return self._image(value)
        if attr == "srcset":
            if not self.allow_remote and _REMOTE_HINT_RE.search(value):
                self.blocked += 1
            return None  # src is enough; srcset URL lists are not worth parsing
        if _is_dangerous(value):
            return None
        return value

    def _image(self, value: str) -> str | None:
        squashed = _squash(value)
        if squashed.startswith("cid:"):
            return self._cid(value)
        if squashed.startswith("data:"):
            url = _SQUASH_RE.sub("", value)
            return url if _DATA_IMAGE_RE.match(url) else None
        if _is_remote(value):
            if self.allow_remote:
                return _check_url(value, _HTTP)
            self.blocked += 1
        return None

    def _cid(self, value: str) -> str | None:
        if self.cid_url is None:
            return None
        url = value.replace("\t", "").replace("\n", "").replace("\r", "").strip()
        if url[:4].lower() != "cid:":
            return None
        content_id = unquote(url[4:]).strip().strip("<>").strip()
        if not content_id or any(ord(ch) < 0x20 or ch == "\x7f" for ch in content_id):
            return None
        try:
            target = self.cid_url(content_id)
        except Exception:
            log.warning("cid_url failed for a content id", exc_info=True)
            return None
        if target is None:
            return None
        checked = _check_url(target, _HTTP)
        if checked is None:
            log.warning("cid_url must return an absolute http(s) URL; got %r", target[:200])
        return checked


def _clean(document: str, attribute_filter: _Filter | None) -> str:
    return nh3.clean(
        document,
        tags=_TAGS,
        clean_content_tags=_CLEAN_CONTENT,
        attributes=_ATTRIBUTES,
        attribute_filter=attribute_filter,
        strip_comments=True,
        link_rel="noopener noreferrer",
        set_tag_attribute_values={"a": {"target": "_blank"}},
        url_schemes=_URL_SCHEMES,
        url_relative="deny",
        allowed_classes=_ALLOWED_CLASSES,
    )


def _coerce(value: object) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    text = str(value or "")
    if len(text) > MAX_INPUT_CHARS:
        text = text[:MAX_INPUT_CHARS]
    # Lone surrogates (from surrogateescape decoding) cannot cross into Rust.
    return text.encode("utf-8", "replace").decode("utf-8")


def sanitize_html(html: str, *, allow_remote_images: bool = False,
                  cid_url: Callable[[str], str | None] | None = None) -> SanitizedHtml:
    """Sanitize one HTML mail body.

    ``cid_url(content_id)`` maps a ``cid:`` reference (percent-decoded, without
    ``<>``) to an **absolute** http(s) URL of the part, or None to drop it.
    ``blocked_remote`` counts the remote resources removed that
    ``allow_remote_images=True`` would have kept.
    """
    truncated = isinstance(html, (str, bytes)) and len(html) > MAX_INPUT_CHARS
    document = _prepare(_coerce(html))
    attribute_filter = _Filter(allow_remote_images, cid_url)
    cleaned = _clean(document, attribute_filter)
    # nh3 reorders an element's attributes when the filter drops one; a second pass
    # over the already-clean tree (nothing left for a filter to do) puts them back
    # in a canonical order, so that sanitizing our own output changes nothing.
    cleaned = _clean(cleaned, None)
    return SanitizedHtml(html=cleaned, blocked_remote=attribute_filter.blocked, truncated=truncated)


# --------------------------------------------------------------------------- #
# Plain text
# --------------------------------------------------------------------------- #

_INVISIBLE = "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
_LINK_RE = re.compile(
    rf"(?P<url>\b(?:https?://|www\.)[^\s<>\"`\x00-\x1f\x7f{_INVISIBLE}]+)"
    rf"|(?P<mailto>\bmailto:[^\s<>\"`\x00-\x1f\x7f{_INVISIBLE}]+)"
    r"|(?P<email>(?<![\w.%+\-@])[A-Za-z0-9][A-Za-z0-9._%+\-]*@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}\b)",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?'*&"
_PAIRS = {")": "(", "]": "[", "}": "{"}


def _trim_url(url: str) -> str:
    while url:
        last = url[-1]
        if last in _TRAILING or (last in _PAIRS and url.count(last) > url.count(_PAIRS[last])):
            url = url[:-1]
        else:
            break
    return url


def _link(href: str, label: str) -> str:
    return (f'<a href="{_escape_attr(href)}" target="_blank" rel="noopener noreferrer">'
            f"{_escape_text(label)}</a>")


def _linkify(text: str) -> str:
    out = []
    pos = 0
    for match in _LINK_RE.finditer(text):
        start = match.start()
        if start < pos:
            continue
        kind = match.lastgroup
        assert kind is not None  # every alternative of _LINK_RE is a named group
        label = match.group(kind)
        if kind == "email":
            href = "mailto:" + label
        else:
            label = _trim_url(label)
            href = ("http://" + label) if label.lower().startswith("www.") else label
        if not label or _check_url(href, _LINK_SCHEMES) != href or (
                kind != "email" and kind != "mailto" and len(label) <= len("www.x")):
            continue
        out.append(_escape_text(text[pos:start]))
        out.append(_link(href, label))
        pos = start + len(label)
    out.append(_escape_text(text[pos:]))
    return "".join(out)


def _render_lines(lines: list[str], top: bool) -> str:
    out: list[str] = []
    plain: list[str] = []

    def flush() -> None:
        if plain:
            out.append(_linkify("\n".join(plain)))
            plain.clear()

    index = 0
    while index < len(lines):
        if not lines[index].startswith(">"):
            plain.append(lines[index])
            index += 1
            continue
        flush()
        inner = []
        while index < len(lines) and lines[index].startswith(">"):
            line = lines[index][1:]
            inner.append(line[1:] if line.startswith(" ") else line)
            index += 1
        block = f'<blockquote class="quote">{_render_lines(inner, False)}</blockquote>'
        if top:
            block = f'{QUOTE_LABEL_SLOT}{block}</details>'
        out.append(block)
    flush()
    return "".join(out)


def _clean_text(text: object) -> str:
    text = _coerce(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return text


def text_to_html(text: str) -> str:
    """A plain-text body as safe HTML: escaped, links clickable, quoted blocks folded.

    The result is a fixed point of :func:`sanitize_html`.  Style ``.plain-text``
    with ``white-space: pre-wrap`` in the frame's stylesheet.
    """
    text = _clean_text(text)
    body = _render_lines(text.split("\n"), True) if text else ""
    return f'<div class="plain-text">{body}</div>'


def unflow(text: str, *, delsp: bool = False) -> str:
    """Undo RFC 3676 ``format=flowed``: join soft-broken lines into paragraphs.

    Quote depth is kept as a ``>`` prefix (``"> "`` + text, ``">> "`` + text …) so
    :func:`text_to_html` can fold it; space-stuffing is removed.
    """
    text = _clean_text(text)
    lines = text.split("\n")
    result: list[tuple[int, str]] = []
    paragraph: str | None = None
    depth_of_paragraph = 0
    for line in lines:
        depth = len(line) - len(line.lstrip(">"))
        content = line[depth:]
        if content.startswith(" "):
            content = content[1:]  # space-stuffed (or the space after the quote marks)
        if paragraph is not None and depth != depth_of_paragraph:
            result.append((depth_of_paragraph, paragraph))
            paragraph = None
        flowed = content.endswith(" ") and content != "-- "
        if flowed:
            piece = content[:-1] if delsp else content
            paragraph = piece if paragraph is None else paragraph + piece
            depth_of_paragraph = depth
        else:
            result.append((depth, content if paragraph is None else paragraph + content))
            paragraph = None
    if paragraph is not None:
        result.append((depth_of_paragraph, paragraph))
    return "\n".join((">" * depth + (" " + line if line else "")) if depth else line
                     for depth, line in result)
