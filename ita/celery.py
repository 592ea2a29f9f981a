"""Celery application. Tasks run in-process when CELERY_BROKER_URL is empty."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita.settings")

app = Celery("ita")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
