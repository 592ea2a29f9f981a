"""Link health of OIT checklists: check every current evidence URL, store what it answered, pick what beat checks.

check_checklists() fetches with ita.linkcheck and replaces each checklist's LinkCheck rows in one
transaction as soon as that checklist's last URL is answered, so a run cut short keeps what it finished.
The same URL in several items or checklists of a year is fetched once. A person's request (the button)
goes through request_check(), which refuses repeated presses within a cool-down (SECURITY.md B6: the
organisations' web servers and our outbound traffic pay for every press). Beat runs oit_check_due
every hour over due_checklists(), so that every checklist of the current year is checked about once a week.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from ita.linkcheck import LinkResult, Policy, check_many
from ita.linkcheck.check import on_expected_host, url_host
from ita.linkcheck.settings import policy_from_settings
from ita.models import EvidenceChecklist, EvidenceEntry, LinkCheck
from ita.models.oit import URL_MAX_CHARS
from ita.thai import fiscal_year_of

_SIZE_MAX = 2**63 - 1  # a BigIntegerField; a Content-Length may claim anything
_REDIRECTS_MAX = 32767  # a PositiveSmallIntegerField
# A redirect's target is not a URL anyone typed: it is kept whole up to this length, enough for any real one.
_FINAL_URL_MAX = 2 * URL_MAX_CHARS

# One checklist's check runs well within these on a worker (at most 43 items × 5 URLs, 2 at a time per
# host); the whole beat run stays under an hour so that two runs never overlap, and under the broker's
# visibility timeout (settings.CELERY_BROKER_TRANSPORT_OPTIONS) so that a running one is not handed out twice.
ONE_SOFT_LIMIT = datetime.timedelta(minutes=15)
DUE_SOFT_LIMIT = datetime.timedelta(minutes=50)
# How long after a press the page keeps saying "checking…" while no result has come: a queue's wait
# plus the task's limit. After that the request is taken as lost and the page shows the last results.
CHECKING_SHOWN_FOR = datetime.timedelta(minutes=30)


@dataclass
class _Pending:
    """One checklist under check: the URLs it still waits for (URL → item ids) and its rows so far."""

    checklist_id: int
    fiscal_year: int
    expected_host: str | None
    waiting: dict[str, list[int]]
    rows: list[LinkCheck] = field(default_factory=list)

    def add(self, url: str, result: LinkResult, at: datetime.datetime) -> None:
        result = on_expected_host(result, self.expected_host)
        self.rows += [_row(self.checklist_id, item_id, url, result, at) for item_id in self.waiting.pop(url)]


def check_checklists(checklists: Iterable[EvidenceChecklist], *, policy: Policy | None = None) -> int:
    """Check every current URL of the checklists and store the results; how many checklists were stored.

    One check_many() per fiscal year (the year a page must mention is the checklist's), one after the
    other, so the per-host limit holds across all of them. The organisation's own host is applied here
    from Organization.website rather than by check_many(), which takes one host for all its URLs.
    """
    policy = policy or policy_from_settings()
    pending = _load([checklist.pk for checklist in checklists])
    stored = 0
    for year in sorted({p.fiscal_year for p in pending}):
        stored += _check_year(year, [p for p in pending if p.fiscal_year == year], policy)
    return stored


def _load(ids: list[int]) -> list[_Pending]:
    websites = EvidenceChecklist.objects.filter(pk__in=ids).values_list("pk", "fiscal_year", "organization__website")
    pending = {pk: _Pending(pk, year, url_host(website) or None, {}) for pk, year, website in websites}
    entries = EvidenceEntry.objects.filter(checklist_id__in=pending).order_by("pk")
    for checklist_id, item_id, urls in entries.values_list("checklist_id", "item_id", "urls"):
        for url in urls:
            if isinstance(url, str) and url:  # the model's validator holds this; a bad row must not stop a run
                pending[checklist_id].waiting.setdefault(url, []).append(item_id)
    return list(pending.values())


def _check_year(year: int, pending: list[_Pending], policy: Policy) -> int:
    stored = 0
    by_url: dict[str, list[_Pending]] = {}
    for checklist in pending:
        if not checklist.waiting:
            stored += _store(checklist)  # nothing to fetch: the check is done at once
        for url in checklist.waiting:
            by_url.setdefault(url, []).append(checklist)
    urls = list(by_url)
    if not urls:
        return stored
    for index, result in check_many(urls, fiscal_year=year, policy=policy):
        now = timezone.now()
        for checklist in by_url.pop(urls[index]):
            checklist.add(urls[index], result, now)
            if not checklist.waiting:
                stored += _store(checklist)
    return stored


def _store(checklist: _Pending) -> int:
    """Replace the checklist's rows with the new ones; 0 when the checklist is gone."""
    with transaction.atomic():
        # The UPDATE locks the checklist's row first: a second check of the same checklist (button and
        # beat at once) waits here and then replaces these rows whole, never mixing two checks' rows.
        found = EvidenceChecklist.objects.filter(pk=checklist.checklist_id).update(links_checked_at=timezone.now())
        if not found:
            return 0
        LinkCheck.objects.filter(checklist_id=checklist.checklist_id).delete()
        LinkCheck.objects.bulk_create(checklist.rows)
    checklist.rows = []
    return 1


def _row(checklist_id: int, item_id: int, url: str, result: LinkResult, at: datetime.datetime) -> LinkCheck:
    """A LinkCheck from a result, every text cut to its column."""
    size = result.size if result.size is None or 0 <= result.size <= _SIZE_MAX else None
    return LinkCheck(
        checklist_id=checklist_id,
        item_id=item_id,
        url=url,
        checked_at=at,
        verdict=result.verdict,
        reason=result.reason[: _max_length("reason")],
        reason_text=result.reason_text[: _max_length("reason_text")],
        status=result.status,
        final_url=result.final_url[:_FINAL_URL_MAX],
        content_type=result.content_type[: _max_length("content_type")],
        size=size,
        truncated=result.truncated,
        last_modified=result.last_modified,
        mentions_year=result.mentions_year,
        redirects=min(result.redirects, _REDIRECTS_MAX),
        error=result.error[: _max_length("error")],
    )


def _max_length(name: str) -> int:
    return LinkCheck._meta.get_field(name).max_length


# --- a person's request ---------------------------------------------------------------------------


class CoolingDown(Exception):
    """A check was asked for too recently; ``until`` is when the next may be."""

    def __init__(self, until: datetime.datetime) -> None:
        super().__init__(until)
        self.until = until


def cooldown() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.OIT_CHECK_COOLDOWN_SECONDS)


