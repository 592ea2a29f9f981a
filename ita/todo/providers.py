"""ita's own to-do providers: years without scores, import jobs waiting for their confirmation, and
the OIT evidence still missing while ITAS collects it (ita.todo.oit_evidence).

Years without scores (staff, who enter scores), decided as follows:
- the current fiscal year (ita.thai.fiscal_year_of today) when the organisation has not added it yet
  and a framework for it exists (otherwise there is nothing to add it with); the link is the home
  page's "add a year" form;
- every year up to the current one whose assessment exists but holds no score at all (a year added
  and left empty); the link is that assessment's page. A year with some scores is not "without
  scores": how complete it is shows on its own page. Future years are not asked for.

Import jobs: a job in preview waits for the person who may confirm it (its creator, or an
administrator): staff see the ones they created for their organisation, administrators the national
ones (no organisation). Both at most JOBS_SHOWN, oldest first.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ita import policy
from ita.importers.display import when
from ita.models import Assessment, Framework, ImportJob, Membership, Score
from ita.thai import fiscal_year_of, format_number
from ita.todo.oit_evidence import oit_evidence_gaps
from ita.todo.registry import Item, Priority, register

JOBS_SHOWN = 20


def _own_organization(user, membership: Membership | None, action: policy.Action):
    """The member's organisation if they may do `action` there (ita.policy); None otherwise."""
    if membership is None or membership.organization is None:
        return None
    organization = membership.organization
    return organization if policy.can(user, action, organization) else None


def years_without_scores(user, membership: Membership | None) -> list[Item]:
    """Staff: the current fiscal year not added yet, and years added with no score (two queries at most)."""
    organization = _own_organization(user, membership, policy.Action.EDIT_SCORES)
    if organization is None or policy.is_administrator(user):
        return []
    current = fiscal_year_of(timezone.localdate())
    years = list(
        Assessment.objects.filter(organization=organization, fiscal_year__lte=current)
        .annotate(has_scores=Exists(Score.objects.filter(assessment=OuterRef("pk"))))
        .order_by("fiscal_year")
        .values_list("pk", "fiscal_year", "has_scores")
    )
    items = [
        Item(
            text=_("ผลการประเมินปีงบประมาณ พ.ศ. %(year)s ยังไม่มีคะแนน") % {"year": format_number(year)},
            detail=_("กรอกคะแนนในหน้าผลการประเมิน หรือนำเข้าไฟล์ผลจากระบบ ITAS"),
            url=reverse("ita:assessment_detail", args=[pk]),
            priority=Priority.MISSING,
        )
        for pk, year, has_scores in years
        if not has_scores
    ]
    added = {year for _pk, year, _has in years}
    if current not in added and Framework.objects.filter(fiscal_year=current).exists():
        items.append(
            Item(
                text=_("ยังไม่ได้เพิ่มผลการประเมินปีงบประมาณ พ.ศ. %(year)s") % {"year": format_number(current)},
                detail=_("เพิ่มปีนี้ที่หน้าแรก แล้วกรอกคะแนนหรือนำเข้าไฟล์เมื่อได้รับผลการประเมิน"),
                url=reverse("ita:home") + "#add-heading",
                priority=Priority.MISSING,
            )
        )
    return items


def imports_to_confirm(user, membership: Membership | None) -> list[Item]:
    """Import jobs in preview that this user decides on: their own (staff), the national ones (administrators)."""
    jobs = ImportJob.objects.filter(status=ImportJob.Status.PREVIEW)
    if policy.may_import_nationally(user):
        jobs = jobs.filter(organization__isnull=True)
    else:
        organization = _own_organization(user, membership, policy.Action.IMPORT)
        if organization is None:
            return []
        jobs = jobs.filter(organization=organization, created_by=user)
    rows = jobs.order_by("created_at", "pk").values_list("pk", "filename", "created_at")[:JOBS_SHOWN]
    return [
        Item(
            text=_("การนำเข้า “%(name)s” รอคุณยืนยัน") % {"name": filename},
            detail=_("ตรวจตัวอย่างแล้วกดยืนยันหรือยกเลิก · เริ่มเมื่อ %(when)s") % {"when": when(created_at)},
            url=reverse("importers:detail", args=[pk]),
            priority=Priority.WAITING,
        )
        for pk, filename, created_at in rows
    ]


def register_ita_providers() -> None:
    register(years_without_scores)
    register(imports_to_confirm)
    register(oit_evidence_gaps)
