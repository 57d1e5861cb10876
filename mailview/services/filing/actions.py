"""Filing mail: flags, labels, move, copy, archive, junk, delete, empty, mark folder read, snooze.

`message_action_apply` runs one action on the IMAP server and is safe to run twice
(Celery redelivers a task whose worker died): flag changes are idempotent, MOVE of
UIDs that already left the folder does nothing, permanent deletion expunges exactly
the given UIDs, and a COPY checks whether it already happened (`copy_guard`).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from django.core.cache import cache

from mailview.imap.connection import ImapConnection, UidSet
from mailview.imap.errors import ImapProtocolError, InvalidImapInput, MailboxNotFound
from mailview.imap.sequences import parse_sequence_list, uid_set_text
from mailview.services.filing.snooze import SnoozeInvalid, snooze_folder_ensure, snooze_selected
from mailview.services.special_folders import special_folder_ensure

FLAG_ACTIONS = {
    "read": ("add", "\\Seen"),
    "unread": ("remove", "\\Seen"),
    "flag": ("add", "\\Flagged"),
    "unflag": ("remove", "\\Flagged"),
}
MOVE_ACTIONS = {"move", "archive", "junk", "notjunk", "delete"}
UNDOABLE = MOVE_ACTIONS
T = TypeVar("T")
KINDS = set(FLAG_ACTIONS) | MOVE_ACTIONS | {"copy", "label_add", "label_remove", "delete_permanently", "empty", "mark_folder_read", "snooze"}


class ActionRefused(Exception):
    """The server or the rules refused the action (no such folder, protected folder, quota)."""


# A label is an IMAP keyword: an atom, never a system flag (`\Deleted`, `\Seen`...: those
# change what happens to the mail, and are not for a label field to set or remove).
_LABEL = re.compile(r"^[A-Za-z0-9$_.\-]{1,100}$")


def label_is_valid(keyword: str) -> bool:
    return bool(_LABEL.match(keyword))


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
    reason: str = ""  # "gone", "partial", "refused", "snoozed": the page words it in the user's language
    changed: str = ""  # mark_folder_read: the UIDs (a UID set) it marked read, the ones undo marks unread again
    # junk/notjunk: keyword changes undo puts back, {"add"|"remove": {keyword: UID set}} in `folder`'s UIDs
    restore: dict[str, dict[str, str]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _target_for(imap: ImapConnection, kind: str, target: str | None, user_key: str) -> str:
    if kind in ("move", "copy"):
        if not target:
            raise ActionRefused("no target folder")
        return target
    use = {"archive": "archive", "junk": "junk", "delete": "trash", "notjunk": "inbox"}[kind]
    if use == "inbox":
        return "INBOX"
    # The person's choice, the server's attribute or a usual name; made when missing (Courier
    # has no Trash until a client creates one).
    return special_folder_ensure(imap=imap, user_key=user_key, use=use, refresh=True)


def message_action_apply(
    *,
    imap: ImapConnection,
    action_id: str,
    kind: str,
    folder: str,
    uids: UidSet,
    target: str | None = None,
    keyword: str | None = None,
    restore: dict[str, dict[str, str]] | None = None,
    user_key: str = "",
    until: str | None = None,
) -> ActionResult:
    """Apply one action to the messages of `folder` that are there now, and report what the
    server confirmed. Needs a checked-out connection; selects `folder` read-write.

    The connection first catches up with the server (NOOP): mail that arrived since its
    last command would otherwise be unknown to the session, and the server silently
    ignores unknown UIDs in STORE and MOVE. `restore` (from `undo_plan`) are keyword
    changes to make before a move back. `user_key` (the owner) brings their choice of
    special folders. `until` (ISO 8601 with its offset) is when snoozed messages come back.
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
            done = _apply(
                imap, result, action_id=action_id, kind=kind, folder=folder, present=present, target=target, keyword=keyword, restore=restore,
                user_key=user_key, until=until,
            )
            result.count = len(done)
            result.failed = len(present) - len(done)
            result.moved = {k: v for k, v in result.moved.items() if int(k) in done}
    except MailboxNotFound as exc:
        return ActionResult(ok=False, kind=kind, folder=folder, target=target, error=f"folder not found: {exc}", reason="refused")
    except (ActionRefused, InvalidImapInput, SnoozeInvalid) as exc:
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
    imap: ImapConnection,
    result: ActionResult,
    *,
    action_id: str,
    kind: str,
    folder: str,
    present: list[int],
    target: str | None,
    keyword: str | None,
    restore: dict[str, dict[str, str]] | None,
    user_key: str = "",
    until: str | None = None,
) -> set[int]:
    """Run the action on `present` (UIDs in the folder now); returns the UIDs the server
    confirms as done, read back from the server rather than assumed."""
    if kind in FLAG_ACTIONS:
        op, flag = FLAG_ACTIONS[kind]
        return _store_confirmed(imap, present, flag, add=op == "add")
    if kind == "mark_folder_read":
        unread = _as_first_run_saw(action_id, lambda: imap.uids_with_flag(present, "\\Seen", present=False))
        result.changed = uid_set_text(unread)
        return _store_confirmed(imap, unread, "\\Seen", add=True) | (set(present) - set(unread))
    if kind in ("label_add", "label_remove"):
        if not keyword:
            raise ActionRefused("no label given")
        if not label_is_valid(keyword):
            raise ActionRefused(f"not a label: {keyword[:100]!r} (letters, digits and $ _ . - only, no system flags)")
        selected = imap.selected
        if kind == "label_add" and selected is not None and not selected.can_create_keywords and keyword not in selected.permanent_flags:
            raise ActionRefused("this server does not allow new labels in this folder")
        return _store_confirmed(imap, present, keyword, add=kind == "label_add")
    if kind in ("delete_permanently", "empty"):
        imap.delete_permanently(present)
        return set(present) - set(imap.present_uids(present))
    if kind == "snooze":
        return _snooze(imap, result, folder=folder, present=present, until=until, user_key=user_key)
    result.target = _target_for(imap, kind, target, user_key)
    if kind == "copy":
        copied = _copy_once(imap, action_id, present, result.target)
        result.moved = {str(k): v for k, v in copied.items()}
        # A tagged OK means every message was copied (COPY is atomic); COPYUID says which.
        return set(copied) if copied else set(present)
    if result.target == folder:
        return set(present)  # archiving from Archive: nothing to do
    if restore:
        _restore_keywords(imap, restore)  # undoing junk/notjunk: keywords first, then move back
    if kind in ("junk", "notjunk"):
        result.restore = _as_first_run_saw(action_id, lambda: _keywords_before(imap, present, kind))
        added, removed = ("$Junk", "$NotJunk") if kind == "junk" else ("$NotJunk", "$Junk")
        imap.add_flags(present, [added])
        imap.remove_flags(present, [removed])
    result.moved = {str(k): v for k, v in imap.move(present, result.target).items()}
    return set(present) - set(imap.present_uids(present))


