"""The folder tree: LIST (+STATUS) turned into a sorted, nested, display-ready tree."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace

from django.utils.translation import gettext_lazy as _

from mailview.imap.connection import ImapConnection, RawFolder, SelectedFolder
from mailview.services.live.state import FolderState
from mailview.services.special_folders import USES, special_folder_choices, special_folders_of

# Special-use folders come first, in this order, with localized names and an icon.
SPECIAL_USE_ORDER = ["inbox", "drafts", "sent", "archive", "junk", "trash"]
SPECIAL_USE_LABELS = {
    "inbox": _("Inbox"),
    "drafts": _("Drafts"),
    "sent": _("Sent"),
    "archive": _("Archive"),
    "junk": _("Junk"),
    "trash": _("Trash"),
    "all": _("All mail"),
    "flagged": _("Flagged"),
}
# Symbols in static/img/icons.svg (no emoji: not every system has a colour emoji font).
ICONS = {
    "inbox": "inbox",
    "drafts": "drafts",
    "sent": "sent",
    "archive": "archive",
    "junk": "junk",
    "trash": "trash",
    "all": "all",
    "flagged": "flagged",
    None: "folder",
}


@dataclass
class FolderInfo:
    name: str  # the full IMAP name, decoded from modified UTF-7
    display_name: str
    depth: int
    special_use: str | None
    selectable: bool
    subscribed: bool
    messages: int | None
    unseen: int | None
    children: list[FolderInfo] = field(default_factory=list)

    @property
    def icon(self) -> str:
        return ICONS.get(self.special_use, ICONS[None])


def _special_use(folder: RawFolder, special: dict[str, str] | None = None) -> str | None:
    if folder.name.upper() == "INBOX":
        return "inbox"
    if special is not None and folder.name in special:
        return special[folder.name]
    for attribute in folder.attributes:
        name = attribute.lstrip("\\")
        if name in SPECIAL_USE_LABELS and name != "inbox" and (special is None or name not in special.values()):
            return name
    return None


def _sort_key(folder: FolderInfo) -> tuple[int, str]:
    if folder.depth == 0 and folder.special_use in SPECIAL_USE_ORDER:
        return (SPECIAL_USE_ORDER.index(folder.special_use), "")
    return (len(SPECIAL_USE_ORDER), folder.display_name.casefold())


def build_tree(
    raw_folders: list[RawFolder], *, include_unsubscribed: bool = True, personal_prefix: str = "", special: dict[str, str] | None = None
) -> list[FolderInfo]:
    """Nest by hierarchy delimiter; sort special-use first, then by name.

    Pure function over LIST results, so it is unit-tested without a server.
    A folder whose parent was not listed gets a non-selectable placeholder parent.
    Folders right under a personal namespace prefix such as Courier's `INBOX.` show at the
    top level (beside the inbox, not in it). `special` (folder name → use, from
    `special_folders`) marks special folders found by name as well as by attribute.
    """
    by_name: dict[str, FolderInfo] = {}
    delimiter_of: dict[str, str | None] = {}
    for raw in raw_folders:
        if "\\nonexistent" in raw.attributes:
            continue
        subscribed = "\\subscribed" in raw.attributes or raw.name.upper() == "INBOX"
        if not include_unsubscribed and not subscribed:
            continue
        special_use = _special_use(raw, special)
        leaf = raw.name.rsplit(raw.delimiter, 1)[-1] if raw.delimiter else raw.name
        by_name[raw.name] = FolderInfo(
            name=raw.name,
            display_name=str(SPECIAL_USE_LABELS[special_use]) if special_use else leaf,
            depth=0,
            special_use=special_use,
            selectable="\\noselect" not in raw.attributes,
            subscribed=subscribed,
            messages=raw.messages,
            unseen=raw.unseen,
        )
        delimiter_of[raw.name] = raw.delimiter

    roots: list[FolderInfo] = []
    for name in list(by_name):
        _attach(by_name[name], by_name, delimiter_of, roots, personal_prefix)

    def finish(nodes: list[FolderInfo], depth: int) -> None:
        for node in nodes:
            node.depth = depth
            if depth > 0 and node.special_use == "inbox":
                node.special_use = None
        nodes.sort(key=_sort_key)
        for node in nodes:
            finish(node.children, depth + 1)

    finish(roots, 0)
    return roots


def _attach(
    node: FolderInfo, by_name: dict[str, FolderInfo], delimiter_of: dict[str, str | None], roots: list[FolderInfo], personal_prefix: str = ""
) -> None:
    delimiter = delimiter_of.get(node.name)
    if not delimiter or delimiter not in node.name:
        roots.append(node)
        return
    parent_name = node.name.rsplit(delimiter, 1)[0]
    if personal_prefix and parent_name + delimiter == personal_prefix:
        roots.append(node)  # `INBOX.Work` is a top-level folder on Courier
        return
    parent = by_name.get(parent_name)
    if parent is None:
        parent = FolderInfo(
            name=parent_name,
            display_name=parent_name.rsplit(delimiter, 1)[-1],
            depth=0,
            special_use=None,
            selectable=False,
            subscribed=False,
            messages=None,
            unseen=None,
        )
        by_name[parent_name] = parent
        delimiter_of[parent_name] = delimiter
        _attach(parent, by_name, delimiter_of, roots, personal_prefix)
    parent.children.append(node)


def flatten(tree: list[FolderInfo]) -> list[FolderInfo]:
    """Depth-first, display order: what the sidebar renders as an indented list."""
    out: list[FolderInfo] = []
    for node in tree:
        out.append(node)
        out.extend(flatten(node.children))
    return out


def folder_tree(
    *, imap: ImapConnection, include_unsubscribed: bool = False, max_age: float = 0.0, user_key: str = "",
    known: dict[str, FolderState] | None = None,
) -> list[FolderInfo]:
    """The user's folders with message and unread counts. Needs a checked-out connection.

    `max_age` > 0 lets a page that is not about the folders (a message) reuse the
    connection's listing of the last few seconds, unless something changed through it.
    Special folders come from the one resolver (with the person's choices, given `user_key`).

    `known`: the folder states the live sync keeps, given only while a watcher watches the
    person (`services.live.state.folder_states_trusted`). When every folder shown has one,
    the counts come from them and the server is asked for the tree alone (LIST, no STATUS)."""
    if known is not None:
        listing = imap.list_folders(with_status=False)
        shown = [f for f in listing if include_unsubscribed or "\\subscribed" in f.attributes or f.name.upper() == "INBOX"]
        if all(f.name in known for f in shown if not f.attributes & {"\\noselect", "\\nonexistent"}):
            counted = [replace(f, messages=known[f.name].messages, unseen=known[f.name].unseen) if f.name in known else f for f in listing]
            return _tree(imap, counted, include_unsubscribed=include_unsubscribed, user_key=user_key)
    return _tree(imap, imap.list_folders(with_status=True, max_age=max_age), include_unsubscribed=include_unsubscribed, user_key=user_key)


def _tree(imap: ImapConnection, raw: list[RawFolder], *, include_unsubscribed: bool, user_key: str) -> list[FolderInfo]:
    return build_tree(
        raw, include_unsubscribed=include_unsubscribed, personal_prefix=tree_prefix(imap=imap, raw=raw),
        special=special_by_name(raw, user_key=user_key),
    )


def tree_prefix(*, imap: ImapConnection, raw: list[RawFolder]) -> str:
    """The personal namespace prefix when it is under the inbox (Courier's `INBOX.`), else "".
    NAMESPACE is asked only when some folder is under the inbox (once per connection)."""
    if not any(f.delimiter and f.name.upper().startswith("INBOX" + f.delimiter) for f in raw):
        return ""
    prefix = imap.personal_namespace().prefix
    return prefix if prefix.upper().startswith("INBOX") else ""


def special_by_name(raw: list[RawFolder], *, user_key: str = "") -> dict[str, str]:
    """Folder name → special use ("drafts", "trash", ...), as the one resolver finds them."""
    found = special_folders_of(raw, chosen=special_folder_choices(user_key=user_key))
    return {name: use for use in USES if (name := getattr(found, use))}


def folders_without_state(folders: list[FolderInfo], known: dict[str, FolderState]) -> list[str]:
    """The selectable folders of a tree that the live sync keeps no (trusted) state of."""
    return [f.name for f in folders if f.selectable and f.name not in known]


def folder_state_token(selected: SelectedFolder, folders: list[FolderInfo]) -> str:
    """A short token that changes whenever the open folder's content or flags change, or
    any folder's counts in the tree do (mail delivered or read elsewhere)."""
    counts = "|".join(f"{f.name}:{f.messages}:{f.unseen}" for f in folders)
    digest = hashlib.sha256(counts.encode()).hexdigest()[:12]
    return f"{selected.uidvalidity}-{selected.uidnext}-{selected.exists}-{selected.highestmodseq or 0}-{digest}"


def folder_change_token(
    *, imap: ImapConnection, folder: str, include_unsubscribed: bool = False, known: dict[str, FolderState] | None = None
) -> str:
    """The open list's `folder_state_token` now: asks the server for changes made
    elsewhere (one NOOP) and the tree's counts.

    `known` (the kept folder states while a watcher watches the person, as for the list page):
    the counts and the folder's numbers come from them, so the server is asked for the tree
    alone (LIST, no STATUS, no NOOP), and the token is the one the list page shows for the
    same state."""
    folders = flatten(folder_tree(imap=imap, include_unsubscribed=include_unsubscribed, known=known))
    state = known.get(folder) if known is not None else None
    if state is not None:
        selected = SelectedFolder(
            name=folder, readonly=True, uidvalidity=state.uidvalidity, exists=state.messages, uidnext=state.uidnext,
            highestmodseq=state.highestmodseq,
        )
    else:
        selected = imap.select(folder, readonly=True, refresh=True)
    return folder_state_token(selected, folders)


def folder_unread_count(*, imap: ImapConnection, folder: str) -> int:
    """How many messages in the folder are unread (STATUS UNSEEN)."""
    return imap.folder_status(folder).get("UNSEEN", 0)
