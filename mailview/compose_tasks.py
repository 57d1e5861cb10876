"""Celery tasks for writing mail (sending)."""
