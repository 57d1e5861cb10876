"""The one package every byte of mail HTML goes through before it reaches a browser.

Pipeline of :func:`sanitize_html` (each step in its own module):

0. **Bound the input** (:mod:`.limits`, :mod:`.tokenizer`).  Cap its size
   (:data:`MAX_INPUT_CHARS`, reported as ``truncated``), every attribute value's
   (:data:`MAX_ATTRIBUTE_CHARS`) and the number of attributes of an element
   (:data:`MAX_ATTRIBUTES`), then re-tokenize it (a linear-time subset of the html5
   tokenizer, plus the html5 tree builder's commonest implicit closes) into a
   *canonical* token stream: every tag re-serialized with quoted, escaped attributes,
   explicit end tags, no comments / doctypes / processing instructions, no
   ``<script>`` (nor the other never-rendered elements) at all, ``<style>`` text kept
   for step 1, nesting capped at :data:`MAX_DEPTH`, elements at :data:`MAX_ELEMENTS`.
   This is what keeps hostile input from crashing or stalling the two Rust libraries:
   css-inline overflows the stack (SIGSEGV) at ~12k unclosed ``<div>``;
   html5ever's formatting-element "reconstruction" turns 35 KB of misnested
   ``<b>``/``<p>`` into 43 MB; html5ever is quadratic in the "&" of one text
   node; html.parser is quadratic on unclosed tags.  It is not the security
   boundary: everything it emits is parsed again by nh3.
1. **Inline** ``<style>`` blocks into ``style`` attributes with css-inline
   (:mod:`.inline`; remote stylesheets never loaded, ``<link>`` dropped, at-rules
   dropped).  If css-inline fails, carry on without inlining.
2. **Sanitize** with nh3 (:mod:`.clean`; ammonia: an html5ever tree built like a
   browser's, serialized back) with an email-shaped allowlist (:mod:`.policy`),
   ``url_relative="deny"``, ``rel="noopener noreferrer"`` and ``target="_blank"`` on
   every link.
3. Inside nh3, an **attribute filter** (:mod:`.clean`) checks every surviving value:
   ``style`` declaration by declaration with tinycss2 (:mod:`.css`), every URL (nh3
   does *not* re-check the scheme of a value the filter returns, so the filter and
   :mod:`.policy`'s URL checks are the real gate), ``cid:`` rewriting, remote-image
   blocking and counting.

:func:`text_to_html` turns a plain-text body into HTML that is a fixed point of
:func:`sanitize_html`; :func:`unflow` undoes RFC 3676 ``format=flowed`` (:mod:`.text`).

This module is the public API; the submodules' ``_names`` are the package's own.
The limits are re-exported here for reading; to change one (a test), patch
:mod:`.limits`, where the code looks them up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import limits
from .clean import _clean, _Filter
from .inline import _prepare
from .limits import (
    INLINE_BUDGET,
    MAX_ATTRIBUTE_CHARS,
    MAX_ATTRIBUTES,
    MAX_DEPTH,
    MAX_ELEMENTS,
    MAX_ESCAPES_PER_NODE,
    MAX_IMAGE_URL_CHARS,
    MAX_INPUT_CHARS,
    MAX_STYLE_CHARS,
    STYLE_BUDGET,
    _coerce,
)
from .text import QUOTE_LABEL_SLOT, text_to_html, unflow

__all__ = [
    "SANITIZER_VERSION", "SanitizedHtml", "sanitize_html", "text_to_html", "unflow", "QUOTE_LABEL_SLOT",
    "MAX_INPUT_CHARS", "MAX_DEPTH", "MAX_ELEMENTS", "MAX_ATTRIBUTES", "MAX_ATTRIBUTE_CHARS", "MAX_IMAGE_URL_CHARS",
    "MAX_ESCAPES_PER_NODE", "MAX_STYLE_CHARS", "STYLE_BUDGET", "INLINE_BUDGET",
]

#: Bump whenever the output for some input changes; part of the cache key.
SANITIZER_VERSION = "3"


@dataclass(frozen=True)
class SanitizedHtml:
    html: str  # a body fragment (no <html>/<head>), safe to embed in our own document
    blocked_remote: int  # remote resources removed (restored by allow_remote_images=True)
    truncated: bool = False  # the input was longer than MAX_INPUT_CHARS: only its beginning is here


def sanitize_html(html: str, *, allow_remote_images: bool = False,
                  cid_url: Callable[[str], str | None] | None = None) -> SanitizedHtml:
    """Sanitize one HTML mail body.

    ``cid_url(content_id)`` maps a ``cid:`` reference (percent-decoded, without
    ``<>``) to an **absolute** http(s) URL of the part, or None to drop it.
    ``blocked_remote`` counts the remote resources removed that
    ``allow_remote_images=True`` would have kept.
    """
    truncated = isinstance(html, (str, bytes)) and len(html) > limits.MAX_INPUT_CHARS
    document = _prepare(_coerce(html))
    attribute_filter = _Filter(allow_remote_images, cid_url)
    cleaned = _clean(document, attribute_filter)
    # nh3 reorders an element's attributes when the filter drops one; a second pass
    # over the already-clean tree (nothing left for a filter to do) puts them back
    # in a canonical order, so that sanitizing our own output changes nothing.
    cleaned = _clean(cleaned, None)
    return SanitizedHtml(html=cleaned, blocked_remote=attribute_filter.blocked, truncated=truncated)
