"""Login throttling on django-axes, per (username, client address) — SECURITY.md A4.

A whole municipal office often reaches the site from one address, so throttling by address
alone would let one person's typos lock out colleagues. Counting failures per pair
(AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]) stops a guesser on the account they
attack while everyone else in the office logs in. Axes keeps the failures in the database, so an
administrator sees every lockout in the admin and lifts it there (ita.admin, LoginLockout).

This module gives axes what it asks of the project: the client address seen through trusted
proxies only, the username compared without case, and the Thai page a locked pair gets.
"""

from ipaddress import ip_address

from django.conf import settings
from django.http import HttpRequest


def _valid_address(text: str) -> str | None:
    try:
        return str(ip_address(text.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The address the request came from, looking through trusted proxies only (AXES_CLIENT_IP_CALLABLE).

    None when there is no valid address (a test client, a socket without one): axes stores addresses
    in an IP column, and all such requests then share one bucket, counted by username.

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
    return _valid_address(request.META.get("REMOTE_ADDR", ""))


def username_key(request: HttpRequest, credentials: dict | None) -> str:
    """The username a failure counts against (AXES_USERNAME_CALLABLE): 'Alice' and 'ALICE' buy no extra guesses."""
    field = settings.AXES_USERNAME_FORM_FIELD
    username = (credentials or {}).get(field) or request.POST.get(field, "")
    return str(username).casefold()[:150]
