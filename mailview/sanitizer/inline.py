"""Step 1: ``<style>`` blocks inlined into ``style`` attributes with css-inline (remote
stylesheets never loaded, ``<link>`` dropped, at-rules dropped; on failure, or above
:data:`~.limits.INLINE_BUDGET`, carry on without inlining), and the ``<body>``'s
presentation moved to a wrapper ``<div>``."""

from __future__ import annotations

import html as _html
import logging
import re

import css_inline

from . import limits
from .policy import _SAFE_CSS_URL_RE
from .tokenizer import _canonicalize, _escape_attr

log = logging.getLogger(__name__)


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
        if info.style_rules * max(info.elements, 1) <= limits.INLINE_BUDGET:
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
