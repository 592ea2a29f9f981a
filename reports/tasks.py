"""The reports app's Celery tasks, for Celery's autodiscovery; they are defined in reports/rendering.py."""

from reports.rendering import render_document_task, render_published_task

__all__ = ["render_document_task", "render_published_task"]
