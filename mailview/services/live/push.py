"""Pushing a person's events to their open tabs: the event server's side of `events.py`.

One `EventHub` per process (per event loop) holds ONE Redis pub/sub connection
(`PSUBSCRIBE` on `events.channel_pattern()`) and fans every event out to the bounded queue
of each open stream of its person. A stream (`event_stream`) is an async generator of
Server-Sent Events text:

1. it registers its queue with the hub (so nothing published from now on is missed), then
2. catches up from the person's Redis stream after the id the browser last saw
   (`events.events_after`); when that id is too old, or missing, it sends `resync` first;
3. then forwards live events, dropping those the catch-up already sent (ids increase), with
   a comment line as heartbeat every `HEARTBEAT_SECONDS`.

A stream that cannot keep up (its queue overflows) gets its queue cleared and one `resync`:
memory per stream is bounded, and the tab refetches what it shows. Presence is marked for
every person with an open stream on connect and every `PRESENCE_TTL / 3` seconds, so the
watcher keeps watching them. All state is in Redis: several event servers can serve the
same people behind a load balancer.

Needs a running event loop (an ASGI server); the Redis calls of `events.py` are
synchronous and short, so they run in a worker thread.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import random
import socket
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from mailview.services.live import events

log = logging.getLogger(__name__)

QUEUE_SIZE = 256  # events waiting for one slow stream before it is told to resync instead
HEARTBEAT_SECONDS = 15.0
RETRY_MILLISECONDS = 3000  # the browser's reconnect delay after a dropped stream
# A stream ends after about this long and the browser reconnects (with Last-Event-ID: nothing
# is lost), so a signed-out session does not keep a stream open for long.
MAX_STREAM_SECONDS = 600.0
RECONNECT_DELAYS = (0.2, 0.5, 1.0, 2.0, 5.0)  # the hub's Redis reconnects (seconds)


@dataclass(frozen=True)
class Pushed:
    """One event as the hub received it, with its SSE text built once for every stream."""

    id: str
    kind: str
    text: str

    @property
    def key(self) -> tuple[int, int]:
        return _id_key(self.id)


# What a stream's queue can hold besides events: "catch up again from Redis" (the hub's
# pub/sub connection was lost and re-made; events published meanwhile are in the stream).
GAP = "gap"


@dataclass(eq=False)
class Subscription:
    """One open stream's place in the hub."""

    user_pk: int
    queue: asyncio.Queue[Pushed | str] = field(default_factory=lambda: asyncio.Queue(QUEUE_SIZE))
    overflowed: str | None = None  # the newest event id dropped by an overflow, until sent as resync

    def offer(self, item: Pushed | str) -> None:
        try:
            self.queue.put_nowait(item)
        except asyncio.QueueFull:
            # Never unbounded memory for a slow client: drop what waits, tell it to resync.
            while not self.queue.empty():
                self.queue.get_nowait()
            if isinstance(item, Pushed):
                self.overflowed = item.id
            self.queue.put_nowait(GAP)


class EventHub:
    """The process's one Redis pub/sub connection and the open streams it feeds."""

    def __init__(self, redis_url: str, *, queue_size: int = QUEUE_SIZE) -> None:
        self._redis_url = redis_url
        self.queue_size = queue_size
        self._streams: dict[int, set[Subscription]] = {}
        self._reader: asyncio.Task[None] | None = None
        self._presence: asyncio.Task[None] | None = None
        self._subscribed = asyncio.Event()

    @property
    def stream_count(self) -> int:
        return sum(len(subs) for subs in self._streams.values())

    async def subscribe(self, user_pk: int) -> Subscription:
        """Register a stream; returns once the hub's pub/sub subscription is active."""
        sub = Subscription(user_pk=user_pk, queue=asyncio.Queue(self.queue_size))
        self._streams.setdefault(user_pk, set()).add(sub)
        if self._reader is None or self._reader.done():
            self._reader = asyncio.create_task(self._read_forever(), name="events-hub-reader")
        if self._presence is None or self._presence.done():
            self._presence = asyncio.create_task(self._mark_presence_forever(), name="events-hub-presence")
        try:
            await self._subscribed.wait()
        except BaseException:
            self.unsubscribe(sub)
            raise
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        subs = self._streams.get(sub.user_pk)
        if subs is not None:
            subs.discard(sub)
            if not subs:
                del self._streams[sub.user_pk]

    def _fan_out(self, user_pk: int, message: dict[str, Any]) -> None:
        subs = self._streams.get(user_pk)
        if not subs:
            return
        try:
            pushed = Pushed(id=str(message["id"]), kind=str(message["kind"]), text=sse_event(message["id"], message["kind"], message["data"]))
            _id_key(pushed.id)
        except (KeyError, TypeError, ValueError):
            log.warning("ignoring a malformed live event for user %s", user_pk)
            return
        for sub in list(subs):
            sub.offer(pushed)

    async def _read_forever(self) -> None:
        attempt = 0
        while True:
            client = aioredis.Redis.from_url(self._redis_url, socket_connect_timeout=5, health_check_interval=30)
            pubsub = client.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.psubscribe(events.channel_pattern())
                if attempt:
                    # Events published while the connection was down are in the streams.
                    for subs in self._streams.values():
                        for sub in subs:
                            sub.offer(GAP)
                self._subscribed.set()
                attempt = 0
                while True:
                    message = await pubsub.get_message(timeout=HEARTBEAT_SECONDS)
                    if message is None or message.get("type") != "pmessage":
                        continue
                    try:
                        user_pk = events.user_pk_of_channel(message["channel"])
                        payload = json.loads(message["data"])
                    except (ValueError, TypeError, KeyError):
                        continue
                    if isinstance(payload, dict):
                        self._fan_out(user_pk, payload)
            except (RedisError, OSError) as exc:
                log.warning("event hub lost Redis (%s); reconnecting", exc)
            except Exception:  # a bug must not end every stream's push for good
                log.exception("event hub reader failed; reconnecting")
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]  # untyped in redis-py
                    await client.aclose()
            attempt += 1
            await asyncio.sleep(RECONNECT_DELAYS[min(attempt, len(RECONNECT_DELAYS)) - 1])

    async def _mark_presence_forever(self) -> None:
        process = f"{socket.gethostname()}-{os.getpid()}"
        while True:
            try:  # for /metrics: open streams of this process (first right after the first stream opened)
                await asyncio.to_thread(events.publish_stream_count, process, self.stream_count)
            except RedisError as exc:
                log.warning("could not publish the stream count: %s", exc)
            await asyncio.sleep(events.PRESENCE_TTL / 3)
            people = list(self._streams)
            if people:
                try:
                    await asyncio.to_thread(_mark_all_present, people)
                except RedisError as exc:
                    log.warning("could not renew presence of %d people: %s", len(people), exc)


