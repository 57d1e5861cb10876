"""Conversations: RFC 5256 threads, as the server sends them or built from the headers.

Pure (no I/O): `parse_thread_response` reads imapclient's answer to `UID THREAD`;
`thread_messages` is the REFERENCES algorithm of RFC 5256 section 3 for servers without
`THREAD=REFERENCES`, from each message's Message-ID, In-Reply-To, References, Subject and
Date; `base_subject` is its section 2.1. Both give the same `ThreadNode` forest, so the
conversation code does not care where a thread came from.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class ThreadNode:
    """A message of a thread (or a dummy: `uid` None, a message that is not in the folder)."""

    uid: int | None
    children: list[ThreadNode] = field(default_factory=list)

    def uids(self) -> list[int]:
        """Every UID under this node, in tree (depth-first) order."""
        return [uid for uid, _depth in self.walk()]

    def walk(self, depth: int = 0) -> list[tuple[int, int]]:
        """(UID, depth) in depth-first order; a dummy's children take its place and depth."""
        out: list[tuple[int, int]] = []
        stack: list[tuple[ThreadNode, int]] = [(self, depth)]
        while stack:
            node, level = stack.pop()
            if node.uid is not None:
                out.append((node.uid, level))
                level += 1
            stack.extend((child, level) for child in reversed(node.children))
        return out


def parse_thread_response(data: Iterable[object]) -> list[ThreadNode]:
    """imapclient's `thread()` answer → one `ThreadNode` per thread.

    In `(3 6 (4 23)(44 7 96))` the leading numbers are a chain (3 is 6's parent) and the
    parenthesised tails are the last one's children; `((3)(5))` is a dummy with two
    children (siblings whose parent is not in the folder)."""
    return [_parse_branch(item) for item in data]


def _parse_branch(item: object) -> ThreadNode:
    if isinstance(item, int):
        return ThreadNode(int(item))
    items = list(item) if isinstance(item, (tuple, list)) else []
    chain = [int(x) for x in _leading_ints(items)]
    tails = [_parse_branch(x) for x in items[len(chain):]]
    if not chain:
        if len(tails) == 1:
            return tails[0]
        return ThreadNode(None, tails)
    root = ThreadNode(chain[0])
    node = root
    for uid in chain[1:]:
        child = ThreadNode(uid)
        node.children.append(child)
        node = child
    node.children.extend(tails)
    return root


def _leading_ints(items: Sequence[object]) -> list[int]:
    out: list[int] = []
    for x in items:
        if not isinstance(x, int):
            break
        out.append(x)
    return out


def thread_groups(threads: Iterable[ThreadNode]) -> list[frozenset[int]]:
    """Each thread's set of UIDs (how conversations are compared, whatever their inner order)."""
    return [frozenset(t.uids()) for t in threads]


# -- RFC 5256 section 2.1: the base subject -----------------------------------------------

_BLOB = r"\[[^\[\]]*\]\s*"
_LEADER_REFWD = re.compile(rf"^(?:{_BLOB})*(?:re|fwd?)\s*(?:{_BLOB})?:\s*", re.IGNORECASE)
_LEADING_BLOB = re.compile(rf"^{_BLOB}")
_TRAILER = re.compile(r"(?:\s|\(fwd\))+$", re.IGNORECASE)
_FWD_HEADER = re.compile(r"^\[fwd:(.*)\]$", re.IGNORECASE | re.DOTALL)
_SPACES = re.compile(r"\s+")


def base_subject(subject: str) -> tuple[str, bool]:
    """(the base subject, whether it is a reply or forward) per RFC 5256 section 2.1,
    case-folded so equal subjects compare equal."""
    text = _SPACES.sub(" ", subject or "").strip()
    reply = False
    while True:
        # (2) trailing "(fwd)" and blanks
        trimmed = _TRAILER.sub("", text)
        if trimmed != text and "(fwd)" in text[len(trimmed):].lower():
            reply = True
        text = trimmed
        # (3)-(5) leading "Re:", "Fwd:", "[blob]"s and blanks, repeatedly
        while True:
            before = text
            text = text.lstrip()
            match = _LEADER_REFWD.match(text)
            if match:
                text = text[match.end():]
                reply = True
            blob = _LEADING_BLOB.match(text)
            if blob and text[blob.end():].strip():
                text = text[blob.end():]
            if text == before:
                break
        # (6) "[fwd: ...]"
        fwd = _FWD_HEADER.match(text)
        if not fwd:
            break
        text = fwd.group(1)
        reply = True
    return text.strip().casefold(), reply


# -- RFC 5256 section 3: REFERENCES ---------------------------------------------------------

_MSGID = re.compile(r"<([^<>\s]+)>")


def message_ids(header: str | None) -> list[str]:
    """The `<...>` message ids in a header value, in order, without the brackets."""
    return _MSGID.findall(header or "")


@dataclass(frozen=True)
class ThreadHeaders:
    """What threading needs of one message."""

    uid: int
    message_id: str | None  # without the brackets
    in_reply_to: str | None  # the raw header values
    references: str | None
    subject: str
    date: datetime | None  # the Date header, else the arrival date

    def parent_ids(self) -> list[str]:
        """References, or (without a valid one) the first id of In-Reply-To (RFC 5256 3(1)(A))."""
        refs = message_ids(self.references)
        if refs:
            return refs
        return message_ids(self.in_reply_to)[:1]