def _snooze(imap: ImapConnection, result: ActionResult, *, folder: str, present: list[int], until: str | None, user_key: str) -> set[int]:
    """Snooze a selection (a whole folder or search, "select all": `services.filing.snooze`).
    Run again, it finds the moved messages gone from `folder` and snoozes only the rest."""
    try:
        due_at = datetime.fromisoformat(until or "")
    except ValueError:
        raise ActionRefused("no snooze time") from None
    if due_at.tzinfo is None or not user_key.isdigit():
        raise ActionRefused("no snooze time or owner")
    result.target = snooze_folder_ensure(imap=imap)
    if result.target == folder:
        result.reason = "snoozed"  # there already: their times are changed on the scheduled page
        return set(present)
    return snooze_selected(imap=imap, user_id=int(user_key), target=result.target, present=present, due_at=due_at)


def _store_confirmed(imap: ImapConnection, uids: list[int], flag: str, *, add: bool) -> set[int]:
    """STORE, then ask the server which of `uids` now have (or lack) the flag."""
    if not uids:
        return set()
    (imap.add_flags if add else imap.remove_flags)(uids, [flag])
    return set(imap.uids_with_flag(uids, flag, present=add))


def _as_first_run_saw(action_id: str, compute: Callable[[], T]) -> T:
    """What the state was before this action's first run: a redelivered task finds its own
    changes already made, and must still report (for undo) what the first run changed."""
    key = f"action-before:{action_id}"
    before: T | None = cache.get(key)
    if before is None:
        before = compute()
        cache.set(key, before, 7 * 24 * 3600)
    return before


def _keywords_before(imap: ImapConnection, uids: list[int], kind: str) -> dict[str, dict[str, str]]:
    """What junk (adds $Junk, removes $NotJunk) or notjunk (the other way round) changes,
    as the keyword changes that put it back: remove what it added, add what it removed."""
    added, removed = ("$Junk", "$NotJunk") if kind == "junk" else ("$NotJunk", "$Junk")
    gains = uid_set_text(imap.uids_with_flag(uids, added, present=False))
    loses = uid_set_text(imap.uids_with_flag(uids, removed, present=True))
    return {"remove": {added: gains} if gains else {}, "add": {removed: loses} if loses else {}}


def _restore_keywords(imap: ImapConnection, restore: dict[str, dict[str, str]]) -> None:
    for keyword, uids in restore.get("remove", {}).items():
        imap.remove_flags(uids, [keyword])
    for keyword, uids in restore.get("add", {}).items():
        imap.add_flags(uids, [keyword])


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


def undo_plan(result: dict[str, Any]) -> dict[str, Any] | None:
    """The action that undoes a finished move-like action: move the new UIDs back (after
    putting junk/notjunk keywords back as they were); or marks unread again what
    "mark folder read" marked read."""
    if result.get("ok") and result.get("kind") == "mark_folder_read":
        return {"kind": "unread", "folder": result["folder"], "uids": result["changed"], "target": None} if result.get("changed") else None
    if not result.get("ok") or result.get("kind") not in UNDOABLE or not result.get("moved") or not result.get("target"):
        return None
    plan = {"kind": "move", "folder": result["target"], "uids": sorted(result["moved"].values()), "target": result["folder"]}
    if result.get("restore"):
        plan["restore"] = _moved_keywords(result["restore"], result["moved"])
    return plan


def _moved_keywords(restore: dict[str, dict[str, str]], moved: dict[str, int]) -> dict[str, dict[str, str]]:
    """`restore` in the UIDs the messages have now, in the folder they were moved to."""
    out: dict[str, dict[str, str]] = {}
    for change, keywords in restore.items():
        for keyword, uids in keywords.items():
            now = [moved[str(u)] for u in parse_sequence_list(uids) if str(u) in moved]
            if now:
                out.setdefault(change, {})[keyword] = uid_set_text(now)
    return out
