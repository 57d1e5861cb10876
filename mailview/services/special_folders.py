"""Special folders (Drafts, Sent, Archive, Junk, Trash): the one lookup, for filing and compose.

Found by their SPECIAL-USE attributes (RFC 6154); Drafts and Sent also by a usual
name when the server marks none (compose needs them, and creates them if missing).
Needs a checked-out session. With a `user_key` the answer is cached per user for a
few minutes (compose asks on every save); filing asks without one.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache

from mailview.imap.connection import ImapConnection, RawFolder

CACHE_SECONDS = 600
USES = ("drafts", "sent", "archive", "junk", "trash")
_FALLBACK_NAMES = {"drafts": ("drafts", "draft", "entwürfe"), "sent": ("sent", "sent items", "sent messages", "gesendet")}


@dataclass(frozen=True)
class SpecialFolders:
    drafts: str | None
    sent: str | None
    archive: str | None
    junk: str | None
    trash: str | None
    delimiter: str


def _cache_key(user_key: str) -> str:
    return f"special-folders:{user_key}"


def _selectable(folder: RawFolder) -> bool:
    return "\\noselect" not in folder.attributes


def _leaf_name(folder: RawFolder) -> str:
    """`Work/Drafts` → `Drafts`: the usual names are matched on the last level."""
    return folder.name.rsplit(folder.delimiter, 1)[-1] if folder.delimiter else folder.name


def special_folders_of(folders: list[RawFolder]) -> SpecialFolders:
    """The special folders among LIST results (pure)."""
    found: dict[str, str | None] = {}
    for use in USES:
        found[use] = next((f.name for f in folders if f"\\{use}" in f.attributes and _selectable(f)), None)
        if found[use] is None and use in _FALLBACK_NAMES:
            found[use] = next(
                (f.name for f in folders if _selectable(f) and _leaf_name(f).casefold() in _FALLBACK_NAMES[use]),
                None,
            )
    delimiter = next((f.delimiter for f in folders if f.name.upper() == "INBOX" and f.delimiter), None) or "/"
    return SpecialFolders(**found, delimiter=delimiter)


def special_folders(*, imap: ImapConnection, user_key: str = "", refresh: bool = False) -> SpecialFolders:
    """Every special folder of this mailbox (cached per user when `user_key` is given)."""
    if user_key and not refresh:
        cached = cache.get(_cache_key(user_key))
        if isinstance(cached, SpecialFolders):
            return cached
    result = special_folders_of(imap.list_folders(with_status=False))
    if user_key:
        cache.set(_cache_key(user_key), result, CACHE_SECONDS)
    return result


def special_folders_forget(*, user_key: str) -> None:
    """Drop the cached answer (a special folder was created, or has gone)."""
    cache.delete(_cache_key(user_key))


def special_folder(imap: ImapConnection, use: str, *, user_key: str = "", refresh: bool = False) -> str | None:
    """The folder for `use` ("inbox", "drafts", "sent", "archive", "junk", "trash"), or None."""
    if use == "inbox":
        return "INBOX"
    found: str | None = getattr(special_folders(imap=imap, user_key=user_key, refresh=refresh), use)
    return found


def special_folder_ensure(*, imap: ImapConnection, user_key: str, use: str) -> str:
    """The folder for `use` ("drafts" or "sent"), created when the server has none."""
    folders = special_folders(imap=imap, user_key=user_key)
    name: str | None = getattr(folders, use)
    if name:
        return name
    names = [f.name for f in imap.list_folders(with_status=False)]
    # Servers that keep every folder under INBOX (Courier, old Cyrus) need the prefix.
    under_inbox = all(n.upper() == "INBOX" or n.upper().startswith(f"INBOX{folders.delimiter}") for n in names)
    prefix = f"INBOX{folders.delimiter}" if len(names) > 1 and under_inbox else ""
    name = prefix + ("Drafts" if use == "drafts" else "Sent")
    imap.create_folder(name)
    special_folders_forget(user_key=user_key)
    return name
