"""Who may do what: the one answer to "may this user do ACTION to this object", and querysets scoped by it.

Roles
- administrator: a superuser; every organisation, national imports, frameworks, organisations, users.
- staff: their own organisation; enter scores, import their own results, draft and submit plans,
  record progress.
- executive: their own organisation; read, approve (or return) and publish plans, download documents.
- auditor: every published plan, and everything of the organisations they are assigned to review
  (AuditorAssignment), read only.
- public: anonymous visitors (and signed-in users with no membership): published documents only,
  through the public portal.

`can()` answers for the role alone. What the object's state allows (a frozen plan cannot be
edited, only a submitted plan can be approved) stays with the model, which refuses with a Thai
message; views turn "cannot see" into 404 (no existence oracle) and "sees, may not change" into 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _


class Action(StrEnum):
    VIEW = "view"
    EDIT_SCORES = "edit_scores"
    IMPORT = "import"  # an import of one organisation's results (national files: MANAGE)
    DRAFT_PLAN = "draft_plan"  # create a plan, edit its details, findings and measures
    SUBMIT = "submit"
    APPROVE = "approve"  # approve a submitted plan, or return it to draft
    PUBLISH = "publish"
    NEW_VERSION = "new_version"
    RECORD_PROGRESS = "record_progress"
    DOWNLOAD = "download"
    RENDER = "render"  # restart a failed PDF render
    MANAGE = "manage"  # the admin site, national imports, frameworks, organisations, users


class Standing(StrEnum):
    """What a user is to one organisation."""

    ADMINISTRATOR = "administrator"
    STAFF = "staff"
    EXECUTIVE = "executive"
    ASSIGNED_AUDITOR = "assigned_auditor"
    OUTSIDER = "outsider"  # another organisation's member, an unassigned auditor, the public


class AuditorAssignment(models.Model):
    """An auditor assigned to review one organisation: they read its drafts too, and never change anything."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="audit_assignments")
    organization = models.ForeignKey(
        "ita.Organization", on_delete=models.CASCADE, related_name="auditor_assignments", verbose_name=_("หน่วยงาน")
    )
    assigned_at = models.DateTimeField(_("มอบหมายเมื่อ"), auto_now_add=True)
    note = models.CharField(_("หมายเหตุ"), max_length=255, blank=True)

    class Meta:
        app_label = "ita"
        ordering = ["user", "organization"]
        constraints = [models.UniqueConstraint(fields=["user", "organization"], name="auditorassignment_user_org")]
        verbose_name = _("การมอบหมายผู้ตรวจสอบ")
        verbose_name_plural = _("การมอบหมายผู้ตรวจสอบ")

    def __str__(self) -> str:
        return f"{self.user} → {self.organization}"

    def clean(self) -> None:
        from ita.models import Membership

        membership = Membership.objects.filter(user_id=self.user_id).first()
        if membership is None or membership.role != Membership.Role.AUDITOR:
            raise ValidationError({"user": _("ผู้ใช้นี้ไม่ได้มีบทบาทผู้ตรวจสอบ")})


S = Standing
READERS = frozenset({S.ADMINISTRATOR, S.STAFF, S.EXECUTIVE, S.ASSIGNED_AUDITOR})
RULES: dict[Action, frozenset[Standing]] = {
    Action.VIEW: READERS,
    Action.DOWNLOAD: READERS,
    Action.EDIT_SCORES: frozenset({S.ADMINISTRATOR, S.STAFF}),
    Action.IMPORT: frozenset({S.ADMINISTRATOR, S.STAFF}),
    Action.DRAFT_PLAN: frozenset({S.ADMINISTRATOR, S.STAFF}),
    # Submitting and approving are the organisation's own acts: an administrator does neither for it.
    Action.SUBMIT: frozenset({S.STAFF}),
    Action.APPROVE: frozenset({S.EXECUTIVE}),
    Action.PUBLISH: frozenset({S.ADMINISTRATOR, S.EXECUTIVE}),
    Action.NEW_VERSION: frozenset({S.ADMINISTRATOR, S.STAFF}),
    Action.RECORD_PROGRESS: frozenset({S.ADMINISTRATOR, S.STAFF}),
    Action.RENDER: frozenset({S.ADMINISTRATOR, S.STAFF, S.EXECUTIVE}),
    Action.MANAGE: frozenset({S.ADMINISTRATOR}),
}
READ_ACTIONS = frozenset({Action.VIEW, Action.DOWNLOAD})


