"""The Celery app. Workers: `celery -A webmail worker`."""
import os

from celery import Celery
from celery.signals import after_task_publish

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webmail.settings")

app = Celery("webmail")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@after_task_publish.connect
def _queue_reachable(**kwargs: object) -> None:
    """A task was handed over: the queue works (ends an outage this process noticed)."""
    from webmail.outage import broker_health

    broker_health.recovered()
