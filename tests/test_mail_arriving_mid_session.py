"""Between requests: mail arrives, another device files or flags it, and then the person acts.

A pooled connection keeps its folder selected across requests, and Dovecot ignores UIDs
the session has not been told about: acting on just-arrived mail used to report success
with nothing done. Every test here makes the pooled connection (the web process's, or the
only one of a one-process Celery worker) select the folder first, changes the mailbox from
outside (SMTP delivery through Postfix, or APPEND/STORE/MOVE on an independent
connection), then acts, and checks the outcome on the server.
"""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from mailview.imap import get_pool
from mailview.services.filing.actions import message_action_apply
from tests.support import CeleryWorker, act, append_message, deliver_by_smtp, imap_direct, mail_user_with, server_subjects

pytestmark = pytest.mark.django_db(transaction=True)
JSON = {"HTTP_ACCEPT": "application/json"}
QUEUE = "arrivals"


@pytest.fixture(scope="module")
def one_connection_worker(django_db_setup, django_db_blocker):
    """A worker with one process, so one pooled connection per user: the one that goes stale."""
    from django.conf import settings

    worker = CeleryWorker(settings.DATABASES["default"]["NAME"], "arrivals", queues=QUEUE, concurrency=1)
    worker.start()
    try:
        yield worker
    finally:
        worker.stop()


@pytest.fixture
def person(client, settings):
    settings.WEBMAIL_ACTIONS_QUEUE = QUEUE
    user = mail_user_with("arrive", ["old 1", "old 2", "old 3"])
    with imap_direct(user) as imap:
        imap.create_folder("Work")
        imap.subscribe_folder("Work")
    assert client.post("/accounts/login/", {"email": user.email, "password": user.password}).status_code == 302
    return user


def flags_by_subject(user, folder="INBOX") -> dict[str, tuple[bytes, ...]]:
    with imap_direct(user) as imap:
        imap.select_folder(folder, readonly=True)
        uids = imap.search(["ALL"])
        data = imap.fetch(uids, ["ENVELOPE", "FLAGS"]) if uids else {}
    return {v[b"ENVELOPE"].subject.decode(): tuple(v[b"FLAGS"]) for v in data.values()}


def uid_of(user, subject: str, folder="INBOX") -> int:
    with imap_direct(user) as imap:
        imap.select_folder(folder, readonly=True)
        return imap.search(["SUBJECT", subject])[0]


def prime_worker(client) -> None:
    """The worker's connection selects INBOX read-write (and keeps it so)."""
    assert act(client, action="flag", folder="INBOX", uid=[1])["state"] == "done"


@pytest.mark.parametrize(
    ("action", "extra", "where"),
    [
        ("archive", {}, "Archive"),
        ("delete", {}, "Trash"),
        ("junk", {}, "Junk"),
        ("move", {"target": "Work"}, "Work"),
    ],
)
def test_filing_mail_that_arrived_after_the_worker_looked(one_connection_worker, client, person, action, extra, where):
    prime_worker(client)
    deliver_by_smtp(person, subject="just arrived")
    new = uid_of(person, "just arrived")
    state = act(client, action=action, folder="INBOX", uid=[new], **extra)
    assert state["state"] == "done", state
    assert state["result"]["count"] == 1
    assert "just arrived" not in server_subjects(person, "INBOX")
    assert "just arrived" in server_subjects(person, where)


@pytest.mark.parametrize(("action", "flag", "present"), [("read", b"\\Seen", True), ("flag", b"\\Flagged", True)])
def test_flagging_mail_that_arrived_after_the_worker_looked(one_connection_worker, client, person, action, flag, present):
    prime_worker(client)
    with imap_direct(person) as other_device:
        append_message(other_device, "INBOX", subject="appended elsewhere")
    new = uid_of(person, "appended elsewhere")
    state = act(client, action=action, folder="INBOX", uid=[new])
    assert state["state"] == "done" and state["result"]["count"] == 1, state
    assert (flag in flags_by_subject(person)["appended elsewhere"]) is present


def test_labelling_mail_that_arrived_after_the_worker_looked(one_connection_worker, client, person):
    prime_worker(client)
    deliver_by_smtp(person, subject="label me")
    state = act(client, action="label_add", folder="INBOX", uid=[uid_of(person, "label me")], keyword="Later")
    assert state["state"] == "done", state
    assert b"Later" in flags_by_subject(person)["label me"]


def test_select_all_read_includes_mail_that_arrived_after_the_worker_looked(one_connection_worker, client, person):
    prime_worker(client)
    deliver_by_smtp(person, subject="unread newcomer")
    state = act(client, action="read", folder="INBOX", all="1")
    assert state["state"] == "done", state
    flags = flags_by_subject(person)
    assert set(flags) == {"old 1", "old 2", "old 3", "unread newcomer"}
    assert all(b"\\Seen" in f for f in flags.values()), flags


