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

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ita.thai import format_number


class Source(models.TextChoices):
    FORM = "form", _("แบบฟอร์ม")
    IMPORT = "import", _("นำเข้าไฟล์")
    ADMIN = "admin", _("ผู้ดูแลระบบ (หน้าจัดการ)")
    COMMAND = "command", _("คำสั่งระบบ")
    SYSTEM = "system", _("ระบบ")


class AuditEventQuerySet(models.QuerySet):
    def for_subject(self, obj: models.Model) -> models.QuerySet:
        """The history shown on an assessment's or a plan's page, newest first."""
        subject_type, subject_id, _org = subject_of(obj)
        return self.filter(subject_type=subject_type, subject_id=subject_id).order_by("-at", "-pk")


class AuditEvent(models.Model):
    """One recorded change: who, when, from where (form, import batch, admin, command), what, old → new."""

    at = models.DateTimeField(_("เวลา"), default=timezone.now)
    # The user may be deleted later; their name stays with the event.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    user_name = models.CharField(_("ผู้ดำเนินการ"), max_length=150, blank=True)
    source = models.CharField(_("ช่องทาง"), max_length=8, choices=Source.choices)
    # No database constraint: the history outlives a deleted batch or organisation and keeps its id.
    batch = models.ForeignKey(
        "ita.ImportBatch",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    organization = models.ForeignKey(
        "ita.Organization", on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True, related_name="+"
    )
    subject_type = models.CharField(max_length=32)
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    object_type = models.CharField(_("ชนิดข้อมูล"), max_length=64)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    action = models.CharField(_("การกระทำ"), max_length=32)
    changes = models.JSONField(_("ค่าเดิม → ค่าใหม่"), default=dict, blank=True)
    summary = models.TextField(_("สรุป"))

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        app_label = "ita"
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "-at"], name="auditevent_subject"),
            models.Index(fields=["organization", "-at"], name="auditevent_organization"),
        ]
        verbose_name = _("ประวัติการเปลี่ยนแปลง")
        verbose_name_plural = _("ประวัติการเปลี่ยนแปลง")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_name or '-'} {self.action} {self.object_type} {self.object_id}"


# --- what an object belongs to -------------------------------------------------------------------


def subject_of(obj: models.Model) -> tuple[str, int | None, int | None]:
    """(subject type, subject id, organisation id): whose history an object's change belongs to."""
    label = obj._meta.label_lower
    if label == "ita.assessment":
        return "assessment", obj.pk, obj.organization_id
    if label in ("ita.score", "ita.scorerevision"):
        return subject_of(obj.assessment)
    if label == "measures.measureplan":
        return "plan", obj.pk, obj.organization_id
    if label in ("measures.measure", "measures.finding", "reports.publishedversion", "reports.rendereddocument"):
        return subject_of(obj.plan)
    if label == "measures.progress":
        return subject_of(obj.measure.plan)
    if label == "ita.organization":
        return "organization", obj.pk, obj.pk
    organization_id = getattr(obj, "organization_id", None)
    return label, obj.pk, organization_id


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
    """One event for a save of an assessment's scores and results; None when nothing changed."""
    from ita.models import Assessment

    changes = model_diff(Assessment, old_fields, snapshot(assessment, ASSESSMENT_FIELDS))
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
    from ita.models import Assessment

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