@dataclass(frozen=True)
class Facts:
    """What the policy needs to know about an object: its organisation and how far it is published."""

    organization_id: int | None
    published: bool = False  # a published plan (and its parts): every auditor reads it
    public: bool = False  # a published document: everyone reads it, signed in or not


def _membership(user):
    if user is None or not user.is_authenticated:
        return None
    return getattr(user, "membership", None)


def is_administrator(user) -> bool:
    return user is not None and user.is_authenticated and user.is_superuser


def is_auditor(user) -> bool:
    from ita.models import Membership

    membership = _membership(user)
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
    membership = _membership(user)
    return membership.organization_id if membership is not None else None


def standing(user, organization_id: int | None) -> Standing:
    """What the user is to the organisation (None: no organisation, e.g. a national import)."""
    if is_administrator(user):
        return Standing.ADMINISTRATOR
    membership = _membership(user)
    if membership is None or organization_id is None:
        return Standing.OUTSIDER
    if is_auditor(user):
        return Standing.ASSIGNED_AUDITOR if organization_id in audited_organization_ids(user) else Standing.OUTSIDER
    if membership.organization_id != organization_id:
        return Standing.OUTSIDER
    return Standing.STAFF if membership.role == membership.Role.STAFF else Standing.EXECUTIVE


def facts(obj: Model | None, user=None) -> Facts:
    """The organisation and publication of an object; None stands for the user's own organisation."""
    if obj is None:
        return Facts(own_organization_id(user))
    label = obj._meta.label
    if label == "ita.Organization":
        return Facts(obj.pk)
    if label in ("ita.Assessment", "ita.ImportJob", "measures.OrgUnit"):
        return Facts(obj.organization_id)
    if label == "measures.MeasurePlan":
        return Facts(obj.organization_id, published=obj.status == obj.Status.PUBLISHED)
    if label in ("measures.Measure", "measures.Finding", "reports.RenderedDocument"):
        return facts(obj.plan)
    if label == "measures.Progress":
        return facts(obj.measure.plan)
    if label == "reports.PublishedVersion":
        return Facts(obj.plan.organization_id, published=True, public=True)
    raise TypeError(f"the access policy does not know {label}")


def can(user, action: Action | str, obj: Model | None = None) -> bool:
    """May this user do `action` to `obj`? (obj None: to their own organisation, e.g. start an import.)"""
    action = Action(action)
    known = facts(obj, user)
    if action in READ_ACTIONS and (known.public or (known.published and is_auditor(user))):
        return True
    return standing(user, known.organization_id) in RULES[action]


def require(user, action: Action | str, obj: Model | None = None) -> None:
    """PermissionDenied (403) unless `can`; use it after the object was found visible (else 404)."""
    if not can(user, action, obj):
        raise PermissionDenied


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


def may_import_nationally(user) -> bool:
    """National files (every organisation, new organisations) are for administrators only."""
    return can(user, Action.MANAGE)


# The policy as a table, for people: rows are actions, columns the user's standing toward the object's
# organisation. "pub" = allowed on published plans for every auditor; documents of the public portal are open to all.
POLICY_TABLE = """
action            administrator  staff  executive  auditor(assigned)  auditor(other)  other org  public
view              yes            yes    yes        yes                pub             404        404 (portal: pub)
download          yes            yes    yes        yes                pub             404        404 (portal: pub)
edit_scores       yes            yes    403        403                404             404        login
import            yes            yes    403        403                403             403        login
draft_plan        yes            yes    403        403                403/404         404        login
submit            403            yes    403        403                403/404         404        login
approve/return    403            403    yes        403                403/404         404        login
publish           yes            403    yes        403                403/404         404        login
new_version       yes            yes    403        403                403/404         404        login
record_progress   yes            yes    403        403                403/404         404        login
render (retry)    yes            yes    yes        403                403/404         404        login
manage (admin)    yes            403    403        403                403             403        login
"""
