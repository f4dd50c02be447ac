"""Celery, following Celery's Django guide. With no broker configured, tasks run in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rdec.settings")

app = Celery("rdec")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
