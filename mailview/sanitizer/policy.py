"""What may pass (step 2's allowlist for nh3) and the URL checks every link and image goes through.

The allowlists are email-shaped: the tags and presentational attributes of real mail
layouts, the classes :mod:`.text` emits, and nothing that runs or loads by itself.
The URL checks (:func:`_check_url`, :func:`_is_remote`, :func:`_is_dangerous`) are
the real gate for schemes: nh3 does not re-check a value the attribute filter returns.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

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
_REMOTE_HINT_RE = re.compile(r"https?:|//|\\", re.IGNORECASE)


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
