"""Pure parts of working with any server: special folders by name and by choice, the tree
under a personal namespace prefix (Courier's `INBOX.`)."""
from __future__ import annotations

import pytest

from mailview.imap.connection import RawFolder
from mailview.services.reading.folders import build_tree, flatten
from mailview.services.special_folders import special_folders_of


def raw(name: str, *attrs: str, delimiter: str = "/") -> RawFolder:
    return RawFolder(name, delimiter, frozenset(a.lower() for a in attrs))


@pytest.mark.parametrize(
    ("names", "use", "expected"),
    [
        (["Sent Messages"], "sent", "Sent Messages"),
        (["Deleted Items"], "trash", "Deleted Items"),
        (["Deleted Messages"], "trash", "Deleted Messages"),
        (["Spam"], "junk", "Spam"),
        (["Archive"], "archive", "Archive"),
        (["Work/Trash", "Trash"], "trash", "Trash"),  # the shallowest wins
    ],
)
def test_the_usual_names_are_found(names, use, expected):
    found = special_folders_of([raw("INBOX"), *(raw(n) for n in names)])
    assert getattr(found, use) == expected


def test_attributes_come_before_names_and_the_persons_choice_before_both():
    folders = [raw("INBOX"), raw("Trash"), raw("Bin", "\\Trash"), raw("Old mail")]
    assert special_folders_of(folders).trash == "Bin"
    assert special_folders_of(folders, chosen={"trash": "Old mail"}).trash == "Old mail"
    # A choice of a folder that is gone falls back to the server's own.
    assert special_folders_of(folders, chosen={"trash": "Gone"}).trash == "Bin"


def test_courier_folders_under_inbox_show_at_the_top_level():
    folders = [raw("INBOX", delimiter="."), raw("INBOX.Work", delimiter="."), raw("INBOX.Work.Zeta", delimiter="."), raw("INBOX.Trash", delimiter=".")]
    special = {"INBOX.Trash": "trash"}
    tree = build_tree(folders, personal_prefix="INBOX.", special=special)
    assert [(f.name, f.depth) for f in flatten(tree)] == [("INBOX", 0), ("INBOX.Trash", 0), ("INBOX.Work", 0), ("INBOX.Work.Zeta", 1)]
    assert [f.display_name for f in tree][2] == "Work" and tree[1].special_use == "trash"
    # Without the prefix (Dovecot's INBOX/child), children of the inbox stay in it.
    nested = build_tree([raw("INBOX"), raw("INBOX/Sub")])
    assert [(f.name, f.depth) for f in flatten(nested)] == [("INBOX", 0), ("INBOX/Sub", 1)]
