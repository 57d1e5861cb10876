"""Background sync (services/live/sync.py, the `mailview.sync_folders` task) against the real
Dovecot and Redis: every kind of change made by a separate imapclient connection becomes
exactly one event with the right data, the kept state matches the server afterwards, and a
second run publishes nothing."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from mailview.imap import get_pool
from mailview.services.live import events
from mailview.services.live.state import folder_states, folder_states_forget
from mailview.services.live.sync import MAX_DELTA, folders_sync
from mailview.templatetags.mail_list import message_rows
from tests.support import append_message, deliver_by_smtp, imap_commands_sent, imap_direct, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def person(signed_in, mail_user):
    """The signed-in mail user, their Django user, an empty event stream and no kept state."""
    user = get_user_model().objects.get(username=mail_user.email)
    events_key = events.stream_key(user.pk)
    from webmail.redis_client import get_redis

    get_redis().delete(events_key)
    folder_states_forget(user_pk=user.pk)
    with imap_direct(mail_user) as imap:
        for subject in ("one", "two", "three"):
            append_message(imap, "INBOX", subject=subject)
        imap.create_folder("Archive")
    yield user, mail_user
    get_redis().delete(events_key)
    folder_states_forget(user_pk=user.pk)



def plain(command: str) -> str:
    """A command as sent, without ESEARCH's `RETURN (ALL)` (Dovecot gets it: the answer is a sequence set)."""
    return command.replace(" RETURN (ALL)", "")

def run_sync(user, *folders: str, reason: str = "") -> list[events.Event]:
    """Sync in this process (as the task does) and return the events it published."""
    before = events.latest_event_id(user.pk)
    with get_pool().session(user) as imap:
        folders_sync(imap=imap, user_pk=user.pk, folders=list(folders), render_rows=message_rows, reason=reason)
    return events.events_after(user.pk, before) or []


def server_state(mail_user, folder: str = "INBOX") -> dict:
    with imap_direct(mail_user) as imap:
        status = imap.folder_status(folder, ["MESSAGES", "UNSEEN", "UIDNEXT", "UIDVALIDITY", "HIGHESTMODSEQ"])
    return {k.decode(): int(v) for k, v in status.items()}


def assert_state_matches_server(user, mail_user, folder: str = "INBOX") -> None:
    kept = folder_states(user_pk=user.pk)[folder]
    now = server_state(mail_user, folder)
    assert (kept.uidvalidity, kept.uidnext, kept.messages, kept.unseen, kept.highestmodseq) == (
        now["UIDVALIDITY"], now["UIDNEXT"], now["MESSAGES"], now["UNSEEN"], now["HIGHESTMODSEQ"]
    )


def uids_of(mail_user, folder: str = "INBOX") -> list[int]:
    with imap_direct(mail_user) as imap:
        imap.select_folder(folder, readonly=True)
        return sorted(imap.search(["ALL"]))


def kinds(found: list[events.Event]) -> list[str]:
    return [e.kind for e in found]


def test_the_first_sync_of_a_folder_records_its_state_and_says_nothing(person):
    user, mail_user = person
    assert run_sync(user, "INBOX", "Archive") == []
    assert_state_matches_server(user, mail_user, "INBOX")
    assert_state_matches_server(user, mail_user, "Archive")
    assert folder_states(user_pk=user.pk)["INBOX"].messages == 3


def test_new_mail_appended_elsewhere_is_one_rows_added_event_rendered_as_a_list_row(person):
    user, mail_user = person
    run_sync(user, "INBOX")
    with imap_direct(mail_user) as imap:
        append_message(imap, "INBOX", subject="Fresh <news>", sender="Ann Example <ann@example.org>")
    found = run_sync(user, "INBOX")
    assert kinds(found) == ["rows_added", "counts"]
    added = found[0].data
    new_uid = uids_of(mail_user)[-1]
    assert added["folder"] == "INBOX" and added["uidvalidity"] == server_state(mail_user)["UIDVALIDITY"]
    assert [r["uid"] for r in added["rows"]] == [new_uid]
    row = added["rows"][0]
    assert f'data-uid="{new_uid}"' in row["html"] and "Fresh &lt;news&gt;" in row["html"] and "Ann Example" in row["html"]
    assert row["html"].strip().startswith("<tr") and 'class="message unread"' in row["html"]
    assert row["date"] == 1796119200  # the Date header: Tue, 01 Dec 2026 10:00:00 +0000
    assert isinstance(row["arrival"], int) and row["arrival"] > 1_600_000_000
    assert found[1].data == {"folders": {"INBOX": {"messages": 4, "unseen": 4}}}
    assert_state_matches_server(user, mail_user)
    assert run_sync(user, "INBOX") == []  # idempotent


