"""A real Celery worker runs tasks through its own IMAP pool."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from mailview.tasks import folder_counts_refresh
from tests.support import append_message, imap_direct

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_worker_reads_folder_counts_through_its_pool(celery_worker, signed_in, mail_user):
    with imap_direct(mail_user) as imap:
        append_message(imap, "INBOX", subject="one")
        append_message(imap, "INBOX", subject="two", seen=True)
    user = get_user_model().objects.get(username=mail_user.email)
    counts = folder_counts_refresh.delay(user.pk).get(timeout=30)
    assert counts["INBOX"] == [2, 1]
    assert counts["Trash"] == [0, 0]


def test_a_signed_out_user_is_a_quiet_no_op(celery_worker, signed_in, mail_user):
    user = get_user_model().objects.get(username=mail_user.email)
    signed_in.post("/accounts/logout/")
    assert folder_counts_refresh.delay(user.pk).get(timeout=30) == {}
