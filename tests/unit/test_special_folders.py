"""The one special-folder lookup (filing and compose), over LIST answers."""
from __future__ import annotations

from mailview.imap.connection import RawFolder
from mailview.services.special_folders import special_folders_of


def raw(name: str, *attrs: str, delimiter: str = "/") -> RawFolder:
    return RawFolder(name, delimiter, frozenset(a.lower() for a in attrs))


def test_special_use_attributes_name_every_special_folder():
    found = special_folders_of([
        raw("INBOX"), raw("Papierkorb", "\\Trash"), raw("Spam", "\\Junk"), raw("Ablage", "\\Archive"),
        raw("Entwürfe", "\\Drafts"), raw("Gesendet", "\\Sent"), raw("Drafts"),
    ])
    assert (found.trash, found.junk, found.archive, found.drafts, found.sent) == ("Papierkorb", "Spam", "Ablage", "Entwürfe", "Gesendet")


def test_every_special_folder_falls_back_to_its_usual_names():
    found = special_folders_of([raw("INBOX", delimiter="."), raw("INBOX.Drafts", delimiter="."), raw("INBOX.Sent Items", delimiter="."), raw("INBOX.Trash", delimiter=".")])
    assert (found.drafts, found.sent, found.delimiter) == ("INBOX.Drafts", "INBOX.Sent Items", ".")
    assert found.trash == "INBOX.Trash", "Courier marks nothing: the trash is found by its name (issue #14)"


def test_a_folder_that_cannot_be_selected_is_no_special_folder():
    found = special_folders_of([raw("INBOX"), raw("Old", "\\Drafts", "\\Noselect"), raw("Drafts"), raw("Bin", "\\Trash", "\\Noselect")])
    assert found.drafts == "Drafts" and found.trash is None