def test_mail_delivered_by_smtp_is_added(person):
    user, mail_user = person
    run_sync(user, "INBOX")
    deliver_by_smtp(mail_user, subject="By Postfix")
    found = run_sync(user, "INBOX")
    assert kinds(found) == ["rows_added", "counts"]
    assert "By Postfix" in found[0].data["rows"][0]["html"]
    assert_state_matches_server(user, mail_user)


def test_flags_changed_elsewhere_are_one_flags_event(person):
    user, mail_user = person
    run_sync(user, "INBOX")
    first, second, _ = uids_of(mail_user)
    with imap_direct(mail_user) as imap:
        imap.select_folder("INBOX")
        imap.add_flags([first], [b"\\Seen", b"\\Flagged"])
        imap.add_flags([second], [b"Work"])
    found = run_sync(user, "INBOX")
    assert kinds(found) == ["flags", "counts"]
    assert found[0].data["changes"] == [
        {"uid": first, "seen": True, "flagged": True, "answered": False, "labels": []},
        {"uid": second, "seen": False, "flagged": False, "answered": False, "labels": ["Work"]},
    ]
    assert found[1].data["folders"]["INBOX"] == {"messages": 3, "unseen": 2}
    assert_state_matches_server(user, mail_user)
    assert run_sync(user, "INBOX") == []


def test_a_label_change_that_leaves_counts_alone_sends_flags_without_counts(person):
    user, mail_user = person
    run_sync(user, "INBOX")
    uid = uids_of(mail_user)[0]
    with imap_direct(mail_user) as imap:
        imap.select_folder("INBOX")
        imap.add_flags([uid], [b"\\Flagged"])
    found = run_sync(user, "INBOX")
    assert kinds(found) == ["flags"]
    assert found[0].data["changes"][0]["flagged"] is True


def test_expunged_elsewhere_is_one_vanished_event(person):
    user, mail_user = person
    run_sync(user, "INBOX")
    gone = uids_of(mail_user)[1]
    with imap_direct(mail_user) as imap:
        imap.select_folder("INBOX")
        imap.delete_messages([gone])
        imap.uid_expunge([gone])
    found = run_sync(user, "INBOX")
    assert kinds(found) == ["vanished", "counts"]
    assert found[0].data["uids"] == [gone]
    assert_state_matches_server(user, mail_user)
    assert run_sync(user, "INBOX") == []


def test_a_move_elsewhere_is_vanished_in_one_folder_and_a_row_in_the_other(person):
    user, mail_user = person
    run_sync(user, "INBOX", "Archive")
    moving = uids_of(mail_user)[0]
    with imap_direct(mail_user) as imap:
        imap.select_folder("INBOX")
        imap.move([moving], "Archive")
    found = run_sync(user, "INBOX", "Archive")
    assert kinds(found) == ["vanished", "rows_added", "counts"]
    assert (found[0].data["folder"], found[0].data["uids"]) == ("INBOX", [moving])
    assert found[1].data["folder"] == "Archive" and [r["uid"] for r in found[1].data["rows"]] == uids_of(mail_user, "Archive")
    assert found[2].data["folders"] == {"INBOX": {"messages": 2, "unseen": 2}, "Archive": {"messages": 1, "unseen": 1}}
    assert_state_matches_server(user, mail_user, "INBOX")
    assert_state_matches_server(user, mail_user, "Archive")


