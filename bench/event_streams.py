#!/usr/bin/env python3
"""Event streams: one event-server process holding 2,000 open streams.

Run it with ``bash bench/run.sh events`` (the same set-up as the read-path bench: the bench's
own Redis DBs, SQLite file, secrets and migrations); this script then

1. makes ``--streams`` Django users (``stream-NNNN@bench.test``, no mail accounts: the event
   server needs only a session) and one signed-in session each (written as sign-in does:
   database and cache), unless already there;
2. starts ONE event server as deployed (``uvicorn webmail.asgi:application``) on 127.0.0.1;
3. opens one stream per user from this process (asyncio sockets, ``--concurrency`` connects
   at a time) and waits until each has answered ``200 text/event-stream``;
4. with all of them open: the event server's RSS (target <= 300 MB), whether every person is
   marked present, then publishes ``--events`` events (``events.publish``, as the sync task
   does) to random people, one every ``--interval`` seconds, and times publish -> received on
   that person's stream (p50/p95);
5. prints a table, writes var/bench/event-streams.json, closes the streams and stops the
   server (by PID).

Every phase has a deadline; only 127.0.0.1 is contacted.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from read_path import HOST, REPO, STATE, VENV_BIN, Deadline, free_port, log, pct, rss_kb

RSS_TARGET_MB = 300


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webmail.settings")
    import django

    django.setup()


def ensure_sessions(count: int) -> dict[int, str]:
    """{user pk: session key} for `count` bench users, signed in as the app's sign-in leaves them."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.utils.module_loading import import_string

    user_model = get_user_model()
    names = [f"stream-{n:04d}@bench.test" for n in range(count)]
    existing = set(user_model.objects.filter(username__in=names).values_list("username", flat=True))
    missing = [user_model(username=name, email=name) for name in names if name not in existing]
    for user in missing:
        user.set_unusable_password()
    user_model.objects.bulk_create(missing, batch_size=500)
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    backend = settings.AUTHENTICATION_BACKENDS[0]
    sessions: dict[int, str] = {}
    for user in user_model.objects.filter(username__in=names).order_by("pk"):
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        assert session.session_key is not None
        sessions[user.pk] = session.session_key
    return sessions


