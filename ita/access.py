"""The lookups the core's views use: the object if the user may see it, else 404 (no existence oracle).

One helper per object, in the shape of STYLE.md: `get_<obj>_for_user(user, …)`. What a visible
object allows (edit, import, decide) is asked of ita.policy afterwards, and refused with 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from ita import policy
from ita.models import Assessment, ImportJob, Organization


def get_assessment_for_user(user, pk: int) -> Assessment:
    """The assessment if the user may see it; 404 otherwise, so other organisations' ids reveal nothing."""
    queryset = Assessment.objects.for_user(user).select_related("organization", "framework")
    return get_object_or_404(queryset, pk=pk)


def get_organization_for_user(user, code: str) -> Organization:
    """The organisation if the user may read it (members, assigned auditors, administrators); else 404."""
    return get_object_or_404(Organization.objects.for_user(user), code=code)


def get_job_for_user(user, pk: int, *, skip: tuple[str, ...] = ()) -> ImportJob:
    """The import job if the user may see it; 404 otherwise.

    The stored upload is never loaded here (it can be tens of megabytes and the status is polled
    every second); `skip` leaves out other large fields a view does not need.
    """
    queryset = ImportJob.objects.for_user(user).select_related("organization", "created_by", "batch")
    return get_object_or_404(queryset.defer("content", *skip), pk=pk)


def get_own_job_for_user(user, pk: int) -> ImportJob:
    """A job the user may decide on: visible, the user may import, and it is theirs (or they administer)."""
    job = get_job_for_user(user, pk)
    if not policy.can(user, policy.Action.IMPORT):
        raise PermissionDenied
    if not job.may_be_confirmed_by(user):
        raise Http404
    return job
