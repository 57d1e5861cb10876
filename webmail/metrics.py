"""`/metrics` for Prometheus: figures of every process, read from Redis when scraped.

Why Redis and not prometheus_client's multiprocess mode: the processes to count are not
one gunicorn's workers on one host but web, Celery workers, watcher replicas and event
servers, in separate containers (docker-compose) or machines. Multiprocess mode only sums
the processes that share one directory on one host, and needs that directory wiped at every
start and dead workers' files marked. Redis is already shared by all of them, the pool and
the watcher already publish their stats there every few seconds, and a scrape of any web
process sees everything. Counters this module adds (requests by status, sign-ins by outcome,
tasks by outcome) are `HINCRBY`s on one hash, best effort: a Redis outage loses counts, never
a request.

Pool counters (logins, errors) are per process and restart at zero with their process:
Prometheus' `rate()` handles the reset per series (`process` label); the unlabelled totals are
sums over the processes alive now.
"""
from __future__ import annotations

import hmac
import ipaddress
import json
import logging
import time
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from webmail.client_ip import client_ip
from webmail.redis_client import get_redis, key_prefix

log = logging.getLogger(__name__)

WORKER_HEARTBEAT_SECONDS = 10  # a Celery worker marks itself alive this often (webmail/celery.py)
WORKER_HEARTBEAT_TTL = 35
PUBLISHED_AT_HEADER = "webmail_published_at"  # task header: when it was queued (oldest task's age)


def _counters_key() -> str:
    return f"{key_prefix()}:ops:counters"


def worker_key(hostname: str) -> str:
    return f"{key_prefix()}:ops:worker:{hostname}"


def count(kind: str, *labels: str) -> None:
    """Add one to a counter shared by all processes (best effort)."""
    from webmail.outage import redis_health

    if redis_health.is_down():
        return  # known outage: no connect timeout per request for a figure
    field = "|".join((kind, *(label.replace("|", "_") for label in labels)))
    try:
        get_redis().hincrby(_counters_key(), field, 1)
    except Exception:  # noqa: BLE001 - figures must never fail a request; the outage is logged elsewhere
        pass


def mark_worker_alive(hostname: str) -> None:
    get_redis().set(worker_key(hostname), str(time.time()), ex=WORKER_HEARTBEAT_TTL)


# -- the scrape --------------------------------------------------------------------------


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _number(value: object) -> float:
    try:
        return float(str(value))
    except ValueError:
        return 0.0


