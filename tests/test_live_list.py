"""The list page from the state the live sync keeps (real Dovecot, Redis, Celery): while a
watcher watches the person, an unchanged folder's page needs no NOOP, no SORT and no STATUS;
after every kind of change, once the sync ran, the page equals what the server says (and
what the page shows without the watched mark); without the mark nothing changes."""
from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from mailview.imap import connection as imap_connection
from mailview.imap import get_pool
from mailview.services.live import events
from mailview.services.live.state import folder_states, folder_states_forget
from mailview.services.live.sync import folders_sync
from mailview.templatetags.mail_list import message_rows
from tests.support import append_message, asks_for_counts, deliver_by_smtp, imap_commands_sent, imap_direct, wait_until
from webmail.redis_client import get_redis

pytestmark = pytest.mark.django_db(transaction=True)
ROW = re.compile(r'<tr class="message([^"]*)" data-uid="(\d+)"')


class Commands:
    """Counts what the app asks the IMAP server during requests (patched into the door)."""

    def __init__(self, monkeypatch) -> None:
        self.sorts = self.noops = self.statuses = self.lists = self.commands = self.refreshes = 0
        real_select = imap_connection.ImapConnection.select
        real_esort, real_list, real_run = imap_connection.esort_page, imap_connection._list_extended, imap_connection.ImapConnection._run
        counter = self

        def esort(*args, **kwargs):
            counter.sorts += 1
            return real_esort(*args, **kwargs)

        def listing(client, *, with_status, **options):
            counter.lists += 1
            counter.statuses += bool(with_status)
            return real_list(client, with_status=with_status, **options)

        def run(self, operation, **kwargs):
            counter.commands += 1

            def counted(client):
                real_noop, real_status = client.noop, client.folder_status

                def noop():
                    counter.noops += 1
                    return real_noop()

                def status(*a, **k):
                    counter.statuses += 1
                    return real_status(*a, **k)

                client.noop, client.folder_status = noop, status
                try:
                    return operation(client)
                finally:
                    del client.noop, client.folder_status

            return real_run(self, counted, **kwargs)

        def select(self, name, *, readonly=True, refresh=False):
            counter.refreshes += bool(refresh)  # asks the server what changed (the conversation list's SORT-free way)
            return real_select(self, name, readonly=readonly, refresh=refresh)

        monkeypatch.setattr(imap_connection.ImapConnection, "select", select)
        monkeypatch.setattr(imap_connection, "esort_page", esort)
        monkeypatch.setattr(imap_connection, "_list_extended", listing)
        monkeypatch.setattr(imap_connection.ImapConnection, "_run", run)

    def reset(self) -> None:
        self.sorts = self.noops = self.statuses = self.lists = self.commands = self.refreshes = 0


@pytest.fixture
def person(signed_in, mail_user):
    user = get_user_model().objects.get(username=mail_user.email)
    with imap_direct(mail_user) as imap:
        for n in range(8):
            append_message(imap, "INBOX", subject=f"message {n}")
        imap.create_folder("Archive")
        imap.subscribe_folder("Archive")
    yield signed_in, user, mail_user
    events.clear_watched(user.pk)
    folder_states_forget(user_pk=user.pk)
    get_redis().delete(events.stream_key(user.pk))


def all_folders(mail_user) -> list[str]:
    with imap_direct(mail_user) as imap:
        return [name for flags, _, name in imap.list_folders() if b"\\Noselect" not in flags]


def sync_all(user, mail_user) -> None:
    """What the watcher asks for after a change (here: every folder)."""
    with get_pool().session(user) as imap:
        folders_sync(imap=imap, user_pk=user.pk, folders=all_folders(mail_user), render_rows=message_rows)


def shown(response) -> dict:
    """What a list page shows: rows (UID, unread, flagged), total, every folder's counts, the poll token."""
    html = response.content.decode()
    return {
        "rows": [(int(uid), "unread" in classes, "flagged" in classes) for classes, uid in ROW.findall(html)],
        "total": response.context["page"].total,
        "counts": {f.name: (f.messages, f.unseen) for f in response.context["folders"] if f.selectable},
        "token": response.context["folder_state"],
    }


