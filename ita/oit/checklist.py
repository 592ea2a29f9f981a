"""The checklist's workflows: its items and values, a version-guarded save with its audit event,
the copy-out in the shape ITAS asks for, and the carry-forward to the next year through the crosswalk."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ita import audit
from ita.models import AuditEvent, EvidenceChecklist, EvidenceEntry, Framework, Item, ItemCrosswalk, Organization, Tool
from ita.models.oit import URLS_MAX, validate_evidence_urls
from ita.thai import format_number

# (URLs, note) of one item; a note of None in what a caller wants means "leave the note as it is".
Values = tuple[list[str], str]


class StaleChecklist(Exception):
    """The checklist changed since the form was shown (its version moved on)."""


def oit_items(framework: Framework) -> list[Item]:
    """The framework's OIT items in the order the framework lists them."""
    return list(framework.items.filter(indicator__tool=Tool.OIT).order_by("order", "code"))


def checklist_for(organization: Organization, framework: Framework) -> EvidenceChecklist:
    """The stored checklist of that year, or an unsaved empty one (version 0): a GET never writes."""
    found = EvidenceChecklist.objects.filter(organization=organization, fiscal_year=framework.fiscal_year).first()
    if found is not None:
        found.organization = organization
        return found
    return EvidenceChecklist(organization=organization, fiscal_year=framework.fiscal_year, framework=framework)


def stored_values(checklist: EvidenceChecklist) -> dict[int, Values]:
    """Item id → (URLs, note) of every stored entry."""
    if checklist.pk is None:
        return {}
    rows = EvidenceEntry.objects.filter(checklist=checklist).values_list("item_id", "urls", "note")
    return {item_id: (list(urls), note) for item_id, urls, note in rows}


def _changes(items: Mapping[int, Item], old: Mapping[int, Values], new: Mapping[int, Values]) -> dict:
    changes = {}
    for item_id, (urls, note) in new.items():
        old_urls, old_note = old.get(item_id, ([], ""))
        code = items[item_id].code
        if urls != old_urls:
            label = _("ข้อ %(code)s ลิงก์") % {"code": code.upper()}
            changes[f"{code}:urls"] = {"label": label, "old": old_urls, "new": urls}
        if note != old_note:
            label = _("ข้อ %(code)s หมายเหตุ") % {"code": code.upper()}
            changes[f"{code}:note"] = {"label": label, "old": old_note, "new": note}
    return changes


def save_entries(
    *,
    checklist: EvidenceChecklist,
    version: int,
    wanted: Mapping[Item, tuple[list[str], str | None]],
    user,
    summary: str,
) -> AuditEvent | None:
    """Store the wanted (URLs, note) of each item; one AuditEvent with every old → new, None when nothing changed.

    `version` is the one the user saw: StaleChecklist when another save moved it on. A note of None keeps
    the stored note (a paste changes URLs only).
    """
    items = {item.pk: item for item in wanted}
    with transaction.atomic():
        checklist, _created = EvidenceChecklist.objects.get_or_create(
            organization=checklist.organization,
            fiscal_year=checklist.fiscal_year,
            defaults={"framework": checklist.framework},
        )
        old = stored_values(checklist)
        new = {}
        for item, (urls, note) in wanted.items():
            validate_evidence_urls(urls)  # the last guard: forms and the paste parser check first
            new[item.pk] = (list(urls), old.get(item.pk, ([], ""))[1] if note is None else note)
        changes = _changes(items, old, new)
        # The conditional update is the lock: only one save moves the version on from what was shown.
        claimed = EvidenceChecklist.objects.filter(pk=checklist.pk, version=version).update(
            version=F("version") + 1, updated_by=user, updated_at=timezone.now()
        )
        if not claimed:
            raise StaleChecklist
        if not changes:
            transaction.set_rollback(True)  # nothing to record: the version stays where it was
            return None
        _write(checklist, {pk: values for pk, values in new.items() if values != old.get(pk, ([], ""))}, user)
        checklist.refresh_from_db()
        return audit.record(action="update", obj=checklist, summary=summary, user=user, changes=changes)


def _write(checklist: EvidenceChecklist, values: Mapping[int, Values], user) -> None:
    now = timezone.now()
    existing = {entry.item_id: entry for entry in EvidenceEntry.objects.filter(checklist=checklist)}
    created, updated = [], []
    for item_id, (urls, note) in values.items():
        entry = existing.get(item_id) or EvidenceEntry(checklist=checklist, item_id=item_id)
        entry.urls, entry.note, entry.updated_by, entry.updated_at = urls, note, user, now
        (updated if entry.pk else created).append(entry)
    EvidenceEntry.objects.bulk_create(created)
    EvidenceEntry.objects.bulk_update(updated, ["urls", "note", "updated_by", "updated_at"])


def itas_text(items: list[Item], values: Mapping[int, Values]) -> str:
    """The copy-out: one line "O1<TAB>URL" per URL, an item with several URLs on as many lines, and an
    item without a URL as "O1<TAB>" so that every item of the year keeps its line, in framework order."""
    lines = []
    for item in items:
        code = item.code.upper()
        urls = values.get(item.pk, ([], ""))[0]
        lines += [f"{code}\t{url}" for url in urls] or [f"{code}\t"]
    return "\n".join(lines) + "\n"


@dataclass
class Carried:
    """What a carry-forward did, by the codes of the source year's items."""

    carried: list[str] = field(default_factory=list)
    not_linked: list[str] = field(default_factory=list)  # no crosswalk link to an OIT item of the next year
    kept: list[str] = field(default_factory=list)  # next year's item already had evidence, left as it was
    checklist: EvidenceChecklist | None = None


def carry_forward(*, checklist: EvidenceChecklist, target: Framework, user) -> Carried:
    """Start `target`'s checklist from this one: each item's URLs and note go to the items of `target`
    it links to directly in the crosswalk. Items of `target` that already have evidence are left alone;
    several items linked to one item pool their URLs (the first five kept) and notes."""
    result = Carried()
    entries = [
        entry
        for entry in EvidenceEntry.objects.filter(checklist=checklist).select_related("item")
        if entry.urls or entry.note
    ]
    next_codes = ItemCrosswalk.objects.next_codes([entry.item_id for entry in entries], target)
    target_items = {item.code: item for item in oit_items(target)}
    destination = checklist_for(checklist.organization, target)
    present = stored_values(destination)
    wanted: dict[Item, tuple[list[str], str]] = {}
    for entry in sorted(entries, key=lambda e: (e.item.order, e.item.code)):
        code = entry.item.code.upper()
        linked = [target_items[c] for c in next_codes.get(entry.item_id, []) if c in target_items]
        if not linked:
            result.not_linked.append(code)
            continue
        free = [item for item in linked if not any(present.get(item.pk, ([], "")))]
        (result.carried if free else result.kept).append(code)
        for item in free:
            urls, note = wanted.get(item, ([], ""))
            merged = list(dict.fromkeys([*urls, *entry.urls]))[:URLS_MAX]
            wanted[item] = (merged, "\n".join(part for part in (note, entry.note) if part))
    if wanted:
        summary = _("เริ่มรายการหลักฐาน OIT จากปี พ.ศ. %(year)s: ยกมา %(count)s ข้อ") % {
            "year": format_number(checklist.fiscal_year),
            "count": format_number(len(wanted)),
        }
        save_entries(checklist=destination, version=destination.version, wanted=wanted, user=user, summary=summary)
    result.checklist = checklist_for(checklist.organization, target)
    return result
