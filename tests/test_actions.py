"""Filing mail through Celery, checked on the server with an independent imapclient connection."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from mailview.imap import get_pool
from mailview.services.filing.actions import message_action_apply
from tests.support import act, append_message, imap_direct, new_mail_user, server_subjects, wait_until

pytestmark = pytest.mark.django_db(transaction=True)
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def person(client):
    user = new_mail_user("filer")
    with imap_direct(user) as imap:
        imap.create_folder("Work")
        imap.subscribe_folder("Work")
        for n in range(6):
            append_message(imap, "INBOX", subject=f"message {n}")
    assert client.post("/accounts/login/", {"email": user.email, "password": user.password}).status_code == 302
    return user


def server(user, folder="INBOX") -> dict[int, tuple[bytes, ...]]:
    with imap_direct(user) as imap:
        imap.select_folder(folder, readonly=True)
        uids = imap.search(["ALL"])
        return {int(u): tuple(v[b"FLAGS"]) for u, v in imap.fetch(uids, ["FLAGS"]).items()} if uids else {}


@pytest.mark.parametrize(
    ("action", "flag", "present"),
    [("read", b"\\Seen", True), ("flag", b"\\Flagged", True)],
)
def test_flag_actions_single_and_bulk(celery_worker, client, person, action, flag, present):
    assert act(client, action=action, folder="INBOX", uid=[1])["state"] == "done"
    assert (flag in server(person)[1]) is present
    assert act(client, action=action, folder="INBOX", uid=[2, 3, 4])["state"] == "done"
    flags = server(person)
    assert all(flag in flags[u] for u in (1, 2, 3, 4)) and flag not in flags[5]
    opposite = {"read": "unread", "flag": "unflag"}[action]
    assert act(client, action=opposite, folder="INBOX", uid=[1, 2])["state"] == "done"
    flags = server(person)
    assert flag not in flags[1] and flag not in flags[2] and flag in flags[3]


def test_labels_are_keywords(celery_worker, client, person):
    assert act(client, action="label_add", folder="INBOX", uid=[1, 2], keyword="Project-X")["state"] == "done"
    assert b"Project-X" in server(person)[1]
    html = client.get("/mail/INBOX/").content.decode()
    assert 'class="label-chip label-color-' in html and ">Project-X<" in html
    assert act(client, action="label_remove", folder="INBOX", uid=[1], keyword="Project-X")["state"] == "done"
    assert b"Project-X" not in server(person)[1] and b"Project-X" in server(person)[2]


@pytest.mark.parametrize(("action", "target_folder"), [("archive", "Archive"), ("junk", "Junk"), ("delete", "Trash")])
def test_move_like_actions_and_their_undo(celery_worker, client, person, action, target_folder):
    state = act(client, action=action, folder="INBOX", uid=[1, 2, 3])
    assert state["state"] == "done" and state["undo"] is True
    assert server_subjects(person, target_folder) == ["message 0", "message 1", "message 2"]
    assert server_subjects(person, "INBOX") == ["message 3", "message 4", "message 5"]
    undo = client.post(f"/actions/{state['id']}/undo/", **JSON)
    assert undo.status_code == 200
    undo_id = undo.json()["action_id"]
    wait_until(lambda: client.get(f"/actions/{undo_id}/", **JSON).json()["state"] == "done", timeout=30, message="undo")
    assert server_subjects(person, "INBOX") == [f"message {n}" for n in range(6)]
    assert server_subjects(person, target_folder) == []


def test_not_junk_moves_back_to_the_inbox(celery_worker, client, person):
    act(client, action="junk", folder="INBOX", uid=[1])
    with imap_direct(person) as imap:
        imap.select_folder("Junk", readonly=True)
        junk_uid = imap.search(["ALL"])[0]
        assert b"$Junk" in imap.get_flags([junk_uid])[junk_uid]
    assert act(client, action="notjunk", folder="Junk", uid=[junk_uid])["state"] == "done"
    assert "message 0" in server_subjects(person, "INBOX") and server_subjects(person, "Junk") == []


def test_move_and_copy_to_any_folder(celery_worker, client, person):
    assert act(client, action="copy", folder="INBOX", uid=[1], target="Work")["state"] == "done"
    assert act(client, action="move", folder="INBOX", uid=[2], target="Work")["state"] == "done"
    assert server_subjects(person, "Work") == ["message 0", "message 1"]
    assert "message 0" in server_subjects(person, "INBOX") and "message 1" not in server_subjects(person, "INBOX")


def test_permanent_delete_and_emptying_trash(celery_worker, client, person):
    act(client, action="delete", folder="INBOX", uid=[1, 2, 3])
    trash = sorted(server(person, "Trash"))
    assert act(client, action="delete_permanently", folder="Trash", uid=[trash[0]])["state"] == "done"
    assert len(server(person, "Trash")) == 2
    assert act(client, action="empty", folder="Trash")["state"] == "done"
    assert server(person, "Trash") == {}
    assert len(server(person, "INBOX")) == 3


def test_mark_a_whole_folder_read(celery_worker, client, person):
    assert act(client, action="mark_folder_read", folder="INBOX", confirm="1")["state"] == "done"
    assert all(b"\\Seen" in f for f in server(person).values())


def undo_and_wait(client, action_id: str) -> dict:
    undo = client.post(f"/actions/{action_id}/undo/", **JSON)
    assert undo.status_code == 200, undo.content
    undo_id = undo.json()["action_id"]
    return wait_until(lambda: (s := client.get(f"/actions/{undo_id}/", **JSON).json())["state"] != "pending" and s, timeout=30, message="the undo")


def test_mark_folder_read_asks_first_and_its_undo_marks_unread_exactly_what_was_unread(celery_worker, client, person):
    with imap_direct(person) as imap:
        imap.select_folder("INBOX")
        imap.add_flags([1, 2], [b"\\Seen"])  # read before: must stay read after the undo
    # Without the script: the button leads to a question, and nothing changes yet.
    asked = client.post("/actions/", {"action": "mark_folder_read", "folder": "INBOX", "next": "/mail/INBOX/"})
    page = asked.content.decode()
    assert asked.status_code == 200 and "4 messages there are unread" in page
    assert 'name="confirm" value="1"' in page and 'value="mark_folder_read"' in page
    assert client.post("/actions/", {"action": "mark_folder_read", "folder": "INBOX"}, **JSON).status_code == 400
    assert [u for u, f in server(person).items() if b"\\Seen" not in f] == [3, 4, 5, 6]
    # Confirmed (the form above, or the script after its dialog): done, and it can be undone.
    state = act(client, action="mark_folder_read", folder="INBOX", confirm="1")
    assert state["state"] == "done" and state["undo"] is True and state["result"]["changed"] == "3:6"
    assert all(b"\\Seen" in f for f in server(person).values())
    assert undo_and_wait(client, state["id"])["state"] == "done"
    flags = server(person)
    assert [u for u, f in flags.items() if b"\\Seen" in f] == [1, 2]
    assert [u for u, f in flags.items() if b"\\Seen" not in f] == [3, 4, 5, 6]


def test_mark_folder_read_with_nothing_unread_offers_no_undo(celery_worker, client, person):
    with imap_direct(person) as imap:
        imap.select_folder("INBOX")
        imap.add_flags([1, 2, 3, 4, 5, 6], [b"\\Seen"])
    state = act(client, action="mark_folder_read", folder="INBOX", confirm="1")
    assert state["state"] == "done" and state["undo"] is False and state["result"]["changed"] == ""


def keywords_by_subject(user, folder: str) -> dict[str, set[bytes]]:
    with imap_direct(user) as imap:
        imap.select_folder(folder, readonly=True)
        data = imap.fetch(imap.search(["ALL"]), ["ENVELOPE", "FLAGS"])
        return {v[b"ENVELOPE"].subject.decode(): {f for f in v[b"FLAGS"] if f.startswith(b"$")} for v in data.values()}


def test_undoing_junk_puts_the_junk_keywords_back_as_they_were(celery_worker, client, person):
    with imap_direct(person) as imap:
        imap.select_folder("INBOX")
        imap.add_flags([1], [b"$NotJunk"])  # once marked "not junk"
        imap.add_flags([3], [b"$Junk"])  # a spam filter's verdict, before the user agreed
    state = act(client, action="junk", folder="INBOX", uid=[1, 2, 3])
    assert state["state"] == "done" and state["undo"] is True
    junked = keywords_by_subject(person, "Junk")
    assert all(k == {b"$Junk"} for k in junked.values()) and len(junked) == 3
    assert undo_and_wait(client, state["id"])["state"] == "done"
    back = keywords_by_subject(person, "INBOX")
    assert server_subjects(person, "Junk") == []
    assert back["message 0"] == {b"$NotJunk"}
    assert back["message 1"] == set()
    assert back["message 2"] == {b"$Junk"}


def test_undoing_not_junk_puts_junk_back(celery_worker, client, person):
    state = act(client, action="junk", folder="INBOX", uid=[1])
    junk_uid = int(next(iter(state["result"]["moved"].values())))
    state = act(client, action="notjunk", folder="Junk", uid=[junk_uid])
    assert keywords_by_subject(person, "INBOX")["message 0"] == {b"$NotJunk"}
    assert undo_and_wait(client, state["id"])["state"] == "done"
    assert keywords_by_subject(person, "Junk") == {"message 0": {b"$Junk"}}


@pytest.mark.parametrize("keyword", ["\\Deleted", "\\Seen", "\\Flagged", "two words", "a(b", "Büro", "x" * 101])
def test_system_flags_and_invalid_atoms_are_not_labels(celery_worker, client, person, keyword):
    refused = client.post("/actions/", {"action": "label_add", "folder": "INBOX", "uid": [1], "keyword": keyword}, **JSON)
    assert refused.status_code == 400 and "cannot be labels" in refused.json()["error"]
    page = client.post("/actions/", {"action": "label_add", "folder": "INBOX", "uid": [1], "keyword": keyword}, follow=True).content.decode()
    assert "cannot be labels" in page
    assert client.post("/actions/", {"action": "label_remove", "folder": "INBOX", "uid": [1], "keyword": keyword}, **JSON).status_code == 400
    assert set(server(person)[1]) - {b"\\Recent"} == set()  # nothing set: not \\Deleted, not \\Seen


@pytest.mark.parametrize("kind", ["label_add", "label_remove"])
def test_the_label_service_refuses_system_flags_too(person, kind):
    with imap_direct(person) as imap:
        imap.select_folder("INBOX")
        imap.add_flags([2], [b"\\Seen"])
    user = get_user_model().objects.get(username=person.email)
    with get_pool().session(user) as imap:
        result = message_action_apply(imap=imap, action_id="t", kind=kind, folder="INBOX", uids=[1, 2], keyword="\\Deleted" if kind == "label_add" else "\\Seen")
    assert not result.ok and "no system flags" in result.error
    flags = server(person)
    assert set(flags[1]) - {b"\\Recent"} == set() and set(flags[2]) - {b"\\Recent"} == {b"\\Seen"}


def test_select_all_in_the_folder_acts_on_every_message(celery_worker, client, person):
    assert act(client, action="archive", folder="INBOX", all="1")["state"] == "done"
    assert server(person) == {} and len(server(person, "Archive")) == 6


def test_a_refused_action_reports_failure(celery_worker, client, person):
    state = act(client, action="move", folder="INBOX", uid=[1], target="No such folder")
    assert state["state"] == "failed" and state["error"]
    assert len(server(person)) == 6


@pytest.mark.parametrize("move_capability", [True, False], ids=["MOVE", "COPY+EXPUNGE"])
def test_move_paths_leave_unrelated_deleted_messages_alone(person, move_capability):
    """Without MOVE: COPY, \\Deleted and UID EXPUNGE of exactly those UIDs."""
    with imap_direct(person) as imap:
        imap.select_folder("INBOX")
        imap.add_flags([6], [b"\\Deleted"])  # someone else's pending deletion
    user = get_user_model().objects.get(username=person.email)
    with get_pool().session(user) as imap:
        if not move_capability:
            imap.capabilities = imap.capabilities - {"MOVE"}
        result = message_action_apply(imap=imap, action_id="t", kind="move", folder="INBOX", uids=[1, 2], target="Work")
    assert result.ok and sorted(result.moved) == ["1", "2"]
    flags = server(person)
    assert sorted(flags) == [3, 4, 5, 6] and b"\\Deleted" in flags[6]
    assert server_subjects(person, "Work") == ["message 0", "message 1"]


def test_bulk_select_all_on_20k_messages_is_a_bounded_number_of_commands():
    user = new_mail_user("bulk")
    import subprocess
    import sys

    from tests.support import REPO

    subprocess.run(
        [sys.executable, str(REPO / "scripts" / "mailgen.py"), "seed", "--user", user.email, "--count", "20000", "--seed", "3", "--big-attachments", "0", "--index"],
        check=True, capture_output=True, timeout=600,
    )
    from tests.support import RawUriClient

    client = RawUriClient()
    client.post("/accounts/login/", {"email": user.email, "password": user.password})
    django_user = get_user_model().objects.get(username=user.email)
    with get_pool().session(django_user) as imap:
        selected = imap.select("INBOX", readonly=True, refresh=True)
        assert selected.exists == 20000
        before = imap.operations
        result = message_action_apply(imap=imap, action_id="bulk", kind="archive", folder="INBOX", uids=f"1:{selected.uidnext - 1}")
        spent = imap.operations - before
    assert result.ok
    assert spent <= 6, f"{spent} IMAP operations for 20k messages"
    with imap_direct(user) as imap:
        assert imap.folder_status("INBOX", ["MESSAGES"])[b"MESSAGES"] == 0
        assert imap.folder_status("Archive", ["MESSAGES"])[b"MESSAGES"] == 20000


def test_a_change_made_by_another_client_shows_on_the_next_view(client, person):
    assert 'class="message unread' in client.get("/mail/INBOX/").content.decode()
    with imap_direct(person) as imap:
        imap.select_folder("INBOX")
        imap.add_flags(imap.search(["ALL"]), [b"\\Seen", b"\\Flagged"])
    html = client.get("/mail/INBOX/").content.decode()
    assert 'class="message unread' not in html and "message flagged" in html


def test_another_user_cannot_see_or_undo_my_actions(celery_worker, client, person):
    state = act(client, action="archive", folder="INBOX", uid=[1])
    from tests.support import RawUriClient

    stranger = new_mail_user("charlie")
    other = RawUriClient()
    other.post("/accounts/login/", {"email": stranger.email, "password": stranger.password})
    assert other.get(f"/actions/{state['id']}/", **JSON).status_code == 404
    assert other.post(f"/actions/{state['id']}/undo/", **JSON).status_code == 404
    # nothing was undone: the owner's message is still archived, and the owner may undo it
    assert len(server(person, "Archive")) == 1 and len(server(person)) == 5
    assert client.post(f"/actions/{state['id']}/undo/", **JSON).status_code == 200


def test_a_script_that_lists_json_after_another_type_gets_json(client, person):
    """Filing and compose answer the same Accept header alike: JSON when it lists application/json anywhere."""
    response = client.post("/actions/", {"action": "read", "folder": "INBOX"}, HTTP_ACCEPT="text/plain, application/json")
    assert response.status_code == 400 and response.json()["error"] == "Select at least one message."
