"""Special folders (Drafts, Sent, Archive, Junk, Trash): the one resolver, for every caller
(the folder tree, filing, drafts, sending, compose).

In this order: the person's own choice (settings, as in Roundcube) when that folder
exists; then the folder's SPECIAL-USE attribute (RFC 6154); then the usual names (Sent /
Sent Items / Sent Messages, Trash / Deleted Items / Deleted Messages, Junk / Spam, Drafts,
Archive), matched on the last level of the name (Courier's `INBOX.Trash`). Needs a
checked-out session. With a `user_key` the answer is cached per user for a few minutes
(compose asks on every save) and the person's choices apply.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache

from accounts.models import UserSettings
from mailview.imap.connection import ImapConnection, RawFolder
from mailview.imap.errors import ImapProtocolError

CACHE_SECONDS = 600
USES = ("drafts", "sent", "archive", "junk", "trash")
_FALLBACK_NAMES = {
    "drafts": ("drafts", "draft", "entwürfe"),
    "sent": ("sent", "sent items", "sent messages", "sent mail", "gesendet", "gesendete objekte"),
    "trash": ("trash", "deleted items", "deleted messages", "papierkorb", "gelöschte elemente"),
    "junk": ("junk", "spam", "junk e-mail", "junk email"),
    "archive": ("archive", "archives", "archiv"),
}
# The name a missing special folder is created with (under the personal namespace).
DEFAULT_NAMES = {"drafts": "Drafts", "sent": "Sent", "trash": "Trash", "junk": "Junk", "archive": "Archive"}


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


def special_folders_of(folders: list[RawFolder], *, chosen: dict[str, str] | None = None) -> SpecialFolders:
    """The special folders among LIST results (pure): the person's choice (`chosen`, use →
    folder name) if that folder is there, else by attribute, else by a usual name."""
    found: dict[str, str | None] = {}
    selectable = [f for f in folders if _selectable(f)]
    names = {f.name for f in selectable}
    for use in USES:
        choice = (chosen or {}).get(use) or ""
        found[use] = choice if choice in names else None
        if found[use] is None:
            found[use] = next((f.name for f in selectable if f"\\{use}" in f.attributes), None)
        if found[use] is None:
            # Shallowest first: `INBOX.Trash` before `Work.Trash`.
            candidates = sorted(
                (f for f in selectable if _leaf_name(f).casefold() in _FALLBACK_NAMES[use]),
                key=lambda f: (f.name.count(f.delimiter) if f.delimiter else 0, _FALLBACK_NAMES[use].index(_leaf_name(f).casefold())),
            )
            found[use] = candidates[0].name if candidates else None
    delimiter = next((f.delimiter for f in folders if f.name.upper() == "INBOX" and f.delimiter), None) or "/"
    return SpecialFolders(**found, delimiter=delimiter)


def special_folder_choices(*, user_key: str) -> dict[str, str]:
    """The person's own choices (settings), use → folder name; empty ones are left out."""
    if not user_key:
        return {}
    row = UserSettings.objects.filter(user_id=user_key).values(*(f"{use}_folder" for use in USES)).first()
    return {use: row[f"{use}_folder"] for use in USES if row and row[f"{use}_folder"]}


def special_folders(*, imap: ImapConnection, user_key: str = "", refresh: bool = False) -> SpecialFolders:
    """Every special folder of this mailbox (cached per user when `user_key` is given)."""
    if user_key and not refresh:
        cached = cache.get(_cache_key(user_key))
        if isinstance(cached, SpecialFolders):
            return cached
    result = special_folders_of(imap.list_folders(with_status=False), chosen=special_folder_choices(user_key=user_key))
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


def special_folder_ensure(*, imap: ImapConnection, user_key: str, use: str, refresh: bool = False) -> str:
    """The folder for `use` (drafts, sent, trash, junk or archive), created (and subscribed)
    under the personal namespace when the server has none: Courier's `INBOX.Drafts`.
    `refresh` asks the server instead of the cache (filing: folders may have been renamed)."""
    folders = special_folders(imap=imap, user_key=user_key, refresh=refresh)
    name: str | None = getattr(folders, use)
    if name:
        return name
    namespace = imap.personal_namespace()
    name = namespace.prefix + DEFAULT_NAMES[use]
    imap.create_folder(name)
    try:
        imap.subscribe_folder(name)
    except ImapProtocolError:
        pass  # still usable; the tree shows unsubscribed folders on the folders page
    special_folders_forget(user_key=user_key)
    return name


def special_folder_options(*, imap: ImapConnection, user_key: str) -> tuple[list[str], SpecialFolders, dict[str, str]]:
    """For the settings page: the selectable folders, what each use resolves to without
    the person's choice, and their choices."""
    folders = imap.list_folders(with_status=False)
    names = sorted((f.name for f in folders if _selectable(f) and f.name.upper() != "INBOX"), key=str.casefold)
    return names, special_folders_of(folders), special_folder_choices(user_key=user_key)


def special_folder_choose(*, user_key: str, choices: dict[str, str]) -> None:
    """Store the person's choices (use → folder name, "" for automatic) and drop the cache."""
    UserSettings.objects.update_or_create(
        user_id=user_key, defaults={f"{use}_folder": choices.get(use, "") for use in USES}
    )
    special_folders_forget(user_key=user_key)
