"""E-mails about plans: each status change mails the people who act next, and follow-up rounds are announced.

Who gets what (the person who acted is never mailed about their own act):
- submitted → the organisation's executives, who approve or return it;
- returned → its staff, with the executive's reason quoted;
- approved → its staff, and its executives: any executive may publish (ita.policy PUBLISH), so the
  others learn that the plan waits for it;
- published → its staff, who now record progress.
- 14 days before a follow-up round closes (6 months: 31 March, 12 months: 30 September) → staff and
  executives of each organisation whose plan is in force, once per plan, round and person.

The mails are queued inside the transition's transaction (ita.notifications.delivery): a transition
that rolls back leaves no mail, and the AuditEvent id in the event key makes every repeat harmless.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from datetime import timedelta

from celery import shared_task
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ita.models import Membership
from ita.notifications import delivery
from ita.notifications.mail import Mail, absolute_url, compose, display_name, members, members_by_organization
from ita.thai import BE_OFFSET, format_number, thai_date
from measures.followup import ROUND_MONTHS, round_end
from measures.models import MeasurePlan

STAFF, EXECUTIVE = Membership.Role.STAFF, Membership.Role.EXECUTIVE
EVENT_RECIPIENTS = {
    "submit": (EXECUTIVE,),
    "return": (STAFF,),
    "approve": (STAFF, EXECUTIVE),
    "publish": (STAFF,),
}
EVENT_SUBJECTS = {
    "submit": _("มาตรการ ITA ปี พ.ศ. %(year)s ของ%(organization)s รอผู้บริหารพิจารณา"),
    "return": _("มาตรการ ITA ปี พ.ศ. %(year)s ของ%(organization)s ถูกส่งกลับให้แก้ไข"),
    "approve": _("มาตรการ ITA ปี พ.ศ. %(year)s ของ%(organization)s ได้รับอนุมัติแล้ว"),
    "publish": _("มาตรการ ITA ปี พ.ศ. %(year)s ของ%(organization)s เผยแพร่แล้ว"),
}
REMINDER_SUBJECT = _("อีก %(days)s วันครบรอบรายงานผล %(months)s เดือน: มาตรการ ITA ปี พ.ศ. %(year)s ของ%(organization)s")
REMINDER_SUBJECT_LAST_DAY = _("วันนี้ครบรอบรายงานผล %(months)s เดือน: มาตรการ ITA ปี พ.ศ. %(year)s ของ%(organization)s")
# A reminder goes out from this many days before a round closes until the day it closes.
REMINDER_DAYS = 14


def plan_url(plan: MeasurePlan) -> str:
    return absolute_url(reverse("measures:detail", args=[plan.pk]))


def _plan_context(plan: MeasurePlan) -> dict:
    return {
        "plan": plan,
        "organization": plan.organization.name,
        "year": format_number(plan.fiscal_year),
        "version": format_number(plan.version),
        "plan_url": plan_url(plan),
    }


def event_mails(plan: MeasurePlan, *, action: str, by) -> list[Mail]:
    """The mails a status change sends, one per recipient (the one who acted left out)."""
    roles = EVENT_RECIPIENTS.get(action)
    if roles is None:
        return []
    context = {
        **_plan_context(plan),
        "action": action,
        "actor": display_name(by) or gettext("ผู้ดูแลระบบ"),
        "at": thai_date(timezone.localdate()),
        "reason": plan.return_reason if action == "return" else "",
    }
    subject = EVENT_SUBJECTS[action] % context
    return [
        compose(user, subject=subject, template="measures/notifications/plan_event.txt", context=context)
        for user in members(plan.organization_id, roles, leaving_out=by)
    ]


def on_plan_transitioned(sender, *, plan: MeasurePlan, action: str, event, by, **kwargs) -> None:
    """Queue the status change's mails in its transaction, keyed by its AuditEvent."""
    mails = event_mails(plan, action=action, by=by)
    if mails:
        delivery.queue(f"plan.{action}:{event.pk}", mails)


# ---------------------------------------------------------------------------------------------
# Follow-up reminders


def rounds_due(today: datetime.date) -> list[tuple[int, int]]:
    """(fiscal year, months) of the follow-up rounds that close within REMINDER_DAYS from today, today included."""
    # A round closes in March or September of the calendar year fiscal_year - 543.
    years = (today.year + BE_OFFSET, today.year + BE_OFFSET + 1)
    return [
        (year, months)
        for year in years
        for months in ROUND_MONTHS
        if round_end(year, months) - timedelta(days=REMINDER_DAYS) <= today <= round_end(year, months)
    ]


def plans_in_force(fiscal_years: Iterable[int]):
    """Approved or published plans not superseded by a newer approved or published version (one query)."""
    return (
        MeasurePlan.objects.filter(fiscal_year__in=list(fiscal_years), status__in=MeasurePlan.FROZEN)
        .exclude(superseded_by__status__in=MeasurePlan.FROZEN)
        .select_related("organization")
        .order_by("pk")
    )


def reminder_key(plan: MeasurePlan, months: int) -> str:
    return f"followup:{plan.pk}:{months}"


def _reminder_mails(plan: MeasurePlan, months: int, users: list, today: datetime.date) -> list[Mail]:
    ends = round_end(plan.fiscal_year, months)
    context = {
        **_plan_context(plan),
        "months": format_number(months),
        "ends": thai_date(ends),
        "days": format_number((ends - today).days),
        "last_day": ends == today,
    }
    subject = (REMINDER_SUBJECT_LAST_DAY if ends == today else REMINDER_SUBJECT) % context
    return [
        compose(user, subject=subject, template="measures/notifications/followup_reminder.txt", context=context)
        for user in users
    ]


def send_followup_reminders(*, today: datetime.date | None = None) -> int:
    """Queue the reminders of every round closing soon; how many mails were new (a second run adds none).

    A fixed number of queries whatever the number of plans: the plans, their members, the reminders
    already queued, one insert.
    """
    today = today or timezone.localdate()
    due = rounds_due(today)
    if not due:
        return 0
    plans = list(plans_in_force({year for year, _months in due}))
    people = members_by_organization({plan.organization_id for plan in plans}, (STAFF, EXECUTIVE))
    wanted = {
        reminder_key(plan, months): (plan, months)
        for plan in plans
        for year, months in due
        if plan.fiscal_year == year and people[plan.organization_id]
    }
    done = delivery.already_queued(wanted)
    batches = {}
    for key, (plan, months) in wanted.items():
        users = [user for user in people[plan.organization_id] if (key, user.pk) not in done]
        if users:
            batches[key] = _reminder_mails(plan, months, users, today)
    with transaction.atomic():
        delivery.queue_many(batches)
    return sum(len(mails) for mails in batches.values())


@shared_task(name="measures.send_followup_reminders")
def send_followup_reminders_task() -> None:
    """Celery beat's daily run (the schedule is in settings); `manage.py send_reminders` does the same by hand."""
    send_followup_reminders()