def server_view(mail_user, folder: str = "INBOX", per_page: int = 50) -> dict:
    """The same, asked independently: newest first by arrival (same second: by UID)."""
    with imap_direct(mail_user) as imap:
        counts = {}
        for name in all_folders(mail_user):
            status = imap.folder_status(name, ["MESSAGES", "UNSEEN"])
            counts[name] = (status[b"MESSAGES"], status[b"UNSEEN"])
        imap.select_folder(folder, readonly=True)
        order = [int(u) for u in imap.sort(["ARRIVAL"])][::-1][:per_page]
        flags = imap.fetch(order, ["FLAGS"]) if order else {}
    rows = [(uid, b"\\Seen" not in flags[uid][b"FLAGS"], b"\\Flagged" in flags[uid][b"FLAGS"]) for uid in order]
    return {"rows": rows, "counts": counts}


def watched_view(client, user, folder: str = "INBOX") -> dict:
    events.mark_watched(user.pk, 60)
    return shown(client.get(f"/mail/{folder}/"))


def unwatched_view(client, user, folder: str = "INBOX") -> dict:
    events.clear_watched(user.pk)
    try:
        return shown(client.get(f"/mail/{folder}/"))
    finally:
        events.mark_watched(user.pk, 60)


def assert_page_matches_server(client, user, mail_user, folder: str = "INBOX") -> None:
    watched = watched_view(client, user, folder)
    server = server_view(mail_user, folder)
    assert watched["rows"] == server["rows"]
    assert {name: watched["counts"][name] for name in server["counts"]} == server["counts"]
    assert watched == unwatched_view(client, user, folder)  # the same page as without the state


def test_a_watched_unchanged_folder_pages_with_one_list_and_nothing_else(person, monkeypatch):
    client, user, mail_user = person
    events.mark_watched(user.pk, 60)
    sync_all(user, mail_user)
    commands = Commands(monkeypatch)
    first = shown(client.get("/mail/INBOX/"))  # fills the page cache under the kept state
    assert commands.statuses == 0  # counts from the kept state
    commands.reset()
    again = shown(client.get("/mail/INBOX/"))
    assert (commands.sorts, commands.noops, commands.statuses) == (0, 0, 0)
    assert commands.lists == commands.commands == 1  # the tree itself (without counts); rows kept under the state
    assert again == first
    assert again["rows"] == server_view(mail_user)["rows"]


def test_an_unchanged_watched_pages_rows_are_rendered_once_and_a_change_renders_them_again(person, monkeypatch):
    from accounts.models import UserSettings
    from mailview.templatetags import mail_list

    client, user, mail_user = person
    # The flat list's rows are what is kept rendered (conversation rows are rendered per page).
    UserSettings.objects.update_or_create(user=user, defaults={"list_view": "flat"})
    events.mark_watched(user.pk, 60)
    sync_all(user, mail_user)
    client.get("/mail/INBOX/")  # the page kept under the state
    rendered = []
    real_row = mail_list._row
    monkeypatch.setattr(mail_list, "_row", lambda m, *a, **k: rendered.append(m.uid) or real_row(m, *a, **k))
    rows_html = re.compile(r'<tr class="message.*?</tr>', re.S)
    first = rows_html.findall(client.get("/mail/INBOX/").content.decode())
    rendered.clear()
    again = rows_html.findall(client.get("/mail/INBOX/").content.decode())
    assert rendered == [] and again == first and len(first) == 8
    page = shown(client.get("/mail/INBOX/"))
    with imap_direct(mail_user) as imap:
        imap.select_folder("INBOX")
        imap.add_flags([page["rows"][0][0]], [b"\\Flagged"])
    sync_all(user, mail_user)
    changed = shown(client.get("/mail/INBOX/"))
    assert rendered  # a new state: rendered again, and right
    assert changed["rows"] == server_view(mail_user)["rows"] and changed["rows"][0][2]


def poll_token(client, folder: str = "INBOX") -> str:
    response = client.get(f"/folders/state/?folder={folder}")
    assert response.status_code == 200
    return response.json()["state"]


def message_page_counts(client, folder: str, uid: int) -> dict:
    response = client.get(f"/mail/{folder}/{uid}/")
    assert response.status_code == 200
    return {f.name: (f.messages, f.unseen) for f in response.context["folders"] if f.selectable}


