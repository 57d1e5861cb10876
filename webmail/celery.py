"""The Celery app. Workers: `celery -A webmail worker`."""
import logging
import os
import threading
import time

from celery import Celery
from celery.signals import (
    after_setup_logger,
    after_setup_task_logger,
    after_task_publish,
    before_task_publish,
    task_postrun,
    task_prerun,
    worker_ready,
    worker_shutdown,
)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webmail.settings")

app = Celery("webmail")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
logger = logging.getLogger("webmail.celery")


def _connect_request_log() -> None:
    """Task log lines name the request that queued the task and the user (webmail/request_log.py)."""
    from webmail import request_log

    before_task_publish.connect(request_log.task_published, weak=False)
    task_prerun.connect(request_log.task_started, weak=False)
    task_postrun.connect(request_log.task_finished, weak=False)
    after_setup_logger.connect(request_log.add_context_to_handlers, weak=False)
    after_setup_task_logger.connect(request_log.add_context_to_handlers, weak=False)
    # One line per broker outage in a worker's log, not one per reconnect attempt.
    from webmail.outage import quiet_worker_reconnects

    after_setup_logger.connect(quiet_worker_reconnects, weak=False)


_connect_request_log()


@after_task_publish.connect
def _queue_reachable(**kwargs: object) -> None:
    """A task was handed over: the queue works (ends an outage this process noticed)."""
    from webmail.outage import broker_health

    broker_health.recovered()


class _VisibilityHeartbeat(threading.Thread):
    """Keeps the messages of this worker's running (and reserved, and scheduled) tasks fresh in the Redis
    broker's unacked index, so a task that runs longer than the visibility timeout is not
    handed to a second worker while it is alive; a dead worker's tasks stop being refreshed
    and are redelivered once the timeout passes."""

    def __init__(self, broker_url: str, key: str, interval: float) -> None:
        super().__init__(name="visibility-heartbeat", daemon=True)
        self.broker_url = broker_url
        self.key = key
        self.interval = interval
        self.stopping = threading.Event()

    def run(self) -> None:
        import redis
        from celery.worker import state

        client = redis.Redis.from_url(self.broker_url, socket_timeout=5, socket_connect_timeout=5)
        failing = False
        while not self.stopping.wait(self.interval):
            tags = {
                tag
                # Running, waiting for a pool slot, or held for a later retry (countdown/ETA:
                # a send's backoff reaches 30 min): all alive here, none to be handed out again.
                for request in [*list(state.active_requests), *list(state.reserved_requests), *list(getattr(state, "scheduled_requests", ()))]
                if (tag := getattr(getattr(request, "message", None), "delivery_tag", None))
            }
            if not tags:
                continue
            try:
                # XX: only messages still unacknowledged (never re-adds an acknowledged one).
                client.zadd(self.key, {tag: time.time() for tag in tags}, xx=True)
                failing = False
            except redis.RedisError as exc:
                if not failing:  # once per outage, the consumer says the rest
                    logger.warning("could not refresh running tasks in the broker (%s); retrying", exc)
                failing = True


_heartbeat: _VisibilityHeartbeat | None = None


@worker_ready.connect
def _start_heartbeat(**kwargs: object) -> None:
    global _heartbeat
    url = str(app.conf.broker_url or "")
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return  # another broker: its own redelivery rules apply
    options = app.conf.broker_transport_options or {}
    timeout = float(options.get("visibility_timeout", 3600))
    key = f"{options.get('global_keyprefix', '')}{options.get('unacked_index_key', 'unacked_index')}"
    _heartbeat = _VisibilityHeartbeat(url, key, max(1.0, timeout / 4))
    _heartbeat.start()


_alive_stop = threading.Event()


@worker_ready.connect
def _start_alive_marks(sender: object = None, **kwargs: object) -> None:
    """/metrics counts live workers from these marks in Redis (`celery inspect` takes seconds)."""
    from webmail.metrics import WORKER_HEARTBEAT_SECONDS, mark_worker_alive

    hostname = str(getattr(sender, "hostname", None) or f"worker-{os.getpid()}")

    def run() -> None:
        while True:
            try:
                mark_worker_alive(hostname)
            except Exception:  # noqa: BLE001 - Redis down: the outage is logged elsewhere; try again
                pass
            if _alive_stop.wait(WORKER_HEARTBEAT_SECONDS):
                return

    threading.Thread(target=run, name="alive-marks", daemon=True).start()


@worker_shutdown.connect
def _stop_heartbeat(**kwargs: object) -> None:
    _alive_stop.set()
    if _heartbeat is not None:
        _heartbeat.stopping.set()
