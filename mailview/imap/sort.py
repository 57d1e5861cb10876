"""Sorted message lists: the SORT keys of the list's columns and one ESORT page."""
from __future__ import annotations

from imapclient import IMAPClient
from imapclient.response_parser import parse_response

from .sequences import parse_sequence_list

SORT_KEYS = {"date": b"ARRIVAL", "from": b"FROM", "to": b"TO", "subject": b"SUBJECT", "size": b"SIZE"}


def esort_page(client: IMAPClient, criteria: bytes, first: int, last: int, keys: list[bytes] | None = None) -> tuple[int, list[int]]:
    """UID SORT RETURN (COUNT PARTIAL first:last): the page's UIDs and the total, one round trip."""
    args = [b"RETURN", f"(COUNT PARTIAL {first}:{last})".encode(), b"(" + criteria + b")", b"UTF-8", *(keys or [b"ALL"])]
    data = client._raw_command_untagged(b"SORT", args, response_name="ESEARCH")  # noqa: SLF001
    items = [d for d in data if d not in (None, b"")]
    parsed = parse_response(items) if items else []
    total, uids = 0, []
    tokens = list(parsed)
    for index, token in enumerate(tokens):
        name = token.upper() if isinstance(token, bytes) else token
        if name == b"COUNT" and index + 1 < len(tokens):
            total = int(tokens[index + 1])
        elif name == b"PARTIAL" and index + 1 < len(tokens):
            window = tokens[index + 1]
            if isinstance(window, tuple) and len(window) == 2 and window[1] is not None:
                found = window[1]
                uids = [found] if isinstance(found, int) else parse_sequence_list(found.decode() if isinstance(found, bytes) else str(found))
    return total, uids


def reverse_arrival_window(total: int, first: int, last: int) -> tuple[int, int] | None:
    """Positions first..last counted from the end of `total`, as an ascending window
    (turned round, it is that page of the descending order); None when the page is past the end."""
    if first > total or last < first:
        return None
    return max(1, total - last + 1), total - first + 1
