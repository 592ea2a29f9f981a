"""Suite-wide test settings: a fast password hasher and a clean cache for every test."""

import pytest
from django.conf import settings

# The production hasher is slow on purpose; tests create many users. Set before any user is made.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached portal summaries and other cache entries must not leak from one test into another."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _tasks_in_process():
    """Tasks run in-process in tests even when CELERY_BROKER_URL is set (CI's second pass); tests/faults
    starts a real worker and switches to the broker on purpose."""
    from ita.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved
