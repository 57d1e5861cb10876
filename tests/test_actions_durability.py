"""No action is lost or applied twice when the Celery worker is down or killed."""
from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import override_settings

from mailview.imap import get_pool
from mailview.imap.budget import ConnectionBudget
from mailview.services.filing.actions import message_action_apply
from tests.support import CeleryWorker, imap_direct, new_mail_user, wait_until
from webmail.redis_client import get_redis, key_prefix

pytestmark = pytest.mark.django_db(transaction=True)
JSON = {"HTTP_ACCEPT": "application/json"}
QUEUE = "durability-test"


def mailbox_with(count: int):
    user = new_mail_user("durable")
    with imap_direct(user) as imap:
        imap.create_folder("Work")
        for n in range(count):
            imap.append("INBOX", f"Subject: note {n}\r\nMessage-ID: <n{n}@x>\r\n\r\nbody {n}\r\n".encode())
    return user


def flagged(user) -> int:
    with imap_direct(user) as imap:
        imap.select_folder("INBOX", readonly=True)
        return len(imap.search(["FLAGGED"]))


def count(user, folder) -> int:
    with imap_direct(user) as imap:
        return imap.folder_status(folder, ["MESSAGES"])[b"MESSAGES"]


@override_settings(WEBMAIL_ACTIONS_QUEUE=QUEUE)
def test_50_actions_made_while_the_worker_is_down_are_all_applied_when_it_starts(client):
    user = mailbox_with(50)
    client.post("/accounts/login/", {"email": user.email, "password": user.password})
    for uid in range(1, 51):
        response = client.post("/actions/", {"action": "flag", "folder": "INBOX", "uid": [uid]}, **JSON)
        assert response.status_code == 200
    assert flagged(user) == 0  # nobody is working the queue yet
    worker = CeleryWorker(settings.DATABASES["default"]["NAME"], name="late", queues=QUEUE)
    worker.start()
    try:
        wait_until(lambda: flagged(user) == 50, timeout=90, interval=0.3, message="all 50 queued actions to be applied")
    finally:
        worker.stop()


@override_settings(WEBMAIL_ACTIONS_QUEUE=QUEUE)
def test_a_worker_killed_mid_task_leaves_the_action_done_exactly_once(client):
    user = mailbox_with(5)
    client.post("/accounts/login/", {"email": user.email, "password": user.password})
    django_user = get_user_model().objects.get(username=user.email)
    # Take every connection slot of this user so the task blocks inside, mid-run.
    budget = ConnectionBudget(get_redis(), limit=settings.WEBMAIL_POOL_PER_USER_TOTAL, prefix=f"{key_prefix()}:imap")
    held = [budget.try_acquire(str(django_user.pk)) for _ in range(settings.WEBMAIL_POOL_PER_USER_TOTAL)]
    assert all(held)
    env = {"CELERY_VISIBILITY_TIMEOUT": "6", "WEBMAIL_POOL_WAIT_TIMEOUT": "120"}
    worker = CeleryWorker(settings.DATABASES["default"]["NAME"], name="doomed", queues=QUEUE, env=env)
    worker.start()
    try:
        action_id = client.post("/actions/", {"action": "copy", "folder": "INBOX", "uid": [1, 2, 3], "target": "Work"}, **JSON).json()["action_id"]
        # The task has started when it asks for a slot: it announces that it waits.
        wait_until(lambda: get_redis().zscore(f"{key_prefix()}:imap:wanted", str(django_user.pk)) is not None, timeout=30, message="the task to start and wait for a slot")
        worker.kill()
    finally:
        worker.stop()
    for token in held:
        budget.release(str(django_user.pk), token)
    assert count(user, "Work") == 0
    successor = CeleryWorker(settings.DATABASES["default"]["NAME"], name="successor", queues=QUEUE, env={"CELERY_VISIBILITY_TIMEOUT": "6", "CELERY_UNACKED_RESTORE_INTERVAL": "1", "CELERY_UNACKED_RESTORE_THROTTLE": "1"})
    successor.start()
    try:
        wait_until(lambda: client.get(f"/actions/{action_id}/", **JSON).json()["state"] == "done", timeout=90, interval=0.5, message="the redelivered task to finish")
    finally:
        successor.stop()
    assert count(user, "Work") == 3
    assert count(user, "INBOX") == 5


def test_a_copy_redelivered_after_it_finished_does_not_copy_twice():
    user = mailbox_with(3)
    from tests.support import RawUriClient

    RawUriClient().post("/accounts/login/", {"email": user.email, "password": user.password})
    django_user = get_user_model().objects.get(username=user.email)
    with get_pool().session(django_user) as imap:
        first = message_action_apply(imap=imap, action_id="same-id", kind="copy", folder="INBOX", uids=[1, 2], target="Work")
        again = message_action_apply(imap=imap, action_id="same-id", kind="copy", folder="INBOX", uids=[1, 2], target="Work")
    assert first.ok and again.ok
    assert count(user, "Work") == 2


def test_a_move_redelivered_after_it_finished_changes_nothing():
    user = mailbox_with(3)
    from tests.support import RawUriClient

    RawUriClient().post("/accounts/login/", {"email": user.email, "password": user.password})
    django_user = get_user_model().objects.get(username=user.email)
    with get_pool().session(django_user) as imap:
        message_action_apply(imap=imap, action_id="m", kind="move", folder="INBOX", uids=[1, 2], target="Work")
        message_action_apply(imap=imap, action_id="m", kind="move", folder="INBOX", uids=[1, 2], target="Work")
    assert (count(user, "INBOX"), count(user, "Work")) == (1, 2)
