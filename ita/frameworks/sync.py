"""Bring the frameworks stored in a database up to date with their fixture files (`manage.py sync_frameworks`).

A database that loaded an older fixture keeps that catalogue: seeding never reloads a framework it
already has, so that an administrator's corrections survive. This sync compares each stored
framework's indicators, sub-indicators and items with its file field by field and, when asked to
apply: adds what the file has and the database lacks, updates a differing row unless a person
changed it (ita.frameworks.edits), never deletes and never adds back what a person deleted, adds the
missing crosswalk rows, and regrades the framework's assessments when something grading reads
changed. A framework missing from the database is loaded whole from its file.

Every file is read and checked before anything is written; each framework is written in its own
transaction, with one audit event (source "command") per row added or changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from django.core.management import call_command
from django.db import models, transaction
from django.utils.translation import gettext as _

from ita import audit
from ita.frameworks.diff import Differences, compare
from ita.frameworks.edits import changed_by_people, deleted_by_people
from ita.frameworks.files import (
    CROSSWALK_NAME,
    check_crosswalk,
    fixture_dir,
    framework_files,
    load_crosswalk,
    plan_crosswalk,
)
from ita.frameworks.rows import (
    FIELDS,
    INDICATOR,
    ITEM,
    KEY_FIELDS,
    KINDS,
    MODELS,
    SUB_INDICATOR,
    Wanted,
    read_wanted,
)
from ita.grading.assess import regrade_framework
from ita.models import Assessment, AuditEvent, Framework, Indicator, Item, Source, SubIndicator

# What grading reads of each kind (ita.grading.inputs.specs_from_frameworks); a new row counts too.
GRADED = {
    INDICATOR: {"tool", "name"},
    SUB_INDICATOR: {"indicator", "weight"},
    ITEM: {"indicator", "sub_indicator", "weight"},
}


@dataclass
class FrameworkSync:
    """What the sync found (a dry run) or did (--apply) for one framework of a file."""

    fiscal_year: int
    source: str
    file: str
    missing: bool = False  # not in the database: loaded whole from its file
    parts: dict[str, Differences] = field(default_factory=dict)  # kind → differences
    # (kind, key, parent kind, parent key): a row left out because its indicator or sub-indicator is missing
    skipped: list[tuple[str, object, str, object]] = field(default_factory=list)
    regraded: int = 0  # assessments regraded (a dry run: that would be)

    @property
    def writes(self) -> bool:
        return self.missing or any(part.writes for part in self.parts.values())

    @property
    def grading_changes(self) -> bool:
        for kind, part in self.parts.items():
            if part.added or any(GRADED[kind] & set(names) for names in part.updated.values()):
                return True
        return False


@dataclass
class SyncReport:
    frameworks: list[FrameworkSync]
    crosswalk: tuple[int, int, int]  # rows added, already there, skipped (an endpoint item missing)
    applied: bool


# --- comparing with the database ----------------------------------------------------------------


def _stored(framework: Framework) -> dict[str, dict[object, dict]]:
    """kind → key → stored fields (with "pk"), foreign keys as the number or code they point at."""
    indicators = Indicator.objects.filter(framework=framework).order_by("number")
    subs = SubIndicator.objects.filter(indicator__framework=framework).order_by("indicator__number", "code")
    items = Item.objects.filter(framework=framework).order_by("order", "code")
    renamed = {"indicator__number": "indicator", "sub_indicator__code": "sub_indicator"}
    found = {}
    for kind, rows, names in (
        (INDICATOR, indicators, ["number", *FIELDS[INDICATOR]]),
        (SUB_INDICATOR, subs, ["code", "indicator__number", "name", "weight", "note"]),
        (ITEM, items, ["code", "indicator__number", "sub_indicator__code", *FIELDS[ITEM][2:]]),
    ):
        found[kind] = {}
        for row in rows.values("pk", *names):
            row = {renamed.get(name, name): value for name, value in row.items()}
            found[kind][row[KEY_FIELDS[kind]]] = row
    return found


def _by_key(rows: Mapping[object, dict], ids: set[int]) -> set:
    return {key for key, row in rows.items() if row["pk"] in ids}


def _people(framework: Framework, stored: Mapping[str, Mapping[object, dict]]) -> tuple[dict, dict]:
    """kind → keys of stored rows a person changed, and kind → keys of rows a person deleted."""
    indicator_ids = [row["pk"] for row in stored[INDICATOR].values()]
    owners = {
        INDICATOR: ("framework", [framework.pk]),
        SUB_INDICATOR: ("indicator", indicator_ids),
        ITEM: ("framework", [framework.pk]),
    }
    edited, deleted = {}, {}
    for kind in KINDS:
        rows = stored[kind]
        edited[kind] = _by_key(rows, changed_by_people(MODELS[kind], [row["pk"] for row in rows.values()]))
        owner, owner_ids = owners[kind]
        deleted[kind] = deleted_by_people(MODELS[kind], owner=owner, owner_ids=owner_ids, key=KEY_FIELDS[kind])
    return edited, deleted


def _without_orphans(kind: str, part: Differences, wanted: Mapping, parents: Mapping[str, set], result) -> Differences:
    """Leave out the rows whose indicator or sub-indicator will not be in the database; note them as skipped."""
    missing = {}
    for key in [*part.added, *part.updated]:
        fields = wanted[key]
        if "indicator" in fields and fields["indicator"] not in parents[INDICATOR]:
            missing[key] = (INDICATOR, fields["indicator"])
        elif fields.get("sub_indicator") is not None and fields["sub_indicator"] not in parents[SUB_INDICATOR]:
            missing[key] = (SUB_INDICATOR, fields["sub_indicator"])
    result.skipped += [(kind, key, *parent) for key, parent in missing.items()]
    added = tuple(key for key in part.added if key not in missing)
    updated = {key: names for key, names in part.updated.items() if key not in missing}
    return replace(part, added=added, updated=updated)


def plan_framework(framework: Framework, wanted: Wanted) -> FrameworkSync:
    """What bringing `framework` to its file would do, read from the database without writing."""
    result = FrameworkSync(wanted.fiscal_year, wanted.source, wanted.path.name)
    stored = _stored(framework)
    edited, deleted = _people(framework, stored)
    parents: dict[str, set] = {}
    for kind in KINDS:
        part = compare(wanted.rows[kind], stored[kind], edited=edited[kind], deleted=deleted[kind])
        result.parts[kind] = _without_orphans(kind, part, wanted.rows[kind], parents, result)
        parents[kind] = {*stored[kind], *result.parts[kind].added}
    if result.grading_changes:
        result.regraded = Assessment.objects.filter(framework=framework).count()
    return result


# --- writing -------------------------------------------------------------------------------------


def _set(obj: models.Model, fields: Mapping[str, object], names, parents: Mapping[str, Mapping]) -> None:
    for name in names:
        value = fields[name]
        if name == "indicator":
            obj.indicator = parents[INDICATOR][value]
        elif name == "sub_indicator":
            obj.sub_indicator = None if value is None else parents[SUB_INDICATOR][value]
        else:
            setattr(obj, name, value)


def _new(kind: str, framework: Framework, key) -> models.Model:
    if kind == INDICATOR:
        return Indicator(framework=framework, number=key)
    if kind == SUB_INDICATOR:
        return SubIndicator(code=key)
    return Item(framework=framework, code=key)


def _write_kind(
    kind: str, framework: Framework, wanted: Mapping, part: Differences, parents: Mapping, summary: str
) -> list[AuditEvent]:
    """Add and update the rows of one kind as `part` says; the unsaved audit events of what was written."""
    model = MODELS[kind]
    stored = {getattr(obj, KEY_FIELDS[kind]): obj for obj in _objects(kind, framework)}
    events = []
    for key in part.added:
        obj = _new(kind, framework, key)
        _set(obj, wanted[key], wanted[key], parents)
        obj.save()
        after = audit.snapshot(obj, [f.name for f in model._meta.concrete_fields])
        events.append(_event("create", obj, model, {}, after, summary))
    for key, names in part.updated.items():
        obj = stored[key]
        columns = [model._meta.get_field(name).name for name in names]
        before = audit.snapshot(obj, columns)
        _set(obj, wanted[key], names, parents)
        obj.save(update_fields=columns)
        events.append(_event("update", obj, model, before, audit.snapshot(obj, columns), summary))
    return events


def _objects(kind: str, framework: Framework) -> models.QuerySet:
    if kind == SUB_INDICATOR:
        return SubIndicator.objects.filter(indicator__framework=framework)
    return MODELS[kind].objects.filter(framework=framework)


def _event(
    action: str, obj: models.Model, model: type[models.Model], before: dict, after: dict, summary: str
) -> AuditEvent:
    return audit.build(
        action=action, obj=obj, source=Source.COMMAND, changes=audit.model_diff(model, before, after), summary=summary
    )


def apply_plan(framework: Framework, wanted: Wanted, plan: FrameworkSync) -> None:
    """Write what `plan` says, kind by kind, with one audit event per row; call inside a transaction."""
    summary = _("ปรับตามไฟล์กรอบการประเมิน %(file)s (คำสั่ง sync_frameworks)") % {"file": wanted.path.name}
    parents: dict[str, dict] = {}
    events = []
    for kind in KINDS:
        events += _write_kind(kind, framework, wanted.rows[kind], plan.parts[kind], parents, summary)
        parents[kind] = {getattr(obj, KEY_FIELDS[kind]): obj for obj in _objects(kind, framework)}
    audit.record_many(events)


def sync_one(wanted: Wanted, *, apply: bool) -> FrameworkSync:
    """Compare (and, with `apply`, write) one framework; call inside a transaction when applying."""
    framework = Framework.objects.filter(fiscal_year=wanted.fiscal_year, source=wanted.source).first()
    if framework is None:
        if apply:
            call_command("loaddata", str(wanted.path), verbosity=0)
        return FrameworkSync(wanted.fiscal_year, wanted.source, wanted.path.name, missing=True)
    plan = plan_framework(framework, wanted)
    if apply and plan.writes:
        apply_plan(framework, wanted, plan)
        if plan.grading_changes:
            plan.regraded = regrade_framework(framework)
    return plan


# --- the crosswalk -------------------------------------------------------------------------------


def _coming_items(wanted: list[Wanted], results: list[FrameworkSync]) -> set[tuple]:
    coming = set()
    for one, result in zip(wanted, results, strict=True):
        codes = one.rows[ITEM] if result.missing else result.parts[ITEM].added
        coming |= {(one.fiscal_year, one.source, code) for code in codes}
    return coming


def sync_frameworks(*, apply: bool, directory: Path | None = None) -> SyncReport:
    """Compare every framework file of `directory` (settings.ITA_FRAMEWORK_FIXTURES) with the database and,
    with `apply`, bring the database up to date.

    All files are read first: a file that cannot be used stops the sync before anything is written.
    """
    directory = directory or fixture_dir()
    crosswalk = directory / CROSSWALK_NAME
    wanted = [read_wanted(path) for path in framework_files(directory)]
    check_crosswalk(crosswalk)
    results = []
    for one in wanted:
        if apply:
            with transaction.atomic():
                results.append(sync_one(one, apply=True))
        else:
            results.append(sync_one(one, apply=False))
    if apply:
        with transaction.atomic():
            links = load_crosswalk(crosswalk)
    else:
        links = plan_crosswalk(crosswalk, _coming_items(wanted, results))
    return SyncReport(results, links, apply)


def check_frameworks(directory: Path | None = None) -> list[FrameworkSync]:
    """A dry run of the frameworks only: what differs between each file and the database."""
    return [sync_one(read_wanted(path), apply=False) for path in framework_files(directory)]