def request_check(*, checklist: EvidenceChecklist) -> None:
    """Record the request and check the checklist after commit; CoolingDown within the cool-down.

    The conditional UPDATE decides: of two presses at once only one moves links_requested_at (B4).
    """
    now = timezone.now()
    with transaction.atomic():
        allowed = Q(links_requested_at__isnull=True) | Q(links_requested_at__lte=now - cooldown())
        moved = EvidenceChecklist.objects.filter(allowed, pk=checklist.pk).update(links_requested_at=now)
        if not moved:
            last = EvidenceChecklist.objects.filter(pk=checklist.pk).values_list("links_requested_at", flat=True)
            raise CoolingDown((last.first() or now) + cooldown())
        checklist_id = checklist.pk
        transaction.on_commit(lambda: oit_check_checklist.delay(checklist_id))
    checklist.links_requested_at = now


def checking(checklist: EvidenceChecklist, now: datetime.datetime | None = None) -> bool:
    """A person's request is newer than the last finished check, and not so old that it must be lost."""
    requested, checked = checklist.links_requested_at, checklist.links_checked_at
    if requested is None or (checked is not None and checked >= requested):
        return False
    return requested > (now or timezone.now()) - CHECKING_SHOWN_FOR


# --- the weekly round -----------------------------------------------------------------------------


def due_checklists(now: datetime.datetime | None = None) -> list[EvidenceChecklist]:
    """This hour's share of the week: checklists of the current fiscal year and later never checked or
    checked longer ago than OIT_CHECK_INTERVAL_DAYS, oldest first, at most ceil(active / runs) + 1 of them
    (settings explains the arithmetic), and never more than OIT_CHECK_BATCH_MAX."""
    now = now or timezone.now()
    active = EvidenceChecklist.objects.filter(fiscal_year__gte=fiscal_year_of(timezone.localdate(now)))
    batch = min(math.ceil(active.count() / settings.OIT_CHECK_RUNS_PER_INTERVAL) + 1, settings.OIT_CHECK_BATCH_MAX)
    stale = now - datetime.timedelta(days=settings.OIT_CHECK_INTERVAL_DAYS)
    due = active.filter(Q(links_checked_at__isnull=True) | Q(links_checked_at__lt=stale))
    return list(due.order_by(F("links_checked_at").asc(nulls_first=True), "pk")[:batch])


# --- the tasks (ids in, one call; ita/tasks.py re-exports them for Celery's autodiscovery) --------


@shared_task(
    name="ita.oit_check_checklist",
    soft_time_limit=int(ONE_SOFT_LIMIT.total_seconds()),
    time_limit=int(ONE_SOFT_LIMIT.total_seconds()) + 60,
)
def oit_check_checklist(checklist_id: int) -> None:
    """The button: check one checklist now."""
    check_checklists(EvidenceChecklist.objects.filter(pk=checklist_id).only("pk"))


@shared_task(
    name="ita.oit_check_due",
    soft_time_limit=int(DUE_SOFT_LIMIT.total_seconds()),
    time_limit=int(DUE_SOFT_LIMIT.total_seconds()) + 300,
)
def oit_check_due() -> None:
    """Beat, hourly: check this hour's share of the checklists due."""
    check_checklists(due_checklists())