class _Container:
    __slots__ = ("children", "message", "parent")

    def __init__(self) -> None:
        self.message: ThreadHeaders | None = None
        self.parent: _Container | None = None
        self.children: list[_Container] = []

    def reaches(self, other: _Container) -> bool:
        """Is `other` this container or one of its descendants? (no loops)"""
        stack = [self]
        while stack:
            node = stack.pop()
            if node is other:
                return True
            stack.extend(node.children)
        return False

    def adopt(self, child: _Container) -> None:
        if child.parent is not None:
            child.parent.children.remove(child)
        child.parent = self
        self.children.append(child)


def thread_messages(messages: Iterable[ThreadHeaders], *, merge_subjects: bool = True) -> list[ThreadNode]:
    """RFC 5256's REFERENCES threading of these messages (`merge_subjects=False`: without its
    step 5, like Dovecot's THREAD=REFS). Threads come in the RFC's order (by the date of
    their first message); siblings by date, then UID."""
    by_id: dict[str, _Container] = {}
    containers: list[_Container] = []
    for message in sorted(messages, key=lambda m: m.uid):
        # (1)(A) link the references, parent before child, never changing an existing link
        parent: _Container | None = None
        for ref in message.parent_ids():
            box = by_id.get(ref)
            if box is None:
                box = by_id[ref] = _Container()
                containers.append(box)
            if parent is not None and box.parent is None and not box.reaches(parent):
                parent.adopt(box)
            parent = box
        # (1)(B) the message's own container (a duplicate or missing id: a unique one)
        own = by_id.get(message.message_id) if message.message_id else None
        if own is None or own.message is not None:
            own = _Container()
            containers.append(own)
            if message.message_id and message.message_id not in by_id:
                by_id[message.message_id] = own
        own.message = message
        # (1)(C) its parent is the last reference (breaking an earlier link), unless a loop
        if parent is not None and not own.reaches(parent):
            parent.adopt(own)
        elif parent is None and own.parent is not None:
            own.parent.children.remove(own)
            own.parent = None
    roots = [c for c in containers if c.parent is None]
    # (3) prune dummies
    roots = _prune(roots, top=True)
    # (4) sort the root set by date
    for root in roots:
        _sort_tree(root)
    roots.sort(key=_sort_key)
    # (5) merge threads by base subject
    if merge_subjects:
        roots = _merge_subjects(roots)
        for root in roots:
            _sort_tree(root)
    return [_to_node(root) for root in roots]


def _prune(nodes: list[_Container], *, top: bool) -> list[_Container]:
    out: list[_Container] = []
    for node in nodes:
        node.children = _prune(node.children, top=False)
        for child in node.children:
            child.parent = node
        if node.message is None:
            if not node.children:
                continue
            if not top or len(node.children) == 1:
                for child in node.children:
                    child.parent = None
                out.extend(node.children)
                continue
        out.append(node)
    return out


def _first_message(node: _Container) -> ThreadHeaders | None:
    while node.message is None and node.children:
        node = node.children[0]
    return node.message


def _sort_key(node: _Container) -> tuple[float, int]:
    message = _first_message(node)
    if message is None:
        return (0.0, 0)
    return (message.date.timestamp() if message.date else 0.0, message.uid)


def _sort_tree(node: _Container) -> None:
    for child in node.children:
        _sort_tree(child)
    node.children.sort(key=_sort_key)


def _merge_subjects(roots: list[_Container]) -> list[_Container]:
    table: dict[str, _Container] = {}
    subjects: dict[int, tuple[str, bool]] = {}
    for root in roots:
        message = _first_message(root)
        if message is None:
            continue
        subject, reply = subjects[id(root)] = base_subject(message.subject)
        if not subject:
            continue
        old = table.get(subject)
        if old is None or (root.message is None and old.message is not None) or (
            old.message is not None and root.message is not None and subjects[id(old)][1] and not reply
        ):
            table[subject] = root
    kept: list[_Container] = []
    for root in roots:
        subject, reply = subjects.get(id(root), ("", False))
        other = table.get(subject) if subject else None
        if other is None or other is root:
            kept.append(root)
            continue
        if other.message is None and root.message is None:
            for child in list(root.children):
                other.adopt(child)
        elif other.message is None:
            other.adopt(root)
        elif root.message is None:
            # the dummy takes the message in the table, and the table now points at the dummy
            position = kept.index(other) if other in kept else None
            root.adopt(other)
            table[subject] = root
            if position is not None:
                kept[position] = root
            else:
                kept.append(root)
        elif not subjects[id(other)][1] and reply:
            other.adopt(root)
        else:
            dummy = _Container()
            position = kept.index(other) if other in kept else None
            dummy.adopt(other)
            dummy.adopt(root)
            subjects[id(dummy)] = (subject, False)
            table[subject] = dummy
            if position is not None:
                kept[position] = dummy
            else:
                kept.append(dummy)
    return kept


def _to_node(container: _Container) -> ThreadNode:
    return ThreadNode(container.message.uid if container.message else None, [_to_node(c) for c in container.children])
