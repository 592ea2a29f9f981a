"""The history tab of an assessment or a plan: its AuditEvents, newest first, a page at a time, in Thai."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from ita.models import AuditEvent, Source
from ita.thai import NO_VALUE, format_number, thai_date, to_thai_digits

PAGE_SIZE = 25
HISTORY_TAB = "history"


def wants_history(request: HttpRequest) -> bool:
    return request.GET.get("tab") == HISTORY_TAB


def when(moment) -> str:
    """'๘ มิถุนายน ๒๕๖๖ ๑๔.๐๕ น.' in the site's time zone."""
    local = timezone.localtime(moment)
    return f"{thai_date(local.date())} {format_number(local.strftime('%H.%M'))} น."


def shown(value: object) -> str:
    """A recorded value as the page shows it: Thai digits, a dash for nothing, lists joined."""
    if value is None or value == "":
        return NO_VALUE
    if isinstance(value, bool):
        return _("ใช่") if value else _("ไม่ใช่")
    if isinstance(value, list):
        return ", ".join(shown(item) for item in value) or NO_VALUE
    return to_thai_digits(str(value))


def _who(event: AuditEvent) -> str:
    if event.user is not None:
        return event.user.get_full_name() or event.user.get_username()
    return event.user_name or _("ระบบ")


def event_row(event: AuditEvent) -> dict:
    """One line of the history: when, who, from where, what, and each value old → new."""
    changes = [
        {"label": change.get("label", key), "old": shown(change.get("old")), "new": shown(change.get("new"))}
        for key, change in event.changes.items()
        if isinstance(change, dict) and "new" in change
    ]
    return {
        "at": when(event.at),
        "iso": event.at.isoformat(),
        "who": _who(event),
        "source": Source(event.source).label if event.source in Source.values else event.source,
        "batch": event.batch.filename if event.batch_id and event.batch else "",
        "summary": event.summary,
        "changes": changes,
    }


def history_context(request: HttpRequest, events: QuerySet[AuditEvent]) -> dict:
    """A page of events (two queries whatever the page: the count and the rows with user and batch)."""
    page: Page = Paginator(events.select_related("user", "batch"), PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "history_page": page,
        "history_rows": [event_row(event) for event in page.object_list],
        "history_total": format_number(page.paginator.count),
        "history_page_number": format_number(page.number),
        "history_page_count": format_number(page.paginator.num_pages),
    }
