"""The Celery app. Workers: `celery -A webmail worker`."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webmail.settings")

app = Celery("webmail")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
