"""The history tab of an assessment or a plan: its AuditEvents, newest first, a page at a time, in Thai."""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Page, Paginator
from django.db import models
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
    """A recorded value as the page shows it: Thai digits (web addresses aside), a dash for nothing, lists joined."""
    if value is None or value == "":
        return NO_VALUE
    if isinstance(value, bool):
        return _("ใช่") if value else _("ไม่ใช่")
    if isinstance(value, list):
        return ", ".join(shown(item) for item in value) or NO_VALUE
    text = str(value)
    if text.startswith(("http://", "https://")):
        return text  # an address is shown as it must be typed: its digits stay as they are
    return to_thai_digits(text)


def _model_of(event: AuditEvent) -> type[models.Model] | None:
    """The model an event is about ("measures.measureplan"), or None for a label no app knows."""
    try:
        return apps.get_model(event.object_type)
    except (LookupError, ValueError):
        return None


def _field_of(model: type[models.Model] | None, key: str) -> models.Field | None:
    if model is None:
        return None
    try:
        return model._meta.get_field(key)
    except FieldDoesNotExist:  # a computed key such as "item:o27" or "sha256"
        return None


def choice_label(field: models.Field | None, value: object) -> object:
    """A stored choice value ("submitted", "whole_year") as its field's Thai label; other values unchanged."""
    if field is None or not getattr(field, "choices", None) or isinstance(value, list | dict):
        return value
    labels = {str(key): label for key, label in field.flatchoices}
    if value is not None and str(value) in labels:
        return str(labels[str(value)])
    return value


def _change_row(model: type[models.Model] | None, key: str, change: dict) -> dict:
    field = _field_of(model, key)
    label = change.get("label") or (str(field.verbose_name) if field is not None else key)
    return {
        "label": label,
        "old": shown(choice_label(field, change.get("old"))),
        "new": shown(choice_label(field, change.get("new"))),
    }


def _who(event: AuditEvent) -> str:
    if event.user is not None:
        return event.user.get_full_name() or event.user.get_username()
    return event.user_name or _("ระบบ")


def event_row(event: AuditEvent) -> dict:
    """One line of the history: when, who, from where, what, and each value old → new (choices by their labels)."""
    model = _model_of(event)
    changes = [
        _change_row(model, key, change)
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
