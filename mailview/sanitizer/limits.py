"""The bounds every input is held to before any parser or library sees it (the public
limits are re-exported by the package; patch them here)."""

from __future__ import annotations

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


def _coerce(value: object) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    text = str(value or "")
    if len(text) > MAX_INPUT_CHARS:
        text = text[:MAX_INPUT_CHARS]
    # Lone surrogates (from surrogateescape decoding) cannot cross into Rust.
    return text.encode("utf-8", "replace").decode("utf-8")
