"""A dead worker's task is redelivered within the visibility timeout; a live worker's long task is not."""
from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import override_settings

from mailview.imap.budget import ConnectionBudget
from tests.support import CeleryWorker, imap_direct, new_mail_user, wait_until
from webmail.redis_client import get_redis, key_prefix

pytestmark = pytest.mark.django_db(transaction=True)
JSON = {"HTTP_ACCEPT": "application/json"}
QUEUE = "redelivery-test"
VISIBILITY = 8  # seconds: the default is 120; the mechanism is the same
# Redelivery is looked for every second here (the default: every 10 s).
FAST_RESTORE = {"CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY), "CELERY_UNACKED_RESTORE_INTERVAL": "1", "CELERY_UNACKED_RESTORE_THROTTLE": "1"}


def mailbox_with(count: int):  # type: ignore[no-untyped-def]
    user = new_mail_user("redeliver")
    with imap_direct(user) as imap:
        imap.create_folder("Work")
        for n in range(count):
            imap.append("INBOX", f"Subject: note {n}\r\nMessage-ID: <r{n}@x>\r\n\r\nbody {n}\r\n".encode())
    return user


def count(user, folder) -> int:  # type: ignore[no-untyped-def]
    with imap_direct(user) as imap:
        return imap.folder_status(folder, ["MESSAGES"])[b"MESSAGES"]


def broker():  # type: ignore[no-untyped-def]
    import redis

    return redis.Redis.from_url(settings.CELERY_BROKER_URL)


def unacked_score(action_id: str) -> float | None:
    """When the broker last saw the task's message alive (None: not unacknowledged)."""
    client = broker()
    for tag, raw in client.hgetall("unacked").items():
        if action_id.encode() in raw:
            return client.zscore("unacked_index", tag)
    return None


def received(worker: CeleryWorker, action_id: str) -> int:
    return worker.log_path.read_text(errors="replace").count(f"[{action_id}] received")


def hold_every_slot(user_pk: int) -> tuple[ConnectionBudget, list[str]]:
    """Take the user's whole connection budget, so a task of theirs waits inside, mid-run."""
    budget = ConnectionBudget(get_redis(), limit=settings.WEBMAIL_POOL_PER_USER_TOTAL, prefix=f"{key_prefix()}:imap")
    held = [budget.try_acquire(str(user_pk)) for _ in range(settings.WEBMAIL_POOL_PER_USER_TOTAL)]
    assert all(held)
    return budget, held  # type: ignore[return-value]


@override_settings(WEBMAIL_ACTIONS_QUEUE=QUEUE)
def test_a_task_running_longer_than_the_visibility_timeout_on_a_live_worker_is_not_redelivered(client):
    user = mailbox_with(3)
    client.post("/accounts/login/", {"email": user.email, "password": user.password})
    pk = get_user_model().objects.get(username=user.email).pk
    budget, held = hold_every_slot(pk)
    db = settings.DATABASES["default"]["NAME"]
    env = {**FAST_RESTORE, "WEBMAIL_POOL_WAIT_TIMEOUT": "300"}
    busy = CeleryWorker(db, name="long-runner", queues=QUEUE, env=env)
    other = CeleryWorker(db, name="bystander", queues=QUEUE, env=env)
    busy.start()
    try:
        action_id = client.post("/actions/", {"action": "copy", "folder": "INBOX", "uid": [1, 2, 3], "target": "Work"}, **JSON).json()["action_id"]
        wait_until(lambda: received(busy, action_id) == 1, timeout=30, message="the long runner to take the task")
        other.start()  # a second worker, looking for tasks to redeliver every second
        first = wait_until(lambda: unacked_score(action_id), timeout=10, message="the task to be unacknowledged in the broker")
        # Three visibility timeouts later the running task's message is still fresh and nobody else took it.
        wait_until(lambda: (unacked_score(action_id) or 0) > first + 3 * VISIBILITY, timeout=120, interval=0.5,
                   message="the live worker to keep refreshing its task")
        assert received(other, action_id) == 0 and received(busy, action_id) == 1
        for token in held:
            budget.release(str(pk), token)
        wait_until(lambda: client.get(f"/actions/{action_id}/", **JSON).json()["state"] == "done", timeout=60, interval=0.5, message="the task to finish")
    finally:
        busy.stop()
        other.stop()
        for token in held:
            budget.release(str(pk), token)
    assert count(user, "Work") == 3
    assert received(other, action_id) == 0


@override_settings(WEBMAIL_ACTIONS_QUEUE=QUEUE)
def test_a_task_of_a_worker_killed_mid_run_runs_on_another_worker_within_the_visibility_timeout(client):
    user = mailbox_with(3)
    client.post("/accounts/login/", {"email": user.email, "password": user.password})
    pk = get_user_model().objects.get(username=user.email).pk
    budget, held = hold_every_slot(pk)
    db = settings.DATABASES["default"]["NAME"]
    doomed = CeleryWorker(db, name="doomed-runner", queues=QUEUE, env={**FAST_RESTORE, "WEBMAIL_POOL_WAIT_TIMEOUT": "300"})
    successor = CeleryWorker(db, name="successor-runner", queues=QUEUE, env=FAST_RESTORE)
    doomed.start()
    try:
        action_id = client.post("/actions/", {"action": "copy", "folder": "INBOX", "uid": [1, 2], "target": "Work"}, **JSON).json()["action_id"]
        wait_until(lambda: received(doomed, action_id) == 1, timeout=30, message="the doomed worker to take the task")
        successor.start()
        doomed.kill()  # SIGKILL by PID, main process and pool children
        for token in held:
            budget.release(str(pk), token)
        # Redelivered once the dead worker stopped refreshing it: a visibility timeout, plus the
        # successor's once-a-second look (the deadline leaves room for a loaded machine).
        wait_until(lambda: received(successor, action_id) == 1, timeout=VISIBILITY * 6, interval=0.5, message="the task to be redelivered")
        wait_until(lambda: client.get(f"/actions/{action_id}/", **JSON).json()["state"] == "done", timeout=60, interval=0.5, message="the task to finish")
    finally:
        doomed.stop()
        successor.stop()
        for token in held:
            budget.release(str(pk), token)
    assert count(user, "Work") == 2


def test_by_default_a_dead_workers_task_is_redelivered_within_about_two_minutes():
    # The test command sets none of these: these are the shipped defaults.
    assert "CELERY_VISIBILITY_TIMEOUT" not in os.environ
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    worst = options["visibility_timeout"] + options["unacked_restore_interval"] * options["unacked_restore_throttle"]
    assert worst <= 150


def test_a_task_held_for_a_later_retry_is_not_handed_to_another_worker_meanwhile():
    from mailview.tasks import mail_action

    db = settings.DATABASES["default"]["NAME"]
    holder = CeleryWorker(db, name="eta-holder", queues=QUEUE, env=FAST_RESTORE)
    other = CeleryWorker(db, name="eta-bystander", queues=QUEUE, env=FAST_RESTORE)
    holder.start()
    try:
        # A retry's countdown (a send backs off up to 30 min) far past the visibility timeout.
        result = mail_action.apply_async(kwargs={"action_id": "eta", "user_id": 0, "kind": "flag", "folder": "INBOX", "uids": [1]}, countdown=6 * VISIBILITY, queue=QUEUE)
        wait_until(lambda: received(holder, result.id) == 1, timeout=30, message="the worker to hold the task for later")
        other.start()
        first = wait_until(lambda: unacked_score(result.id), timeout=10, message="the task to be unacknowledged in the broker")
        wait_until(lambda: (unacked_score(result.id) or 0) > first + 3 * VISIBILITY, timeout=120, interval=0.5,
                   message="the holder to keep its scheduled task fresh")
        assert received(other, result.id) == 0
        wait_until(lambda: result.ready(), timeout=120, interval=0.5, message="the task to run at its time")
        assert received(other, result.id) == 0 and received(holder, result.id) == 1
    finally:
        holder.stop()
        other.stop()