def test_an_unchanged_folder_costs_one_status_and_says_nothing(person):
    user, _mail_user = person
    run_sync(user, "INBOX")
    with get_pool().session(user) as imap:
        imap.enable_qresync()  # once per connection
        before = imap.operations
        folders_sync(imap=imap, user_pk=user.pk, folders=["INBOX"], render_rows=message_rows)
        assert imap.operations - before == 1


def test_a_change_in_the_folder_left_selected_is_synced_in_place_without_a_new_examine(person):
    """The sync leaves its folder selected; the next one catches up with NOOP + STATUS of the
    session's view instead of UNSELECT + STATUS + EXAMINE (~0.4 s at 100k messages), and
    still finds every change."""
    user, mail_user = person
    with get_pool().session(user) as imap:
        folders_sync(imap=imap, user_pk=user.pk, folders=["INBOX"], render_rows=message_rows)
        with imap_direct(mail_user) as other:
            append_message(other, "INBOX", subject="four")
        folders_sync(imap=imap, user_pk=user.pk, folders=["INBOX"], render_rows=message_rows)  # EXAMINEs INBOX
        assert imap.selected is not None and imap.selected.name == "INBOX"
        with imap_direct(mail_user) as other:
            append_message(other, "INBOX", subject="five")
            other.select_folder("INBOX")
            first, *_rest, last = sorted(other.search(["ALL"]))
            other.add_flags([first], [b"\\Flagged"])
            other.delete_messages([last - 1])
            other.expunge()
        before = events.latest_event_id(user.pk)
        with imap_commands_sent() as sent:
            folders_sync(imap=imap, user_pk=user.pk, folders=["INBOX"], render_rows=message_rows)
    names = [c.split()[0] for c in sent]
    assert not {"EXAMINE", "SELECT", "UNSELECT"} & set(names), sent
    found = {e.kind: e.data for e in events.events_after(user.pk, before) or []}
    assert [r["uid"] for r in found["rows_added"]["rows"]] == [last]
    assert [c["uid"] for c in found["flags"]["changes"]] == [first] and found["flags"]["changes"][0]["flagged"]
    assert found["vanished"]["uids"] == [last - 1]
    assert_state_matches_server(user, mail_user)
    assert run_sync(user, "INBOX") == []


def test_a_new_uidvalidity_is_a_resync(person):
    user, mail_user = person
    with imap_direct(mail_user) as imap:
        imap.create_folder("Projects")
        append_message(imap, "Projects", subject="old")
    run_sync(user, "Projects")
    with imap_direct(mail_user) as imap:  # deleted and made again: another UIDVALIDITY
        imap.delete_folder("Projects")
        imap.create_folder("Projects")
        append_message(imap, "Projects", subject="new")
    found = run_sync(user, "Projects")
    assert kinds(found) == ["resync", "counts"]
    assert found[0].data == {"folder": "Projects"}
    assert_state_matches_server(user, mail_user, "Projects")
    assert run_sync(user, "Projects") == []


def test_more_new_mail_than_a_delta_carries_is_a_resync(person, monkeypatch):
    user, mail_user = person
    from mailview.services.live import sync

    monkeypatch.setattr(sync, "MAX_DELTA", 2)
    run_sync(user, "INBOX")
    with imap_direct(mail_user) as imap:
        for n in range(3):
            append_message(imap, "INBOX", subject=f"bulk {n}")
    found = run_sync(user, "INBOX")
    assert kinds(found) == ["resync", "counts"]
    assert_state_matches_server(user, mail_user)
    assert MAX_DELTA == 500


def test_a_folder_that_went_away_is_forgotten_silently(person):
    user, mail_user = person
    with imap_direct(mail_user) as imap:
        imap.create_folder("Short")
    run_sync(user, "Short")
    with imap_direct(mail_user) as imap:
        imap.delete_folder("Short")
    assert run_sync(user, "Short") == []
    assert "Short" not in folder_states(user_pk=user.pk)


