"""The live mailbox's event channel (real Redis): ids, catch-up after a drop, trimming, presence."""
from __future__ import annotations

import pytest

from mailview.services.live import events
from webmail.redis_client import get_redis

USER = 987_654


@pytest.fixture(autouse=True)
def _empty_channel():
    get_redis().delete(events.stream_key(USER))
    events.clear_present(USER)
    yield
    get_redis().delete(events.stream_key(USER))
    events.clear_present(USER)


def test_catch_up_returns_exactly_the_events_after_the_last_seen_id():
    assert events.latest_event_id(USER) == "0-0"
    first = events.publish(USER, "counts", {"folders": {"INBOX": {"messages": 1, "unseen": 1}}})
    second = events.publish(USER, "vanished", {"folder": "INBOX", "uidvalidity": 1, "uids": [3]})
    third = events.publish(USER, "resync", {"folder": None})
    assert events.latest_event_id(USER) == third
    assert [e.id for e in events.events_after(USER, "0-0")] == [first, second, third]
    caught_up = events.events_after(USER, first)
    assert [(e.kind, e.data) for e in caught_up] == [("vanished", {"folder": "INBOX", "uidvalidity": 1, "uids": [3]}), ("resync", {"folder": None})]
    assert events.events_after(USER, third) == []


def test_published_event_reaches_subscribers_as_json():
    pubsub = get_redis().pubsub()
    pubsub.subscribe(events.channel_name(USER))
    pubsub.get_message(timeout=2)  # the subscribe confirmation
    event_id = events.publish(USER, "folders", {})
    message = pubsub.get_message(timeout=5)
    pubsub.close()
    assert message is not None and events.user_pk_of_channel(message["channel"]) == USER
    assert message["data"].decode() == events.Event(id=event_id, kind="folders", data={}).as_json()


def test_a_gap_after_trimming_means_resync_not_silent_loss():
    first = events.publish(USER, "folders", {})
    for _ in range(events.STREAM_LENGTH * 2):
        events.publish(USER, "folders", {})
    get_redis().xtrim(events.stream_key(USER), maxlen=10, approximate=False)  # exact, not dependent on node size
    assert events.events_after(USER, first) is None
    assert events.events_after(USER, "0-0") is None
    assert events.events_after(USER, "not-an-id") is None
    assert events.events_after(USER, events.latest_event_id(USER)) == []


def test_unknown_kinds_are_refused():
    with pytest.raises(ValueError):
        events.publish(USER, "script", {})


def test_presence_lasts_its_ttl_and_can_be_cleared():
    events.mark_present(USER, ttl=60)
    assert USER in events.present_users()
    events.mark_present(USER, ttl=-1)  # expired
    assert USER not in events.present_users()
    events.mark_present(USER)
    events.clear_present(USER)
    assert USER not in events.present_users()


def test_watched_mark_expires_and_clears():
    events.mark_watched(USER, ttl=30)
    assert events.is_watched(USER)
    events.clear_watched(USER)
    assert not events.is_watched(USER)


def test_renewing_many_keeps_each_watch_token():
    events.mark_watched(USER, ttl=30)
    token = events.watch_token(USER)
    events.mark_watched_many([USER], ttl=30)
    assert events.watch_token(USER) == token
    events.clear_watched(USER)
    events.mark_watched_many([USER], ttl=30)
    assert events.watch_token(USER) not in (None, token)
    events.clear_watched(USER)
