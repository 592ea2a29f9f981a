"""The link checker's Policy from Django settings."""

from __future__ import annotations

from django.conf import settings

from ita.linkcheck.policy import Policy


def policy_from_settings() -> Policy:
    """LINKCHECK_ALLOW_LOOPBACK (default off) lets tests and demos check a loopback site."""
    return Policy(
        user_agent=f"ITA-Measures-LinkCheck/1 (+{settings.SITE_URL})",
        allow_loopback=settings.LINKCHECK_ALLOW_LOOPBACK,
    )
