"""`manage.py watch_mailboxes`: the watcher process (one IMAP connection per person with an
open tab, NOTIFY/IDLE, multiplexed in one thread; see mailview/services/live/watching.py).

Runs until SIGTERM/SIGINT; then lets go of its people (leases, budget, marks) so another
replica can take them at once. Run several for more people or for failover.
"""
from __future__ import annotations

import logging
import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from mailview.imap.budget import ConnectionBudget
from mailview.imap.connection import Credentials, ServerEndpoint
from mailview.services.live.watching import SYNC_TASK, WatchConfig, WatchService

log = logging.getLogger("mailview.watcher")


def watch_config_from_settings(**overrides: Any) -> WatchConfig:
    values: dict[str, Any] = {
        "grace_seconds": float(settings.WEBMAIL_WATCH_GRACE_SECONDS),
        "coalesce_seconds": settings.WEBMAIL_WATCH_COALESCE_MS / 1000.0,
        "lease_seconds": float(settings.WEBMAIL_WATCH_LEASE_SECONDS),
        "max_people": settings.WEBMAIL_WATCH_MAX_PEOPLE,
        "backoff_cap": float(settings.WEBMAIL_WATCH_BACKOFF_CAP),
        "sweep_seconds": float(settings.WEBMAIL_WATCH_SWEEP_SECONDS),
        "poll_seconds": float(settings.WEBMAIL_WATCH_POLL_SECONDS),
        "reidle_seconds": float(settings.WEBMAIL_WATCH_REIDLE_SECONDS),
        "keepalive_seconds": float(settings.WEBMAIL_WATCH_KEEPALIVE_SECONDS),
        "ignore_capabilities": frozenset(settings.WEBMAIL_WATCH_IGNORE_CAPABILITIES),
        "connect_workers": settings.WEBMAIL_WATCH_CONNECT_WORKERS,
    }
    values.update(overrides)
    return WatchConfig(**values)


def build_service(**overrides: Any) -> WatchService:
    """The watcher wired like the pool (mailview/wiring.py): same Redis budget, same credentials."""
    from accounts.services import imap_credentials_for
    from webmail.celery import app as celery_app
    from webmail.redis_client import get_redis, key_prefix

    def credentials_for(user_key: str) -> tuple[ServerEndpoint, Credentials]:
        close_old_connections()  # a long-lived process: drop a database connection that went away
        return imap_credentials_for(user_key)

    def enqueue(*, user_id: int, folders: list[str], reason: str) -> object:
        # By name: the watcher needs no import of the task module.
        return celery_app.send_task(SYNC_TASK, kwargs={"user_id": user_id, "folders": folders, "reason": reason})

    redis = get_redis()
    budget = ConnectionBudget(redis, limit=settings.WEBMAIL_POOL_PER_USER_TOTAL, prefix=f"{key_prefix()}:imap")
    return WatchService(
        redis=redis,
        prefix=key_prefix(),
        credentials_for=credentials_for,
        budget=budget,
        enqueue=enqueue,
        config=watch_config_from_settings(**overrides),
    )


class Command(BaseCommand):
    help = "Watch the mailboxes of people with an open tab (NOTIFY/IDLE) and request syncs on changes."

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        service = build_service()
        log.info("watcher %s started", service.replica_id)
        service.run(stop)
        log.info("watcher %s stopped", service.replica_id)
