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
    """What the server confirmed. `count` messages were changed; `gone` of those asked
    for were no longer in the folder (moved or deleted elsewhere); `failed` were there
    but the server did not change them. `ok` only when all that was there was done."""

    ok: bool
    kind: str
    folder: str
    target: str | None = None
    count: int = 0
    gone: int = 0
    failed: int = 0
    moved: dict[str, int] = field(default_factory=dict)  # old UID (as text, for JSON) → new UID
    error: str = ""
    reason: str = ""  # "gone", "partial", "refused": the page words it in the user's language

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
    """Apply one action to the messages of `folder` that are there now, and report what the
    server confirmed. Needs a checked-out connection; selects `folder` read-write.

    The connection first catches up with the server (NOOP): mail that arrived since its
    last command would otherwise be unknown to the session, and the server silently
    ignores unknown UIDs in STORE and MOVE.
    """
    if kind not in KINDS:
        raise ActionRefused(f"unknown action {kind!r}")
    if not isinstance(uids, str):
        uids = list(uids)
    try:
        imap.select(folder, readonly=False, refresh=True)
        present = imap.present_uids(uids)
        asked = len(set(uids)) if isinstance(uids, list) else len(present)
        result = ActionResult(ok=True, kind=kind, folder=folder, gone=asked - len(present))
        if present:
            done = _apply(imap, result, action_id=action_id, kind=kind, folder=folder, present=present, target=target, keyword=keyword)
            result.count = len(done)
            result.failed = len(present) - len(done)
            result.moved = {k: v for k, v in result.moved.items() if int(k) in done}
    except MailboxNotFound as exc:
        return ActionResult(ok=False, kind=kind, folder=folder, target=target, error=f"folder not found: {exc}", reason="refused")
    except (ActionRefused, InvalidImapInput) as exc:
        return ActionResult(ok=False, kind=kind, folder=folder, target=target, error=str(exc), reason="refused")
    except ImapProtocolError as exc:
        # NO from the server: quota, permissions, a folder deleted meanwhile.
        return ActionResult(ok=False, kind=kind, folder=folder, target=target, error=str(exc)[:200], reason="refused")
    if result.failed:
        result.ok, result.reason = False, "partial"
        result.error = f"{result.failed} of {len(present)} messages were not changed by the server"
    elif result.gone and not result.count and kind not in ("empty", "mark_folder_read"):
        result.ok, result.reason = False, "gone"
        result.error = "the messages are no longer in this folder"
    return result


def _apply(
    imap: ImapConnection, result: ActionResult, *, action_id: str, kind: str, folder: str, present: list[int], target: str | None, keyword: str | None
) -> set[int]:
    """Run the action on `present` (UIDs in the folder now); returns the UIDs the server
    confirms as done, read back from the server rather than assumed."""
    if kind in FLAG_ACTIONS or kind == "mark_folder_read":
        op, flag = FLAG_ACTIONS.get(kind, ("add", "\\Seen"))
        return _store_confirmed(imap, present, flag, add=op == "add")
    if kind in ("label_add", "label_remove"):
        if not keyword:
            raise ActionRefused("no label given")
        selected = imap.selected
        if kind == "label_add" and selected is not None and not selected.can_create_keywords and keyword not in selected.permanent_flags:
            raise ActionRefused("this server does not allow new labels in this folder")
        return _store_confirmed(imap, present, keyword, add=kind == "label_add")
    if kind in ("delete_permanently", "empty"):
        imap.delete_permanently(present)
        return set(present) - set(imap.present_uids(present))
    result.target = _target_for(imap, kind, target)
    if kind == "copy":
        copied = _copy_once(imap, action_id, present, result.target)
        result.moved = {str(k): v for k, v in copied.items()}
        # A tagged OK means every message was copied (COPY is atomic); COPYUID says which.
        return set(copied) if copied else set(present)
    if result.target == folder:
        return set(present)  # archiving from Archive: nothing to do
    if kind == "junk":
        imap.add_flags(present, ["$Junk"])
        imap.remove_flags(present, ["$NotJunk"])
    elif kind == "notjunk":
        imap.add_flags(present, ["$NotJunk"])
        imap.remove_flags(present, ["$Junk"])
    result.moved = {str(k): v for k, v in imap.move(present, result.target).items()}
    return set(present) - set(imap.present_uids(present))


def _store_confirmed(imap: ImapConnection, present: list[int], flag: str, *, add: bool) -> set[int]:
    (imap.add_flags if add else imap.remove_flags)(present, [flag])
    return set(imap.uids_with_flag(present, flag, present=add))


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
