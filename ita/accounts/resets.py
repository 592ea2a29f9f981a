"""Password-reset mail limited per e-mail address and per client address (SECURITY.md B5).

Without a limit, anyone could make the site send a mailbox twenty reset mails in a minute. Counts
live in the cache as plain integers (the production cache serialises JSON), keyed by a hash so that
no address is stored in clear. The page answers the same whether or not a mail was sent, as Django's
does for an unknown address, so the limit reveals nothing about which addresses have accounts.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from ita.accounts.throttle import client_address

logger = logging.getLogger(__name__)


def count_key(kind: str, value: str) -> str:
    return f"password-reset:{kind}:{hashlib.sha256(value.encode()).hexdigest()}"


def _count(key: str) -> int:
    """One more request in the key's window (started by its first request); the number so far."""
    window = settings.PASSWORD_RESET_WINDOW
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1


def reset_mail_allowed(request: HttpRequest, email: str) -> bool:
    """Count this request against its client and its address; False when either is over its limit."""
    client = client_address(request)
    per_client = _count(count_key("client", client))
    per_address = _count(count_key("address", email.strip().casefold()))
    allowed = (
        per_client <= settings.PASSWORD_RESET_LIMIT_PER_CLIENT
        and per_address <= settings.PASSWORD_RESET_LIMIT_PER_ADDRESS
    )
    if not allowed:
        logger.warning("password reset mail not sent: limit reached", extra={"client": client})
    return allowed
