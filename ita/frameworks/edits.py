"""Which framework rows a person changed or deleted, from what the project records about such changes.

The admin records every add, change and delete as an AuditEvent with the row's old → new values
(ita.admin.AuditedAdmin, inline rows included), and Django's admin writes its own LogEntry for the
rows changed on their own page (older databases may hold only those). Events written by commands
and by the system itself (a sync, a regrade) are not a person's correction.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models

from ita.models import AuditEvent, Source

MACHINE_SOURCES = (Source.COMMAND, Source.SYSTEM)


def _people_events(model: type[models.Model]) -> models.QuerySet:
    return AuditEvent.objects.filter(object_type=model._meta.label_lower).exclude(source__in=MACHINE_SOURCES)


def changed_by_people(model: type[models.Model], ids: Iterable[int]) -> set[int]:
    """The ids among `ids` of rows of `model` that a person added or changed (in the admin or a form)."""
    ids = list(ids)
    if not ids:
        return set()
    events = _people_events(model).filter(object_id__in=ids).exclude(action="delete").order_by()
    found = set(events.values_list("object_id", flat=True))
    logged = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=[str(pk) for pk in ids],
        action_flag__in=(ADDITION, CHANGE),
    ).order_by()
    found.update(int(pk) for pk in logged.values_list("object_id", flat=True) if pk.isdigit())
    return found


def deleted_by_people(model: type[models.Model], *, owner: str, owner_ids: Iterable[int], key: str) -> set:
    """The `key` values (a code, a number) of rows of `model` a person deleted while they belonged to `owner_ids`.

    `owner` names the field that held the row's owner (an item's framework, a sub-indicator's
    indicator); the delete event keeps every old value, so a deleted row is known by its natural key.
    """
    owner_ids = list(owner_ids)
    if not owner_ids:
        return set()
    events = _people_events(model).filter(action="delete", **{f"changes__{owner}__old__in": owner_ids}).order_by()
    found = set()
    for changes in events.values_list("changes", flat=True):
        value = (changes.get(key) or {}).get("old") if isinstance(changes, dict) else None
        if value is not None:
            found.add(value)
    return found
