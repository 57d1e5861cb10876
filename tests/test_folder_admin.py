"""Creating, renaming, moving, deleting and subscribing folders, checked on the server."""
from __future__ import annotations

import pytest

from tests.support import append_message, imap_direct, new_mail_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def person(client):
    user = new_mail_user("folders")
    assert client.post("/accounts/login/", {"email": user.email, "password": user.password}).status_code == 302
    return user


def names(user) -> set[str]:
    with imap_direct(user) as imap:
        return {name for _, _, name in imap.list_folders()}


def subscribed(user) -> set[str]:
    with imap_direct(user) as imap:
        return {name for _, _, name in imap.list_sub_folders()}


def manage(client, **data):
    response = client.post("/folders/", data, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_create_top_level_and_nested_folders(client, person):
    manage(client, op="create", name="Projects")
    page = manage(client, op="create", name="Zeta Ünicode", parent="Projects")
    assert "Projects/Zeta Ünicode" in names(person) and "Projects/Zeta Ünicode" in subscribed(person)
    assert "created" in page
    assert "already exists" in manage(client, op="create", name="Projects")
    assert "cannot contain" in manage(client, op="create", name="a/b")


def test_rename_and_move_under_another_folder_keeps_the_mail(client, person):
    with imap_direct(person) as imap:
        imap.create_folder("Old")
        imap.create_folder("Parent")
        append_message(imap, "Old", subject="keep me")
    manage(client, op="rename", folder="Old", name="New", parent="Parent")
    assert "Parent/New" in names(person) and "Old" not in names(person)
    with imap_direct(person) as imap:
        assert imap.folder_status("Parent/New", ["MESSAGES"])[b"MESSAGES"] == 1
    assert "cannot be moved into itself" in manage(client, op="rename", folder="Parent", name="Parent", parent="Parent/New")


def test_delete_needs_confirmation_and_takes_children(client, person):
    with imap_direct(person) as imap:
        imap.create_folder("Doomed")
        imap.create_folder("Doomed/Child")
    assert "Tick the box" in manage(client, op="delete", folder="Doomed")
    assert "Doomed" in names(person)
    manage(client, op="delete", folder="Doomed", confirm="1")
    assert not {"Doomed", "Doomed/Child"} & names(person)


@pytest.mark.parametrize("special", ["INBOX", "Trash", "Sent", "Drafts", "Archive", "Junk"])
def test_special_use_folders_are_protected(client, person, special):
    assert "Special folders cannot be deleted" in manage(client, op="delete", folder=special, confirm="1")
    assert "Special folders cannot be renamed" in manage(client, op="rename", folder=special, name="Other")
    assert special in names(person)


def test_unsubscribe_hides_and_subscribe_shows(client, person):
    with imap_direct(person) as imap:
        imap.create_folder("Lists")
        imap.subscribe_folder("Lists")
    manage(client, op="unsubscribe", folder="Lists")
    assert "Lists" not in subscribed(person)
    assert "/mail/Lists/" not in client.get("/mail/INBOX/").content.decode()
    assert "/mail/Lists/" in client.get("/mail/INBOX/?all_folders=1").content.decode()
    manage(client, op="subscribe", folder="Lists")
    assert "Lists" in subscribed(person)


def test_the_manage_page_lists_every_folder(client, person):
    with imap_direct(person) as imap:
        imap.create_folder("<b>bold</b>")
    page = client.get("/folders/").content.decode()
    assert "&lt;b&gt;bold&lt;/b&gt;" in page and "<b>bold</b>" not in page


def test_the_folder_tree_fragment_has_fresh_counts(client, person):
    with imap_direct(person) as imap:
        append_message(imap, "INBOX", subject="unread one")
    fragment = client.get("/folders/tree/?current=INBOX").content.decode()
    assert 'class="unread-count"' in fragment and ">1<" in fragment
