"""The event server (`/events/`, uvicorn running webmail.asgi) against real Redis: who may
listen, events in order with their ids, catch-up after a dropped stream, resync, presence,
CORS, and a slow stream's bounded queue."""
from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from django.conf import settings

from mailview.services.live import events, push
from tests.support import EventServer, EventStreamClient, wait_until
from webmail.redis_client import get_redis

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = {"folder": "INBOX", "uidvalidity": 7, "rows": [{"uid": 5, "html": "<tr><td>x</td></tr>", "date": 1, "arrival": 1}]}


@pytest.fixture
def person(signed_in, mail_user):
    """A signed-in person: (their user pk, their session cookie), with an empty event stream."""
    from django.contrib.auth import get_user_model

    pk = get_user_model().objects.get(username=mail_user.email).pk
    get_redis().delete(events.stream_key(pk))
    events.clear_present(pk)
    yield pk, signed_in.cookies[settings.SESSION_COOKIE_NAME].value
    get_redis().delete(events.stream_key(pk))


def test_signed_out_gets_403_and_no_stream(event_server):
    for session in (None, "not-a-session"):
        with EventStreamClient(event_server.url, session=session) as stream:
            assert stream.status == 403
            assert not stream.headers["Content-Type"].startswith("text/event-stream")


def test_events_arrive_in_order_with_their_ids(event_server, person):
    pk, session = person
    with EventStreamClient(f"{event_server.url}?last={events.latest_event_id(pk)}", session=session) as stream:
        assert stream.status == 200
        assert stream.headers["Content-Type"].startswith("text/event-stream")
        assert "no-store" in stream.headers["Cache-Control"]
        assert stream.headers["X-Accel-Buffering"] == "no"
        sent = [
            events.publish(pk, "rows_added", ROWS),
            events.publish(pk, "flags", {"folder": "INBOX", "uidvalidity": 7, "changes": [{"uid": 5, "seen": True, "flagged": False, "answered": False, "labels": []}]}),
            events.publish(pk, "counts", {"folders": {"INBOX": {"messages": 1, "unseen": 0}}}),
        ]
        got = stream.events(3)
        assert stream.retry == push.RETRY_MILLISECONDS
    assert [e.id for e in got] == sent
    assert [e.kind for e in got] == ["rows_added", "flags", "counts"]
    assert got[0].data == ROWS


def test_signing_out_ends_every_open_stream_of_the_person_with_signed_out(event_server, person, mail_user, client):
    """Two tabs of one session and one of another browser are listening; signing out in the
    first browser tells each of them to go to sign-in, and the server ends each stream."""
    from django.test import Client

    pk, session = person
    other_browser = Client()
    assert other_browser.post("/accounts/login/", {"email": mail_user.email, "password": mail_user.password}).status_code == 302
    other_session = other_browser.cookies[settings.SESSION_COOKIE_NAME].value
    last = events.latest_event_id(pk)
    streams = [EventStreamClient(f"{event_server.url}?last={last}", session=s) for s in (session, session, other_session)]
    try:
        assert [s.status for s in streams] == [200, 200, 200]
        wait_until(lambda: pk in events.present_users(), timeout=10, message="the streams to mark the person present")
        assert client.post("/accounts/logout/").status_code == 302
        for stream in streams:
            got = stream.next_event(timeout=10)
            assert (got.kind, got.data) == ("signed_out", {})
            with pytest.raises(EOFError):
                stream.next_event(timeout=10)  # ended by the server, not left open
    finally:
        for stream in streams:
            stream.close()
    assert pk not in events.present_users()


def test_another_persons_events_never_reach_the_stream(event_server, person, other_mail_user):
    pk, session = person
    with EventStreamClient(f"{event_server.url}?last={events.latest_event_id(pk)}", session=session) as stream:
        events.publish(pk + 1000, "folders", {})
        mine = events.publish(pk, "counts", {"folders": {}})
        assert stream.next_event().id == mine


def test_a_reconnect_with_last_event_id_catches_up_exactly(event_server, person):
    pk, session = person
    with EventStreamClient(f"{event_server.url}?last={events.latest_event_id(pk)}", session=session) as stream:
        first = events.publish(pk, "counts", {"folders": {"INBOX": {"messages": 1, "unseen": 1}}})
        assert stream.next_event().id == first
    # Dropped: these two happen while no stream is open.
    missed = [events.publish(pk, "vanished", {"folder": "INBOX", "uidvalidity": 7, "uids": [n]}) for n in (1, 2)]
    with EventStreamClient(f"{event_server.url}?last=0-0", session=session, last_event_id=first) as stream:
        caught_up = stream.events(2)
        live = events.publish(pk, "folders", {})
        after = stream.next_event()
    assert [e.id for e in caught_up] == missed and [e.data["uids"] for e in caught_up] == [[1], [2]]
    assert after.id == live  # nothing repeated before the live one
    # The page's own start id (before any Last-Event-ID) works the same way.
    with EventStreamClient(f"{event_server.url}?last={missed[0]}", session=session) as stream:
        assert [e.id for e in stream.events(2)] == [missed[1], live]


def test_a_too_old_or_missing_id_gives_resync_first(event_server, person):
    pk, session = person
    old = events.publish(pk, "folders", {})
    for _ in range(30):
        events.publish(pk, "folders", {})
    get_redis().xtrim(events.stream_key(pk), maxlen=5, approximate=False)
    latest = events.latest_event_id(pk)
    for kwargs in ({"last_event_id": old}, {}):
        with EventStreamClient(event_server.url, session=session, **kwargs) as stream:
            resync = stream.next_event()
            assert (resync.kind, resync.id, resync.data) == ("resync", latest, {"folder": None})
            fresh = events.publish(pk, "counts", {"folders": {}})
            assert stream.next_event().id == fresh
        latest = fresh


def test_presence_is_marked_while_a_stream_is_open(event_server, person):
    pk, session = person
    assert pk not in events.present_users()
    with EventStreamClient(f"{event_server.url}?last=0-0", session=session):
        wait_until(lambda: pk in events.present_users(), message="presence marked")


def test_cors_only_for_the_allowed_origin(event_server, person):
    _pk, session = person
    allowed = event_server.allowed_origins[0]
    with EventStreamClient(f"{event_server.url}?last=0-0", session=session, origin=allowed) as stream:
        assert stream.status == 200
        assert stream.headers["Access-Control-Allow-Origin"] == allowed
        assert stream.headers["Access-Control-Allow-Credentials"] == "true"
    with EventStreamClient(event_server.url, origin=allowed, method="OPTIONS") as preflight:
        assert preflight.status == 204
        assert preflight.headers["Access-Control-Allow-Origin"] == allowed
        assert "Last-Event-ID" in preflight.headers["Access-Control-Allow-Headers"]
    for evil in ("http://evil.example", f"{allowed}.evil.example", "null"):
        with EventStreamClient(f"{event_server.url}?last=0-0", session=session, origin=evil) as stream:
            assert stream.status == 403
            assert "Access-Control-Allow-Origin" not in stream.headers


def test_two_event_servers_both_push_the_same_event(event_server, person):
    """State is only in Redis: a second server behind a load balancer serves the same person."""
    pk, session = person
    second = EventServer(event_server.db_name, event_server.port + 1, allowed_origins=event_server.allowed_origins)
    second.start()
    try:
        last = events.latest_event_id(pk)
        with EventStreamClient(f"{event_server.url}?last={last}", session=session) as one, \
                EventStreamClient(f"{second.url}?last={last}", session=session) as two:
            sent = events.publish(pk, "folders", {})
            assert one.next_event().id == sent
            assert two.next_event().id == sent
    finally:
        second.stop()


def test_the_web_server_refuses_the_stream_so_no_thread_is_pinned(signed_in):
    """gunicorn (WSGI) would hold a thread per open stream: it answers 503 and the page polls."""
    assert signed_in.get("/events/").status_code == 503


