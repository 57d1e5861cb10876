#!/usr/bin/env python3
"""Fairness: another user's list while one user has 100 requests in flight.

Run it with ``bash bench/run.sh fairness`` (the same set-up as the read-path bench: the
mail stack, the bench's own Redis DBs, SQLite file and secrets, and migrations); then

1. adds and seeds ``fair-a@example.test`` (the busy user) and ``fair-b@example.test``
   (the other user), 2,000 INBOX messages each, unless already there;
2. starts the app as deployed (gunicorn 2 workers x 4 threads, a Celery worker, default
   pool settings), signs both in over HTTP;
3. times B's list page (``/mail/INBOX/``) alone: the unloaded p95 (B's requests are sent and
   timed by a process of their own, so A's client threads cannot slow down the measurement);
4. starts 100 client connections of A, each sending A's list pages back to back (a fixed
   number per connection, so the load stops by itself) and times B's list meanwhile, twice:
   "polite" A clients wait the ``Retry-After`` of a refused request (as HTTP asks), and
   "hammering" ones send the next request at once regardless;
5. prints a table: B's median and p95 per phase against the unloaded p95 (target: within
   2x), and what A's requests got (served, refused with 429/503, other).

Every loop is bounded by a count and a deadline; only 127.0.0.1 is contacted.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from read_path import (
    STATE,
    App,
    BenchUser,
    Browser,
    Deadline,
    ensure_user,
    free_port,
    log,
    pct,
    seed,
)

BUSY = BenchUser("fair-a", "fair-a@example.test", 2_000, 31)
OTHER = BenchUser("fair-b", "fair-b@example.test", 2_000, 32)
LIST = "/mail/INBOX/"


def timed_get(browser: Browser, path: str) -> tuple[int, float, str | None]:
    t = time.perf_counter()
    status, headers, _body, _n = browser.get(path, keep_body=False)
    return status, time.perf_counter() - t, headers.get("Retry-After")


SLOWEST: list[tuple[float, float]] = []  # (seconds since the phase began, seconds taken) of B's slowest


def sample_other(browser: Browser, runs: int, pause: float, deadline: Deadline) -> tuple[list[float], Counter]:
    """B's list page, `runs` times one after another (a person clicking, not a load)."""
    times: list[float] = []
    statuses: Counter = Counter()
    began = time.perf_counter()
    offsets: list[tuple[float, float]] = []
    for n in range(runs):
        if deadline.passed():
            break
        at = time.perf_counter() - began
        status, seconds, _ = timed_get(browser, LIST if n % 2 else LIST + "?page=2")
        statuses[status] += 1
        if status == 200:
            times.append(seconds)
            offsets.append((round(at, 2), round(seconds, 3)))
        time.sleep(pause)  # a pause between clicks, not a synchronisation
    SLOWEST[:] = sorted(offsets, key=lambda o: -o[1])[:5]
    return times, statuses


class Sampler:
    """B's clicks, timed in a process of its own (forked before A's clients start, then told to
    go). In this process, the busy user's hundred client threads would slow B's measurement
    itself (they share its GIL): the table would show the bench's contention, not the server's."""

    def __init__(self, port: int, cookies: dict[str, str], *, runs: int, pause: float, deadline: Deadline) -> None:
        ctx = multiprocessing.get_context("fork")
        self._go_recv, self._go_send = ctx.Pipe(duplex=False)
        self._out_recv, self._out_send = ctx.Pipe(duplex=False)
        self.process = ctx.Process(target=self._run, args=(port, cookies, runs, pause, deadline.left()), daemon=True)
        self.process.start()

    def _run(self, port: int, cookies: dict[str, str], runs: int, pause: float, seconds: float) -> None:
        browser = Browser(port)
        browser.cookies = dict(cookies)
        try:
            timed_get(browser, LIST)  # connected and warm before it is timed, like a tab left open
            if not self._go_recv.poll(seconds):
                return
            self._go_recv.recv()
            times, statuses = sample_other(browser, runs, pause, Deadline(seconds, "B's sampling"))
            self._out_send.send((times, dict(statuses), list(SLOWEST)))
        finally:
            browser.close()

    def measure(self, timeout: float) -> tuple[list[float], Counter]:
        self._go_send.send(True)
        if not self._out_recv.poll(timeout):
            self.process.kill()
            raise RuntimeError("B's sampling process did not answer in time")
        times, statuses, slowest = self._out_recv.recv()
        self.process.join(30)
        SLOWEST[:] = slowest
        return times, Counter(statuses)


