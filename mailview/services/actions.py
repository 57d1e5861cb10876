"""Filing mail: flags, labels, move, copy, archive, junk, delete, empty, mark folder read.

`message_action_apply` runs one action on the IMAP server and is safe to run twice
(Celery redelivers a task whose worker died): flag changes are idempotent, MOVE of
UIDs that already left the folder does nothing, permanent deletion expunges exactly
the given UIDs, and a COPY checks whether it already happened (`copy_guard`).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from django.core.cache import cache

from mailview.imap.connection import ImapConnection, UidSet
from mailview.imap.errors import ImapProtocolError, InvalidImapInput, MailboxNotFound

FLAG_ACTIONS = {
    "read": ("add", "\\Seen"),
    "unread": ("remove", "\\Seen"),
    "flag": ("add", "\\Flagged"),
    "unflag": ("remove", "\\Flagged"),
}
MOVE_ACTIONS = {"move", "archive", "junk", "notjunk", "delete"}
UNDOABLE = MOVE_ACTIONS
KINDS = set(FLAG_ACTIONS) | MOVE_ACTIONS | {"copy", "label_add", "label_remove", "delete_permanently", "empty", "mark_folder_read"}


class ActionRefused(Exception):
    """The server or the rules refused the action (no such folder, protected folder, quota)."""


@dataclass
class ActionResult:
    ok: bool
    kind: str
    folder: str
    target: str | None = None
    count: int = 0
    moved: dict[str, int] = field(default_factory=dict)  # old UID (as text, for JSON) → new UID
    error: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def special_folder(imap: ImapConnection, use: str) -> str | None:
    """The folder with a special-use attribute (`archive`, `junk`, `trash`, `drafts`, `sent`)."""
    if use == "inbox":
        return "INBOX"
    for folder in imap.list_folders(with_status=False):
        if f"\\{use}" in folder.attributes:
            return folder.name
    return None


def _target_for(imap: ImapConnection, kind: str, target: str | None) -> str:
    if kind in ("move", "copy"):
        if not target:
            raise ActionRefused("no target folder")
        return target
    use = {"archive": "archive", "junk": "junk", "delete": "trash", "notjunk": "inbox"}[kind]
    found = special_folder(imap, use)
    if found is None:
        raise ActionRefused(f"there is no {use} folder")
    return found


def message_action_apply(
    *, imap: ImapConnection, action_id: str, kind: str, folder: str, uids: UidSet, target: str | None = None, keyword: str | None = None
) -> ActionResult:
    """Apply one action. Needs a checked-out connection; selects `folder` read-write."""
    if kind not in KINDS:
        raise ActionRefused(f"unknown action {kind!r}")
    if not isinstance(uids, str):
        uids = list(uids)
    result = ActionResult(ok=True, kind=kind, folder=folder, count=len(uids) if isinstance(uids, list) else 0)
    try:
        imap.select(folder, readonly=False)
        if kind in FLAG_ACTIONS:
            op, flag = FLAG_ACTIONS[kind]
            (imap.add_flags if op == "add" else imap.remove_flags)(uids, [flag])
        elif kind in ("label_add", "label_remove"):
            if not keyword:
                raise ActionRefused("no label given")
            selected = imap.selected
            if kind == "label_add" and selected is not None and not selected.can_create_keywords and keyword not in selected.permanent_flags:
                raise ActionRefused("this server does not allow new labels in this folder")
            (imap.add_flags if kind == "label_add" else imap.remove_flags)(uids, [keyword])
        elif kind == "mark_folder_read":
            imap.add_flags(uids, ["\\Seen"])
        elif kind in ("delete_permanently", "empty"):
            imap.delete_permanently(uids)
        elif kind == "copy":
            result.target = _target_for(imap, kind, target)
            result.moved = {str(k): v for k, v in _copy_once(imap, action_id, uids, result.target).items()}
        else:
            result.target = _target_for(imap, kind, target)
            if result.target == folder:
                return result  # archiving from Archive: nothing to do
            if kind == "junk":
                imap.add_flags(uids, ["$Junk"])
                imap.remove_flags(uids, ["$NotJunk"])
            elif kind == "notjunk":
                imap.add_flags(uids, ["$NotJunk"])
                imap.remove_flags(uids, ["$Junk"])
            result.moved = {str(k): v for k, v in imap.move(uids, result.target).items()}
    except MailboxNotFound as exc:
        return ActionResult(ok=False, kind=kind, folder=folder, target=target, error=f"folder not found: {exc}")
    except (ActionRefused, InvalidImapInput) as exc:
        return ActionResult(ok=False, kind=kind, folder=folder, target=target, error=str(exc))
    except ImapProtocolError as exc:
        # NO from the server: quota, permissions, a folder deleted meanwhile.
        return ActionResult(ok=False, kind=kind, folder=folder, target=target, error=str(exc)[:200])
    return result


def _copy_once(imap: ImapConnection, action_id: str, uids: UidSet, target: str) -> dict[int, int]:
    """COPY is not idempotent: remember the target's UIDNEXT before copying. A COPY is
    atomic on the server (RFC 3501), so if UIDNEXT moved on since, a previous run of this
    action already copied, and it is not done again."""
    key = f"copy-guard:{action_id}"
    status = imap.folder_status(target)
    before = cache.get(key)
    if before is not None and status.get("UIDNEXT", 0) > before:
        return {}
    cache.set(key, status.get("UIDNEXT", 0), 7 * 24 * 3600)
    return imap.copy(uids, target)


def undo_plan(result: dict) -> dict | None:
    """The action that undoes a finished move-like action: move the new UIDs back."""
    if not result.get("ok") or result.get("kind") not in UNDOABLE or not result.get("moved") or not result.get("target"):
        return None
    return {"kind": "move", "folder": result["target"], "uids": sorted(result["moved"].values()), "target": result["folder"]}
