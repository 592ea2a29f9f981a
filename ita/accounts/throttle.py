"""Login throttling per (username, client address) — SECURITY.md A4.

A whole municipal office often reaches the site from one address, so throttling by address
alone would let one person's typos lock out colleagues. Counting failures per pair means a
guesser is stopped on the account they attack while everyone else in the office logs in.

The limit is enforced in the authentication backend, so every login form (the site's and the
admin's) obeys it; the site's login form only chooses the Thai message to show.
"""

import hashlib
import logging
from ipaddress import ip_address

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

logger = logging.getLogger(__name__)

UNKNOWN_ADDRESS = "unknown"


def _valid_address(text: str) -> str | None:
    try:
        return str(ip_address(text.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    """The address the request came from, looking through trusted proxies only.

    With N trusted proxies, each appends the address it saw to X-Forwarded-For, so the N-th
    entry from the right is what the outermost trusted proxy saw. Entries left of that were
    written by the client and can be anything, so they are never used.
    """
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies > 0:
        hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= proxies:
            address = _valid_address(hops[-proxies])
            if address:
                return address
    return _valid_address(request.META.get("REMOTE_ADDR", "")) or UNKNOWN_ADDRESS


def _key(kind: str, username: str, address: str) -> str:
    # Hashed so that usernames (personal data) are not stored in the cache in clear.
    digest = hashlib.sha256(f"{username.casefold()}\x00{address}".encode()).hexdigest()
    return f"login-throttle:{kind}:{digest}"


def is_locked(username: str, address: str) -> bool:
    """True while this username may not log in from this address."""
    return cache.get(_key("lock", username, address)) is not None


def record_failure(username: str, address: str) -> bool:
    """Count one failed login for the pair; lock the pair when the limit is reached. Returns True if now locked."""
    failures = _key("fail", username, address)
    cache.add(failures, 0, timeout=settings.LOGIN_THROTTLE_WINDOW)
    try:
        count = cache.incr(failures)
    except ValueError:  # the window expired between add() and incr()
        cache.set(failures, 1, timeout=settings.LOGIN_THROTTLE_WINDOW)
        count = 1
    if count < settings.LOGIN_THROTTLE_LIMIT:
        return False
    cache.set(_key("lock", username, address), 1, timeout=settings.LOGIN_THROTTLE_LOCKOUT)
    cache.delete(failures)
    logger.warning(
        "login locked after repeated failures",
        extra={"client_address": address, "pair_hash": failures.rsplit(":", 1)[-1][:16]},
    )
    return True


def reset(username: str, address: str) -> None:
    """Forget the pair's failures and lock, after a successful login or password reset."""
    cache.delete_many([_key("fail", username, address), _key("lock", username, address)])


class ThrottledModelBackend(ModelBackend):
    """Django's username/password backend, refusing a (username, address) pair that failed too often."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(self._username_field())
        if request is None or username is None:
            # Not a web login (shell, management command): nothing to throttle by.
            return super().authenticate(request, username=username, password=password, **kwargs)
        address = client_address(request)
        if is_locked(username, address):
            # PermissionDenied stops Django trying any other backend, and counts as a failed login.
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            record_failure(username, address)
        else:
            reset(username, address)
        return user

    @staticmethod
    def _username_field() -> str:
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD
