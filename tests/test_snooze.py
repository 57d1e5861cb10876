"""Snooze against the real servers: the message waits in the Snoozed folder on the IMAP server
(another client sees it there), the due time is in the database, and the beat sweep (a task on
a real Celery worker, also after that worker was killed and replaced) brings it back to the top
of the inbox, unread. A message another client took out of Snoozed is dropped without error."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from mailview.models import Snooze
from mailview.services.filing.snooze import SnoozeInvalid, snooze_time
from mailview.tasks import snooze_wake_due_task
from tests.support import act, append_message, imap_direct, new_mail_user, server_subjects, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def person(client):
    user = new_mail_user("snoozer")
    with imap_direct(user) as imap:
        append_message(imap, "INBOX", subject="read me later", seen=True)
        append_message(imap, "INBOX", subject="newer one")
    assert client.post("/accounts/login/", {"email": user.email, "password": user.password}).status_code == 302
    return user


def subjects(user, folder: str) -> list[str]:
    """Subjects in `folder`, newest arrival first (the list's order: arrivals in the same second
    newest UID first; SORT REVERSE ARRIVAL would list those oldest first, RFC 5256)."""
    with imap_direct(user) as imap:
        imap.select_folder(folder, readonly=True)
        uids = imap.search(["ALL"])
        data = imap.fetch(uids, ["ENVELOPE", "INTERNALDATE"]) if uids else {}
        newest_first = sorted(uids, key=lambda u: (data[u][b"INTERNALDATE"], u), reverse=True)
        return [data[u][b"ENVELOPE"].subject.decode() for u in newest_first]


def flags_of(user, folder: str, subject: str) -> tuple[bytes, ...]:
    with imap_direct(user) as imap:
        imap.select_folder(folder, readonly=True)
        uid = imap.search(["SUBJECT", subject])[0]
        return tuple(imap.fetch([uid], ["FLAGS"])[uid][b"FLAGS"])


def snooze(client, uid: int, *, choice: str = "tomorrow", folder: str = "INBOX", **extra: str):
    return client.post("/snooze/", {"folder": folder, "uid": [uid], "choice": choice, "next": f"/mail/{folder}/", **extra})


def sweep() -> dict:
    """The beat task, run by the worker (as celery beat would send it)."""
    return snooze_wake_due_task.apply_async().get(timeout=60)


def make_due(user) -> None:
    Snooze.objects.filter(user__username=user.email).update(due_at=timezone.now() - timedelta(seconds=1))


def test_snooze_moves_the_message_to_the_snoozed_folder_on_the_server(client, person):
    response = snooze(client, 1)
    assert response.status_code == 302 and response["Location"] == "/mail/INBOX/"
    assert subjects(person, "INBOX") == ["newer one"]
    assert subjects(person, "Snoozed") == ["read me later"]
    row = Snooze.objects.get(user__username=person.email)
    assert row.folder == "Snoozed" and row.subject == "read me later" and row.message_id.startswith("<")
    assert row.due_at > timezone.now() + timedelta(hours=1)
    # The scheduled page lists it with "unsnooze now" and a new time.
    html = client.get("/mail/scheduled/").content.decode()
    assert "read me later" in html and f"/snooze/{row.pk}/wake/" in html and f"/snooze/{row.pk}/time/" in html


def test_the_sweep_brings_it_back_unread_on_top_after_a_worker_restart(client, person, celery_worker):
    assert snooze(client, 1).status_code == 302
    assert subjects(person, "INBOX") == ["newer one"]
    # The worker dies and another starts: the due time is in the database, nothing is lost.
    celery_worker.kill()
    celery_worker.start()
    assert sweep()["returned"] == 0  # not due yet: it stays
    assert subjects(person, "Snoozed") == ["read me later"]
    make_due(person)
    assert sweep()["returned"] == 1
    assert subjects(person, "INBOX") == ["read me later", "newer one"], "back on top of the inbox"
    assert b"\\Seen" not in flags_of(person, "INBOX", "read me later"), "back unread"
    assert subjects(person, "Snoozed") == []
    assert not Snooze.objects.filter(user__username=person.email).exists()


def test_a_message_moved_out_of_snoozed_elsewhere_is_dropped_without_error(client, person, celery_worker):
    assert snooze(client, 1).status_code == 302
    with imap_direct(person) as imap:  # another device files it meanwhile
        imap.create_folder("Elsewhere")
        imap.select_folder("Snoozed")
        imap.move(imap.search(["ALL"]), "Elsewhere")
    make_due(person)
    result = sweep()
    assert result == {"returned": 0, "dropped": 1, "waiting": 0}
    assert not Snooze.objects.filter(user__username=person.email).exists()
    assert subjects(person, "INBOX") == ["newer one"] and subjects(person, "Elsewhere") == ["read me later"]


def test_unsnooze_now_and_change_time_are_for_the_owner_only(client, person):
    assert snooze(client, 1).status_code == 302
    row = Snooze.objects.get(user__username=person.email)
    stranger = new_mail_user("stranger")
    from tests.support import RawUriClient

    other = RawUriClient()
    assert other.post("/accounts/login/", {"email": stranger.email, "password": stranger.password}).status_code == 302
    other.post(f"/snooze/{row.pk}/wake/")
    other.post(f"/snooze/{row.pk}/time/", {"choice": "custom", "custom": "2099-01-01T08:00"})
    row.refresh_from_db()
    assert subjects(person, "Snoozed") == ["read me later"] and row.due_at < timezone.now() + timedelta(days=8)

    later = (timezone.now() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    assert client.post(f"/snooze/{row.pk}/time/", {"choice": "custom", "custom": later, "tz_offset": "0"}).status_code == 302
    row.refresh_from_db()
    assert abs((row.due_at - (timezone.now() + timedelta(days=3))).total_seconds()) < 120
    assert client.post(f"/snooze/{row.pk}/wake/").status_code == 302
    assert subjects(person, "INBOX") == ["read me later", "newer one"]
    assert not Snooze.objects.filter(pk=row.pk).exists()


def test_snooze_presets_and_refusals(client, person):
    from datetime import UTC, datetime

    monday_noon = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
    assert snooze_time(choice="later_today", tz_offset="0", now=monday_noon) == datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
    assert snooze_time(choice="tomorrow", tz_offset="-60", now=monday_noon) == datetime(2026, 12, 8, 7, 0, tzinfo=UTC)
    assert snooze_time(choice="next_week", tz_offset="0", now=monday_noon) == datetime(2026, 12, 14, 8, 0, tzinfo=UTC)
    for choice, custom in (("custom", "2020-01-01T08:00"), ("custom", "soon"), ("whenever", "")):
        with pytest.raises(SnoozeInvalid):
            snooze_time(choice=choice, custom=custom, now=monday_noon)
    # A past time is refused with a message, nothing moves; a snoozed message cannot be snoozed from Snoozed.
    response = snooze(client, 1, choice="custom", custom="2020-01-01T08:00")
    assert response.status_code == 302
    assert sorted(subjects(person, "INBOX")) == ["newer one", "read me later"]
    assert not Snooze.objects.exists()
    assert get_user_model().objects.filter(username=person.email).exists()


# -- a return stopped at any point and tried again: exactly one copy --------------------------


class WorkerDied(BaseException):
    """The worker is killed mid-return: nothing after this point runs, not even `except Exception`
    (the row stays claimed until the claim is stale)."""


@pytest.mark.parametrize(
    ("step", "how"),
    [("before_append", "died"), ("after_append", "died"), ("after_append", "raised"), ("after_expunge", "died")],
)
def test_a_return_stopped_at_any_step_and_swept_again_leaves_exactly_one_copy(client, person, celery_worker, monkeypatch, step, how):
    from mailview.imap import ImapConnectionError, get_pool
    from mailview.services.filing.snooze import CLAIM_STALE, snoozes_wake

    assert snooze(client, 1).status_code == 302
    make_due(person)
    user = get_user_model().objects.get(username=person.email)
    stop: BaseException = WorkerDied() if how == "died" else ImapConnectionError("connection lost")
    with get_pool().session(user) as imap:
        # The real commands run against the real server; the hook stops the return right there.
        append, expunge = imap.append, imap.delete_permanently

        def append_then_stop(*args, **kwargs):
            if step == "before_append":
                raise stop
            append(*args, **kwargs)
            if step == "after_append":
                raise stop

        def expunge_then_stop(*args, **kwargs):
            expunge(*args, **kwargs)
            raise stop

        monkeypatch.setattr(imap, "append", append_then_stop)
        monkeypatch.setattr(imap, "delete_permanently", expunge_then_stop)
        with pytest.raises(type(stop)):
            snoozes_wake(imap=imap, user=user)
        monkeypatch.undo()
    copies = {"before_append": 0, "after_append": 1, "after_expunge": 1}[step]
    assert subjects(person, "INBOX").count("read me later") == copies
    assert subjects(person, "Snoozed") == ([] if step == "after_expunge" else ["read me later"])
    row = Snooze.objects.get(user__username=person.email)
    if how == "died":  # the claim of a dead worker is taken over once it is stale
        assert row.claimed_at is not None
        Snooze.objects.filter(pk=row.pk).update(claimed_at=timezone.now() - CLAIM_STALE - timedelta(seconds=1))
    else:  # an error gives the row back to the next sweep at once
        assert row.claimed_at is None

    swept = sweep()
    assert swept["returned"] + swept["dropped"] == 1, swept
    assert subjects(person, "INBOX") == ["read me later", "newer one"], "exactly one copy, on top"
    assert b"\\Seen" not in flags_of(person, "INBOX", "read me later")
    assert subjects(person, "Snoozed") == []
    assert not Snooze.objects.filter(user__username=person.email).exists()


def test_a_message_snoozed_again_after_its_return_comes_back_again(client, person, celery_worker):
    """The marker of a return names its row: the copy of an earlier return is not taken for the next one's."""
    assert snooze(client, 1).status_code == 302
    make_due(person)
    assert sweep()["returned"] == 1
    with imap_direct(person) as imap:
        imap.select_folder("INBOX", readonly=True)
        uid = imap.search(["SUBJECT", "read me later"])[0]
        head = imap.fetch([uid], ["BODY.PEEK[HEADER]"])[uid][b"BODY[HEADER]"]
    assert head.count(b"X-Webmail-Snooze-Return:") == 1
    assert snooze(client, uid).status_code == 302
    assert subjects(person, "Snoozed") == ["read me later"]
    make_due(person)
    assert sweep()["returned"] == 1
    assert subjects(person, "INBOX") == ["read me later", "newer one"] and subjects(person, "Snoozed") == []
    with imap_direct(person) as imap:
        imap.select_folder("INBOX", readonly=True)
        uid = imap.search(["SUBJECT", "read me later"])[0]
        head = imap.fetch([uid], ["BODY.PEEK[HEADER]"])[uid][b"BODY[HEADER]"]
    assert head.count(b"X-Webmail-Snooze-Return:") == 1, "the earlier return's marker does not pile up"