def test_without_condstore_new_mail_and_first_page_flags_and_expunges_still_arrive(person):
    """A server without CONDSTORE/QRESYNC: UIDs past the known UIDNEXT plus the first page's flags."""
    user, mail_user = person
    with get_pool().session(user) as imap:
        imap.capabilities = imap.capabilities - {"CONDSTORE", "QRESYNC"}
        folders_sync(imap=imap, user_pk=user.pk, folders=["INBOX"], render_rows=message_rows)
        assert folder_states(user_pk=user.pk)["INBOX"].highestmodseq is None
        first, second, third = uids_of(mail_user)
        with imap_direct(mail_user) as other:
            other.select_folder("INBOX")
            other.add_flags([first], [b"\\Seen"])
            append_message(other, "INBOX", subject="plain news")
        before = events.latest_event_id(user.pk)
        folders_sync(imap=imap, user_pk=user.pk, folders=["INBOX"], render_rows=message_rows)
        found = events.events_after(user.pk, before)
        assert kinds(found) == ["flags", "rows_added", "counts"]
        assert found[0].data["changes"][0]["uid"] == first and found[0].data["changes"][0]["seen"] is True
        assert "plain news" in found[1].data["rows"][0]["html"]
        with imap_direct(mail_user) as other:
            other.select_folder("INBOX")
            other.delete_messages([second])
            other.uid_expunge([second])
        before = events.latest_event_id(user.pk)
        folders_sync(imap=imap, user_pk=user.pk, folders=["INBOX"], render_rows=message_rows)
        found = events.events_after(user.pk, before)
        assert kinds(found) == ["vanished", "counts"] and found[0].data["uids"] == [second]
        before = events.latest_event_id(user.pk)
        folders_sync(imap=imap, user_pk=user.pk, folders=["INBOX"], render_rows=message_rows)
        assert events.events_after(user.pk, before) == []
        assert third in folder_states(user_pk=user.pk)["INBOX"].top



def test_without_condstore_the_newest_messages_are_found_without_listing_the_folder(person):
    """The flags kept to compare (the first page's) are the newest TOP_SIZE by arrival, asked as
    the last sequence numbers: no UID list of the whole folder (over a megabyte at 200k)."""
    from mailview.services.live.sync import TOP_SIZE

    user, mail_user = person
    with imap_direct(mail_user) as imap:
        for n in range(TOP_SIZE + 7):
            append_message(imap, "INBOX", subject=f"filler {n}")
        imap.select_folder("INBOX", readonly=True)
        newest = sorted(imap.search(["ALL"]))[-TOP_SIZE:]
    with get_pool().session(user) as imap:
        imap.capabilities = imap.capabilities - {"CONDSTORE", "QRESYNC"}
        with imap_commands_sent() as sent:
            folders_sync(imap=imap, user_pk=user.pk, folders=["INBOX"], render_rows=message_rows)
    assert sorted(folder_states(user_pk=user.pk)["INBOX"].top) == newest
    searches = [plain(c) for c in sent if c.startswith("UID SEARCH")]
    assert searches and not [c for c in searches if c.split()[-1] == "ALL"], searches

# -- through Celery ---------------------------------------------------------------------


def wait_for_events(user, after: str, wanted: int, timeout: float = 30) -> list[events.Event]:
    return wait_until(lambda: (found := events.events_after(user.pk, after) or []) and len(found) >= wanted and found, timeout=timeout, message=f"{wanted} events")


def test_the_task_sent_by_name_syncs(person, celery_worker):
    from webmail.celery import app

    user, mail_user = person
    run_sync(user, "INBOX")
    with imap_direct(mail_user) as imap:
        append_message(imap, "INBOX", subject="by name")
    before = events.latest_event_id(user.pk)
    app.send_task("mailview.sync_folders", kwargs={"user_id": user.pk, "folders": ["INBOX"], "reason": "test"})
    found = wait_for_events(user, before, 2)
    assert kinds(found) == ["rows_added", "counts"] and "by name" in found[0].data["rows"][0]["html"]


