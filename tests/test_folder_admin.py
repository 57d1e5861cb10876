"""Creating, renaming, moving, deleting and subscribing folders, checked on the server."""
from __future__ import annotations

from html.parser import HTMLParser

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


class FormFields(HTMLParser):
    """What a browser would submit from the page's form that has `marker` among its fields
    (inputs' values, and each select's selected option, else its first one)."""

    def __init__(self, marker: tuple[str, str]) -> None:
        super().__init__()
        self.marker, self.forms, self.current, self.select = marker, [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.current = {}
        elif self.current is None:
            return
        elif tag == "input" and a.get("name"):
            self.current[a["name"]] = a.get("value") or ""
        elif tag == "select":
            self.select = a["name"]
        elif tag == "option" and self.select and (self.select not in self.current or "selected" in a):
            self.current[self.select] = a.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "form" and self.current is not None:
            self.forms.append(self.current)
            self.current = None

    def submitted(self, page: str) -> dict[str, str]:
        self.feed(page)
        return next(f for f in self.forms if f.get(self.marker[0]) == self.marker[1] and f.get("op") == "rename")


def test_renaming_a_subfolder_from_the_page_keeps_it_where_it_is(client, person):
    with imap_direct(person) as imap:
        imap.create_folder("Work")
        imap.create_folder("Work/Projects")
        append_message(imap, "Work/Projects", subject="plan")
    fields = FormFields(("folder", "Work/Projects")).submitted(client.get("/folders/").content.decode())
    assert fields["parent"] == "Work"  # the form starts with the folder's own parent chosen
    manage(client, **{**fields, "name": "Plans"})
    assert "Work/Plans" in names(person) and not {"Plans", "Work/Projects"} & names(person)
    with imap_direct(person) as imap:
        assert imap.folder_status("Work/Plans", ["MESSAGES"])[b"MESSAGES"] == 1


def test_a_rename_without_a_parent_keeps_the_parent_and_top_level_is_a_choice(client, person):
    with imap_direct(person) as imap:
        imap.create_folder("Work")
        imap.create_folder("Work/Projects")
    manage(client, op="rename", folder="Work/Projects", name="Plans")
    assert "Work/Plans" in names(person) and "Plans" not in names(person)
    manage(client, op="rename", folder="Work/Plans", name="Plans", parent="")  # chosen explicitly
    assert "Plans" in names(person) and "Work/Plans" not in names(person)


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
