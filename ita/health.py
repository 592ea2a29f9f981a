"""Liveness checks shared by the /healthz view and the `healthcheck` command."""

from django.conf import settings
from django.db import connection
from django.utils.module_loading import import_string


def check_database() -> str | None:
    """Return None when the database answers, else a short reason."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "unhealthy"
        return f"database: {exc.__class__.__name__}"
    return None


def check_broker() -> str | None:
    """Return None when the Celery broker answers (or none is configured), else a short reason."""
    if not settings.CELERY_BROKER_URL:
        return None
    from ita.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # kombu raises many transport-specific errors
        return f"broker: {exc.__class__.__name__}"
    return None


def problems() -> list[str]:
    return [reason for reason in (check_database(), check_broker()) if reason]


def missing_parts() -> list[str]:
    """Optional parts not installed here (settings.HEALTH_OPTIONAL_CHECKS): reported, never "unhealthy"."""
    return [reason for path in settings.HEALTH_OPTIONAL_CHECKS if (reason := import_string(path)())]