def test_rows_pushed_to_a_german_reader_are_rendered_in_german(person, signed_in, celery_worker):
    """The worker has no request: rows are rendered in the language the person's listening
    page was served in, not the site's default (English)."""
    from django.utils import translation

    from webmail.celery import app

    user, mail_user = person
    run_sync(user, "INBOX")
    with translation.override("en"):  # the German request must not leave German active for later tests
        page = signed_in.get("/mail/INBOX/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Auswählen" in page  # the page itself is German
    with imap_direct(mail_user) as imap:
        append_message(imap, "INBOX", subject="auf Deutsch")
    before = events.latest_event_id(user.pk)
    app.send_task("mailview.sync_folders", kwargs={"user_id": user.pk, "folders": ["INBOX"], "reason": "test"})
    row = wait_for_events(user, before, 2)[0].data["rows"][0]["html"]
    assert "auf Deutsch" in row
    assert "Auswählen" in row and "ungelesen" in row
    assert "Select:" not in row and "(unread)" not in row


def test_a_move_made_in_this_webmail_sends_events_for_both_folders(person, signed_in, celery_worker):
    from tests.support import act

    user, mail_user = person
    run_sync(user, "INBOX", "Archive")
    moving = uids_of(mail_user)[0]
    before = events.latest_event_id(user.pk)
    status = act(signed_in, action="move", folder="INBOX", uid=[moving], target="Archive")
    assert status["state"] == "done", status
    found = wait_for_events(user, before, 3)
    assert kinds(found) == ["vanished", "rows_added", "counts"]
    assert (found[0].data["folder"], found[0].data["uids"]) == ("INBOX", [moving])
    assert found[1].data["folder"] == "Archive" and [r["uid"] for r in found[1].data["rows"]] == uids_of(mail_user, "Archive")
    assert_state_matches_server(user, mail_user, "INBOX")
    assert_state_matches_server(user, mail_user, "Archive")


def test_two_syncs_at_once_publish_each_change_once(person):
    """The watcher's sync and a filing task's may run at the same moment (a lock serializes them)."""
    import threading

    user, mail_user = person
    run_sync(user, "INBOX")
    with imap_direct(mail_user) as imap:
        append_message(imap, "INBOX", subject="raced")
    before = events.latest_event_id(user.pk)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def sync() -> None:
        try:
            start.wait(timeout=10)
            with get_pool().session(user) as imap:
                folders_sync(imap=imap, user_pk=user.pk, folders=["INBOX"], render_rows=message_rows)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=sync) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert kinds(events.events_after(user.pk, before)) == ["rows_added", "counts"]


def test_a_message_sent_from_this_webmail_is_a_row_in_sent(person, signed_in, celery_worker):
    from tests.test_compose import open_compose, send, wait_for_state

    user, mail_user = person
    with get_pool().session(user) as imap:
        sent = next(f.name for f in imap.list_folders(with_status=False) if "\\sent" in f.attributes)
    run_sync(user, sent)
    before = events.latest_event_id(user.pk)
    compose = send(signed_in, open_compose(signed_in), to=mail_user.email, subject="Sent live", body="x")
    wait_for_state(compose, "sent")
    found = wait_for_events(user, before, 1)
    added = next(e for e in found if e.kind == "rows_added")
    assert added.data["folder"] == sent and "Sent live" in added.data["rows"][0]["html"]


