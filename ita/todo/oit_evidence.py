"""The to-do item of the OIT evidence: what is still missing while ITAS collects it (ita.oit.window).

For staff (ita.policy EDIT_EVIDENCE in their own organisation), one item per fiscal year whose window
is open today or opens within LEAD_DAYS: how many items have no URL, a red link, a page without the
year, or a link not checked yet (the parts that are zero are left out; nothing when all are). A year
without a checklist counts every item as missing. Due on the window's last day, DUE_SOON from
DUE_SOON_DAYS before it. Four queries whatever the number of years, items and links.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ita import policy
from ita.models import EvidenceEntry, Item, LinkCheck, Membership, Tool
from ita.oit.status import MISSING, RED, UNCHECKED, counts, health_of
from ita.oit.window import Window, frameworks_collecting
from ita.thai import format_number, thai_date
from ita.todo.registry import Item as TodoItem
from ita.todo.registry import Priority

LEAD_DAYS = 30
DUE_SOON_DAYS = 14

# The parts of the sentence, in the order they are read: (the count's key, its Thai words).
PARTS = (
    (MISSING, gettext_lazy("ยังไม่มีลิงก์ %(n)s ข้อ")),
    (RED, gettext_lazy("ลิงก์ใช้ไม่ได้ %(n)s ข้อ")),
    ("year_missing", gettext_lazy("ไม่พบปีปัจจุบัน %(n)s ข้อ")),
    (UNCHECKED, gettext_lazy("ยังไม่ได้ตรวจลิงก์ %(n)s ข้อ")),
)


def _tallies(organization, frameworks) -> dict[int, dict[str, int]]:
    """Framework id → counts() of the organisation's checklist of that year (three queries)."""
    years = [framework.fiscal_year for framework in frameworks]
    items: dict[int, list[Item]] = defaultdict(list)
    oit = Item.objects.filter(framework__in=frameworks, indicator__tool=Tool.OIT).only("pk", "framework")
    for item in oit.order_by():
        items[item.framework_id].append(item)
    entries = EvidenceEntry.objects.filter(checklist__organization=organization, checklist__fiscal_year__in=years)
    values = {item_id: (list(urls), "") for item_id, urls in entries.values_list("item_id", "urls")}
    checks = LinkCheck.objects.filter(checklist__organization=organization, checklist__fiscal_year__in=years)
    # Item ids belong to one framework each, so (item, URL) is unique across the years read together.
    results = {
        (check.item_id, check.url): check for check in checks.only("item", "url", "verdict", "reason").order_by("pk")
    }
    return {framework.pk: counts(health_of(items[framework.pk], values, results)) for framework in frameworks}


def _text(year: int, tally: dict[str, int]) -> str:
    parts = [str(words) % {"n": format_number(tally[key])} for key, words in PARTS if tally[key]]
    return _("หลักฐาน OIT ปี พ.ศ. %(year)s: %(parts)s") % {"year": format_number(year), "parts": ", ".join(parts)}


def _detail(window: Window, today: datetime.date) -> str:
    if today < window.opens:
        return _("เปิดรับหลักฐาน %(opens)s ถึง %(closes)s") % {
            "opens": thai_date(window.opens),
            "closes": thai_date(window.closes),
        }
    days = window.days_left(today)
    if days == 0:
        return _("ปิดรับหลักฐานวันนี้ (%(closes)s)") % {"closes": thai_date(window.closes)}
    return _("ปิดรับหลักฐาน %(closes)s (อีก %(n)s วัน)") % {"closes": thai_date(window.closes), "n": format_number(days)}


def oit_evidence_gaps(user, membership: Membership | None) -> list[TodoItem]:
    """Staff: what the OIT evidence of each year being collected still lacks (four queries at most)."""
    if membership is None or membership.organization is None or policy.is_administrator(user):
        return []
    organization = membership.organization
    if not policy.can(user, policy.Action.EDIT_EVIDENCE, organization):
        return []
    today = timezone.localdate()
    collecting = frameworks_collecting(today, lead_days=LEAD_DAYS)
    if not collecting:
        return []
    tallies = _tallies(organization, [framework for framework, _window in collecting])
    found = []
    for framework, window in collecting:
        tally = tallies[framework.pk]
        if not any(tally[key] for key, _words in PARTS):
            continue
        found.append(
            TodoItem(
                text=_text(framework.fiscal_year, tally),
                detail=_detail(window, today),
                url=reverse("oit:checklist", args=[organization.code, framework.fiscal_year]),
                priority=Priority.DUE_SOON if window.days_left(today) <= DUE_SOON_DAYS else Priority.MISSING,
                due=window.closes,
            )
        )
    return found
