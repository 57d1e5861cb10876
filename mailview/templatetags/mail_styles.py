"""Stylesheets inlined into a document that may not load them by URL.

The message body frame has its own strict CSP (`style-src 'unsafe-inline'` only, see
views/reading.py): it cannot link the app's stylesheets, so it gets the same files'
text, read once per process. No second copy of a colour anywhere.
"""
from __future__ import annotations

import base64
import hashlib
import re
from functools import cache

from django import template
from django.contrib.staticfiles import finders
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_COMMENT = re.compile(r"/\*.*?\*/\s*", re.DOTALL)

# palette.css first: body.css uses its variables.
BODY_STYLESHEETS = ("css/palette.css", "css/body.css")
# The print view (views/reading.py message_print): the body's styles, then the page's.
PRINT_STYLESHEETS = ("css/palette.css", "css/body.css", "css/print.css")
# The PDF preview's frame (views/reading.py pdf_viewer).
PDF_VIEWER_STYLESHEETS = ("css/palette.css", "css/pdf_viewer.css")


@cache
def stylesheet_text(*paths: str) -> str:
    """The static files' text without comments, concatenated (our own files, never mail:
    safe in a <style>). Sent with every message body: keep it small."""
    texts = []
    for path in paths:
        found = finders.find(path)
        if not found:
            raise FileNotFoundError(f"static file {path} not found")
        with open(found, encoding="utf-8") as handle:
            texts.append(_COMMENT.sub("", handle.read()).strip())
    text = "\n".join(texts)
    if "</" in text:
        raise ValueError("a stylesheet to inline must not contain '</'")
    return text


@register.simple_tag
def body_stylesheet() -> SafeString:
    """The body frame's styles: the palette and body.css."""
    return mark_safe(stylesheet_text(*BODY_STYLESHEETS))  # noqa: S308 - our own static files


# The one script the body frame may run (its CSP allows exactly this text by its hash, and
# the frame stays sandboxed without allow-same-origin: an opaque origin that cannot reach
# the app). It tells the page how tall the body is, so the page grows with it instead of
# scrolling in a box (static/js/body_frame.js listens). Nothing from the mail runs: the
# sanitizer drops scripts and handlers, and the CSP refuses any other script.
BODY_HEIGHT_SCRIPT = (
    "(function(){var last=0;function send(){var b=document.body;if(!b)return;"
    "var h=Math.ceil(Math.max(b.scrollHeight,b.getBoundingClientRect().height));"
    "if(h!==last){last=h;parent.postMessage({webmailBodyHeight:h},'*');}}"
    "if(window.ResizeObserver){new ResizeObserver(send).observe(document.documentElement);}"
    "addEventListener('load',send);send();})();"
)
BODY_HEIGHT_SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(BODY_HEIGHT_SCRIPT.encode()).digest()).decode()


@register.simple_tag
def body_height_script() -> SafeString:
    """The body frame's height reporter (see BODY_HEIGHT_SCRIPT)."""
    return mark_safe(BODY_HEIGHT_SCRIPT)  # noqa: S308 - a constant of ours