def test_a_new_row_carries_the_preview_of_its_text(person):
    user, mail_user = person
    run_sync(user, "INBOX")
    with imap_direct(mail_user) as imap:
        imap.append("INBOX", b"From: a@example.org\r\nSubject: with text\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                    + "Grüße: <b>the first line</b> of it\r\n".encode())
    found = run_sync(user, "INBOX")
    row = found[0].data["rows"][0]["html"]
    assert '<span class="preview">Grüße: &lt;b&gt;the first line&lt;/b&gt; of it</span>' in row


def test_with_conversations_kept_the_sync_joins_new_mail_and_says_which_rows_stand_alone(person, signed_in):
    """The conversation list was shown, so the folder's conversations are kept: the sync
    (not the tab's next page) joins new mail to them, without a THREAD, and each pushed row
    says whether it is a conversation of its own (the open list inserts those as they are)."""
    user, mail_user = person
    with imap_direct(mail_user) as imap:
        imap.append("INBOX", b"From: a@example.org\r\nSubject: Root\r\nMessage-ID: <root-1@example.org>\r\n\r\nroot\r\n")
    assert signed_in.get("/mail/INBOX/?view=conversations").status_code == 200  # conversations kept now
    run_sync(user, "INBOX")
    with imap_direct(mail_user) as imap:
        imap.append(
            "INBOX",
            b"From: b@example.org\r\nSubject: Re: Root\r\nMessage-ID: <reply-1@example.org>\r\n"
            b"In-Reply-To: <root-1@example.org>\r\nReferences: <root-1@example.org>\r\n\r\nreply\r\n",
        )
        append_message(imap, "INBOX", subject="standing alone")
    with imap_commands_sent() as sent:
        found = run_sync(user, "INBOX")
    assert not [c for c in sent if "THREAD" in c.upper()]
    rows = next(e for e in found if e.kind == "rows_added").data["rows"]
    *_, root, reply, alone = uids_of(mail_user)
    assert {r["uid"]: r["alone"] for r in rows} == {reply: False, alone: True}
    with imap_commands_sent() as sent:
        page = signed_in.get("/mail/INBOX/?view=conversations").context["page"]
    assert not [c for c in sent if "THREAD" in c.upper() or "IN-REPLY-TO" in c.upper()]  # the sync did the joining
    assert [c.uids for c in page.conversations][:2] == [(alone,), (root, reply)]


def test_without_kept_conversations_pushed_rows_say_nothing_about_them(person):
    user, mail_user = person
    from mailview.services.reading.conversations import folder_threads_forget

    run_sync(user, "INBOX")
    folder_threads_forget(user_key=str(user.pk), folder="INBOX")
    with imap_direct(mail_user) as imap:
        append_message(imap, "INBOX", subject="nobody threads this")
    with imap_commands_sent() as sent:
        found = run_sync(user, "INBOX")
    assert not [c for c in sent if "THREAD" in c.upper()]  # nothing is built for the list here
    assert ["alone" in r for r in next(e for e in found if e.kind == "rows_added").data["rows"]] == [False]


def sync_of_one_new_message(user, mail_user, *, warm_up: bytes, raw: bytes) -> tuple[list[str], list[events.Event], int]:
    """The IMAP commands and events of a sync of INBOX after one message (`raw`) arrived, the
    folder caught up in place (left selected by the sync of `warm_up` before), and the new
    message's UID."""
    with get_pool().session(user) as imap:
        folders_sync(imap=imap, user_pk=user.pk, folders=["INBOX"], render_rows=message_rows)
        with imap_direct(mail_user) as other:
            other.append("INBOX", warm_up)
        folders_sync(imap=imap, user_pk=user.pk, folders=["INBOX"], render_rows=message_rows)  # leaves INBOX selected
        with imap_direct(mail_user) as other:
            other.append("INBOX", raw)
        before = events.latest_event_id(user.pk)
        with imap_commands_sent() as sent:
            folders_sync(imap=imap, user_pk=user.pk, folders=["INBOX"], render_rows=message_rows)
    return sent, events.events_after(user.pk, before) or [], uids_of(mail_user)[-1]


def test_a_sync_of_one_new_message_with_conversations_kept_asks_for_it_once(person, signed_in):
    """The conversation list was shown (the default view), so the sync joins new mail to the
    kept conversations: the new message's threading headers come in the FETCH of its row, and
    the UIDs the sync searched are reused, not asked again (no second UID SEARCH, no second
    FETCH of the message): NOOP, STATUS, UID SEARCH, UID FETCH CHANGEDSINCE, UID FETCH."""
    user, mail_user = person
    assert signed_in.get("/mail/INBOX/?view=conversations").status_code == 200  # conversations kept now
    root = b"From: a@example.org\r\nSubject: Root\r\nMessage-ID: <root-2@example.org>\r\n\r\nroot\r\n"
    reply = (
        b"From: b@example.org\r\nSubject: Re: Root\r\nMessage-ID: <reply-2@example.org>\r\n"
        b"In-Reply-To: <root-2@example.org>\r\nReferences: <root-2@example.org>\r\n\r\nreply\r\n"
    )
    sent, found, new_uid = sync_of_one_new_message(user, mail_user, warm_up=root, raw=reply)
    assert [plain(c).split(" (")[0].split(' "')[0] for c in sent] == ["NOOP", "STATUS", f"UID SEARCH UID {new_uid}:*", f"UID FETCH 1:{new_uid - 1}", f"UID FETCH {new_uid}"], sent
    assert "IN-REPLY-TO" in sent[-1] and "ENVELOPE" in sent[-1]  # its row and its threading headers, together
    rows = next(e for e in found if e.kind == "rows_added").data["rows"]
    assert [(r["uid"], r["alone"]) for r in rows] == [(new_uid, False)]  # joined to Root's conversation
    with imap_commands_sent() as sent:
        page = signed_in.get("/mail/INBOX/?view=conversations").context["page"]
    assert not [c for c in sent if "THREAD" in c.upper() or "IN-REPLY-TO" in c.upper()]  # the sync did the joining
    assert (new_uid - 1, new_uid) in [c.uids for c in page.conversations]  # Root and its reply


def test_a_sync_of_one_new_message_without_kept_conversations_asks_no_threading_headers(person):
    user, mail_user = person
    raw = b"From: a@example.org\r\nSubject: plain\r\nMessage-ID: <plain-2@example.org>\r\n\r\nplain\r\n"
    warm_up = b"From: a@example.org\r\nSubject: first\r\nMessage-ID: <first-2@example.org>\r\n\r\nfirst\r\n"
    sent, found, new_uid = sync_of_one_new_message(user, mail_user, warm_up=warm_up, raw=raw)
    assert [plain(c).split(" (")[0].split(' "')[0] for c in sent] == ["NOOP", "STATUS", f"UID SEARCH UID {new_uid}:*", f"UID FETCH 1:{new_uid - 1}", f"UID FETCH {new_uid}"], sent
    assert "IN-REPLY-TO" not in sent[-1]
    assert [r["uid"] for r in next(e for e in found if e.kind == "rows_added").data["rows"]] == [new_uid]


def test_a_new_message_gone_between_the_search_and_the_fetch_is_fetched_once(person):
    """The sync FETCHes only UIDs its own UID SEARCH returned, which the session has been told
    of: a message not in the answer was expunged meanwhile, never "not visible yet", so the
    FETCH is not asked again after a NOOP (the connection's safety net for UIDs learnt
    elsewhere). Here another client moves the new message away right after the SEARCH."""
    user, mail_user = person
    with imap_direct(mail_user) as imap:
        imap.create_folder("Spam")
    with get_pool().session(user) as imap:
        folders_sync(imap=imap, user_pk=user.pk, folders=["INBOX"], render_rows=message_rows)
        with imap_direct(mail_user) as other:
            append_message(other, "INBOX", subject="warm-up")
        folders_sync(imap=imap, user_pk=user.pk, folders=["INBOX"], render_rows=message_rows)  # leaves INBOX selected
        with imap_direct(mail_user) as other:
            append_message(other, "INBOX", subject="moved away at once")
        new_uid = uids_of(mail_user)[-1]
        searched = imap.uids_from
        with imap_direct(mail_user) as other:  # a filter on another device
            other.select_folder("INBOX")
            assert other.has_capability("MOVE")  # asked now, not in the middle of the sync

            def search_then_move(first_uid: int) -> list[int]:
                found = searched(first_uid)
                other.move([new_uid], "Spam")  # between the sync's two commands
                return found

            imap.uids_from = search_then_move  # type: ignore[method-assign]
            before = events.latest_event_id(user.pk)
            try:
                with imap_commands_sent() as both:
                    folders_sync(imap=imap, user_pk=user.pk, folders=["INBOX"], render_rows=message_rows)
            finally:
                del imap.uids_from
    sent = [c for c in both if not c.startswith("UID MOVE")]  # the other client's
    assert [plain(c) for c in sent if c.startswith("UID SEARCH")] == [f"UID SEARCH UID {new_uid}:*"]
    assert len([c for c in sent if c.startswith(f"UID FETCH {new_uid} ")]) == 1, sent
    assert "NOOP" not in [c.split()[0] for c in sent[1:]], sent  # only the catch-up's, first
    assert "rows_added" not in kinds(events.events_after(user.pk, before) or [])
    assert run_sync(user, "INBOX") != []  # the next sync sees the move (and publishes it)
    assert_state_matches_server(user, mail_user)


def test_without_condstore_a_message_gone_from_the_first_page_costs_no_second_look(person):
    """Without CONDSTORE the newest known messages' flags are FETCHed after the folder was
    caught up: one not answered has left (a `vanished` event), without a NOOP after the FETCH."""
    user, mail_user = person
    with get_pool().session(user) as imap:
        imap.capabilities = imap.capabilities - {"CONDSTORE", "QRESYNC"}
        folders_sync(imap=imap, user_pk=user.pk, folders=["INBOX"], render_rows=message_rows)
        with imap_direct(mail_user) as other:
            append_message(other, "INBOX", subject="warm-up")
        folders_sync(imap=imap, user_pk=user.pk, folders=["INBOX"], render_rows=message_rows)
        gone = uids_of(mail_user)[1]
        with imap_direct(mail_user) as other:
            other.select_folder("INBOX")
            other.delete_messages([gone])
            other.uid_expunge([gone])
        before = events.latest_event_id(user.pk)
        with imap_commands_sent() as sent:
            folders_sync(imap=imap, user_pk=user.pk, folders=["INBOX"], render_rows=message_rows)
    flags_fetch = next((i for i, c in enumerate(sent) if c.startswith("UID FETCH") and "(FLAGS)" in c), None)
    assert flags_fetch is not None, sent
    assert "NOOP" not in [c.split()[0] for c in sent[flags_fetch:]], sent
    found = events.events_after(user.pk, before) or []
    assert kinds(found) == ["vanished", "counts"] and found[0].data["uids"] == [gone]


def test_conversations_kept_from_before_the_last_sync_still_take_all_the_new_mail(person, signed_in):
    """Kept conversations older than the sync's own state (the cache had an older copy) are
    brought up from their own UIDNEXT (their SEARCH and FETCH), not from the sync's answers,
    which start later: mail between the two is joined too."""
    from mailview.services.reading.conversations import _cache_key
    from webmail.cache import optional_cache as cache

    user, mail_user = person
    assert signed_in.get("/mail/INBOX/?view=conversations").status_code == 200  # conversations kept now
    key = _cache_key(str(user.pk), "INBOX")
    older = cache.get(key)
    run_sync(user, "INBOX")
    with imap_direct(mail_user) as imap:
        imap.append("INBOX", b"From: a@example.org\r\nSubject: Root\r\nMessage-ID: <root-3@example.org>\r\n\r\nroot\r\n")
    run_sync(user, "INBOX")  # the state moves past Root; the conversations too
    cache.set(key, older)  # ... but an older copy is what is kept now
    with imap_direct(mail_user) as imap:
        imap.append(
            "INBOX",
            b"From: b@example.org\r\nSubject: Re: Root\r\nMessage-ID: <reply-3@example.org>\r\n"
            b"In-Reply-To: <root-3@example.org>\r\nReferences: <root-3@example.org>\r\n\r\nreply\r\n",
        )
    *_, root, reply = uids_of(mail_user)
    with imap_commands_sent() as sent:
        found = run_sync(user, "INBOX")
    assert f"UID SEARCH UID {root}:*" in [plain(c) for c in sent] and "IN-REPLY-TO" not in next(c for c in sent if c.startswith(f"UID FETCH {reply} ("))
    rows = next(e for e in found if e.kind == "rows_added").data["rows"]
    assert [(r["uid"], r["alone"]) for r in rows] == [(reply, False)]
    with imap_commands_sent() as sent:
        page = signed_in.get("/mail/INBOX/?view=conversations").context["page"]
    assert not [c for c in sent if "THREAD" in c.upper() or "IN-REPLY-TO" in c.upper()]
    assert (root, reply) in [c.uids for c in page.conversations]
