"""Audit history (SECURITY.md A6): who changed what, when, from where, old → new.

Write paths call the recorder explicitly, bulk ones included: an import adds one AuditEvent per
assessment it changed in one bulk insert (the per-value old → new stays in ScoreRevision), a
form save one event per save. Nothing here listens to signals, so a bulk update that bypasses
`save()` is still recorded as long as its caller records it, and a test proves each path does.

Every event names its subject (the assessment or plan whose history tab shows it) and the
organisation it belongs to, so that history is scoped exactly like the subject itself.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ita.models import Assessment, AuditEvent, Source, subject_of
from ita.thai import format_number

# --- actions and objects in Thai ---------------------------------------------------------------

# Every action a write path records, as the admin's list and filter name it.
ACTION_LABELS = {
    "create": _("สร้าง"),
    "update": _("แก้ไข"),
    "delete": _("ลบ"),
    "import": _("นำเข้า"),
    "reorder": _("เปลี่ยนลำดับ"),
    "submit": _("เสนอผู้บริหาร"),
    "return": _("ส่งกลับไปแก้ไข"),
    "approve": _("อนุมัติ"),
    "publish": _("เผยแพร่"),
    "new_version": _("สร้างฉบับแก้ไข"),
    "publish_version": _("เผยแพร่ต่อสาธารณะ"),
    "freeze_pdf": _("จัดทำไฟล์ PDF ฉบับเผยแพร่"),
    "seen": _("ผู้ตรวจสอบรับทราบการเปลี่ยนแปลง"),
}


def action_label(action: str) -> str:
    """The Thai name of a recorded action; an action this list does not know is shown as stored."""
    return str(ACTION_LABELS.get(action, action))


# The apps whose rows the history records, the admin's user edits included.
OBJECT_TYPES_APPS = ("ita", "measures", "reports", "auth")


def object_types() -> list[str]:
    """Every model label an event can name ("measures.measureplan"), sorted."""
    return sorted(
        model._meta.label_lower for app in OBJECT_TYPES_APPS for model in apps.get_app_config(app).get_models()
    )


def object_type_label(object_type: str) -> str:
    """ "measures.measureplan" as its model's Thai name; a label no installed app knows is shown as stored."""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


# --- values as JSON -----------------------------------------------------------------------------


def json_value(value: object) -> object:
    """A value as JSON keeps it: Decimal as text (never a float), dates in ISO form, rows by id."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [json_value(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): json_value(item) for key, item in value.items()}
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, object]:
    """The named concrete fields of an object as JSON values (foreign keys by id)."""
    values = {}
    for name in fields:
        field = obj._meta.get_field(name)
        values[name] = json_value(getattr(obj, field.attname))
    return values


def field_label(model: type[models.Model], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:  # a computed key such as a score code, not a model field
        return name


def diff(before: Mapping[str, object], after: Mapping[str, object], *, labels: Mapping[str, str] | None = None) -> dict:
    """{key: {"label", "old", "new"}} for every key whose JSON value differs (missing counts as None)."""
    labels = labels or {}
    changes = {}
    for key in sorted({*before, *after}):
        old, new = json_value(before.get(key)), json_value(after.get(key))
        if old != new:
            changes[key] = {"label": labels.get(key, key), "old": old, "new": new}
    return changes


def model_diff(model: type[models.Model], before: Mapping[str, object], after: Mapping[str, object]) -> dict:
    """diff() labelled with the model's own (Thai) field names."""
    return diff(before, after, labels={key: field_label(model, key) for key in {*before, *after}})


# --- the recorder --------------------------------------------------------------------------------


def build(
    *,
    action: str,
    obj: models.Model,
    summary: str,
    user=None,
    source: str = Source.FORM,
    changes: Mapping | None = None,
    batch=None,
    at: datetime.datetime | None = None,
) -> AuditEvent:
    """An unsaved event about `obj` (for bulk inserts); record() saves one."""
    subject_type, subject_id, organization_id = subject_of(obj)
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    return AuditEvent(
        at=at or timezone.now(),
        user=user if signed_in else None,
        user_name=user.get_username() if signed_in else "",
        source=source,
        batch=batch,
        organization_id=organization_id,
        subject_type=subject_type,
        subject_id=subject_id,
        object_type=obj._meta.label_lower,
        object_id=obj.pk,
        action=action,
        changes=dict(changes or {}),
        summary=summary,
    )


def record(**kwargs) -> AuditEvent:
    """Save one event; see build() for the arguments. Call it inside the write's transaction."""
    event = build(**kwargs)
    event.save()
    return event


