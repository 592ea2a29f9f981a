"""The lookups the measure pages use: the object if the user may see it, else 404 (no existence oracle).

One helper per object, in the shape of STYLE.md: `get_<obj>_for_user(user, …)`. What a visible
plan allows (edit, submit, approve) is the model's and the policy's to refuse, with 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from ita import policy
from ita.models import Organization
from measures.models import Measure, MeasurePlan, OrgUnit, Progress, ProgressAttachment

PLAN_RELATED = (
    "organization",
    "based_on__framework",
    "supersedes",
    "superseded_by",
    "created_by",
    "submitted_by",
    "approved_by",
    "published_by",
)


def get_plan_for_user(user, pk: int) -> MeasurePlan:
    """The plan if the user may see it; 404 otherwise (other organisations' plans, drafts for auditors)."""
    return get_object_or_404(MeasurePlan.objects.for_user(user).select_related(*PLAN_RELATED), pk=pk)


def get_measure_for_user(user, plan_pk: int, pk: int) -> Measure:
    """A measure of a plan the user may see; 404 for anything else."""
    plan = get_plan_for_user(user, plan_pk)
    measure = get_object_or_404(Measure.objects.filter(plan=plan), pk=pk)
    measure.plan = plan  # reuse the fetched plan (and its related rows) instead of a second query
    return measure


def get_progress_for_user(user, plan_pk: int, pk: int) -> Progress:
    """A progress entry of a measure of a plan the user may see; 404 for anything else."""
    plan = get_plan_for_user(user, plan_pk)
    entry = get_object_or_404(Progress.objects.select_related("measure").filter(measure__plan=plan), pk=pk)
    entry.measure.plan = plan
    return entry


def get_attachment_for_user(user, plan_pk: int, progress_pk: int, pk: int) -> ProgressAttachment:
    """A file of a progress entry the user may see; 404 for anything else (another organisation's file too)."""
    entry = get_progress_for_user(user, plan_pk, progress_pk)
    attachment = get_object_or_404(ProgressAttachment.objects.filter(progress=entry), pk=pk)
    attachment.progress = entry
    return attachment


def get_staff_organization_for_user(user) -> Organization:
    """The organisation of a staff member; 403 for anyone else (executives, auditors, administrators)."""
    organization_id = policy.own_organization_id(user)
    if organization_id is None or policy.is_administrator(user):
        raise PermissionDenied
    organization = user.membership.organization
    policy.require(user, policy.Action.DRAFT_PLAN, organization)
    return organization


def get_unit_for_user(user, pk: int) -> OrgUnit:
    """A unit of the staff member's own organisation; 404 for another organisation's unit."""
    return get_object_or_404(OrgUnit.objects.filter(organization=get_staff_organization_for_user(user)), pk=pk)
