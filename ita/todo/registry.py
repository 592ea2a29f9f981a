"""The to-do list: apps register providers, each a function (user, membership) → list of Items.

A provider answers for one kind of work with a fixed number of queries whatever the amount of data,
and only for the person's own standing (ita.policy): it returns nothing when the user may not act.
The home page renders the items of every provider in one list, the most urgent first.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum

from django.utils.translation import gettext_lazy as _

from ita.models import Membership


class Priority(IntEnum):
    """How soon an item needs the person; the list is sorted by it, then by due date."""

    DECIDE = 10  # someone else waits on this person: a plan to approve, a plan returned for changes
    OVERDUE = 20  # a date has passed
    DUE_SOON = 30  # a date is near
    WAITING = 40  # work this person started and left half done (an import waiting for confirmation)
    MISSING = 50  # data the organisation has not entered yet


# The word shown before each item, so the kind reads without relying on colour.
PRIORITY_LABELS = {
    Priority.DECIDE: _("รอคุณดำเนินการ"),
    Priority.OVERDUE: _("เลยกำหนด"),
    Priority.DUE_SOON: _("ใกล้ครบกำหนด"),
    Priority.WAITING: _("รอยืนยัน"),
    Priority.MISSING: _("ยังไม่มีข้อมูล"),
}


@dataclass(frozen=True)
class Item:
    """One thing waiting for the person: a Thai sentence, where to do it, and an optional detail line."""

    text: str
    url: str
    priority: Priority
    detail: str = ""
    due: datetime.date | None = None

    @property
    def label(self) -> str:
        return str(PRIORITY_LABELS[self.priority])

    @property
    def css_class(self) -> str:
        return f"todo-{self.priority.name.lower().replace('_', '-')}"


Provider = Callable[[object, Membership | None], list[Item]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Add a provider (once; registering the same function again changes nothing). Usable as a decorator."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def providers() -> tuple[Provider, ...]:
    return tuple(_providers)


def sort_key(item: Item) -> tuple:
    return (item.priority, item.due or datetime.date.max, item.text)


def todo_for(user, membership: Membership | None) -> list[Item]:
    """Every registered provider's items for this user, most urgent first (an item with a date before one without)."""
    items = [item for provider in _providers for item in provider(user, membership)]
    return sorted(items, key=sort_key)
