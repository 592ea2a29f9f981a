"""The reports app's Celery tasks, for Celery's autodiscovery; they are defined in reports/rendering.py."""

from reports.rendering import (
    SOFT_TIME_LIMIT,
    TIME_LIMIT,
    enqueue_document_render,
    enqueue_published_render,
    render_document_task,
    render_published_task,
)

__all__ = [
    "SOFT_TIME_LIMIT",
    "TIME_LIMIT",
    "enqueue_document_render",
    "enqueue_published_render",
    "render_document_task",
    "render_published_task",
]