# -- snoozing a whole folder or search ("select all N"), done by the filing worker ------------


JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def sleepy(client):
    """Five "nap" messages in the inbox and two in Work, two others that stay, one of them in Work."""
    user = new_mail_user("sleepy")
    with imap_direct(user) as imap:
        imap.create_folder("Work")
        imap.subscribe_folder("Work")
        for n in range(5):
            append_message(imap, "INBOX", subject=f"nap {n}")
        append_message(imap, "INBOX", subject="stay awake")
        append_message(imap, "Work", subject="nap at work")
        append_message(imap, "Work", subject="nap after lunch")
        append_message(imap, "Work", subject="work stays")
    assert client.post("/accounts/login/", {"email": user.email, "password": user.password}).status_code == 302
    return user


def assert_snoozed_rows_match_the_server(user, subjects_expected: list[str]) -> None:
    """One row per message, each naming the message's UID in Snoozed."""
    rows = list(Snooze.objects.filter(user__username=user.email))
    assert sorted(r.subject for r in rows) == sorted(subjects_expected)
    with imap_direct(user) as imap:
        imap.select_folder("Snoozed", readonly=True)
        found = {int(u): d[b"ENVELOPE"].subject.decode() for u, d in imap.fetch(imap.search(["ALL"]), ["ENVELOPE"]).items()}
    assert {r.uid: r.subject for r in rows} == found
    assert all(r.folder == "Snoozed" and r.message_id.startswith("<") and r.due_at > timezone.now() for r in rows)


