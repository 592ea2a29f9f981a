"""Celery tasks of the reports app: ids in, one call, enqueued after commit.

With no broker configured (CELERY_TASK_ALWAYS_EAGER) the same tasks run in-process when the
transaction commits. On a worker, `soft_time_limit` stops a runaway WeasyPrint layout and the
document is marked failed with a Thai reason; `time_limit` kills the child if even that hangs,
and acks_late + reject_on_worker_lost (settings) hand the job to another worker. Start workers
with `--max-memory-per-child` as the memory limit (reports/pdf.py).
"""

from __future__ import annotations

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import transaction

from reports import rendering

SOFT_TIME_LIMIT = 120
TIME_LIMIT = 150


@shared_task(soft_time_limit=SOFT_TIME_LIMIT, time_limit=TIME_LIMIT)
def render_document_task(document_id: int) -> None:
    try:
        rendering.render_document(document_id)
    except SoftTimeLimitExceeded:
        rendering.mark_document_failed(document_id, str(rendering.MESSAGE_TIME_LIMIT))


@shared_task(soft_time_limit=SOFT_TIME_LIMIT, time_limit=TIME_LIMIT)
def render_published_task(version_id: int) -> None:
    try:
        rendering.render_published(version_id)
    except SoftTimeLimitExceeded:
        rendering.mark_published_failed(version_id, str(rendering.MESSAGE_TIME_LIMIT))


def enqueue_document_render(document_id: int) -> None:
    """Render after the current transaction commits (never, if it rolls back)."""
    transaction.on_commit(lambda: render_document_task.delay(document_id))


def enqueue_published_render(version_id: int) -> None:
    """Render a published copy after the current transaction commits (never, if it rolls back)."""
    transaction.on_commit(lambda: render_published_task.delay(version_id))
