"""Who a user is to the organisations, read from their membership: what ita.policy and the querysets share.

The policy (ita.policy) decides what each standing may do; the querysets' `for_user()` need only
"whose rows may this user see", which is answered here so that no model imports the policy.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from ita.models.base import AccessFacts
from ita.models.organizations import AuditorAssignment, Membership

__all__ = [
    "AccessFacts",
    "audited_organization_ids",
    "is_administrator",
    "is_auditor",
    "membership_of",
    "own_organization_id",
    "scope",
]


def membership_of(user) -> Membership | None:
    if user is None or not user.is_authenticated:
        return None
    return getattr(user, "membership", None)


def is_administrator(user) -> bool:
    return user is not None and user.is_authenticated and user.is_superuser


def is_auditor(user) -> bool:
    membership = membership_of(user)
    return not is_administrator(user) and membership is not None and membership.role == Membership.Role.AUDITOR


def audited_organization_ids(user) -> frozenset[int]:
    """The organisations an auditor is assigned to review (one query, then remembered on the user object)."""
    if not is_auditor(user):
        return frozenset()
    cached = getattr(user, "_audited_organization_ids", None)
    if cached is None:
        cached = frozenset(AuditorAssignment.objects.filter(user=user).values_list("organization_id", flat=True))
        user._audited_organization_ids = cached
    return cached


def own_organization_id(user) -> int | None:
    """The organisation a staff member or executive works for; None for auditors, administrators and the public."""
    if is_administrator(user) or is_auditor(user):
        return None
    membership = membership_of(user)
    return membership.organization_id if membership is not None else None


def scope(queryset: QuerySet, user, *, organization: str = "organization", published: Q | None = None) -> QuerySet:
    """The rows of `queryset` the user may view, in one query (the auditor's assignments are a subquery).

    `organization` is the lookup path to the row's organisation; `published` the condition under
    which every auditor may read a row (None: such rows do not exist for this model).
    """
    if is_administrator(user):
        return queryset
    if is_auditor(user):
        assigned = AuditorAssignment.objects.filter(user=user).values("organization_id")
        visible = Q(**{f"{organization}__in": assigned})
        return queryset.filter(visible | published if published is not None else visible)
    organization_id = own_organization_id(user)
    if organization_id is None:
        return queryset.none()
    return queryset.filter(**{organization: organization_id})