class RedisCollector(Collector):
    """Reads everything at scrape time; each source that fails is left out and `webmail_redis_up` says so."""

    def collect(self) -> Iterator[Any]:
        up = GaugeMetricFamily("webmail_redis_up", "1 when the figures could be read from Redis")
        try:
            families = list(self._families())
        except Exception as exc:  # noqa: BLE001 - report Redis as down, still answer
            log.warning("metrics: could not read Redis (%s)", type(exc).__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families

    def _families(self) -> Iterable[Any]:
        yield from self._pool()
        yield from self._counters()
        yield from self._queues()
        yield from self._workers()
        yield from self._watchers()
        yield from self._presence()
        yield from self._lockouts()

    def _lockouts(self) -> Iterable[Any]:
        from accounts.ratelimit import lockouts_now

        held = GaugeMetricFamily(
            "webmail_signin_lockouts", "sign-ins held back now: address+IP pairs in a backoff, addresses and IPs at their cap", labels=["scope"]
        )
        for scope, n in lockouts_now().items():
            held.add_metric([scope], n)
        yield held

    def _pool(self) -> Iterable[Any]:
        from mailview.imap import get_pool

        rows = get_pool().all_stats()
        conns = GaugeMetricFamily("webmail_imap_connections", "IMAP connections of the session pools, all processes", labels=["state"])
        per = GaugeMetricFamily("webmail_imap_process_connections", "IMAP connections of one process's pool", labels=["process", "state"])
        for state in ("open", "idle", "in_use", "waiting"):
            conns.add_metric([state], sum(_number(r.get(state, 0)) for r in rows))
            for r in rows:
                per.add_metric([r.get("process", "?"), state], _number(r.get(state, 0)))
        yield conns
        yield per
        processes = GaugeMetricFamily("webmail_pool_processes", "processes with a session pool that published stats in the last 30 s")
        processes.add_metric([], len(rows))
        yield processes
        pool_counters = (("logins", "IMAP logins"), ("opened", "IMAP connections opened"), ("timeouts", "waits for a free connection that timed out"))
        for name, help_text in pool_counters:
            total = CounterMetricFamily(f"webmail_imap_{name}", f"{help_text}, sum over live processes")
            total.add_metric([], sum(_number(r.get(name, 0)) for r in rows))
            yield total
            per_c = CounterMetricFamily(
                f"webmail_imap_process_{name}", f"{help_text}, one process (restarts at 0 with it)", labels=["process"]
            )
            for r in rows:
                per_c.add_metric([r.get("process", "?")], _number(r.get(name, 0)))
            yield per_c
        errors = CounterMetricFamily("webmail_imap_errors", "IMAP errors by kind, sum over live processes", labels=["kind"])
        per_e = CounterMetricFamily("webmail_imap_process_errors", "IMAP errors by kind, one process", labels=["process", "kind"])
        kinds = sorted({k[len("errors_"):] for r in rows for k in r if k.startswith("errors_")})
        for kind in kinds:
            errors.add_metric([kind], sum(_number(r.get(f"errors_{kind}", 0)) for r in rows))
            for r in rows:
                per_e.add_metric([r.get("process", "?"), kind], _number(r.get(f"errors_{kind}", 0)))
        yield errors
        yield per_e

    def _counters(self) -> Iterable[Any]:
        raw = {_text(k): _number(_text(v)) for k, v in get_redis().hgetall(_counters_key()).items()}
        requests = CounterMetricFamily("webmail_http_requests", "HTTP requests answered, by status", labels=["status"])
        signins = CounterMetricFamily(
            "webmail_signins", "sign-ins by outcome (the audit log's kinds: login, login_failed, rate_limited, ...)", labels=["outcome"]
        )
        tasks = CounterMetricFamily("webmail_celery_tasks", "Celery tasks finished, by task and outcome", labels=["task", "outcome"])
        for field, value in sorted(raw.items()):
            kind, *labels = field.split("|")
            if kind == "http" and len(labels) == 1:
                requests.add_metric(labels, value)
            elif kind == "signin" and len(labels) == 1:
                signins.add_metric(labels, value)
            elif kind == "task" and len(labels) == 2:
                tasks.add_metric(labels, value)
        yield requests
        yield signins
        yield tasks

    def _queues(self) -> Iterable[Any]:
        import redis

        depth = GaugeMetricFamily("webmail_celery_queue_length", "tasks waiting in a Celery queue", labels=["queue"])
        age = GaugeMetricFamily("webmail_celery_queue_oldest_age_seconds", "age of the oldest waiting task (0 when empty)", labels=["queue"])
        broker = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=5, socket_connect_timeout=5)
        try:
            for queue in sorted({"celery", settings.WEBMAIL_ACTIONS_QUEUE}):
                depth.add_metric([queue], broker.llen(queue))
                oldest = broker.lindex(queue, -1)  # kombu LPUSHes and BRPOPs: the tail is the oldest
                age.add_metric([queue], _age(oldest))
        finally:
            broker.close()
        yield depth
        yield age

    def _workers(self) -> Iterable[Any]:
        redis = get_redis()
        workers = GaugeMetricFamily("webmail_celery_workers", "Celery workers that marked themselves alive in the last 35 s")
        last = GaugeMetricFamily("webmail_celery_worker_heartbeat_age_seconds", "seconds since a live worker's last mark", labels=["worker"])
        now = time.time()
        names = [_text(k)[len(worker_key("")):] for k in redis.scan_iter(match=worker_key("*"), count=200)]
        for name in sorted(names):
            seen = redis.get(worker_key(name))
            if seen is not None:
                last.add_metric([name], max(0.0, now - _number(_text(seen))))
        workers.add_metric([], len(names))
        yield workers
        yield last

    def _watchers(self) -> Iterable[Any]:
        from mailview.services.live.watching import watcher_stats

        replicas = watcher_stats(get_redis(), key_prefix())
        count_ = GaugeMetricFamily("webmail_watcher_replicas", "watcher replicas that published stats in the last 30 s")
        count_.add_metric([], len(replicas))
        people = GaugeMetricFamily("webmail_watched_people", "people watched, all replicas", labels=["status"])
        per = GaugeMetricFamily("webmail_watcher_people", "people one replica watches", labels=["replica", "status"])
        age = GaugeMetricFamily("webmail_watcher_stats_age_seconds", "seconds since a replica last published its stats", labels=["replica"])
        now = time.time()
        for status in ("people", "up", "connecting", "waiting"):
            people.add_metric([status], sum(_number(r.get(status, 0)) for r in replicas))
            for r in replicas:
                per.add_metric([str(r.get("replica", "?")), status], _number(r.get(status, 0)))
        for r in replicas:
            age.add_metric([str(r.get("replica", "?"))], max(0.0, now - _number(r.get("updated", now))))
        yield count_
        yield people
        yield per
        yield age

    def _presence(self) -> Iterable[Any]:
        from mailview.services.live.events import present_users

        present = GaugeMetricFamily("webmail_present_people", "people with an open event stream (a tab open), all event servers")
        present.add_metric([], len(present_users()))
        yield present
        from mailview.services.live.events import stream_counts

        counts = stream_counts()
        streams = GaugeMetricFamily("webmail_event_streams", "open event streams, all event-server processes (renewed every 30 s)")
        streams.add_metric([], sum(counts.values()))
        per = GaugeMetricFamily("webmail_event_server_streams", "open event streams of one event-server process", labels=["process"])
        for process, n in sorted(counts.items()):
            per.add_metric([process], n)
        yield streams
        yield per