def _threads(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("Threads:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class EventServer:
    """uvicorn running webmail.asgi, owned by PID."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, deadline_s: float = 60.0) -> None:
        log_file = open(STATE / "events.log", "w")  # noqa: SIM115 - handed to the child
        self.process = subprocess.Popen(
            [str(VENV_BIN / "uvicorn"), "webmail.asgi:application", "--host", HOST, "--port", str(self.port),
             "--lifespan", "off", "--no-access-log", "--timeout-graceful-shutdown", "3", "--backlog", "4096"],
            cwd=REPO, stdout=log_file, stderr=subprocess.STDOUT,
        )
        log_file.close()
        (STATE / "events.pid").write_text(str(self.process.pid))
        deadline = Deadline(deadline_s, "event server start")
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"the event server exited: see {STATE / 'events.log'}")
            try:
                import socket

                with socket.create_connection((HOST, self.port), timeout=1):
                    return
            except OSError:
                deadline.check()
                time.sleep(0.1)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        (STATE / "events.pid").unlink(missing_ok=True)


class Stream:
    """One open stream: reads SSE lines, records when each benchmark event arrived."""

    def __init__(self, user_pk: int, session: str) -> None:
        self.user_pk = user_pk
        self.session = session
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.task: asyncio.Task[None] | None = None

    async def open(self, port: int, start: str) -> None:
        self.reader, self.writer = await asyncio.open_connection(HOST, port)
        self.writer.write(
            f"GET /events/?last={start} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept: text/event-stream\r\n"
            f"Cookie: sessionid={self.session}\r\n\r\n".encode()
        )
        await self.writer.drain()
        status = await self.reader.readline()
        if b" 200 " not in status:
            raise RuntimeError(f"stream of user {self.user_pk}: {status!r}")
        while (await self.reader.readline()).strip():
            pass  # the rest of the headers

    async def read(self, arrivals: dict[str, float]) -> None:
        """Records the arrival time of every event (the body is chunked: chunk-size lines and
        SSE lines both come through readline; only `data:` lines matter here)."""
        assert self.reader is not None
        while True:
            line = await self.reader.readline()
            if not line:
                return
            if line.startswith(b"data: "):
                try:
                    data = json.loads(line[6:])
                except ValueError:
                    continue
                if isinstance(data, dict) and "bench" in data:
                    arrivals[str(data["bench"])] = time.time()

    def close(self) -> None:
        if self.task is not None:
            self.task.cancel()
        if self.writer is not None:
            self.writer.close()


async def open_all(streams: list[Stream], port: int, start: str, concurrency: int, deadline: Deadline, arrivals: dict[str, float]) -> None:
    gate = asyncio.Semaphore(concurrency)

    async def one(stream: Stream) -> None:
        async with gate:
            deadline.check()
            await asyncio.wait_for(stream.open(port, start), timeout=max(1.0, deadline.left()))
            stream.task = asyncio.create_task(stream.read(arrivals))

    await asyncio.gather(*(one(s) for s in streams))


async def bench(args: argparse.Namespace, server: EventServer, sessions: dict[int, str]) -> dict:
    from mailview.services.live import events

    rss_idle = rss_kb(server.process.pid) if server.process else 0
    streams = [Stream(pk, key) for pk, key in sessions.items()]
    arrivals: dict[str, float] = {}
    started = time.perf_counter()
    try:
        await open_all(streams, server.port, "0-0", args.concurrency, Deadline(args.open_timeout, "opening the streams"), arrivals)
        opened_in = time.perf_counter() - started
        log(f"{len(streams)} streams open in {opened_in:.1f}s")
        # Presence is marked on connect (in the server's threads): wait until it has caught up.
        deadline = Deadline(60, "presence of every stream")
        people = set(sessions)
        while not people.issubset(events.present_users()) and not deadline.passed():
            await asyncio.sleep(0.2)
        present = len(people.intersection(events.present_users()))
        await asyncio.sleep(1.0)  # let connection set-up garbage settle before sampling RSS
        rss_open = rss_kb(server.process.pid) if server.process else 0
        threads = _threads(server.process.pid) if server.process else 0

        sent: dict[str, float] = {}
        pks = list(sessions)
        rng = random.Random(11)  # noqa: S311 - which people get events, not security
        for n in range(args.events):
            pk = rng.choice(pks)
            sent[str(n)] = time.time()
            await asyncio.to_thread(events.publish, pk, "counts", {"folders": {"INBOX": {"messages": n, "unseen": n}}, "bench": n})
            await asyncio.sleep(args.interval)
        deadline = Deadline(30, "the last events to arrive")
        while len(arrivals) < len(sent) and not deadline.passed():
            await asyncio.sleep(0.05)
        rss_after = rss_kb(server.process.pid) if server.process else 0
        latencies = [(arrivals[k] - sent[k]) * 1000 for k in sent if k in arrivals]
        alive = sum(1 for s in streams if s.task is not None and not s.task.done())
    finally:
        for s in streams:
            s.close()
    return {
        "streams": len(streams),
        "streams_still_open_at_end": alive,
        "open_seconds": round(opened_in, 2),
        "present": present,
        "rss_mb_before_streams": round(rss_idle / 1024, 1),
        "rss_mb_with_streams": round(rss_open / 1024, 1),
        "rss_mb_after_events": round(rss_after / 1024, 1),
        "rss_target_mb": RSS_TARGET_MB,
        "server_threads_with_streams": threads,
        "events_sent": len(sent),
        "events_received": len(latencies),
        "latency_ms_p50": round(pct(latencies, 0.50), 1) if latencies else None,
        "latency_ms_p95": round(pct(latencies, 0.95), 1) if latencies else None,
        "latency_ms_max": round(max(latencies), 1) if latencies else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--streams", type=int, default=2000)
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--interval", type=float, default=0.05, help="seconds between published events")
    parser.add_argument("--concurrency", type=int, default=100, help="streams being opened at once")
    parser.add_argument("--open-timeout", type=float, default=300.0)
    parser.add_argument("--port", type=int, default=0, help="the event server's port (default: a free one)")
    args = parser.parse_args()
    if args.events < 50:
        parser.error("--events must be at least 50")

    django_setup()
    STATE.mkdir(parents=True, exist_ok=True)
    log(f"sessions for {args.streams} users")
    sessions = ensure_sessions(args.streams)
    server = EventServer(args.port or free_port())
    signal.signal(signal.SIGTERM, lambda *_: (server.stop(), sys.exit(143)))
    server.start()
    log(f"event server pid {server.process.pid if server.process else '?'} on port {server.port}")
    try:
        result = asyncio.run(bench(args, server, sessions))
    finally:
        server.stop()
    (STATE / "event-streams.json").write_text(json.dumps(result, indent=2))
    width = max(len(k) for k in result)
    print()
    print("One event server (uvicorn, one process), open Server-Sent Event streams")
    for key, value in result.items():
        print(f"  {key:<{width}}  {value}")
    ok = result["rss_mb_with_streams"] <= RSS_TARGET_MB and result["events_received"] == result["events_sent"]
    print(f"  {'verdict':<{width}}  {'OK' if ok else 'MISSED'} (RSS <= {RSS_TARGET_MB} MB with every stream open; every event received)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
