"""Undo send and send later against the real servers (Postfix, Dovecot, Redis, Celery workers).

A sent message waits in the durable send queue (a queued compose with its `send_at` in the
database, a task held until then) and can be recalled into the editor until it goes out.
What reached Bob is checked on his IMAP server; "never delivered" is checked once the
compose is recalled and its due time has passed (the task has come and found nothing to do).
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from accounts.models import UserSettings
from mailview.models import Compose
from mailview.services.compose.lifecycle import ComposeInvalid, compose_sweep_due, send_later_time
from mailview.tasks import compose_send_enqueue
from tests.support import CeleryWorker, new_mail_user, wait_until
from tests.test_compose import JSON, FormReader, messages_in, open_compose, parsed, sign_in, upload, wait_for_message, wait_for_state

pytestmark = pytest.mark.django_db(transaction=True)
QUEUE = "send-later-test"
# Redelivery of a dead worker's task within seconds (the default visibility timeout is 120 s).
FAST_RESTORE = {"CELERY_VISIBILITY_TIMEOUT": "8", "CELERY_UNACKED_RESTORE_INTERVAL": "1", "CELERY_UNACKED_RESTORE_THROTTLE": "1"}


@pytest.fixture
def alice(client, mail_user):
    sign_in(client, mail_user)
    return mail_user


@pytest.fixture
def bob():
    return new_mail_user("bob")


def undo_delay(user, seconds: int) -> None:
    from django.contrib.auth import get_user_model

    account = get_user_model().objects.get(username=user.email)
    UserSettings.objects.update_or_create(user=account, defaults={"undo_send_seconds": seconds})


def send(client, data: dict, **changes: object) -> Compose:
    response = client.post("/mail/compose/", {**data, **changes, "action": "send"}, **JSON)
    assert response.status_code == 202, response.content
    return Compose.objects.get(pk=data["compose"])


def schedule(client, data: dict, *, choice: str, when: str = "", tz_offset: str = "0", **changes: object):  # type: ignore[no-untyped-def]
    return client.post("/mail/compose/", {**data, **changes, "action": "schedule", "send_later": choice, "send_at": when, "tz_offset": tz_offset})


def passed(moment: datetime, margin: float = 2.0) -> bool:
    return timezone.now() > moment + timedelta(seconds=margin)


# -- undo send -----------------------------------------------------------------------------


def test_undo_recalls_the_message_into_the_editor_and_it_is_never_delivered(celery_worker, client, alice, bob):
    undo_delay(alice, 5)
    data = open_compose(client)
    upload(client, data, "plan.txt", b"the plan\n", content_type="text/plain")
    compose = send(client, data, to=bob.email, cc="", subject="Oops, not yet", body="Wait for it.\n")
    assert compose.state == "queued" and compose.send_at is not None and compose.send_at > timezone.now()
    due = compose.send_at
    page = client.get(f"/mail/compose/{compose.pk}/status/").content.decode()
    assert "Undo" in page and "data-undo-button" in page
    # Not delivered before the delay: it is still waiting when undone.
    assert messages_in(bob, "INBOX") == []
    undone = client.post(f"/mail/compose/{compose.pk}/cancel/")
    assert undone.status_code == 302 and undone["Location"] == f"/mail/compose/{compose.pk}/"
    compose.refresh_from_db()
    assert compose.state == "draft" and compose.send_at is None

    # The editor is back with everything: recipients, text, attachment.
    editor = client.get(undone["Location"])
    assert editor.status_code == 200
    reader = FormReader()
    reader.feed(editor.content.decode())
    assert reader.fields["to"] == bob.email and reader.fields["subject"] == "Oops, not yet"
    assert "Wait for it." in str(reader.fields["body"])
    assert "plan.txt" in editor.content.decode()
    assert len(messages_in(alice, "Drafts")) == 1, "the message waits in Drafts"

    # Never delivered: recalled, and the time it would have gone out is well past.
    wait_until(lambda: passed(due, 3) and Compose.objects.get(pk=compose.pk).state == "draft", timeout=30, message="the due time to pass")
    assert messages_in(bob, "INBOX") == []
    assert messages_in(alice, "Sent") == []
    assert Compose.objects.get(pk=compose.pk).state == "draft"


def test_without_undo_it_is_delivered_once_the_delay_is_over(celery_worker, client, alice, bob):
    undo_delay(alice, 5)
    data = open_compose(client)
    compose = send(client, data, to=bob.email, subject="On its way", body="Soon.\n")
    due = compose.send_at
    assert due is not None and due - timezone.now() > timedelta(seconds=3)
    status = client.get(f"/mail/compose/{compose.pk}/status/", **JSON).json()
    assert status["can_cancel"] and not status["done"]
    if timezone.now() < due:
        assert messages_in(bob, "INBOX") == [], "nothing is delivered before the delay is over"
    assert wait_for_state(compose, "sent", "failed").state == "sent", (compose.error_code, compose.error_detail)
    assert compose.claimed_at is not None and compose.claimed_at >= due, "taken by a worker only once its time came"
    [(_uid, raw, _flags)] = wait_for_message(bob, "INBOX")
    assert parsed(raw)["Subject"] == "On its way"
    assert client.post(f"/mail/compose/{compose.pk}/cancel/").status_code == 302
    assert Compose.objects.get(pk=compose.pk).state == "sent", "too late to undo once sent"


def test_the_undo_delay_is_a_setting(client, alice):
    page = client.get("/accounts/settings/").content.decode()
    assert 'name="undo_send_seconds"' in page
    response = client.post("/accounts/settings/", {"messages_per_page": "50", "mark_read_on_open": "on", "undo_send_seconds": "20"})
    assert response.status_code == 302
    assert UserSettings.objects.get(user__username=alice.email).undo_send_seconds == 20
    bad = client.post("/accounts/settings/", {"messages_per_page": "50", "undo_send_seconds": "7"})
    assert bad.status_code == 200 and UserSettings.objects.get(user__username=alice.email).undo_send_seconds == 20


# -- send later ------------------------------------------------------------------------------


def test_a_scheduled_message_is_listed_and_delivered_at_its_time(celery_worker, client, alice, bob):
    data = open_compose(client)
    when = (datetime.now(UTC) + timedelta(seconds=8)).replace(microsecond=0)
    response = schedule(client, data, choice="custom", when=when.strftime("%Y-%m-%dT%H:%M:%S"), to=bob.email, subject="Later, Bob", body="Scheduled.\n")
    compose = Compose.objects.get(pk=data["compose"])
    assert response.status_code == 302 and response["Location"] == f"/mail/compose/{compose.pk}/status/"
    assert compose.state == "queued" and compose.send_later and compose.send_at == when
    listing = client.get("/mail/scheduled/").content.decode()
    assert "Later, Bob" in listing
    if timezone.now() < when:
        assert messages_in(bob, "INBOX") == []
    [(_uid, raw, _flags)] = wait_for_message(bob, "INBOX", timeout=60)
    assert parsed(raw)["Subject"] == "Later, Bob"
    assert parsed(raw)["Date"].datetime == when, "dated when it went out"
    compose = wait_for_state(compose, "sent")
    assert compose.claimed_at is not None and compose.claimed_at >= when
    assert "Later, Bob" not in client.get("/mail/scheduled/").content.decode()


def test_a_scheduled_message_can_be_cancelled_or_recalled_from_the_list(client, alice, bob):
    data = open_compose(client)
    assert schedule(client, data, choice="tomorrow", to=bob.email, subject="Tomorrow's news", body="News.\n").status_code == 302
    compose = Compose.objects.get(pk=data["compose"])
    assert compose.state == "queued" and compose.send_later
    listing = client.get("/mail/scheduled/")
    assert listing.status_code == 200 and "Tomorrow&#x27;s news" in listing.content.decode()
    [(_uid, raw, _flags)] = messages_in(alice, "Drafts")
    assert parsed(raw)["Subject"] == "Tomorrow's news", "the waiting message is in Drafts for other devices"

    cancelled = client.post(f"/mail/compose/{compose.pk}/cancel/", {"next": "scheduled"})
    assert cancelled.status_code == 302 and cancelled["Location"] == "/mail/scheduled/"
    compose.refresh_from_db()
    assert compose.state == "draft" and not compose.send_later and compose.send_at is None
    assert "Tomorrow&#x27;s news" not in client.get("/mail/scheduled/").content.decode()

    # Scheduled again, then "Edit" from the list: back in the editor.
    data2 = {**data, "seed": ""}
    assert schedule(client, data2, choice="monday", to=bob.email, subject="Monday's news", body="News.\n").status_code == 302
    edit = client.post(f"/mail/compose/{compose.pk}/cancel/")
    assert edit.status_code == 302 and edit["Location"] == f"/mail/compose/{compose.pk}/"
    assert "Monday&#x27;s news" in client.get(edit["Location"]).content.decode()


def test_send_later_refuses_a_time_in_the_past(client, alice, bob):
    data = open_compose(client)
    past = (datetime.now(UTC) - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M")
    response = schedule(client, data, choice="custom", when=past, to=bob.email, subject="Too late", body="x\n")
    assert response.status_code == 400 and "in the future" in response.content.decode()
    assert Compose.objects.get(pk=data["compose"]).state == "draft"


def test_send_later_times_are_read_in_the_browsers_time_zone():
    # Saturday 2026-12-05 22:30 UTC is Sunday 06:30 in UTC+8 (the browser says -480).
    now = datetime(2026, 12, 5, 22, 30, tzinfo=UTC)
    assert send_later_time(choice="tomorrow", tz_offset="-480", now=now) == datetime(2026, 12, 7, 0, 0, tzinfo=UTC)
    assert send_later_time(choice="monday", tz_offset="-480", now=now) == datetime(2026, 12, 7, 0, 0, tzinfo=UTC)
    assert send_later_time(choice="tomorrow", tz_offset="0", now=now) == datetime(2026, 12, 6, 8, 0, tzinfo=UTC)
    # A Monday's "Monday" is next week's; a custom time in UTC-5 (300).
    monday = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
    assert send_later_time(choice="monday", tz_offset="0", now=monday) == datetime(2026, 12, 14, 8, 0, tzinfo=UTC)
    assert send_later_time(choice="custom", custom="2026-12-08T09:15", tz_offset="300", now=now) == datetime(2026, 12, 8, 14, 15, tzinfo=UTC)
    for bad in ({"choice": "custom", "custom": "soon"}, {"choice": "yesterday"}, {"choice": "custom", "custom": "2026-12-01T09:00"}):
        with pytest.raises(ComposeInvalid):
            send_later_time(tz_offset="0", now=now, **bad)


# -- durability --------------------------------------------------------------------------------


def unacked_holds(compose_id: str) -> bool:
    """A worker has taken the compose's task off the queue and holds it (acks late)."""
    import redis

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    return any(compose_id.encode() in raw for raw in client.hgetall("unacked").values())


