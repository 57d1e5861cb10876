"""Plain-text bodies: :func:`text_to_html` (escaped, links clickable, quoted blocks
folded; a fixed point of ``sanitize_html``) and :func:`unflow` (RFC 3676 ``format=flowed``)."""

from __future__ import annotations

import re

from .limits import _coerce
from .policy import _LINK_SCHEMES, _check_url
from .tokenizer import _escape_attr, _escape_text

#: The label of a folded quote (`text_to_html`) is left empty: the output holds no words
#: of any language, so a cached body suits every reader. The view puts the label in.
QUOTE_LABEL_SLOT = '<details class="quoted"><summary></summary>'

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
