"""The weekly e-mail of what the OIT evidence still lacks while ITAS collects it (ita.oit.window).

Every Monday morning (Celery beat, settings.CELERY_BEAT_SCHEDULE; or `manage.py send_oit_digest`), for
each framework whose window is open that day: every organisation whose checklist of that year has an
item without a URL, with a red link, or with a page that does not mention the fiscal year gets one mail
per staff member. It lists those items by code and title with what is wrong, the days left and the
checklist's address. A year without a checklist has every item missing.

Once per organisation, year and ISO week (the event key): a second run in the same week adds nothing.
Opt-outs are honoured when the mail is sent (ita.notifications.delivery). Organisations are read
CHUNK at a time, each chunk in a fixed number of queries, so a run over the whole country holds one
chunk's entries and failing checks in memory, never the country's.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from celery import shared_task
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from ita.models import EvidenceEntry, Framework, Item, LinkCheck, Membership, Organization
from ita.notifications import delivery
from ita.notifications.mail import Mail, absolute_url, compose, members_by_organization
from ita.oit.checklist import oit_items
from ita.oit.window import Window, frameworks_collecting
from ita.thai import format_number, thai_date

CHUNK = 200  # organisations read at once
TITLE_CHARS = 120
STAFF = Membership.Role.STAFF
RED, YEAR_MISSING = LinkCheck.Verdict.RED.value, "year_missing"

NO_URL = _("ยังไม่มีลิงก์")
YEAR_NOT_FOUND = _("เปิดได้ แต่ไม่พบปี พ.ศ. %(year)s ในเนื้อหา อาจเป็นข้อมูลของปีก่อน")
SUBJECT = _("หลักฐาน OIT ปี พ.ศ. %(year)s ของ%(organization)s: ยังต้องแก้ไข %(count)s ข้อ ปิดรับอีก %(days)s วัน")
SUBJECT_LAST_DAY = _("วันนี้ปิดรับหลักฐาน OIT ปี พ.ศ. %(year)s: %(organization)s ยังต้องแก้ไข %(count)s ข้อ")
TEMPLATE = "ita/oit/digest.txt"


@dataclass(frozen=True)
class Gap:
    """One item with something wrong: "O1 title" and each thing wrong, in Thai."""

    label: str
    problems: tuple[str, ...]


@dataclass
class DigestRun:
    """What a run did: mails queued per fiscal year whose window was open (empty: outside every window)."""

    mails: dict[int, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.mails.values())


def digest_key(organization_id: int, fiscal_year: int, today: datetime.date) -> str:
    iso_year, week, _day = today.isocalendar()
    return f"oit-digest:{organization_id}:{fiscal_year}:{iso_year}-W{week:02d}"


def _label(item: Item) -> str:
    title = Truncator(" ".join(item.text.split())).chars(TITLE_CHARS)
    return f"{item.code.upper()} {title}".strip()


def gaps(
    items: list[Item], urls: Mapping[int, list[str]], failing: Mapping[tuple[int, str], tuple[str, str, str]], year: int
) -> list[Gap]:
    """The items with no URL, a red link or a page without the year, in framework order.

    `failing` holds the checks that are red or lack the year: (item id, URL) → (verdict, reason, reason text);
    only checks of URLs still in the entry count.
    """
    found = []
    for item in items:
        item_urls = urls.get(item.pk, [])
        if not item_urls:
            found.append(Gap(_label(item), (str(NO_URL),)))
            continue
        checks = [failing[(item.pk, url)] for url in item_urls if (item.pk, url) in failing]
        problems = [text for verdict, _reason, text in checks if verdict == RED]
        if any(reason == YEAR_MISSING for _verdict, reason, _text in checks):
            problems.append(YEAR_NOT_FOUND % {"year": format_number(year)})
        if problems:
            found.append(Gap(_label(item), tuple(dict.fromkeys(problems))))
    return found


def _organization_chunks() -> Iterator[list[tuple[int, str, str]]]:
    """(id, code, name) of every organisation, CHUNK at a time in id order (one query per chunk)."""
    last = 0
    while True:
        rows = list(Organization.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "code", "name")[:CHUNK])
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _evidence(organization_ids: list[int], year: int) -> tuple[dict, dict]:
    """Per organisation: item id → URLs, and (item id, URL) → a failing check (two queries)."""
    urls: dict[int, dict[int, list[str]]] = defaultdict(dict)
    entries = EvidenceEntry.objects.filter(checklist__organization_id__in=organization_ids, checklist__fiscal_year=year)
    for organization_id, item_id, item_urls in entries.values_list("checklist__organization_id", "item_id", "urls"):
        urls[organization_id][item_id] = list(item_urls)
    failing: dict[int, dict[tuple[int, str], tuple[str, str, str]]] = defaultdict(dict)
    checks = LinkCheck.objects.filter(checklist__organization_id__in=organization_ids, checklist__fiscal_year=year)
    rows = checks.filter(Q(verdict=RED) | Q(reason=YEAR_MISSING)).order_by("pk")
    for organization_id, item_id, url, *result in rows.values_list(
        "checklist__organization_id", "item_id", "url", "verdict", "reason", "reason_text"
    ):
        failing[organization_id][(item_id, url)] = tuple(result)
    return urls, failing


def _mails(users, *, name: str, code: str, framework: Framework, window: Window, found, today) -> list[Mail]:
    days = window.days_left(today)
    context = {
        "organization": name,
        "year": format_number(framework.fiscal_year),
        "count": format_number(len(found)),
        "days": format_number(days),
        "closes": thai_date(window.closes),
        "last_day": days == 0,
        "gaps": found,
        "checklist_url": absolute_url(reverse("oit:checklist", args=[code, framework.fiscal_year])),
    }
    subject = (SUBJECT_LAST_DAY if days == 0 else SUBJECT) % context
    return [compose(user, subject=subject, template=TEMPLATE, context=context) for user in users]


def _digest_chunk(rows, framework: Framework, window: Window, items: list[Item], today: datetime.date) -> int:
    """Queue the chunk's mails for one year; how many were new. The chunk's members, the deliveries it already
    has, its entries and failing checks, and the insert: the same queries for 2 organisations or CHUNK."""
    people = members_by_organization([pk for pk, _code, _name in rows], (STAFF,))
    keys = {pk: digest_key(pk, framework.fiscal_year, today) for pk, _code, _name in rows if people[pk]}
    done = delivery.already_queued(keys.values())
    waiting = {pk: [user for user in people[pk] if (key, user.pk) not in done] for pk, key in keys.items()}
    waiting = {pk: users for pk, users in waiting.items() if users}
    if not waiting:
        return 0
    urls, failing = _evidence(list(waiting), framework.fiscal_year)
    batches = {}
    for pk, code, name in rows:
        found = gaps(items, urls[pk], failing[pk], framework.fiscal_year) if pk in waiting else []
        if found:
            mails = _mails(
                waiting[pk], name=name, code=code, framework=framework, window=window, found=found, today=today
            )
            batches[keys[pk]] = mails
    with transaction.atomic():
        delivery.queue_many(batches)
    return sum(len(mails) for mails in batches.values())


def send_oit_digest(*, today: datetime.date | None = None) -> DigestRun:
    """Queue this week's digests of every year whose window is open today; nothing outside every window."""
    today = today or timezone.localdate()
    run = DigestRun()
    for framework, window in frameworks_collecting(today):
        items = oit_items(framework)
        run.mails[framework.fiscal_year] = sum(
            _digest_chunk(rows, framework, window, items, today) for rows in _organization_chunks()
        )
    return run


@shared_task(name="ita.oit_weekly_digest")
def oit_weekly_digest_task() -> None:
    """Celery beat's Monday run (the schedule is in settings); `manage.py send_oit_digest` does the same by hand."""
    send_oit_digest()