@override_settings(WEBMAIL_SEND_QUEUE=QUEUE)
def test_a_waiting_message_whose_worker_is_killed_is_sent_by_a_new_worker(client, alice, bob):
    undo_delay(alice, 10)
    db = settings.DATABASES["default"]["NAME"]
    env = {**FAST_RESTORE, "WEBMAIL_SEND_QUEUE": QUEUE}
    first = CeleryWorker(db, name="send-holder", queues=QUEUE, env=env)
    second = CeleryWorker(db, name="send-heir", queues=QUEUE, env=env)
    first.start()
    try:
        data = open_compose(client)
        compose = send(client, data, to=bob.email, subject="Survives a restart", body="Still here.\n")
        wait_until(lambda: unacked_holds(str(compose.pk)), timeout=30, message="the worker to hold the waiting send")
        first.kill()
        assert Compose.objects.get(pk=compose.pk).state == "queued"
        second.start()
        [(_uid, raw, _flags)] = wait_for_message(bob, "INBOX", timeout=90)
        assert parsed(raw)["Subject"] == "Survives a restart"
        compose = wait_for_state(compose, "sent")
        assert compose.claimed_at is not None and compose.send_at is not None and compose.claimed_at >= compose.send_at
        assert len(messages_in(bob, "INBOX")) == 1, "sent once"
    finally:
        first.kill()
        second.stop()


