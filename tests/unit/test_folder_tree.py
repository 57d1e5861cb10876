"""build_tree over LIST results, without a server."""
from mailview.imap.connection import RawFolder
from mailview.services.reading.folders import build_tree, flatten


def raw(name: str, *attrs: str, unseen: int | None = None) -> RawFolder:
    return RawFolder(name, "/", frozenset(a.lower() for a in ("\\Subscribed", *attrs)), 0, unseen)


def test_special_use_order_and_localized_names():
    tree = build_tree([raw("Zeta"), raw("Papierkorb", "\\Trash"), raw("INBOX"), raw("Gesendet", "\\Sent"), raw("alpha")])
    assert [f.name for f in tree] == ["INBOX", "Gesendet", "Papierkorb", "alpha", "Zeta"]
    assert [f.display_name for f in tree][:3] == ["Inbox", "Sent", "Trash"]


def test_missing_parents_become_placeholders():
    tree = build_tree([raw("INBOX"), raw("a/b/c")])
    flat = flatten(tree)
    assert [(f.name, f.depth, f.selectable) for f in flat] == [("INBOX", 0, True), ("a", 0, False), ("a/b", 1, False), ("a/b/c", 2, True)]


def test_nonexistent_and_unsubscribed_folders():
    folders = [raw("INBOX"), raw("Gone", "\\NonExistent"), RawFolder("Quiet", "/", frozenset(), 0, 0)]
    assert [f.name for f in build_tree(folders)] == ["INBOX", "Quiet"]
    assert [f.name for f in build_tree(folders, include_unsubscribed=False)] == ["INBOX"]


def test_a_subfolder_of_inbox_is_not_special():
    flat = flatten(build_tree([raw("INBOX"), raw("INBOX/INBOX")]))
    assert [(f.name, f.special_use) for f in flat] == [("INBOX", "inbox"), ("INBOX/INBOX", None)]
