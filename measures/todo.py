"""The measures' to-do providers (registered with ita.todo in MeasuresConfig.ready()).

- executives: submitted plans to approve or return, approved plans to publish;
- staff: plans an executive returned for changes (a draft with a return stamp), with the reason;
  the overdue measures (measures.followup's rule) of the latest plan in force, the newest approved
  or published version of the organisation's newest year; at most OVERDUE_SHOWN, then one item for
  the rest;
- staff and executives: a follow-up round (6 or 12 months, measures.followup.round_end) of a plan in
  force whose last day is from today to ROUND_WINDOW_DAYS ahead, both days included.

Only the latest version of a plan counts. Each provider costs a fixed number of queries.
The auditor's list of changes names and links plans through `plan_links`.
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ita import policy
from ita.models import Membership
from ita.thai import fiscal_year_of, format_number, thai_date
from ita.todo.changes import register_subject
from ita.todo.registry import Item, Priority, register
from measures.followup import ROUND_MONTHS, plan_progress, round_end
from measures.models import MeasurePlan

OVERDUE_SHOWN = 5
ROUND_WINDOW_DAYS = 30
REASON_SHOWN = 200  # characters of a return reason on the card; the plan page shows it whole
Status = MeasurePlan.Status


def _standing(user, membership: Membership | None) -> tuple[object, policy.Standing]:
    """The member's organisation and what the user is to it (OUTSIDER without one)."""
    if membership is None or membership.organization is None:
        return None, policy.Standing.OUTSIDER
    return membership.organization, policy.standing(user, membership.organization_id)


def _plan_url(plan_pk: int, anchor: str) -> str:
    return reverse("measures:detail", args=[plan_pk]) + anchor


def _year(plan: MeasurePlan) -> str:
    return format_number(plan.fiscal_year)


def _local_day(moment: datetime.datetime | None) -> str:
    return thai_date(timezone.localtime(moment).date()) if moment else "–"


def plans_to_decide(user, membership: Membership | None) -> list[Item]:
    """Executives: plans to approve and to publish; staff: plans returned to them (one query)."""
    organization = membership.organization if membership is not None else None
    if organization is None:
        return []
    wanted = Q()
    if policy.can(user, policy.Action.APPROVE, organization):
        wanted |= Q(status=Status.SUBMITTED)
    if policy.can(user, policy.Action.PUBLISH, organization):
        wanted |= Q(status=Status.APPROVED)
    if policy.can(user, policy.Action.SUBMIT, organization):
        wanted |= Q(status=Status.DRAFT, returned_at__isnull=False)
    if not wanted:
        return []
    plans = MeasurePlan.objects.filter(wanted, organization=organization).latest_versions().order_by("fiscal_year")
    return [_decision_item(plan) for plan in plans]


def _decision_item(plan: MeasurePlan) -> Item:
    if plan.status == Status.SUBMITTED:
        return Item(
            text=_("มาตรการปี %(year)s รอคุณพิจารณาอนุมัติหรือส่งกลับไปแก้ไข") % {"year": _year(plan)},
            detail=_("เสนอเมื่อ %(day)s") % {"day": _local_day(plan.submitted_at)},
            url=_plan_url(plan.pk, "#workflow-heading"),
            priority=Priority.DECIDE,
        )
    if plan.status == Status.APPROVED:
        return Item(
            text=_("มาตรการปี %(year)s อนุมัติแล้ว รอคุณเผยแพร่") % {"year": _year(plan)},
            detail=_("อนุมัติเมื่อ %(day)s") % {"day": _local_day(plan.approved_at)},
            url=_plan_url(plan.pk, "#workflow-heading"),
            priority=Priority.DECIDE,
        )
    reason = Truncator(plan.return_reason).chars(REASON_SHOWN)
    return Item(
        text=_("ผู้บริหารส่งมาตรการปี %(year)s กลับไปแก้ไข") % {"year": _year(plan)},
        detail=_("เหตุผล: %(reason)s") % {"reason": reason},
        url=_plan_url(plan.pk, "#return-reason"),
        priority=Priority.DECIDE,
    )


def _plans_in_force(organization):
    return MeasurePlan.objects.filter(organization=organization, status__in=MeasurePlan.FROZEN).latest_versions()