def record_many(events: list[AuditEvent]) -> list[AuditEvent]:
    """Save many events in bulk statements (an import writes one per assessment it changed)."""
    return AuditEvent.objects.bulk_create(events, batch_size=1000)


# --- assessments -------------------------------------------------------------------------------

# The assessment's own fields whose changes its history shows (the computed ones too: a reader wants
# to see that a save moved the level).
ASSESSMENT_FIELDS = ("official_overall", "official_level", "overall", "level", "provisional")
ScoreKey = tuple[str, str]


def score_label(key: ScoreKey) -> str:
    """How a score is named in the history: "IIT", "ตัวชี้วัดที่ 7", "ข้อ O27"."""
    kind, code = key
    if kind == "indicator":
        return gettext("ตัวชี้วัดที่ %(number)s") % {"number": format_number(code)}
    if kind == "item":
        return gettext("ข้อ %(code)s") % {"code": code.upper()}
    return code


def score_changes(old: Mapping[ScoreKey, Decimal], wanted: Mapping[ScoreKey, Decimal | None]) -> dict:
    """old → new of each score that `wanted` changes (None deletes), keyed "kind:code"."""
    changes = {}
    for key, new in wanted.items():
        before = old.get(key)
        if before != new:
            label = score_label(key)
            changes[f"{key[0]}:{key[1]}"] = {"label": label, "old": json_value(before), "new": json_value(new)}
    return changes


def record_assessment_save(
    *,
    assessment,
    user,
    source: str,
    old_fields: Mapping[str, object],
    old_scores: Mapping[ScoreKey, Decimal],
    wanted_scores: Mapping[ScoreKey, Decimal | None],
) -> AuditEvent | None:
    """One event for a save of an assessment's scores and results; None when nothing changed.

    `old_fields` holds ASSESSMENT_FIELDS and any other column the save could set (the framework, in the admin).
    """
    names = [*ASSESSMENT_FIELDS, *(name for name in old_fields if name not in ASSESSMENT_FIELDS)]
    changes = model_diff(Assessment, old_fields, snapshot(assessment, names))
    scores = score_changes(old_scores, wanted_scores)
    if not changes and not scores:
        return None
    summary = gettext("บันทึกผลการประเมิน: เปลี่ยนคะแนน %(scores)s ค่า ผลการประเมินเปลี่ยน %(fields)s รายการ") % {
        "scores": format_number(len(scores)),
        "fields": format_number(len(changes)),
    }
    return record(
        action="update", obj=assessment, summary=summary, user=user, source=source, changes={**changes, **scores}
    )


# --- imports -----------------------------------------------------------------------------------

OFFICIAL_LABELS = {"official_overall": _("คะแนนรวม (ทางการ)"), "official_level": _("ระดับ (ทางการ)")}


def record_import(
    *,
    batch,
    user,
    organizations: Mapping[int, int],
    new: set[int],
    counts: Mapping[int, tuple[int, int]],
    officials: Mapping[int, Mapping[str, tuple[object, object]]],
) -> list[AuditEvent]:
    """One event per assessment an import created or changed, in bulk; each names the batch.

    `organizations` maps each touched assessment id to its organisation id, `new` holds the ones the
    import created, `counts` (values added, values replaced) and `officials` field → (old, new).
    Per-value old → new stays in ScoreRevision, which points at the same batch.
    """
    now = timezone.now()
    events = []
    for assessment_id, organization_id in sorted(organizations.items()):
        added, replaced = counts.get(assessment_id, (0, 0))
        changes = {
            name: {"label": str(OFFICIAL_LABELS[name]), "old": json_value(old), "new": json_value(value)}
            for name, (old, value) in officials.get(assessment_id, {}).items()
            if old != value
        }
        changes["counts"] = {"values_created": added, "values_changed": replaced}
        summary = gettext("นำเข้าจากไฟล์ %(file)s: คะแนนใหม่ %(added)s ค่า เปลี่ยนค่า %(replaced)s ค่า") % {
            "file": batch.filename,
            "added": format_number(added),
            "replaced": format_number(replaced),
        }
        assessment = Assessment(pk=assessment_id, organization_id=organization_id)
        action = "create" if assessment_id in new else "import"
        events.append(
            build(
                action=action,
                obj=assessment,
                summary=summary,
                user=user,
                source=Source.IMPORT,
                changes=changes,
                batch=batch,
                at=now,
            )
        )
    return record_many(events)
