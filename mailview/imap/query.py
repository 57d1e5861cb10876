"""The search query language: what a person types, parsed into a small tree. Pure.

    from:anna subject:"budget 2025" -label:done (is:unread OR is:flagged) larger:5M

Words and `"exact phrases"` match the sender, recipients and subject (or the whole
message, when the caller asks for body text); `op:value` terms narrow by field, flag,
label, folder, date or size; `-` negates a term or group; `OR` (upper case) joins its
neighbours; parentheses group. Nothing here speaks IMAP: `search.query_keys` turns the
tree into SEARCH keys, quoting every value. Unknown operators are plain words; a value an
operator cannot use (a bad date, a label with spaces) becomes a term with `error` set,
which the compiler skips and the page shows.

Bounds: at most `MAX_QUERY_CHARS` characters are read, `MAX_TERMS` terms kept, each
value at most `MAX_VALUE_CHARS`, groups nested `MAX_DEPTH` deep; what was cut is
reported (`ParsedQuery.truncated`). Control characters (CR, LF, NUL, ...) are spaces.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

MAX_QUERY_CHARS = 2000
MAX_TERMS = 32
MAX_VALUE_CHARS = 200
MAX_DEPTH = 6

#: Operators and what they take. Aliases map onto these.
OPERATORS = (
    "from", "to", "cc", "bcc", "subject", "has", "is", "label", "in",
    "before", "after", "older_than", "newer_than", "larger", "smaller",
)
_ALIASES = {"tag": "label", "folder": "in", "since": "after", "older": "older_than", "newer": "newer_than"}
IS_VALUES = ("unread", "read", "flagged", "unflagged", "starred", "answered", "replied", "draft")
HAS_VALUES = ("attachment",)
# A label is an IMAP keyword: an atom (as in services/filing/actions.py).
_LABEL = re.compile(r"^[A-Za-z0-9$_.\-]{1,100}$")
_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_AGE = re.compile(r"^(\d{1,5})([dwmy])$", re.IGNORECASE)
_SIZE = re.compile(r"^(\d{1,10})([kmg]?)b?$", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True)
class Term:
    """One condition. `op` is "text" for a free word or phrase."""

    op: str
    value: str
    phrase: bool = False  # typed in quotes (shown back that way)
    error: str = ""  # why the value cannot be used: "date", "size", "age", "label", "is", "has", "in"


@dataclass(frozen=True)
class Not:
    node: Node


@dataclass(frozen=True)
class Or:
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class Group:
    nodes: tuple[Node, ...]


Node = Term | Not | Or | Group


@dataclass(frozen=True)
class ParsedQuery:
    """The top-level terms (all must match) and what the parser had to leave out."""

    nodes: tuple[Node, ...] = ()
    truncated: bool = False
    errors: tuple[Term, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        return not self.nodes

    def folders(self) -> tuple[list[str], list[str]]:
        """The `in:` scope: folders asked for and folders excluded (`-in:`), top level only."""
        wanted, excluded = [], []
        for node in self.nodes:
            if isinstance(node, Term) and node.op == "in" and not node.error:
                wanted.append(node.value)
            elif isinstance(node, Not) and isinstance(node.node, Term) and node.node.op == "in" and not node.node.error:
                excluded.append(node.node.value)
        return wanted, excluded

    def has_text(self) -> bool:
        """Whether a free word or phrase is anywhere in it (then body text may be searched)."""
        return any(_walk_has_text(n) for n in self.nodes)

    def text(self) -> str:
        return " ".join(node_text(n) for n in self.nodes)

    def without(self, index: int) -> str:
        """The query text without its `index`-th top-level term (removing a chip)."""
        return " ".join(node_text(n) for i, n in enumerate(self.nodes) if i != index)


def _walk_has_text(node: Node) -> bool:
    if isinstance(node, Term):
        return node.op == "text" and not node.error
    if isinstance(node, Not):
        return _walk_has_text(node.node)
    return any(_walk_has_text(n) for n in node.nodes)


# -- tokens -----------------------------------------------------------------

@dataclass(frozen=True)
class _Tok:
    kind: str  # "word", "open", "close", "or", "not"
    op: str = ""
    value: str = ""
    phrase: bool = False


def _tokens(text: str) -> tuple[list[_Tok], bool]:
    text = _CONTROL.sub(" ", text)
    truncated = len(text) > MAX_QUERY_CHARS
    text = text[:MAX_QUERY_CHARS]
    out: list[_Tok] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if ch == "(":
            out.append(_Tok("open"))
            i += 1
            continue
        if ch == ")":
            out.append(_Tok("close"))
            i += 1
            continue
        if ch == "-" and i + 1 < n and not text[i + 1].isspace():
            out.append(_Tok("not"))
            i += 1
            continue
        op = ""
        match = re.match(r"([A-Za-z_]+):", text[i:])
        if match and (match.group(1).lower() in OPERATORS or match.group(1).lower() in _ALIASES):
            op = _ALIASES.get(match.group(1).lower(), match.group(1).lower())
            i += match.end()
        if i < n and text[i] == '"':
            value, i = _phrase(text, i + 1)
            out.append(_Tok("word", op or "text", value, phrase=True))
            continue
        start = i
        while i < n and not text[i].isspace() and text[i] not in "()":
            i += 1
        value = text[start:i]
        if not op and value == "OR":
            out.append(_Tok("or"))
        elif not op and value == "AND":
            continue
        elif value or op:
            out.append(_Tok("word", op or "text", value))
    return out, truncated


def _phrase(text: str, i: int) -> tuple[str, int]:
    """A quoted phrase from just after its opening quote; `\\"` and `\\\\` escape. An
    unclosed phrase runs to the end."""
    chars: list[str] = []
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and text[i + 1] in '"\\':
            chars.append(text[i + 1])
            i += 2
            continue
        if ch == '"':
            return "".join(chars), i + 1
        chars.append(ch)
        i += 1
    return "".join(chars), i


# -- grammar: and := or*; or := unary ("OR" unary)*; unary := "-" unary | "(" and ")" | word

class _Parser:
    def __init__(self, tokens: list[_Tok], today: date) -> None:
        self.tokens = tokens
        self.pos = 0
        self.terms = 0
        self.truncated = False
        self.errors: list[Term] = []
        self.today = today

    def peek(self) -> _Tok | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def parse_and(self, depth: int) -> list[Node]:
        nodes: list[Node] = []
        while (tok := self.peek()) is not None:
            if tok.kind == "close":
                if depth > 0:
                    return nodes
                self.pos += 1  # an unmatched ")" is dropped
                continue
            if tok.kind == "or":
                self.pos += 1  # an OR with nothing on its left is dropped
                continue
            node = self.parse_or(depth)
            if node is not None:
                nodes.append(node)
        return nodes

    def parse_or(self, depth: int) -> Node | None:
        first = self.parse_unary(depth)
        alternatives = [first] if first is not None else []
        while (tok := self.peek()) is not None and tok.kind == "or":
            self.pos += 1
            nxt = self.parse_unary(depth)
            if nxt is not None:
                alternatives.append(nxt)
        if not alternatives:
            return None
        return alternatives[0] if len(alternatives) == 1 else Or(tuple(alternatives))

    def parse_unary(self, depth: int) -> Node | None:
        tok = self.peek()
        if tok is None:
            return None
        if tok.kind == "not":
            self.pos += 1
            inner = self.parse_unary(depth)
            if inner is None:
                return None
            return inner.node if isinstance(inner, Not) else Not(inner)
        if tok.kind == "open":
            self.pos += 1
            if depth + 1 > MAX_DEPTH:
                self.truncated = True
                nodes = self.parse_and(depth + 1)
                group: Node | None = Group(tuple(nodes)) if nodes else None
            else:
                nodes = self.parse_and(depth + 1)
                # One term needs no group; an OR keeps it, so "-(a OR b)" stays one thing.
                group = (nodes[0] if len(nodes) == 1 and not isinstance(nodes[0], Or) else Group(tuple(nodes))) if nodes else None
            if (close := self.peek()) is not None and close.kind == "close":
                self.pos += 1
            return group if depth + 1 <= MAX_DEPTH else None
        if tok.kind in ("close", "or"):
            return None
        self.pos += 1
        if self.terms >= MAX_TERMS:
            self.truncated = True
            return None
        self.terms += 1
        value = tok.value
        if len(value) > MAX_VALUE_CHARS:
            value = value[:MAX_VALUE_CHARS]
            self.truncated = True
        term = _checked(Term(tok.op, value, phrase=tok.phrase), self.today)
        if term.error:
            self.errors.append(term)
        return term


def _checked(term: Term, today: date) -> Term:
    """The term with `error` set when its operator cannot use the value."""
    op, value = term.op, term.value
    low = value.lower()
    if op == "text":
        return term if value.strip() else Term(op, value, term.phrase, "empty")
    if op in ("from", "to", "cc", "bcc", "subject"):
        return term if value.strip() else Term(op, value, term.phrase, "empty")
    if op == "is":
        return Term(op, low) if low in IS_VALUES else Term(op, value, term.phrase, "is")
    if op == "has":
        return Term(op, low) if low in HAS_VALUES else Term(op, value, term.phrase, "has")
    if op == "label":
        return term if _LABEL.match(value) else Term(op, value, term.phrase, "label")
    if op == "in":
        return term if value.strip() else Term(op, value, term.phrase, "in")
    if op in ("before", "after"):
        return term if parse_date(value) is not None else Term(op, value, term.phrase, "date")
    if op in ("older_than", "newer_than"):
        return term if age_date(value, today) is not None else Term(op, value, term.phrase, "age")
    if op in ("larger", "smaller"):
        return term if parse_size(value) is not None else Term(op, value, term.phrase, "size")
    return term


def parse_date(value: str) -> date | None:
    """`2025-03-01`, `2025/3/1`, `2025.03.01`."""
    match = _DATE.match(value.strip())
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def age_date(value: str, today: date) -> date | None:
    """The day `7d`, `2w`, `3m` (30 days each) or `1y` (365 days) before today."""
    match = _AGE.match(value.strip())
    if not match:
        return None
    days = int(match.group(1)) * {"d": 1, "w": 7, "m": 30, "y": 365}[match.group(2).lower()]
    try:
        return today - timedelta(days=days)
    except OverflowError:
        return None


def parse_size(value: str) -> int | None:
    """Bytes of `500`, `20K`, `5M`, `1G` (powers of 1024), at most what IMAP's number holds."""
    match = _SIZE.match(value.strip())
    if not match:
        return None
    size = int(match.group(1)) * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[match.group(2).lower()]
    return size if size <= 2**32 - 1 else None


