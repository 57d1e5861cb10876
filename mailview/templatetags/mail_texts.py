"""What the page scripts say, translated here and handed over as a JSON data block
(`json_script`: not executed, so the CSP needs no exception)."""
from __future__ import annotations

from django import template
from django.utils.html import json_script
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


def script_texts() -> dict[str, object]:
    return {
        "done": {
            "archive": _("Archived."), "junk": _("Marked as junk."), "notjunk": _("Moved to Inbox."),
            "delete": _("Moved to Trash."), "move": _("Moved."), "copy": _("Copied."), "read": _("Marked read."),
            "unread": _("Marked unread."), "flag": _("Flagged."), "unflag": _("Flag removed."),
            "delete_permanently": _("Deleted forever."), "empty": _("Emptied."), "mark_folder_read": _("Folder marked read."),
            "label_add": _("Label added."), "label_remove": _("Label removed."), "snooze": _("Snoozed."),
        },
        "doneOther": _("Done."),
        # "%s" is replaced by the reason.
        "notDone": _("Not done: %s"),
        "couldNotUndo": _("Could not undo: %s"),
        "undone": _("Undone."),
        "queued": _("Queued: it will be applied as soon as the server can."),
        "selectFirst": _("Select at least one message."),
        "chooseFolder": _("Choose a folder first."),
        "confirmForever": _("Delete the selected messages forever? This cannot be undone."),
        "confirmForeverOne": _("Delete this message forever? This cannot be undone."),
        "confirmFolderRead": _("Mark every message in this folder read?"),
        "working": _("Working…"),
    }


@register.simple_tag
def script_texts_block() -> SafeString:
    return json_script(script_texts(), "script-texts")


@register.simple_tag
def list_shortcuts() -> list[tuple[str, str]]:
    return [
        ("j / k", _("Next / previous message")), ("Enter", _("Open message")), ("x", _("Select message")),
        ("s", _("Flag / unflag")), ("U / u", _("Mark read / unread")), ("e", _("Archive")), ("#", _("Delete")),
        ("v", _("Move to…")), ("z", _("Undo")), ("c", _("Write a message")), ("/", _("Search")), ("?", _("This help")),
    ]


@register.simple_tag
def message_shortcuts() -> list[tuple[str, str]]:
    return [
        ("j / k", _("Next / previous message")), ("u", _("Back to the list")), ("r", _("Reply")), ("a", _("Reply all")),
        ("f", _("Forward")), ("s", _("Flag / unflag")), ("U", _("Mark unread")), ("e", _("Archive")), ("#", _("Delete")),
        ("v", _("Move to…")), ("c", _("Write a message")), ("?", _("This help")),
    ]
