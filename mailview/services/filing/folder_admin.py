"""Folder management: create, rename (or move under another folder), delete, subscribe.

Special-use folders (Inbox, Drafts, Sent, Archive, Junk, Trash) are protected from
renaming and deletion: other mail clients find them by their role.
"""
from __future__ import annotations

from django.utils.translation import gettext as _

from mailview.imap.connection import ImapConnection
from mailview.services.reading.folders import SPECIAL_USE_ORDER, build_tree, flatten, special_by_name


class FolderRefused(Exception):
    pass


def _existing(imap: ImapConnection) -> dict[str, object]:
    raw = imap.list_folders(with_status=False)
    return {f.name: f for f in flatten(build_tree(raw, special=special_by_name(raw)))}


def _top_level(imap: ImapConnection, leaf: str) -> str:
    """A new top-level folder goes under the personal namespace (Courier: `INBOX.` + leaf)."""
    return imap.personal_namespace().prefix + leaf


def _check_leaf(name: str, delimiter: str) -> str:
    name = name.strip()
    if not name:
        raise FolderRefused(_("Give the folder a name."))
    if delimiter and delimiter in name:
        raise FolderRefused(_("A folder name cannot contain “%(d)s”; choose a parent folder instead.") % {"d": delimiter})
    return name


def _full_name(parent: str, leaf: str, delimiter: str) -> str:
    return f"{parent}{delimiter}{leaf}" if parent else leaf


def folder_create(*, imap: ImapConnection, name: str, parent: str = "") -> str:
    delimiter = imap.hierarchy_delimiter()
    existing = _existing(imap)
    if parent and parent not in existing:
        raise FolderRefused(_("The parent folder does not exist."))
    leaf = _check_leaf(name, delimiter)
    full = _full_name(parent, leaf, delimiter) if parent else _top_level(imap, leaf)
    if full in existing:
        raise FolderRefused(_("A folder with that name already exists."))
    imap.create_folder(full)
    imap.subscribe_folder(full)
    return full


def _protected(existing: dict[str, object], folder: str) -> bool:
    info = existing.get(folder)
    return folder.upper() == "INBOX" or (info is not None and getattr(info, "special_use", None) in SPECIAL_USE_ORDER)


def _parent_of(folder: str, delimiter: str) -> str:
    return folder.rsplit(delimiter, 1)[0] if delimiter and delimiter in folder else ""


def folder_rename(*, imap: ImapConnection, folder: str, new_name: str, parent: str | None = None) -> str:
    """Rename `folder` to `new_name` under `parent` ("" = top level). Without a parent it
    stays where it is: renaming `Work/Projects` to `Plans` gives `Work/Plans`."""
    delimiter = imap.hierarchy_delimiter()
    existing = _existing(imap)
    if folder not in existing:
        raise FolderRefused(_("That folder does not exist."))
    if parent is None:
        parent = _parent_of(folder, delimiter)
    if _protected(existing, folder):
        raise FolderRefused(_("Special folders cannot be renamed."))
    if parent and parent not in existing:
        raise FolderRefused(_("The parent folder does not exist."))
    if parent == folder or (parent and parent.startswith(folder + delimiter)):
        raise FolderRefused(_("A folder cannot be moved into itself."))
    leaf = _check_leaf(new_name, delimiter)
    full = _full_name(parent, leaf, delimiter) if parent else _top_level(imap, leaf)
    if full in existing:
        raise FolderRefused(_("A folder with that name already exists."))
    imap.rename_folder(folder, full)
    imap.subscribe_folder(full)
    return full


def folder_delete(*, imap: ImapConnection, folder: str) -> None:
    existing = _existing(imap)
    if folder not in existing:
        raise FolderRefused(_("That folder does not exist."))
    if _protected(existing, folder):
        raise FolderRefused(_("Special folders cannot be deleted."))
    delimiter = imap.hierarchy_delimiter()
    # Children first: servers refuse (or orphan) a parent that still has children.
    children = sorted((n for n in existing if n.startswith(folder + delimiter)), key=len, reverse=True)
    for name in [*children, folder]:
        imap.subscribe_folder(name, subscribed=False)
        imap.delete_folder(name)


def folder_subscribe(*, imap: ImapConnection, folder: str, subscribed: bool) -> None:
    existing = _existing(imap)
    if folder not in existing:
        raise FolderRefused(_("That folder does not exist."))
    if folder.upper() == "INBOX" and not subscribed:
        raise FolderRefused(_("The inbox is always shown."))
    imap.subscribe_folder(folder, subscribed=subscribed)