def parse_query(text: str | None, *, today: date | None = None) -> ParsedQuery:
    """Parse what a person typed. Never raises; anything unusable is dropped or marked."""
    tokens, truncated = _tokens(text or "")
    parser = _Parser(tokens, today or date.today())
    nodes = parser.parse_and(0)
    return ParsedQuery(tuple(nodes), truncated or parser.truncated, tuple(parser.errors))


# -- back to text (chips, and the query without one chip) ---------------------

_BARE = re.compile(r'^[^\s()"\\]+$')


def _quoted(value: str, *, force: bool = False) -> str:
    if not force and _BARE.match(value) and not value.startswith("-") and value != "OR" and value != "AND":
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def node_text(node: Node) -> str:
    """The query text of a node; parsing it again gives the same node."""
    if isinstance(node, Term):
        value = _quoted(node.value, force=node.phrase or not node.value)
        if node.op == "text":
            # A bare word that looks like an operator is quoted so it stays a word.
            if not node.phrase and re.match(r"^[A-Za-z_]+:", node.value):
                value = _quoted(node.value, force=True)
            return value
        return f"{node.op}:{value}"
    if isinstance(node, Not):
        return "-" + node_text(node.node)
    if isinstance(node, Or):
        return " OR ".join(node_text(n) for n in node.nodes)
    return "(" + " ".join(node_text(n) for n in node.nodes) + ")"


#: The advanced form's fields, each one operator (`words` are free words, `is`/`has` flags).
FORM_FIELDS = ("words", "from", "to", "subject", "label", "in", "after", "before", "larger", "smaller")


def query_from_fields(fields: dict[str, str], *, unread: bool = False, flagged: bool = False, attachment: bool = False) -> str:
    """The query text the advanced search form stands for: what a person could have typed."""
    parts: list[str] = []
    for name in FORM_FIELDS:
        value = _CONTROL.sub(" ", (fields.get(name) or "")).strip()[:MAX_VALUE_CHARS]
        if not value:
            continue
        if name == "words":
            parts.append(value)
        else:
            parts.append(f"{name}:{_quoted(value)}")
    parts += [flag for flag, on in (("is:unread", unread), ("is:flagged", flagged), ("has:attachment", attachment)) if on]
    return " ".join(parts)