def test_while_watched_the_poll_and_the_message_pages_tree_ask_no_counts_and_stay_right(person):
    """/folders/state/ and the message page's folder tree use the kept state, as the list page
    does: no STATUS and no LIST-STATUS reaches the server; after a change and its sync they
    say what the server says (the poll token is the list page's, with or without the mark)."""
    client, user, mail_user = person
    events.mark_watched(user.pk, 60)
    sync_all(user, mail_user)
    page = watched_view(client, user)
    read_uid = page["rows"][0][0]
    with imap_direct(mail_user) as imap:
        imap.select_folder("INBOX")
        imap.add_flags([read_uid], [b"\\Seen"])
        unread_uid = page["rows"][1][0]
    sync_all(user, mail_user)
    with imap_commands_sent() as sent:
        token = poll_token(client)
        counts = message_page_counts(client, "INBOX", read_uid)  # already read: nothing changes
        counts_after_open = message_page_counts(client, "INBOX", unread_uid)  # this open marks it read
    assert asks_for_counts(sent) == [], sent
    assert not [c for c in sent if c.startswith("NOOP")], sent
    server = server_view(mail_user)["counts"]
    assert token == watched_view(client, user)["token"]
    assert {name: counts[name] for name in server} == {**server, "INBOX": (server["INBOX"][0], server["INBOX"][1] + 1)}
    assert {name: counts_after_open[name] for name in server} == server

    with imap_direct(mail_user) as imap:
        append_message(imap, "INBOX", subject="arrived")
        imap.select_folder("INBOX")
        imap.move([page["rows"][2][0]], "Archive")
    sync_all(user, mail_user)
    with imap_commands_sent() as sent:
        changed = poll_token(client)
        counts = message_page_counts(client, "INBOX", read_uid)
    assert asks_for_counts(sent) == [], sent
    server = server_view(mail_user)["counts"]
    assert changed != token
    assert {name: counts[name] for name in server} == server
    assert changed == watched_view(client, user)["token"]
    events.clear_watched(user.pk)
    with imap_commands_sent() as sent:
        assert poll_token(client) == changed  # the server's own answer, without the kept state
    assert asks_for_counts(sent)


def test_without_the_watched_mark_the_page_asks_the_server_as_before(person, monkeypatch):
    client, user, mail_user = person
    events.mark_watched(user.pk, 60)
    sync_all(user, mail_user)
    events.clear_watched(user.pk)
    commands = Commands(monkeypatch)
    for _ in range(2):
        commands.reset()
        page = shown(client.get("/mail/INBOX/"))
        assert (commands.sorts or commands.refreshes) and commands.noops + commands.statuses >= 1
        assert commands.statuses >= 1  # LIST-STATUS: counts from the server
    assert page["rows"] == server_view(mail_user)["rows"]
    assert not get_redis().exists(f"{get_redis_prefix()}:live:prime:{user.pk}")  # nothing queued for the unwatched


def get_redis_prefix() -> str:
    from webmail.redis_client import key_prefix

    return key_prefix()


def test_state_from_an_earlier_watch_is_not_trusted(person, monkeypatch):
    client, user, mail_user = person
    events.mark_watched(user.pk, 60)
    sync_all(user, mail_user)
    events.clear_watched(user.pk)  # the watcher lost the connection: changes may go unseen
    with imap_direct(mail_user) as imap:
        append_message(imap, "INBOX", subject="while nobody watched")
    events.mark_watched(user.pk, 60)  # a new watch: a new token
    queued = []
    monkeypatch.setattr("mailview.views.reading.sync_folders.apply_async", lambda **kw: queued.append(kw))
    commands = Commands(monkeypatch)
    page = shown(client.get("/mail/INBOX/"))
    assert (commands.sorts or commands.refreshes) and commands.statuses >= 1  # asked the server
    assert page["rows"] == server_view(mail_user)["rows"]
    assert queued and set(queued[0]["kwargs"]["folders"]) == set(all_folders(mail_user)) and queued[0]["kwargs"]["user_id"] == user.pk


def test_a_watched_page_without_state_asks_for_a_sync_and_later_pages_use_it(person, celery_worker, monkeypatch):
    client, user, mail_user = person
    events.mark_watched(user.pk, 60)
    client.get("/mail/INBOX/")
    token = events.watch_token(user.pk)
    wait_until(
        lambda: set(all_folders(mail_user)) <= {n for n, s in folder_states(user_pk=user.pk).items() if s.watch == token},
        timeout=30, message="the sync the page asked for",
    )
    client.get("/mail/INBOX/")
    commands = Commands(monkeypatch)
    client.get("/mail/INBOX/")
    assert (commands.sorts, commands.noops, commands.statuses) == (0, 0, 0)


CHANGES = ["append", "smtp", "flags", "move", "expunge", "append_and_expunge"]