def overdue_measures(user, membership: Membership | None) -> list[Item]:
    """Staff: the overdue measures of the latest plan in force (three queries)."""
    organization, standing = _standing(user, membership)
    if standing != policy.Standing.STAFF:
        return []
    plan = _plans_in_force(organization).order_by("-fiscal_year").first()
    if plan is None:
        return []
    overdue = sorted(plan_progress(plan).overdue, key=lambda row: (row.ends_on, row.measure.order, row.measure.pk))
    items = [
        Item(
            text=_("มาตรการ “%(title)s” เลยกำหนดแล้วยังไม่แล้วเสร็จ") % {"title": Truncator(row.measure.title).chars(120)},
            detail=_("มาตรการปี %(year)s · สิ้นสุด %(day)s · สถานะล่าสุด: %(status)s")
            % {"year": _year(plan), "day": thai_date(row.ends_on), "status": row.status_label},
            url=reverse("measures:progress", args=[plan.pk, row.measure.pk]),
            priority=Priority.OVERDUE,
            due=row.ends_on,
        )
        for row in overdue[:OVERDUE_SHOWN]
    ]
    if len(overdue) > OVERDUE_SHOWN:
        items.append(
            Item(
                text=_("และมาตรการที่เลยกำหนดอีก %(n)s รายการ") % {"n": format_number(len(overdue) - OVERDUE_SHOWN)},
                detail=_("มาตรการปี %(year)s") % {"year": _year(plan)},
                url=_plan_url(plan.pk, "#followup-heading"),
                priority=Priority.OVERDUE,
                due=overdue[OVERDUE_SHOWN].ends_on,
            )
        )
    return items


def rounds_due(today: datetime.date) -> list[tuple[int, int, datetime.date]]:
    """(fiscal year, months, last day) of every follow-up round ending from today to ROUND_WINDOW_DAYS ahead."""
    last = today + datetime.timedelta(days=ROUND_WINDOW_DAYS)
    years = sorted({fiscal_year_of(today), fiscal_year_of(last)})
    found = [(year, months, round_end(year, months)) for year in years for months in ROUND_MONTHS]
    return [(year, months, end) for year, months, end in found if today <= end <= last]


def followup_rounds(user, membership: Membership | None) -> list[Item]:
    """Staff and executives: follow-up rounds of plans in force that end within the window (one query at most)."""
    organization, standing = _standing(user, membership)
    if standing not in (policy.Standing.STAFF, policy.Standing.EXECUTIVE):
        return []
    today = timezone.localdate()
    due = rounds_due(today)
    if not due:
        return []
    plans = _plans_in_force(organization).filter(fiscal_year__in={year for year, _m, _e in due})
    items = []
    for plan in plans.order_by("fiscal_year"):
        for year, months, end in due:
            if year != plan.fiscal_year:
                continue
            days = (end - today).days
            left = _("ครบกำหนดวันนี้") if days == 0 else _("อีก %(n)s วัน") % {"n": format_number(days)}
            items.append(
                Item(
                    text=_("รายงานผลการดำเนินงานรอบ %(months)s เดือน ของมาตรการปี %(year)s")
                    % {"months": format_number(months), "year": _year(plan)},
                    detail=_("ครบกำหนด %(day)s (%(left)s)") % {"day": thai_date(end), "left": left},
                    url=_plan_url(plan.pk, "#followup-heading"),
                    priority=Priority.DUE_SOON,
                    due=end,
                )
            )
    return items


def plan_links(ids) -> dict[int, tuple[str, str]]:
    """The auditor's list of changes: a plan named by its year and version, linked to its page (one query)."""
    rows = MeasurePlan.objects.filter(pk__in=list(ids)).order_by().values_list("pk", "fiscal_year", "version")
    return {
        pk: (
            _("มาตรการปี %(year)s ฉบับที่ %(version)s") % {"year": format_number(year), "version": format_number(version)},
            reverse("measures:detail", args=[pk]),
        )
        for pk, year, version in rows
    }


def register_measures_providers() -> None:
    register(plans_to_decide)
    register(overdue_measures)
    register(followup_rounds)
    register_subject("plan", kind=gettext_lazy("มาตรการ"), links=plan_links)
