"""Steps 2 and 3: nh3 (ammonia) with the allowlist of :mod:`.policy`, and the attribute
filter that checks every surviving value: ``style`` (:mod:`.css`), every URL, ``cid:``
rewriting, remote-image blocking and counting."""

from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import unquote

import nh3

from . import limits
from .css import _clean_style_cached
from .policy import (
    _ALLOWED_CLASSES,
    _ATTRIBUTES,
    _CLEAN_CONTENT,
    _DATA_IMAGE_RE,
    _HTTP,
    _LINK_SCHEMES,
    _REMOTE_HINT_RE,
    _SQUASH_RE,
    _TAGS,
    _URL_SCHEMES,
    _check_url,
    _is_dangerous,
    _is_remote,
    _squash,
)

log = logging.getLogger(__name__)


class _Filter:
    def __init__(self, allow_remote: bool, cid_url: Callable[[str], str | None] | None) -> None:
        self.allow_remote = allow_remote
        self.cid_url = cid_url
        self.blocked = 0
        self.style_budget = limits.STYLE_BUDGET

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
