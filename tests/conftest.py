"""Suite-wide test settings: a fast password hasher and a clean cache for every test."""

import pytest
from django.conf import settings

# The production hasher is slow on purpose; tests create many users. Set before any user is made.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Login-throttle counters and cached portal summaries must not leak from one test into another."""
    from django.core.cache import cache

    cache.clear()