def test_a_slow_stream_gets_resync_and_an_empty_queue_not_unbounded_memory():
    user_pk = 987_001
    get_redis().delete(events.stream_key(user_pk))

    async def scenario() -> tuple[list[str], list[str], str]:
        hub = push.EventHub(settings.REDIS_URL, queue_size=4)
        stream = push.event_stream(hub=hub, user_pk=user_pk, last_id=events.latest_event_id(user_pk), heartbeat=0.2)
        seen = [await anext(stream), await anext(stream)]  # retry (subscribed), then a heartbeat: caught up, waiting
        ids = [await asyncio.to_thread(events.publish, user_pk, "folders", {}) for _ in range(10)]  # nobody reads

        async def overflowed() -> None:
            while not any(sub.overflowed for sub in hub._streams.get(user_pk, ())):
                await asyncio.sleep(0.02)

        await asyncio.wait_for(overflowed(), timeout=10)
        assert all(sub.queue.qsize() <= 4 for sub in hub._streams[user_pk])
        after = await asyncio.to_thread(events.publish, user_pk, "counts", {"folders": {}})
        while not seen[-1].startswith(f"id: {after}"):
            seen.append(await asyncio.wait_for(anext(stream), timeout=10))
        seen.append(await anext(stream))  # nothing for a while: a heartbeat comment
        await stream.aclose()
        assert user_pk not in hub._streams
        return seen, ids, after

    try:
        seen, ids, after = asyncio.run(scenario())
    finally:
        get_redis().delete(events.stream_key(user_pk))
    retry, idle, resync, *rest, live, heartbeat = seen
    assert retry.startswith("retry:")
    assert idle.startswith(":") and heartbeat.startswith(":")
    # The events that did not fit were dropped for one resync (with the newest dropped id, so a
    # reconnect does not repeat them); what came after it follows in order.
    dropped = resync.split("\n", 1)[0].removeprefix("id: ")
    assert resync == push.sse_event(dropped, "resync", {"folder": None})
    assert ids.index(dropped) >= 4
    assert rest == [push.sse_event(i, "folders", {}) for i in ids[ids.index(dropped) + 1:]]
    assert live == push.sse_event(after, "counts", {"folders": {}})


def _threads(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("Threads:")).split()[1])


def test_an_open_stream_holds_no_thread_of_its_own(event_server, person):
    """Django's ASGI handler gives each request a thread for its synchronous parts, kept while
    the request lasts: one idle thread per open tab (~350 KB each). Streams must not."""
    _pk, session = person
    pid = event_server.process.pid
    with EventStreamClient(f"{event_server.url}?last=0-0", session=session) as first:
        assert first.status == 200
        before = _threads(pid)
        streams = [EventStreamClient(f"{event_server.url}?last=0-0", session=session) for _ in range(20)]
        try:
            assert all(s.status == 200 for s in streams)
            assert _threads(pid) < before + 10
        finally:
            for s in streams:
                s.close()


def test_a_lost_redis_pubsub_connection_ends_in_a_catch_up_not_a_loss():
    user_pk = 987_002
    get_redis().delete(events.stream_key(user_pk))

    async def scenario() -> tuple[list[str], list[str]]:
        hub = push.EventHub(settings.REDIS_URL)
        stream = push.event_stream(hub=hub, user_pk=user_pk, last_id=events.latest_event_id(user_pk), heartbeat=0.2)
        assert (await anext(stream)).startswith("retry:")
        assert (await anext(stream)).startswith(":")  # caught up, waiting for live events
        killed = await asyncio.to_thread(get_redis().client_kill_filter, _type="pubsub")
        assert killed >= 1
        sent = [await asyncio.to_thread(events.publish, user_pk, "folders", {}) for _ in range(3)]
        got: list[str] = []
        while len(got) < len(sent):
            text = await asyncio.wait_for(anext(stream), timeout=10)
            if text.startswith("id: "):
                got.append(text.split("\n", 1)[0].removeprefix("id: "))
        await stream.aclose()
        return sent, got

    try:
        sent, got = asyncio.run(scenario())
    finally:
        get_redis().delete(events.stream_key(user_pk))
    assert got == sent


def test_presence_is_renewed_while_the_stream_stays_open(monkeypatch):
    user_pk = 987_003
    monkeypatch.setattr(events, "PRESENCE_TTL", 0.6)  # renewed every 0.2 s

    async def scenario() -> None:
        hub = push.EventHub(settings.REDIS_URL)
        stream = push.event_stream(hub=hub, user_pk=user_pk, last_id="0-0", heartbeat=0.2)
        await anext(stream)
        for _ in range(2):  # cleared (or expired) twice, marked again each time while open
            await asyncio.to_thread(events.clear_present, user_pk)

            async def marked() -> None:
                while user_pk not in await asyncio.to_thread(events.present_users):
                    await asyncio.sleep(0.05)

            await asyncio.wait_for(marked(), timeout=10)
        await stream.aclose()

    try:
        asyncio.run(scenario())
    finally:
        events.clear_present(user_pk)
