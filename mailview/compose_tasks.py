"""Celery tasks for writing mail: thin, given ids, they call `mailview.services.sending`.

`compose_send` is idempotent (states in the database, written before and after
SMTP; see the services module) and acks late (global setting), so a worker that
dies mid-task leaves it on the broker and the next run picks up where it stopped.
"""
from __future__ import annotations

from celery import shared_task
from django.conf import settings

from .services.sending import Outcome, compose_deliver, compose_give_up, compose_retry_at


def retry_countdown(retries: int) -> int:
    """Exponential backoff: base, 2×base, 4×base … up to the cap."""
    return int(min(settings.WEBMAIL_SEND_RETRY_CAP, settings.WEBMAIL_SEND_RETRY_BASE * (2 ** retries)))


@shared_task(bind=True, acks_late=True, max_retries=None, name="mailview.compose_send")
def compose_send(self, compose_id: str) -> str:  # type: ignore[no-untyped-def]
    """Submit a queued message by SMTP, copy it to Sent, delete the draft, flag the original."""
    outcome = compose_deliver(compose_id=compose_id)
    if outcome is Outcome.RETRY:
        if self.request.retries >= settings.WEBMAIL_SEND_MAX_RETRIES:
            compose_give_up(compose_id=compose_id)
            return Outcome.FAILED.value
        countdown = retry_countdown(self.request.retries)
        compose_retry_at(compose_id=compose_id, seconds=countdown)
        raise self.retry(countdown=countdown)
    return outcome.value


@shared_task(name="mailview.compose_cleanup")
def compose_cleanup_task() -> int:
    """Housekeeping (run it periodically, e.g. hourly with celery beat)."""
    from .services.composing import compose_cleanup

    return compose_cleanup()


__all__ = ["compose_send", "compose_cleanup_task", "retry_countdown"]