def test_select_all_matching_in_a_folder_snoozes_every_match_on_every_page(client, sleepy, celery_worker):
    # The script posts what the list's form holds: the page's one ticked box does not limit "all".
    state = act(client, action="snooze", folder="INBOX", uid=[1], all="1", q="nap", choice="tomorrow", tz_offset="0")
    assert state["state"] == "done" and state["error"] == "" and state["undo"] is False
    assert state["result"]["count"] == 5 and state["result"]["target"] == "Snoozed"
    assert server_subjects(sleepy, "INBOX") == ["stay awake"]
    assert_snoozed_rows_match_the_server(sleepy, [f"nap {n}" for n in range(5)])
    make_due(sleepy)
    assert sweep()["returned"] == 5
    assert server_subjects(sleepy, "INBOX") == [*(f"nap {n}" for n in range(5)), "stay awake"]
    assert server_subjects(sleepy, "Snoozed") == [] and not Snooze.objects.filter(user__username=sleepy.email).exists()


def test_select_all_in_a_folder_without_the_script_goes_to_the_worker_too(client, sleepy, celery_worker):
    response = client.post("/snooze/", {"folder": "INBOX", "uid": ["1"], "all": "1", "choice": "next_week", "tz_offset": "0", "next": "/mail/INBOX/"})
    assert response.status_code == 302 and response["Location"] == "/mail/INBOX/"
    wait_until(lambda: server_subjects(sleepy, "INBOX") == [], timeout=30, message="the worker to snooze the whole inbox")
    wait_until(lambda: Snooze.objects.filter(user__username=sleepy.email, uid__isnull=False).count() == 6, timeout=30, message="the rows")
    assert_snoozed_rows_match_the_server(sleepy, [*(f"nap {n}" for n in range(5)), "stay awake"])