def test_select_all_move_after_another_device_moved_everything_back(one_connection_worker, client, person):
    """Moved away, moved back elsewhere (new UIDs the worker's session never saw), moved again."""
    prime_worker(client)
    assert act(client, action="archive", folder="INBOX", all="1")["state"] == "done"
    with imap_direct(person) as other_device:
        other_device.select_folder("Archive")
        other_device.move(other_device.search(["ALL"]), "INBOX")
    assert server_subjects(person, "INBOX") == ["old 1", "old 2", "old 3"]
    state = act(client, action="archive", folder="INBOX", all="1")
    assert state["state"] == "done" and state["result"]["count"] == 3, state
    assert server_subjects(person, "INBOX") == []
    assert server_subjects(person, "Archive") == ["old 1", "old 2", "old 3"]


def test_mark_folder_read_includes_mail_that_arrived_after_the_worker_looked(one_connection_worker, client, person):
    prime_worker(client)
    deliver_by_smtp(person, subject="fresh")
    assert act(client, action="mark_folder_read", folder="INBOX", confirm="1")["state"] == "done"
    assert all(b"\\Seen" in f for f in flags_by_subject(person).values())


def test_acting_on_mail_another_device_already_moved_says_so(one_connection_worker, client, person):
    prime_worker(client)
    with imap_direct(person) as other_device:
        other_device.select_folder("INBOX")
        other_device.move([2], "Work")
    state = act(client, action="archive", folder="INBOX", uid=[2])
    assert state["state"] == "failed"
    assert state["result"]["gone"] == 1 and state["result"]["count"] == 0
    assert "no longer in this folder" in state["error"]
    assert server_subjects(person, "Work") == ["old 2"] and server_subjects(person, "Archive") == []


def test_partly_moved_elsewhere_reports_what_was_done(one_connection_worker, client, person):
    prime_worker(client)
    with imap_direct(person) as other_device:
        other_device.select_folder("INBOX")
        other_device.move([3], "Work")
    state = act(client, action="delete", folder="INBOX", uid=[2, 3])
    assert state["state"] == "done" and state["result"]["count"] == 1 and state["result"]["gone"] == 1, state
    assert "1 message was no longer in this folder" in state["notice"]
    assert server_subjects(person, "Trash") == ["old 2"] and server_subjects(person, "Work") == ["old 3"]
    assert state["undo"] is True


# -- the web process's own pooled connection --------------------------------------------


def test_a_message_that_arrived_after_the_last_one_read_opens(client, person):
    # Reading a message selects INBOX read-write on the pooled connection (it marks it read).
    assert "old 1" in client.get("/mail/INBOX/1/").content.decode()
    deliver_by_smtp(person, subject="hot off the press")
    new = uid_of(person, "hot off the press")
    page = client.get(f"/mail/INBOX/{new}/")
    assert page.status_code == 200 and "hot off the press" in page.content.decode()


def test_the_source_of_a_message_that_arrived_after_the_list_downloads(client, person):
    assert client.get("/mail/INBOX/").status_code == 200
    with imap_direct(person) as other_device:
        append_message(other_device, "INBOX", subject="raw newcomer")
    response = client.get(f"/mail/INBOX/{uid_of(person, 'raw newcomer')}/raw/")
    assert response.status_code == 200
    assert b"Subject: raw newcomer" in b"".join(response.streaming_content if response.streaming else [response.content])


def test_the_list_shows_mail_that_arrived_and_flags_changed_elsewhere(client, person):
    assert "old 1" in client.get("/mail/INBOX/").content.decode()
    deliver_by_smtp(person, subject="newcomer on the list")
    with imap_direct(person) as other_device:
        other_device.select_folder("INBOX")
        other_device.add_flags([1, 2, 3], [b"\\Seen"])
    html = client.get("/mail/INBOX/").content.decode()
    assert "newcomer on the list" in html
    assert html.count('class="message unread') == 1


def test_the_pooled_view_follows_what_other_commands_report(person):
    """Untagged EXISTS arriving with any command's answer mark the selection stale, so the
    next select of the folder has the server's UIDNEXT (cache keys are built from it)."""
    user = get_user_model().objects.get(username=person.email)
    with get_pool().session(user) as imap:
        before = imap.select("INBOX", readonly=True)
        with imap_direct(person) as other_device:
            append_message(other_device, "INBOX", subject="one more")
        imap.list_folders(with_status=True)  # any command; the server may report the arrival
        imap.noop()
        assert imap.selected is not None and imap.selected.stale and imap.selected.exists == before.exists + 1
        after = imap.select("INBOX", readonly=True)
    assert after.uidnext == before.uidnext + 1 and not after.stale


def test_service_confirms_only_what_the_server_did(person):
    """A UID that never existed is reported as gone, not counted as done."""
    user = get_user_model().objects.get(username=person.email)
    with get_pool().session(user) as imap:
        imap.select("INBOX", readonly=False)
        with imap_direct(person) as other_device:
            append_message(other_device, "INBOX", subject="the fourth")
        result = message_action_apply(imap=imap, action_id="confirm", kind="read", folder="INBOX", uids=[4, 999])
    assert result.ok and result.count == 1 and result.gone == 1
    assert b"\\Seen" in flags_by_subject(person)["the fourth"]
