"""The demo organisations' plans in the current fiscal year's cycle, for `manage.py seed_demo`.

ita.demo sends `demo_cycle_ready` once the demo results, catalogue and accounts are loaded; the
receiver here (connected in MeasuresConfig.ready) drafts each demo organisation's plan for the
current fiscal year, moves one of them through the whole workflow, so that the public portal has a
published document on the first run, and submits another, so that a demo executive finds a plan
waiting on their to-do list. Safe to run again: an organisation that already has a
plan for the year keeps it untouched.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from ita.models import Membership, Organization
from ita.thai import format_number
from measures.followup import period_end
from measures.models import Measure, MeasurePlan, PeriodKind, PlanError, fiscal_position
from measures.plans import create_plan, latest_plan

PUBLISHED_ORGANIZATION = "DEMO-KHUANSAOTHONG"  # its plan of the current year is published by its demo accounts
# Its plan is submitted by its demo staff, so the demo executive's home has a plan waiting on the first run.
SUBMITTED_ORGANIZATION = "DEMO-NONGLAENG"


def month_at(position: int) -> int:
    """The month at a fiscal position (0 = October … 11 = September); the inverse of fiscal_position."""
    return (position + 9) % 12 + 1


def keep_periods_ahead(plan: MeasurePlan, today: datetime.date) -> int:
    """Move each month range of the plan that has already ended to start this month; returns how many moved.

    A library measure for October–November drafted in December would be overdue the day it is
    made. The moved range keeps its length as far as September allows.
    """
    moved = 0
    start_position = fiscal_position(today.month)
    for measure in Measure.objects.filter(plan=plan, period_kind=PeriodKind.MONTHS).order_by("order", "pk"):
        if period_end(plan.fiscal_year, measure.period_kind, measure.end_month) >= today:
            continue
        length = fiscal_position(measure.end_month) - fiscal_position(measure.start_month)
        measure.start_month = month_at(start_position)
        measure.end_month = month_at(min(start_position + length, 11))
        measure.save()
        moved += 1
    return moved


def _member(organization: Organization, role: str):
    membership = (
        Membership.objects.filter(organization=organization, role=role)
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    return membership.user if membership is not None else None


def publish_with_demo_accounts(plan: MeasurePlan) -> bool:
    """Submit (staff), approve and publish (executive) a draft plan; False when an account is missing."""
    staff = _member(plan.organization, Membership.Role.STAFF)
    executive = _member(plan.organization, Membership.Role.EXECUTIVE)
    if staff is None or executive is None:
        return False
    plan.submit(by=staff)
    plan.approve(by=executive)
    plan.publish(by=executive)
    return True


def submit_with_demo_account(plan: MeasurePlan) -> bool:
    """Submit a draft plan as the organisation's demo staff; False when the account is missing."""
    staff = _member(plan.organization, Membership.Role.STAFF)
    if staff is None:
        return False
    plan.submit(by=staff)
    return True


def place_demo_plans(sender, *, codes: list[str], fiscal_year: int, today: datetime.date, **kwargs) -> list[str]:
    """Each demo organisation's draft plan for `fiscal_year` (one published); the Thai lines to print."""
    year = format_number(fiscal_year)
    lines = [_("มาตรการปีงบประมาณ %(year)s ของหน่วยงานตัวอย่าง (ปีงบประมาณปัจจุบัน):") % {"year": year}]
    for organization in Organization.objects.filter(code__in=codes).order_by("code"):
        existing = latest_plan(organization=organization, fiscal_year=fiscal_year)
        if existing is not None:
            lines.append(
                _("  %(org)s: มีอยู่แล้ว (%(status)s ไม่เปลี่ยน)")
                % {"org": organization.name, "status": existing.get_status_display()}
            )
            continue
        try:
            plan = create_plan(organization=organization, fiscal_year=fiscal_year)
        except PlanError as error:  # no results for the year before: nothing to draft from
            lines.append(f"  {organization.name}: {error}")
            continue
        moved = keep_periods_ahead(plan, today)
        published = organization.code == PUBLISHED_ORGANIZATION and publish_with_demo_accounts(plan)
        if organization.code == SUBMITTED_ORGANIZATION:
            submit_with_demo_account(plan)
        status = plan.get_status_display()
        lines.append(
            _("  %(org)s: สร้าง%(status)s %(measures)s มาตรการ (เลื่อนช่วงเวลาที่ผ่านไปแล้ว %(moved)s มาตรการ)")
            % {
                "org": organization.name,
                "status": _("และเผยแพร่") if published else status,
                "measures": format_number(plan.measures.count()),
                "moved": format_number(moved),
            }
        )
    return lines