def change_elsewhere(mail_user, change: str, uids: list[int]) -> None:
    """One of `CHANGES`, made by another client on INBOX's messages `uids` (newest first)."""
    with imap_direct(mail_user) as imap:
        imap.select_folder("INBOX")
        if change == "append":
            append_message(imap, "INBOX", subject="appended")
        elif change == "smtp":
            deliver_by_smtp(mail_user, subject="delivered")
        elif change == "flags":
            imap.add_flags(uids[:2], [b"\\Seen", b"\\Flagged"])
        elif change == "move":
            imap.move(uids[1:3], "Archive")
        elif change == "expunge":
            imap.delete_messages(uids[:1])
            imap.uid_expunge(uids[:1])
        elif change == "append_and_expunge":  # EXISTS unchanged
            append_message(imap, "INBOX", subject="replacement")
            imap.delete_messages(uids[-1:])
            imap.uid_expunge(uids[-1:])


@pytest.mark.parametrize("change", CHANGES)
def test_after_every_kind_of_change_and_its_sync_the_page_matches_the_server(person, change):
    client, user, mail_user = person
    events.mark_watched(user.pk, 60)
    sync_all(user, mail_user)
    before = watched_view(client, user)
    watched_view(client, user)  # cached now
    uids = [uid for uid, _, _ in before["rows"]]
    change_elsewhere(mail_user, change, uids)
    sync_all(user, mail_user)
    assert_page_matches_server(client, user, mail_user)
    if change == "move":
        assert_page_matches_server(client, user, mail_user, "Archive")


def test_after_a_new_uidvalidity_and_its_sync_the_page_matches_the_server(person):
    client, user, mail_user = person
    with imap_direct(mail_user) as imap:
        imap.create_folder("Projects")
        imap.subscribe_folder("Projects")
        for n in range(3):
            append_message(imap, "Projects", subject=f"old {n}")
    events.mark_watched(user.pk, 60)
    sync_all(user, mail_user)
    watched_view(client, user, "Projects")
    with imap_direct(mail_user) as imap:
        imap.delete_folder("Projects")
        imap.create_folder("Projects")
        imap.subscribe_folder("Projects")
        for n in range(3):
            append_message(imap, "Projects", subject=f"new {n}")
    sync_all(user, mail_user)
    assert_page_matches_server(client, user, mail_user, "Projects")


def test_a_change_made_in_this_webmail_reaches_the_state_and_the_page(person, celery_worker):
    from tests.support import act

    client, user, mail_user = person
    events.mark_watched(user.pk, 60)
    sync_all(user, mail_user)
    watched_view(client, user)
    uid = watched_view(client, user)["rows"][0][0]
    before = folder_states(user_pk=user.pk)["INBOX"].highestmodseq
    assert act(client, action="flag", folder="INBOX", uid=[uid])["state"] == "done"
    wait_until(lambda: folder_states(user_pk=user.pk)["INBOX"].highestmodseq != before, timeout=30, message="the sync after the action")
    assert_page_matches_server(client, user, mail_user)



def test_a_page_loaded_after_an_action_is_done_shows_it_before_the_sync_ran(person, monkeypatch):
    """A reload right after "done" (undo, filing from a message page) must not show the folder
    as the kept state last saw it: the action marks its folders changed until their sync ran."""
    import uuid

    from mailview.services.live.state import folder_states_trusted
    from mailview.tasks import mail_action

    client, user, mail_user = person
    events.mark_watched(user.pk, 60)
    sync_all(user, mail_user)
    rows = watched_view(client, user)["rows"]
    assert watched_view(client, user)["rows"] == rows  # kept under the synced state now
    assert {"INBOX", "Archive"} <= set(folder_states_trusted(user_pk=user.pk) or {})
    queued = []  # the sync the action asks for: held back, as if the workers were busy
    monkeypatch.setattr("mailview.tasks.sync_folders.apply_async", lambda **kw: queued.append(kw))
    moved = rows[0][0]
    result = mail_action.apply(kwargs={
        "action_id": str(uuid.uuid4()), "user_id": user.pk, "kind": "move", "folder": "INBOX", "uids": [moved], "target": "Archive",
    }).get()
    assert result["ok"] and queued
    trusted = folder_states_trusted(user_pk=user.pk) or {}
    assert "INBOX" not in trusted and "Archive" not in trusted
    assert_page_matches_server(client, user, mail_user)
    assert moved not in [uid for uid, _, _ in watched_view(client, user)["rows"]]
    assert_page_matches_server(client, user, mail_user, "Archive")
    sync_all(user, mail_user)  # the held-back sync: the kept state is current and trusted again
    assert {"INBOX", "Archive"} <= set(folder_states_trusted(user_pk=user.pk) or {})
    commands = Commands(monkeypatch)
    assert watched_view(client, user)["rows"] == server_view(mail_user)["rows"]
    watched_view(client, user)
    assert (commands.sorts, commands.statuses) == (0, 0)


