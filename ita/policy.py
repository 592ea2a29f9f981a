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

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Model

from ita.models import AccessFacts
from ita.models.organizations import (
    audited_organization_ids,
    is_administrator,
    is_auditor,
    membership_of,
    own_organization_id,
    scope,
)

# The membership facts live with the models (ita.models.organizations) so that querysets can scope rows
# without importing the policy; they are part of the policy's vocabulary all the same.
__all__ = [
    "READ_ACTIONS",
    "RULES",
    "Action",
    "Facts",
    "Standing",
    "audited_organization_ids",
    "can",
    "facts",
    "is_administrator",
    "is_auditor",
    "may_import_nationally",
    "own_organization_id",
    "require",
    "scope",
    "standing",
]
Facts = AccessFacts


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
    EDIT_ORGANIZATION = "edit_organization"  # the organisation's emblem, printed on its documents
    EDIT_EVIDENCE = "edit_evidence"  # the OIT evidence checklist: URLs, notes, paste, carry-forward
    MANAGE = "manage"  # the admin site, national imports, frameworks, organisations, users


class Standing(StrEnum):
    """What a user is to one organisation."""

    ADMINISTRATOR = "administrator"
    STAFF = "staff"
    EXECUTIVE = "executive"
    ASSIGNED_AUDITOR = "assigned_auditor"
    OUTSIDER = "outsider"  # another organisation's member, an unassigned auditor, the public


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
    # The emblem is the organisation's own face on its documents: both of its roles keep it.
    Action.EDIT_ORGANIZATION: frozenset({S.ADMINISTRATOR, S.STAFF, S.EXECUTIVE}),
    Action.EDIT_EVIDENCE: frozenset({S.ADMINISTRATOR, S.STAFF}),
    Action.MANAGE: frozenset({S.ADMINISTRATOR}),
}
READ_ACTIONS = frozenset({Action.VIEW, Action.DOWNLOAD})


def standing(user, organization_id: int | None) -> Standing:
    """What the user is to the organisation (None: no organisation, e.g. a national import)."""
    if is_administrator(user):
        return Standing.ADMINISTRATOR
    membership = membership_of(user)
    if membership is None or organization_id is None:
        return Standing.OUTSIDER
    if is_auditor(user):
        return Standing.ASSIGNED_AUDITOR if organization_id in audited_organization_ids(user) else Standing.OUTSIDER
    if membership.organization_id != organization_id:
        return Standing.OUTSIDER
    return Standing.STAFF if membership.role == membership.Role.STAFF else Standing.EXECUTIVE


def facts(obj: Model | None, user=None) -> Facts:
    """The organisation and publication of an object (its own `access_facts()`); None: the user's organisation."""
    if obj is None:
        return Facts(own_organization_id(user))
    answer = getattr(obj, "access_facts", None)
    if answer is None:
        raise TypeError(f"the access policy does not know {obj._meta.label}")
    return answer()


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
edit_organization yes            yes    yes        403                404             404        login
edit_evidence     yes            yes    403        403                404             404        login
manage (admin)    yes            403    403        403                403             403        login
"""
