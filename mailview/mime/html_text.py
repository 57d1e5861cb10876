"""HTML → readable plain text (for quoting HTML-only mail and the rich editor's text part). Pure."""
from __future__ import annotations

import html as html_lib
import html.parser
import re


class _TextExtractor(html.parser.HTMLParser):
    """Collects text, with line breaks for blocks and "> " for blockquotes."""

    BLOCK = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "ul", "ol", "hr"}
    SKIP = {"script", "style", "head", "title", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.quote = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skip += 1
        elif tag == "blockquote":
            self.quote += 1
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n* ")
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag == "blockquote":
            self.quote = max(0, self.quote - 1)
            self.parts.append("\n")
        elif tag in ("p", "div", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6"):
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        text = re.sub(r"[ \t\r\n\f]+", " ", data)
        if self.quote:
            text = text.replace("\n", "\n" + "> " * self.quote)
            if not self.parts or self.parts[-1].endswith("\n"):
                text = "> " * self.quote + text.lstrip()
        self.parts.append(text)

    def text(self) -> str:
        joined = "".join(self.parts)
        lines = [line.rstrip() for line in joined.split("\n")]
        out = re.sub(r"\n{3,}", "\n\n", "\n".join(line.lstrip(" ") if not line.startswith(">") else line for line in lines))
        return out.strip("\n")


def html_to_text(markup: str) -> str:
    """Readable text of `markup`; hostile markup that breaks the parser still gives its text."""
    parser = _TextExtractor()
    try:
        parser.feed(markup or "")
        parser.close()
    except Exception:
        return html_lib.unescape(re.sub(r"<[^>]*>", " ", markup or ""))
    return parser.text()

