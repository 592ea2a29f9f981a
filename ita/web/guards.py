"""Odd paths and query strings answered 400 before any view or query sees them (SECURITY.md B3).

PostgreSQL refuses a NUL in a text value with an error, so a NUL that reached a lookup
(/public/organizations/%00/, /?q=%00) was a 500. This middleware sits before the session and the
user are loaded, so such a request costs no query at all, and it answers with the site's Thai 400
page (templates/400.html) through Django's own handling of SuspiciousOperation, which also logs it
to django.security.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse

# Tab and line breaks are harmless in a query value (a pasted search term); every other control
# character, NUL first, is refused.
_ALLOWED_IN_QUERY = frozenset("\t\r\n")


class UnsafeRequest(SuspiciousOperation):
    """A path or query value no page of the site can mean."""


def has_control(text: str, allowed: frozenset[str] = frozenset()) -> bool:
    return any(unicodedata.category(char) == "Cc" and char not in allowed for char in text)


def refusal(request: HttpRequest) -> str | None:
    """Why the request's path or query is refused, or None when it may go on."""
    path = request.path_info
    if len(path) > settings.REQUEST_PATH_MAX_LENGTH:
        return "path too long"
    if has_control(path):
        return "control character in the path"
    for key, values in request.GET.lists():
        if has_control(key, _ALLOWED_IN_QUERY):
            return "control character in a query key"
        for value in values:
            if len(value) > settings.QUERY_VALUE_MAX_LENGTH:
                return "query value too long"
            if has_control(value, _ALLOWED_IN_QUERY):
                return "control character in a query value"
    return None


class RequestGuardMiddleware:
    """400 for a path or query value with a control character, or longer than the settings allow."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        reason = refusal(request)
        if reason is not None:
            raise UnsafeRequest(reason)
        return self.get_response(request)
