"""Newest first means newest first, also among mail that arrived in the same second: SORT's
REVERSE ARRIVAL keeps the ascending tie-break (oldest first), the list must not."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model

from mailview.imap import get_pool
from mailview.imap.sort import reverse_arrival_window
from mailview.services.reading.messages import ListPosition, message_neighbor, message_page
from tests.support import imap_direct, new_mail_user

pytestmark = pytest.mark.django_db(transaction=True)
ROW_UID = re.compile(r'<tr class="message[^"]*" data-uid="(\d+)"')
SAME_SECOND = datetime(2026, 11, 30, 9, 0, 0, tzinfo=UTC)


@pytest.fixture
def same_second_user():
    """INBOX: one older message, then five that arrived in the same second, then a newer one."""
    user = new_mail_user("ties")
    with imap_direct(user) as imap:
        times = [SAME_SECOND - timedelta(hours=1), *[SAME_SECOND] * 5, SAME_SECOND + timedelta(hours=1)]
        for n, when in enumerate(times):
            imap.append("INBOX", f"Subject: m{n}\r\nFrom: a@example.org\r\n\r\nx\r\n".encode(), msg_time=when)
        imap.select_folder("INBOX", readonly=True)
        uids = sorted(imap.search(["ALL"]))
        assert list(imap.sort(["REVERSE ARRIVAL"]))[1:6] == uids[1:6]  # the server's own tie-break: oldest first
    return user, uids


def sign_in(client, user) -> None:
    assert client.post("/accounts/login/", {"email": user.email, "password": user.password}).status_code == 302


def test_the_list_shows_same_second_arrivals_newest_first(client, same_second_user):
    user, uids = same_second_user
    sign_in(client, user)
    html = client.get("/mail/INBOX/").content.decode()
    assert [int(u) for u in ROW_UID.findall(html)] == uids[::-1]


def test_every_page_window_of_newest_first_follows_uid_order_within_a_second(client, same_second_user):
    user, uids = same_second_user
    sign_in(client, user)
    django_user = get_user_model().objects.get(username=user.email)
    newest_first = uids[::-1]
    with get_pool().session(django_user) as imap:
        for per_page in (1, 2, 3, 4):
            for page in range(1, len(uids) // per_page + 2):
                found = message_page(imap=imap, user_key="t", folder="INBOX", page=page, per_page=per_page, sort="date", order="desc")
                assert found.total == len(uids)
                assert [m.uid for m in found.messages] == newest_first[(page - 1) * per_page : page * per_page]
        searched = message_page(imap=imap, user_key="t", folder="INBOX", page=1, per_page=3, sort="date", order="desc", query="a@example.org")
        assert [m.uid for m in searched.messages] == newest_first[:3] and searched.total == len(uids)
        oldest_first = message_page(imap=imap, user_key="t", folder="INBOX", page=1, per_page=50, sort="date", order="asc")
        assert [m.uid for m in oldest_first.messages] == uids


def test_next_and_previous_step_through_same_second_arrivals_newest_first(client, same_second_user):
    user, uids = same_second_user
    sign_in(client, user)
    django_user = get_user_model().objects.get(username=user.email)
    position = ListPosition(folder="INBOX")
    with get_pool().session(django_user) as imap:
        assert message_neighbor(imap=imap, user_key="t", position=position, uid=uids[3], step=1) == uids[2]
        assert message_neighbor(imap=imap, user_key="t", position=position, uid=uids[3], step=-1) == uids[4]


def test_reverse_arrival_window_counts_from_the_end():
    assert reverse_arrival_window(7, 1, 3) == (5, 7)
    assert reverse_arrival_window(7, 4, 6) == (2, 4)
    assert reverse_arrival_window(7, 7, 9) == (1, 1)
    assert reverse_arrival_window(7, 8, 9) is None
    assert reverse_arrival_window(0, 1, 50) is None
