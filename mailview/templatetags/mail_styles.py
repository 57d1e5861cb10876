"""Stylesheets inlined into a document that may not load them by URL.

The message body frame has its own strict CSP (`style-src 'unsafe-inline'` only, see
views/reading.py): it cannot link the app's stylesheets, so it gets the same files'
text, read once per process. No second copy of a colour anywhere.
"""
from __future__ import annotations

import re
from functools import cache

from django import template
from django.contrib.staticfiles import finders
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_COMMENT = re.compile(r"/\*.*?\*/\s*", re.DOTALL)

# palette.css first: body.css uses its variables.
BODY_STYLESHEETS = ("css/palette.css", "css/body.css")


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