def test_the_sweep_sends_a_waiting_message_whose_task_was_lost(celery_worker, client, alice, bob):
    undo_delay(alice, 5)
    data = open_compose(client)
    with override_settings(WEBMAIL_SEND_QUEUE="nobody-listens"):  # the task is lost, as with the broker's data
        compose = send(client, data, to=bob.email, subject="Found again", body="Swept.\n")
    assert compose.send_at is not None
    assert compose_sweep_due(enqueue=compose_send_enqueue) == 0, "not before it is overdue"
    later = compose.send_at + timedelta(seconds=settings.WEBMAIL_SEND_SWEEP_SECONDS + 5)
    assert compose_sweep_due(enqueue=compose_send_enqueue, now=later) == 1
    [(_uid, raw, _flags)] = wait_for_message(bob, "INBOX", timeout=60)
    assert parsed(raw)["Subject"] == "Found again"
    assert wait_for_state(compose, "sent").state == "sent"


def test_opening_the_drafts_copy_of_a_scheduled_message_leads_to_it_not_to_a_second_copy(client, alice, bob):
    data = open_compose(client)
    assert schedule(client, data, choice="tomorrow", to=bob.email, subject="Only once", body="One.\n").status_code == 302
    compose = Compose.objects.get(pk=data["compose"])
    [(uid, _raw, _flags)] = messages_in(alice, "Drafts")
    opened = client.get(f"/mail/compose/?draft=Drafts/{uid}")
    assert opened.status_code == 302 and opened["Location"] == f"/mail/compose/{compose.pk}/status/"
    assert Compose.objects.filter(user__username=alice.email).count() == 1


def test_a_task_that_runs_before_the_due_time_waits_and_sends_nothing(client, alice, bob):
    """A redelivered or early task never sends a waiting message early: the claim checks the due time."""
    from mailview.services.compose.sending import Outcome, _claim
    from mailview.tasks import compose_send

    undo_delay(alice, 30)
    data = open_compose(client)
    with override_settings(WEBMAIL_SEND_QUEUE="nobody-listens"):
        compose = send(client, data, to=bob.email, subject="Not early", body="x\n")
        assert compose_send.apply(args=[str(compose.pk)]).get() == "wait"
    assert _claim(str(compose.pk)) is Outcome.WAIT
    compose.refresh_from_db()
    assert compose.state == "queued" and compose.claimed_at is None
    assert client.post(f"/mail/compose/{compose.pk}/cancel/").status_code == 302
    assert Compose.objects.get(pk=compose.pk).state == "draft"