def _mark_all_present(people: list[int]) -> None:
    for user_pk in people:
        events.mark_present(user_pk)


_hubs: dict[asyncio.AbstractEventLoop, EventHub] = {}


def get_hub(redis_url: str) -> EventHub:
    """This event loop's hub (one per process under uvicorn)."""
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None:
        for old in [other for other in _hubs if other.is_closed()]:
            del _hubs[old]
        hub = _hubs[loop] = EventHub(redis_url)
    return hub


def sse_event(event_id: str | None, kind: str, data: object) -> str:
    """One Server-Sent Event; `data` is JSON on one line (JSON escapes newlines)."""
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {kind}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"


def _id_key(event_id: str) -> tuple[int, int]:
    millis, _, seq = event_id.partition("-")
    return int(millis), int(seq or 0)


async def _catch_up(user_pk: int, after: str) -> list[events.Event] | None:
    """Everything after `after` (in batches, oldest first), or None: resync."""
    found: list[events.Event] = []
    while True:
        batch = await asyncio.to_thread(events.events_after, user_pk, after)
        if batch is None:
            return None
        found.extend(batch)
        if len(batch) < events.STREAM_LENGTH:
            return found
        after = batch[-1].id


async def event_stream(
    *, hub: EventHub, user_pk: int, last_id: str | None, max_seconds: float = MAX_STREAM_SECONDS,
    heartbeat: float = HEARTBEAT_SECONDS, clock: Callable[[], float] | None = None,
) -> AsyncIterator[str]:
    """The SSE text of one open stream of `user_pk`, starting after `last_id` (None: unknown)."""
    loop = asyncio.get_running_loop()
    now = clock or loop.time
    # Spread the reconnects of many tabs opened at once.
    ends_at = now() + max_seconds * random.uniform(0.9, 1.0)  # noqa: S311 - not security
    try:
        await asyncio.to_thread(events.mark_present, user_pk)
    except RedisError as exc:  # the hub renews it once Redis answers again
        log.warning("could not mark user %s present: %s", user_pk, exc)
    sub = await hub.subscribe(user_pk)
    try:
        yield f"retry: {RETRY_MILLISECONDS}\n\n"
        floor: tuple[int, int] = (0, 0)  # ids at or below were sent (or are older than the page)
        last_sent: tuple[int, int] = (0, 0)

        async def catch_up(after: str | None) -> AsyncIterator[str]:
            nonlocal floor, last_sent
            caught = await _catch_up(user_pk, after) if after is not None else None
            if caught is None:
                latest = await asyncio.to_thread(events.latest_event_id, user_pk)
                floor = last_sent = _id_key(latest)
                yield sse_event(latest, "resync", {"folder": None})
                return
            for event in caught:
                key = _id_key(event.id)
                if key > last_sent:
                    last_sent = key
                    yield sse_event(event.id, event.kind, event.data)
            floor = max(floor, last_sent)

        start = last_id if last_id is not None and _valid_id(last_id) else None
        if start is not None:
            floor = last_sent = _id_key(start)
        async for text in catch_up(start):
            yield text
        while True:
            left = ends_at - now()
            if left <= 0:
                return
            try:
                item = await asyncio.wait_for(sub.queue.get(), timeout=min(heartbeat, left))
            except TimeoutError:
                yield ": heartbeat\n\n"
                continue
            if item == GAP:
                if sub.overflowed is not None:
                    dropped, sub.overflowed = sub.overflowed, None
                    key = _id_key(dropped)
                    if key > floor:  # else the catch-up already sent everything that was dropped
                        floor = last_sent = max(last_sent, key)
                        yield sse_event(dropped, "resync", {"folder": None})
                else:
                    async for text in catch_up(_format_id(last_sent)):
                        yield text
                continue
            assert isinstance(item, Pushed)
            key = item.key
            if key <= floor:
                continue  # already sent by the catch-up, or older than what the page showed
            if key > last_sent:
                last_sent = key
                yield item.text
                if item.kind == "signed_out":
                    return  # the session is gone: no more of this person's mail to this browser
            else:
                # Published out of order by two producers: forward it, but without its id, so
                # the browser's Last-Event-ID stays the newest and a reconnect repeats nothing.
                yield item.text.split("\n", 1)[1]
    finally:
        hub.unsubscribe(sub)


def _valid_id(value: str) -> bool:
    try:
        millis, seq = _id_key(value)
    except ValueError:
        return False
    return millis >= 0 and seq >= 0


def _format_id(key: tuple[int, int]) -> str:
    return f"{key[0]}-{key[1]}"