def test_a_sync_that_began_before_a_change_was_marked_leaves_the_folder_untrusted(person):
    """A sync's STATUS may have come before the action changed the folder: only a sync that
    began after the mark makes the folder's kept state trusted again."""
    from mailview.services.live.state import folder_states_changed, folder_states_save, folder_states_trusted, redis_clock

    _client, user, mail_user = person
    events.mark_watched(user.pk, 60)
    sync_all(user, mail_user)
    kept = folder_states(user_pk=user.pk)["INBOX"]
    began = redis_clock()
    folder_states_changed(user_pk=user.pk, folders=["INBOX"])
    assert 0 < get_redis().ttl(f"{get_redis_prefix()}:live:changed:{user.pk}") <= 300  # a lost sync does not leave it untrusted for ever
    folder_states_save(user_pk=user.pk, states=[kept], synced_since=began)
    assert "INBOX" not in (folder_states_trusted(user_pk=user.pk) or {})
    folder_states_save(user_pk=user.pk, states=[kept], synced_since=redis_clock())
    assert "INBOX" in (folder_states_trusted(user_pk=user.pk) or {})


def test_without_condstore_the_kept_page_fetches_its_rows_so_flags_are_current(person, monkeypatch):
    client, user, mail_user = person
    events.mark_watched(user.pk, 60)

    def sync_plain() -> None:
        with get_pool().session(user) as imap:
            real = imap.capabilities
            imap.capabilities = real - {"CONDSTORE", "QRESYNC"}
            try:
                folders_sync(imap=imap, user_pk=user.pk, folders=all_folders(mail_user), render_rows=message_rows)
            finally:
                imap.capabilities = real

    sync_plain()
    assert folder_states(user_pk=user.pk)["INBOX"].highestmodseq is None
    watched_view(client, user)
    uid = watched_view(client, user)["rows"][3][0]
    with imap_direct(mail_user) as imap:
        imap.select_folder("INBOX")
        imap.add_flags([uid], [b"\\Flagged"])  # changes no count: the kept state's key stays
    sync_plain()
    commands = Commands(monkeypatch)
    page = watched_view(client, user)
    assert commands.sorts == 0 and commands.commands >= 2  # LIST, and the FETCH of the rows
    assert (uid, True, True) in page["rows"]
    assert page["rows"] == server_view(mail_user)["rows"]


def list_commands(sent: list[str]) -> list[str]:
    """What building a list page asks beyond "what changed": SORT, THREAD, SEARCH and FETCH."""
    return [c for c in sent if any(word in c.upper().split() for word in ("SORT", "THREAD", "SEARCH", "FETCH"))]


@pytest.mark.parametrize("view", ["flat", "conversations"])
def test_an_unwatched_unchanged_folder_pages_without_sort_or_fetch(person, view):
    """Not watched (a visit's first page): the selection's CONDSTORE state keys the page, so a
    second look at an unchanged folder costs the NOOP only."""
    from accounts.models import UserSettings

    client, user, mail_user = person
    UserSettings.objects.update_or_create(user=user, defaults={"list_view": view})
    events.clear_watched(user.pk)
    first = shown(client.get("/mail/INBOX/"))
    with imap_commands_sent() as sent:
        again = shown(client.get("/mail/INBOX/"))
    assert list_commands(sent) == [] and any(c.startswith("NOOP") for c in sent)
    assert again["rows"] == first["rows"] == server_view(mail_user)["rows"]


@pytest.mark.parametrize("view", ["flat", "conversations"])
@pytest.mark.parametrize("change", CHANGES)
def test_an_unwatched_kept_page_follows_every_kind_of_change(person, change, view):
    """The page kept under the selection's state is never shown after the folder changed: each
    kind of change elsewhere, with no sync and no watcher, shows on the next look."""
    from accounts.models import UserSettings

    client, user, mail_user = person
    UserSettings.objects.update_or_create(user=user, defaults={"list_view": view})
    events.clear_watched(user.pk)
    before = shown(client.get("/mail/INBOX/"))
    shown(client.get("/mail/INBOX/"))  # kept now
    uids = [uid for uid, _, _ in before["rows"]]
    change_elsewhere(mail_user, change, uids)
    if change == "smtp":
        wait_until(lambda: len(server_view(mail_user)["rows"]) == len(uids) + 1, timeout=30, message="the delivery")
    after = shown(client.get("/mail/INBOX/"))
    assert after["rows"] == server_view(mail_user)["rows"] != before["rows"]
