"""An auditor's home: what changed in each assigned organisation since they last marked the changes seen.

The reading position is per assignment (AuditorAssignment.changes_seen_at; before the first mark,
the moment of the assignment), so a newly assigned organisation starts from its assignment. Viewing
the home changes nothing (a GET never writes): the auditor's "seen" button posts the moment the page
was drawn, and only what they were shown is marked (ita.todo.views).

Changes are the organisation's AuditEvents after the mark, counted per subject (an assessment, a
plan, the organisation's own page) and action. The core links its own subjects; apps above it
register how to name and link theirs (measures: plans) with `register_subject`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Count, F, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ita import audit
from ita.importers.display import when
from ita.models import Assessment, AuditEvent, AuditorAssignment, Organization
from ita.thai import format_number

# The auditor's own "seen" marks are recorded in the history but are no change of the organisation.
NOT_CHANGES = ("seen",)

SubjectLinks = Callable[[Iterable[int]], dict[int, tuple[str, str]]]
_subjects: dict[str, tuple[str, SubjectLinks]] = {}


def register_subject(subject_type: str, *, kind: str, links: SubjectLinks) -> None:
    """How to name and link subjects of one type: `kind` in Thai, and ids → {id: (title, url)} in one query."""
    _subjects[subject_type] = (kind, links)


@dataclass(frozen=True)
class SubjectChanges:
    """One changed subject: its title and link ("" when it no longer exists), and what happened to it."""

    title: str
    url: str
    actions: tuple[str, ...]
    last: datetime.datetime


@dataclass
class OrganizationChanges:
    """What changed in one organisation after `since`: `count` events over `subjects`."""

    since: datetime.datetime
    subjects: list[SubjectChanges] = field(default_factory=list)
    count: int = 0

    @property
    def since_text(self) -> str:
        return when(self.since)

    @property
    def count_text(self) -> str:
        return format_number(self.count)


def _grouped_events(user) -> list[dict]:
    """The events of the user's assigned organisations after each assignment's mark, per subject and action."""
    mark = AuditorAssignment.objects.filter(user=user, organization_id=OuterRef("organization_id")).annotate(
        since=Coalesce("changes_seen_at", "assigned_at")
    )
    return list(
        AuditEvent.objects.filter(
            organization_id__in=AuditorAssignment.objects.filter(user=user).values("organization")
        )
        .exclude(action__in=NOT_CHANGES)
        .annotate(since=Subquery(mark.values("since")[:1]))
        .filter(at__gt=F("since"))
        .order_by()
        .values("organization_id", "subject_type", "subject_id", "action")
        .annotate(n=Count("pk"), last=Max("at"))
    )


def _titles(rows: list[dict]) -> dict[tuple[str, int], tuple[str, str]]:
    """(subject type, id) → (title, url) for every subject a registered type knows (one query per type)."""
    wanted: dict[str, set[int]] = {}
    for row in rows:
        if row["subject_id"] is not None:
            wanted.setdefault(row["subject_type"], set()).add(row["subject_id"])
    found = {}
    for subject_type, ids in wanted.items():
        if subject_type in _subjects:
            _kind, links = _subjects[subject_type]
            found.update({(subject_type, pk): answer for pk, answer in links(ids).items()})
    return found


def _action_text(action: str, n: int) -> str:
    return _("%(action)s %(n)s ครั้ง") % {"action": audit.action_label(action), "n": format_number(n)}


def _fallback_title(subject_type: str) -> str:
    """A subject no registered type names (deleted since, or a model without a page): its kind, unlinked."""
    if subject_type in _subjects:
        return _("%(kind)s (ลบแล้ว)") % {"kind": _subjects[subject_type][0]}
    return audit.object_type_label(subject_type)


def changes_for(user, assignments: Iterable[AuditorAssignment]) -> dict[int, OrganizationChanges]:
    """Organisation id → its changes since the auditor's mark, newest subject first (1 + one query per subject type)."""
    result = {a.organization_id: OrganizationChanges(since=a.changes_since) for a in assignments}
    rows = _grouped_events(user)
    titles = _titles(rows)
    per_subject: dict[tuple[int, str, int | None], list[dict]] = {}
    for row in rows:
        per_subject.setdefault((row["organization_id"], row["subject_type"], row["subject_id"]), []).append(row)
    for (organization_id, subject_type, subject_id), group in per_subject.items():
        changes = result.get(organization_id)
        if changes is None:
            continue
        title, url = titles.get((subject_type, subject_id), (_fallback_title(subject_type), ""))
        group.sort(key=lambda row: (-row["n"], row["action"]))
        changes.subjects.append(
            SubjectChanges(
                title=title,
                url=url,
                actions=tuple(_action_text(row["action"], row["n"]) for row in group),
                last=max(row["last"] for row in group),
            )
        )
        changes.count += sum(row["n"] for row in group)
    for changes in result.values():
        changes.subjects.sort(key=lambda subject: (subject.last, subject.title), reverse=True)
    return result


# --- the core's own subjects --------------------------------------------------------------------


def assessment_links(ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    rows = Assessment.objects.filter(pk__in=list(ids)).order_by().values_list("pk", "fiscal_year")
    return {
        pk: (_("ผลการประเมินปี %(year)s") % {"year": format_number(year)}, reverse("ita:assessment_detail", args=[pk]))
        for pk, year in rows
    }


def organization_links(ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    rows = Organization.objects.filter(pk__in=list(ids)).order_by().values_list("pk", "code")
    return {pk: (_("ข้อมูลหน่วยงานและตราสัญลักษณ์"), reverse("emblems:organization", args=[code])) for pk, code in rows}


def register_ita_subjects() -> None:
    register_subject("assessment", kind=gettext_lazy("ผลการประเมิน"), links=assessment_links)
    register_subject("organization", kind=gettext_lazy("ข้อมูลหน่วยงาน"), links=organization_links)


def mark_seen(user, *, until: datetime.datetime) -> int:
    """Move the user's marks forward to `until` (never past now, never back); one history event per moved mark."""
    until = min(until, timezone.now())
    moving = list(
        AuditorAssignment.objects.select_for_update()
        .filter(user=user, assigned_at__lt=until)
        .exclude(changes_seen_at__gte=until)
        .order_by("pk")
    )
    events = []
    for assignment in moving:
        before = assignment.changes_seen_at
        assignment.changes_seen_at = until
        events.append(
            audit.build(
                action="seen",
                obj=assignment,
                user=user,
                changes=audit.model_diff(AuditorAssignment, {"changes_seen_at": before}, {"changes_seen_at": until}),
                summary=_("ผู้ตรวจสอบรับทราบการเปลี่ยนแปลงของหน่วยงานแล้ว"),
            )
        )
    AuditorAssignment.objects.bulk_update(moving, ["changes_seen_at"])
    audit.record_many(events)
    return len(moving)