def _age(message: bytes | str | None) -> float:
    if not message:
        return 0.0
    try:
        published = json.loads(message).get("headers", {}).get(PUBLISHED_AT_HEADER)
    except (ValueError, AttributeError):
        return 0.0
    return max(0.0, time.time() - float(published)) if published else 0.0


def figures() -> dict[str, list[tuple[dict[str, str], float]]]:
    """Every figure `/metrics` shows, as {sample name: [(labels, value)]}: what the operations
    dashboard reads, so each figure is computed in one place."""
    out: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in RedisCollector().collect():
        for sample in family.samples:
            out.setdefault(sample.name, []).append((dict(sample.labels), float(sample.value)))
    return out


RATE_MIN_SECONDS = 20  # a per-minute rate needs two readings at least this far apart
RATE_SAMPLE_EVERY = 10
RATE_KEEP_SECONDS = 600


def per_minute(current: dict[str, float], *, now: float | None = None) -> dict[str, float | None]:
    """Per-minute rates of counters (`current`: name -> running total), against a reading kept
    in Redis from 20 s to 10 min ago (the operations dashboard keeps one every 10 s it is
    open). None until there is one. A counter that went down (its process restarted at 0)
    counts from 0."""
    now = time.time() if now is None else now
    redis = get_redis()
    key = f"{key_prefix()}:ops:rate-samples"
    samples = [json.loads(raw) for raw in redis.lrange(key, 0, -1)]  # newest first
    base = next((s for s in samples if RATE_MIN_SECONDS <= now - s["t"] <= 60), None)
    if base is None:
        base = next((s for s in samples if RATE_MIN_SECONDS <= now - s["t"] <= RATE_KEEP_SECONDS), None)
    if not samples or now - samples[0]["t"] >= RATE_SAMPLE_EVERY:
        with redis.pipeline() as pipe:
            pipe.lpush(key, json.dumps({"t": now, "v": current}))
            pipe.ltrim(key, 0, RATE_KEEP_SECONDS // RATE_SAMPLE_EVERY)
            pipe.expire(key, RATE_KEEP_SECONDS)
            pipe.execute()
    rates: dict[str, float | None] = {}
    for name, value in current.items():
        old = None if base is None else base["v"].get(name)
        if base is None or old is None:
            rates[name] = None
            continue
        delta = value - old if value >= old else value
        rates[name] = delta * 60.0 / (now - base["t"])
    return rates


# -- the view ------------------------------------------------------------------------------


def _allowed(request: HttpRequest) -> bool:
    token: str = settings.WEBMAIL_METRICS_TOKEN
    networks: list[str] = settings.WEBMAIL_METRICS_ALLOWED_NETWORKS
    if not token and not networks:
        return False
    if token:
        given = request.headers.get("Authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            return False
    if networks:
        try:
            ip = ipaddress.ip_address(client_ip(request))
        except ValueError:
            return False
        if not any(ip in ipaddress.ip_network(n, strict=False) for n in networks):
            return False
    return True


def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus text format. 404 unless a token or allowed networks are configured, and
    the request has the token / comes from those networks (both, when both are set)."""
    if not _allowed(request):
        raise Http404
    registry = CollectorRegistry(auto_describe=False)
    registry.register(RedisCollector())
    response = HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response
