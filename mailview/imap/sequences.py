"""UID sets as text: compact runs for the wire, and sequence lists read back. Pure."""
from __future__ import annotations

from collections.abc import Iterable


def uid_set_text(uids: Iterable[int]) -> str:
    """[1, 2, 3, 7] → `1:3,7`: a compact UID set for thousands of search results."""
    ordered = sorted({int(u) for u in uids})
    runs: list[list[int]] = []
    for uid in ordered:
        if runs and uid == runs[-1][1] + 1:
            runs[-1][1] = uid
        else:
            runs.append([uid, uid])
    return ",".join(f"{a}:{b}" if a != b else str(a) for a, b in runs)


def parse_sequence_list(text: str) -> list[int]:
    """`5,3:1,9` → [5, 3, 2, 1, 9]: an ESEARCH result in sort order (ranges may run downwards)."""
    out: list[int] = []
    for item in text.split(","):
        if not item:
            continue
        if ":" in item:
            start, end = (int(x) for x in item.split(":", 1))
            step = 1 if end >= start else -1
            out.extend(range(start, end + step, step))
        else:
            out.append(int(item))
    return out


def esearch_all(data: object) -> list[int]:
    """The UIDs of an ESEARCH answer's `ALL <sequence-set>` (none when it has no ALL: nothing
    matched), from imapclient's raw untagged data (bytes, or a list of them)."""
    items = data if isinstance(data, list | tuple) else [data]
    text = b" ".join(i for i in items if isinstance(i, bytes)).decode("ascii", "replace").split()
    for index, token in enumerate(text):
        if token.upper() == "ALL" and index + 1 < len(text):
            return parse_sequence_list(text[index + 1])
    return []


# UID runs per command: a compact set of this many runs stays far below Dovecot's
# 64 kB command line limit however scattered the UIDs are.
_RUNS_PER_COMMAND = 2000


def _uid_chunks(uids: list[int] | str) -> list[str]:
    """UID set strings of at most `_RUNS_PER_COMMAND` runs each (a set string as it is)."""
    if isinstance(uids, str):
        return [uids] if uids else []
    runs = uid_set_text(uids).split(",") if uids else []
    return [",".join(runs[i : i + _RUNS_PER_COMMAND]) for i in range(0, len(runs), _RUNS_PER_COMMAND)]
