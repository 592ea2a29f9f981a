"""Composing a notification e-mail (plain text from a template) and finding an organisation's members to send to."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.urls import reverse


@dataclass(frozen=True)
class Mail:
    """One e-mail to one user, ready to be queued."""

    recipient_id: int
    subject: str
    body: str


def absolute_url(path: str) -> str:
    """A site path as the public address mail readers can open (SITE_URL, never the request's Host)."""
    return f"{settings.SITE_URL}{path}"


def display_name(user) -> str:
    """How a mail names a user: their full name, else their username; "" for nobody."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def compose(user, *, subject: str, template: str, context: dict) -> Mail:
    """A mail to `user`: the subject on one line, the body rendered from a plain-text template.

    The template gets `context` plus `recipient_name`, `site_url` and `settings_url` (where e-mails
    are turned off), which the shared footer prints.
    """
    body = render_to_string(
        template,
        {
            **context,
            "recipient_name": display_name(user),
            "site_url": settings.SITE_URL,
            "settings_url": absolute_url(reverse("notification_settings")),
        },
    )
    # A header cannot hold a line break (and a user-typed name could carry one).
    return Mail(recipient_id=user.pk, subject=" ".join(subject.split())[:255], body=body.strip() + "\n")


def members_by_organization(organization_ids: Iterable[int], roles: Iterable[str]) -> dict[int, list]:
    """Organisation id → its active users with one of `roles`, by username; one query for all of them."""
    users = (
        get_user_model()
        .objects.filter(
            is_active=True,
            membership__organization_id__in=list(organization_ids),
            membership__role__in=list(roles),
        )
        .select_related("membership")
        .order_by("username")
    )
    found: dict[int, list] = defaultdict(list)
    for user in users:
        found[user.membership.organization_id].append(user)
    return found


def members(organization_id: int, roles: Iterable[str], *, leaving_out=None) -> list:
    """The organisation's active users with one of `roles`, without `leaving_out` (the one who acted)."""
    left_out = getattr(leaving_out, "pk", None)
    return [user for user in members_by_organization([organization_id], roles)[organization_id] if user.pk != left_out]
