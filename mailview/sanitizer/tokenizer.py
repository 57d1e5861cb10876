"""Step 0: the mail body re-tokenized into a canonical token stream before any parser sees it.

A linear-time subset of the html5 tokenizer, plus the html5 tree builder's commonest
implicit closes: every tag re-serialized with quoted, escaped attributes, explicit end
tags, no comments / doctypes / processing instructions, no ``<script>`` (nor the other
never-rendered elements) at all, ``<style>`` text kept for step 1, nesting capped at
:data:`~.limits.MAX_DEPTH`, elements at :data:`~.limits.MAX_ELEMENTS`, attributes and
their values and the "&" of a text node bounded too.  This is what keeps hostile input
from crashing or stalling the two Rust libraries (see the package docstring).  It is
not the security boundary: everything it emits is parsed again by nh3.
"""

from __future__ import annotations

import html as _html
import html.entities
import re

from . import limits

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
        if not void and tag not in _DEPTH_FREE and (self.depth >= limits.MAX_DEPTH or self.elements >= limits.MAX_ELEMENTS):
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
            if len(result) >= limits.MAX_ATTRIBUTES:
                break
            if name in seen:
                continue  # html5 keeps the first of duplicated attributes
            seen.add(name)
            if not _VALID_ATTR_RE.match(name) or name.startswith("data-css-inline"):
                continue
            if len(value) > (limits.MAX_IMAGE_URL_CHARS if name in ("src", "background") else limits.MAX_ATTRIBUTE_CHARS):
                continue
            value = _unescape_attribute(value.replace("\x00", "\ufffd"))
            if value.count("&") + value.count("\u00a0") > limits.MAX_ESCAPES_PER_NODE:
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
        if self.escapes_in_run + escapes <= limits.MAX_ESCAPES_PER_NODE:
            self.escapes_in_run += escapes
            self.out.append(_escape_text(data))
            return
        start = 0
        for match in _NEEDS_ESCAPE_RE.finditer(data):
            self.escapes_in_run += 1
            if self.escapes_in_run > limits.MAX_ESCAPES_PER_NODE:
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