def test_select_all_search_results_snoozes_them_in_every_folder(client, sleepy, celery_worker):
    data = {"action": "snooze", "search": "1", "all": "1", "q": "nap", "choice": "later_today", "tz_offset": "0"}
    response = client.post("/actions/", data, **JSON)
    assert response.status_code == 200, response.content
    ids = response.json()["action_ids"]
    assert len(ids) == 2  # one per folder with matches
    states = [wait_until(lambda i=i: (s := client.get(f"/actions/{i}/", **JSON).json())["state"] != "pending" and s, timeout=30) for i in ids]
    assert all(s["state"] == "done" for s in states) and sum(s["result"]["count"] for s in states) == 7
    assert server_subjects(sleepy, "INBOX") == ["stay awake"] and server_subjects(sleepy, "Work") == ["work stays"]
    assert_snoozed_rows_match_the_server(sleepy, [*(f"nap {n}" for n in range(5)), "nap after lunch", "nap at work"])
    # Snoozing them again where they wait (Snoozed, as a search would find them): nothing
    # changes, and the page says why.
    state = act(client, action="snooze", folder="Snoozed", all="1", choice="tomorrow", tz_offset="0")
    assert state["state"] == "done" and "snoozed already" in state["notice"]
    assert Snooze.objects.filter(user__username=sleepy.email).count() == 7 and len(server_subjects(sleepy, "Snoozed")) == 7


def test_snoozing_a_selection_needs_a_time_in_the_future(client, sleepy):
    response = client.post("/actions/", {"action": "snooze", "folder": "INBOX", "all": "1", "choice": "custom", "custom": "2020-01-01T08:00"}, **JSON)
    assert response.status_code == 400 and "future" in response.json()["error"]
    assert not Snooze.objects.exists() and len(server_subjects(sleepy, "INBOX")) == 6


def test_a_selection_past_the_bound_is_refused_before_anything_moves(sleepy, monkeypatch):
    from mailview.imap import get_pool
    from mailview.services.filing import snooze as snooze_service
    from mailview.services.filing.actions import message_action_apply

    monkeypatch.setattr(snooze_service, "MAX_SELECTED", 4)
    user = get_user_model().objects.get(username=sleepy.email)
    until = (timezone.now() + timedelta(days=1)).isoformat()
    with get_pool().session(user) as imap:
        result = message_action_apply(imap=imap, action_id="t", kind="snooze", folder="INBOX", uids="1:*", user_key=str(user.pk), until=until)
    assert not result.ok and result.reason == "refused" and "at most 4 messages" in result.error
    assert len(server_subjects(sleepy, "INBOX")) == 6 and not Snooze.objects.exists()