class Load:
    """`clients` keep-alive connections of the busy user, each sending `per_client` requests."""

    def __init__(self, port: int, cookies: dict[str, str], *, clients: int, per_client: int, polite: bool, deadline: Deadline) -> None:
        self.port = port
        self.cookies = cookies
        self.clients = clients
        self.per_client = per_client
        self.polite = polite
        self.deadline = deadline
        self.stop = threading.Event()
        self.statuses: Counter = Counter()
        self.lock = threading.Lock()
        self.in_flight_peak = 0
        self.in_flight = 0
        self.threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(clients)]
        self.started = threading.Barrier(clients + 1)

    def _run(self, index: int) -> None:
        browser = Browser(self.port, timeout=60)
        browser.cookies = dict(self.cookies)
        try:
            self.started.wait(timeout=60)
            for n in range(self.per_client):
                if self.stop.is_set() or self.deadline.passed():
                    break
                with self.lock:
                    self.in_flight += 1
                    self.in_flight_peak = max(self.in_flight_peak, self.in_flight)
                try:
                    status, _s, retry_after = timed_get(browser, f"{LIST}?page={1 + (index + n) % 3}")
                except OSError:
                    status, retry_after = -1, None
                finally:
                    with self.lock:
                        self.in_flight -= 1
                with self.lock:
                    self.statuses[status] += 1
                if self.polite and status in (429, 503) and retry_after:
                    self.stop.wait(min(float(retry_after), 10.0))
        finally:
            browser.close()

    def __enter__(self) -> Load:
        for t in self.threads:
            t.start()
        self.started.wait(timeout=60)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(timeout=120)


def row(label: str, times: list[float], base_p95: float | None, load: Load | None, statuses: Counter) -> dict:
    p95 = pct(times, 0.95) if times else float("nan")
    out = {
        "phase": label,
        "b_n": len(times),
        "b_median_ms": round(sorted(times)[len(times) // 2] * 1000, 1) if times else None,
        "b_p95_ms": round(p95 * 1000, 1),
        "b_not_200": sum(v for k, v in statuses.items() if k != 200),
        "ratio": round(p95 / base_p95, 2) if base_p95 else 1.0,
    }
    if load is not None:
        out["a_statuses"] = dict(sorted(load.statuses.items()))
        out["a_peak_in_flight"] = load.in_flight_peak
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=100, help="the busy user's concurrent connections")
    ap.add_argument("--per-client", type=int, default=30, help="requests per busy connection (bounds the load)")
    ap.add_argument("--runs", type=int, default=60, help="list requests of the other user per phase")
    ap.add_argument("--pause", type=float, default=0.05, help="seconds between the other user's requests")
    ap.add_argument("--deadline", type=float, default=900.0)
    args = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    STATE.mkdir(parents=True, exist_ok=True)
    password = os.environ["BENCH_PASSWORD"]
    for user in (BUSY, OTHER):
        ensure_user(user, password)
        seed(user, timeout=900)

    app = App(free_port())
    deadline = Deadline(args.deadline, "fairness bench")
    rows: list[dict] = []
    try:
        app.start()
        log(f"app up on port {app.port} (gunicorn 2 workers x 4 threads)")
        busy, other = Browser(app.port), Browser(app.port)
        busy.sign_in(BUSY.email, password)
        other.sign_in(OTHER.email, password)
        for _ in range(5):  # warm both users' pools and Dovecot's caches
            timed_get(busy, LIST)
            timed_get(other, LIST)
            timed_get(other, LIST + "?page=2")
        times, statuses = Sampler(app.port, other.cookies, runs=args.runs, pause=args.pause, deadline=deadline).measure(deadline.left())
        base = pct(times, 0.95)
        rows.append(row("unloaded", times, base, None, statuses))
        log(f"unloaded: B p95 {base * 1000:.1f} ms")
        for polite in (True, False):
            label = f"{args.clients} in flight of A, {'polite (waits Retry-After)' if polite else 'hammering'}"
            sampler = Sampler(app.port, other.cookies, runs=args.runs, pause=args.pause, deadline=deadline)
            with Load(app.port, busy.cookies, clients=args.clients, per_client=args.per_client, polite=polite, deadline=deadline) as load:
                time.sleep(0.5)  # let the load reach the server before B's first request
                times, statuses = sampler.measure(deadline.left())
            rows.append(row(label, times, base, load, statuses))
            rows[-1]["b_slowest_at_s_took_s"] = list(SLOWEST)
            log(f"{label}: {rows[-1]}")
    finally:
        app.stop()
    (STATE / "fairness-last-run.json").write_text(json.dumps(rows, indent=2))
    print()
    print(f"{'phase':<48} {'B n':>4} {'B median':>9} {'B p95':>8} {'x unloaded':>10}  A's requests (status: count)")
    for r in rows:
        a = ", ".join(f"{k}: {v}" for k, v in r.get("a_statuses", {}).items()) or "-"
        mark = "" if r["ratio"] <= 2 else "  MISS (> 2x)"
        print(f"{r['phase']:<48} {r['b_n']:>4} {r['b_median_ms']:>7} ms {r['b_p95_ms']:>5} ms {r['ratio']:>9}x  {a}{mark}")
    print(f"JSON: {STATE / 'fairness-last-run.json'}")
    return 0 if all(r["ratio"] <= 2 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
