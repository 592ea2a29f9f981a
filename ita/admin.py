"""Administrators correct framework data and organisations here, without a code change.

Organisations and user accounts are imported and exported as files here too (django-import-export's
upload → preview → confirm, resources in ita.onboarding); results are exported.

ITAS results are imported through our own engine (ita.importers.jobs), reached from the "นำเข้าผล ITAS"
button on the assessment and import-batch lists: django-import-export's row-per-instance Resource
import cannot read the wide one-row-per-organisation files at national scale.
"""

from decimal import Decimal
from operator import attrgetter

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.core.exceptions import FieldDoesNotExist
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ita import audit
from ita.accounts import lockouts  # noqa: F401 - registers the login lockouts page
from ita.emblems.forms import EmblemFileField
from ita.emblems.store import replace_emblem
from ita.forms import STALE_MESSAGE
from ita.grading.assess import SAVED_FIELDS, StaleAssessmentError, regrade_framework, save_assessment
from ita.models import (
    Assessment,
    AuditEvent,
    AuditorAssignment,
    Delivery,
    Framework,
    GradeLevel,
    ImportBatch,
    ImportJob,
    Indicator,
    Item,
    ItemCrosswalk,
    Membership,
    Organization,
    OrganizationEmblem,
    Score,
    ScoreRevision,
    SubIndicator,
    ValueSource,
)
from ita.oit import admin as oit_admin  # noqa: F401 - registers the link checks' page
from ita.onboarding.admin_mixins import ExportOnlyMixin, FileImportExportMixin
from ita.onboarding.organizations import OrganizationResource
from ita.onboarding.results import ResultResource
from ita.onboarding.users import UserResource
from ita.thai import format_number, to_arabic_digits

# --- audit of admin edits -------------------------------------------------------------------------

# Never copied into the history: a password hash is a secret even when it changes.
SECRET_FIELDS = frozenset({"password"})


def _plain_fields(obj, names) -> list[str]:
    """The names that are concrete, non-secret columns of obj (many-to-many and form-only fields left out)."""
    fields = []
    for name in names:
        try:
            field = obj._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.concrete and not field.many_to_many and name not in SECRET_FIELDS:
            fields.append(name)
    return fields


def _columns(obj) -> list[str]:
    return _plain_fields(obj, [field.name for field in obj._meta.concrete_fields])


def _admin_event(request, obj, action: str, before: dict, after: dict):
    model = type(obj)
    verbs = {"create": _("เพิ่ม"), "update": _("แก้ไข"), "delete": _("ลบ")}
    summary = _("%(verb)s%(model)s “%(obj)s” ผ่านหน้าผู้ดูแลระบบ") % {
        "verb": verbs[action],
        "model": model._meta.verbose_name,
        "obj": str(obj)[:120],
    }
    return audit.build(
        action=action,
        obj=obj,
        user=getattr(request, "user", None),
        source=audit.Source.ADMIN,
        changes=audit.model_diff(model, before, after),
        summary=str(summary),
    )


def _stored(obj, fields: list[str]) -> dict:
    stored = type(obj)._default_manager.filter(pk=obj.pk).first() if obj.pk is not None else None
    return audit.snapshot(stored, fields) if stored is not None else {}


class AuditedAdmin(admin.ModelAdmin):
    """Every add, change and delete made in the admin (inline rows too) becomes an AuditEvent (source admin)."""

    def save_model(self, request, obj, form, change) -> None:
        # Without a form (a save called from code) every column is compared with the stored row.
        fields = _plain_fields(obj, form.changed_data) if change and form is not None else _columns(obj)
        before = _stored(obj, fields) if change else {}
        super().save_model(request, obj, form, change)
        event = _admin_event(request, obj, "update" if change else "create", before, audit.snapshot(obj, fields))
        if event.changes or not change:
            event.save()

    def delete_model(self, request, obj) -> None:
        event = _admin_event(request, obj, "delete", audit.snapshot(obj, _columns(obj)), {})
        super().delete_model(request, obj)
        event.save()

    def delete_queryset(self, request, queryset) -> None:
        events = [_admin_event(request, obj, "delete", audit.snapshot(obj, _columns(obj)), {}) for obj in queryset]
        super().delete_queryset(request, queryset)
        audit.record_many(events)

    def save_formset(self, request, form, formset, change) -> None:
        deleting = [f for f in formset.deleted_forms if f.instance.pk is not None]
        # Deleted rows lose their id when deleted: their events are built from the stored rows first.
        events = [
            _admin_event(request, f.instance, "delete", _stored(f.instance, _columns(f.instance)), {}) for f in deleting
        ]
        before = {
            f.instance.pk: _stored(f.instance, _columns(f.instance))
            for f in formset.initial_forms
            if f.instance.pk is not None and f.has_changed() and f not in deleting
        }
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            events.append(_admin_event(request, obj, "create", {}, audit.snapshot(obj, _columns(obj))))
        for obj, _changed in formset.changed_objects:
            events.append(
                _admin_event(request, obj, "update", before.get(obj.pk, {}), audit.snapshot(obj, _columns(obj)))
            )
        audit.record_many(events)


# Both lists carry the button that opens the import upload page (templates/admin/ita/import_change_list.html).
IMPORT_CHANGE_LIST = "admin/ita/import_change_list.html"


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record written only by the application: administrators read it, nobody edits it here."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class GradeLevelInline(admin.TabularInline):
    model = GradeLevel
    extra = 0


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["number", "tool", "name"]


class RegradesFramework:
    """A framework part whose change moves grades: every assessment of its framework is regraded after it.

    The edit itself is audited by AuditedAdmin; the regrade writes only computed fields, like an import.
    """

    framework_path = "framework"  # where the admin's object keeps its framework (dotted attributes)

    def framework_of(self, obj) -> Framework:
        return attrgetter(self.framework_path)(obj) if self.framework_path else obj

    def _regrade(self, request, obj) -> None:
        count = regrade_framework(self.framework_of(obj))
        if count:
            self.message_user(
                request, gettext("คำนวณคะแนนใหม่แล้ว %(count)s ผลการประเมิน") % {"count": format_number(count)}
            )

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        self._regrade(request, form.instance)

    def delete_model(self, request, obj) -> None:
        framework = self.framework_of(obj)
        super().delete_model(request, obj)
        regrade_framework(framework)

    def delete_queryset(self, request, queryset) -> None:
        frameworks = {self.framework_of(obj).pk: self.framework_of(obj) for obj in queryset}
        super().delete_queryset(request, queryset)
        for framework in frameworks.values():
            regrade_framework(framework)


class FrameworkForm(forms.ModelForm):
    """The OIT collection dates explained and entered as a pair (FrameworkAdmin.fieldsets adds the other fields)."""

    class Meta:
        model = Framework
        fields = ["oit_opens", "oit_closes"]
        help_texts = {
            "oit_opens": _(
                "วันแรกที่ระบบ ITAS รับลิงก์หลักฐาน OIT ของปีนี้ ระบบใช้วันเปิดและวันปิดรับเพื่อแสดงหลักฐานที่ยังขาดในรายการสิ่งที่ต้องทำ "
                "และส่งอีเมลสรุปรายสัปดาห์ ว่างไว้ทั้งสองช่องเมื่อยังไม่ทราบ ระบบจะใช้ช่วงตั้งต้น "
                "(ปกติ ๑ มกราคม ถึง ๓๐ มิถุนายน ของปีงบประมาณ)"
            ),
            "oit_closes": _("วันสุดท้ายที่ระบบ ITAS รับลิงก์หลักฐาน OIT ของปีนี้ (ยังรับในวันนั้น)"),
        }

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("oit_opens"), cleaned.get("oit_closes")
        if (opens is None) != (closes is None) and not self.has_error("oit_opens") and not self.has_error("oit_closes"):
            raise forms.ValidationError(_("ใส่ทั้งวันเปิดและวันปิดรับหลักฐาน OIT หรือว่างไว้ทั้งสองช่อง"))
        if opens and closes and opens > closes:
            self.add_error("oit_closes", _("วันปิดรับหลักฐาน OIT ต้องไม่ก่อนวันเปิดรับ"))
        return cleaned


@admin.register(Framework)
class FrameworkAdmin(RegradesFramework, AuditedAdmin):
    form = FrameworkForm
    fieldsets = [
        (
            None,
            {"fields": ["fiscal_year", "source", "name", "weight_iit", "weight_eit", "weight_oit", "verified", "note"]},
        ),
        (_("ช่วงรับหลักฐาน OIT"), {"fields": [("oit_opens", "oit_closes")]}),
    ]
    list_display = ["fiscal_year", "source", "name", "verified"]
    list_filter = ["source", "verified"]
    inlines = [GradeLevelInline, IndicatorInline]
    framework_path = ""

    def delete_model(self, request, obj) -> None:
        AuditedAdmin.delete_model(self, request, obj)  # its assessments go with it: nothing left to regrade

    def delete_queryset(self, request, queryset) -> None:
        AuditedAdmin.delete_queryset(self, request, queryset)


@admin.register(Indicator)
class IndicatorAdmin(AuditedAdmin):
    list_display = ["framework", "number", "tool", "name"]
    list_filter = ["framework", "tool"]


@admin.register(SubIndicator)
class SubIndicatorAdmin(RegradesFramework, AuditedAdmin):
    list_display = ["indicator", "code", "name", "weight"]
    list_filter = ["indicator__framework"]
    list_select_related = ["indicator__framework"]
    framework_path = "indicator.framework"


@admin.register(Item)
class ItemAdmin(RegradesFramework, AuditedAdmin):
    list_display = [
        "framework",
        "code",
        "indicator",
        "sub_indicator",
        "weight",
        "reverse_scored",
        "is_measures_item",
        "is_followup_item",
        "verified",
    ]
    list_filter = ["framework", "indicator__tool", "verified", "is_measures_item", "is_followup_item"]
    search_fields = ["code", "text"]
    list_select_related = ["framework", "indicator", "sub_indicator"]


@admin.register(ItemCrosswalk)
class ItemCrosswalkAdmin(AuditedAdmin):
    list_display = ["from_item", "to_item", "verified"]
    list_select_related = ["from_item__framework", "to_item__framework"]
    raw_id_fields = ["from_item", "to_item"]


class OrganizationAdminForm(forms.ModelForm):
    """The organisation's columns, plus its emblem: a new file (checked like the organisation page's) or removal."""

    emblem_file = EmblemFileField(required=False)
    emblem_remove = forms.BooleanField(label=_("ลบตราสัญลักษณ์"), required=False)

    class Meta:
        model = Organization
        fields = ["code", "name", "org_type", "district", "province", "phone", "website"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("emblem_file") and cleaned.get("emblem_remove"):
            raise forms.ValidationError(_("กรุณาเลือกอย่างใดอย่างหนึ่ง: อัปโหลดไฟล์ใหม่ หรือ ลบตราสัญลักษณ์"))
        return cleaned


@admin.register(Organization)
class OrganizationAdmin(FileImportExportMixin, AuditedAdmin):
    form = OrganizationAdminForm
    resource_classes = [OrganizationResource]
    list_display = ["code", "name", "org_type", "district", "province"]
    list_filter = ["org_type", "province"]
    search_fields = ["code", "name", "district", "province"]
    readonly_fields = ["emblem_preview"]

    @admin.display(description=_("ตราสัญลักษณ์ปัจจุบัน"))
    def emblem_preview(self, obj: Organization) -> str:
        emblem = OrganizationEmblem.objects.filter(organization_id=obj.pk).first() if obj.pk else None
        if emblem is None:
            return _("ไม่มี")
        return format_html('<img src="{}" alt="{}" height="96">', emblem.data_url(), _("ตราสัญลักษณ์"))

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        # The emblem has its own row and its own history event (the images' SHA-256, not their bytes).
        if form.cleaned_data.get("emblem_remove"):
            replace_emblem(obj, None, user=request.user, source=audit.Source.ADMIN)
        elif form.cleaned_data.get("emblem_file"):
            replace_emblem(obj, form.cleaned_data["emblem_file"], user=request.user, source=audit.Source.ADMIN)


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["user", "organization", "role"]
    list_filter = ["role"]
    raw_id_fields = ["organization"]


# --- assessments: the score form's write path -------------------------------------------------------
#
# An administrator's correction is written like a staff save (ita.grading.assess.save_assessment):
# guarded by the version the page was opened with, version bumped, every replaced value kept as a
# ScoreRevision, one AuditEvent (source admin) for the assessment and its scores, overall and level
# regraded. A staff form opened before it is then refused as stale instead of undoing it.


def _normal_code(kind: str, code: str) -> str:
    """A score code as the score form stores it: tools upper case, indicators plain numbers, items lower case."""
    code = to_arabic_digits(code.strip())
    if kind == Score.Kind.TOOL:
        return code.upper()
    if kind == Score.Kind.INDICATOR:
        return str(int(code)) if code.isdigit() else code
    return code.lower()


def _known_codes(framework_id: int | None) -> dict[str, set[str]]:
    framework = Framework.objects.filter(pk=framework_id).first()
    if framework is None:
        return {Score.Kind.TOOL: set(Score.TOOL_CODES), Score.Kind.INDICATOR: set(), Score.Kind.ITEM: set()}
    return {
        Score.Kind.TOOL: set(Score.TOOL_CODES),
        Score.Kind.INDICATOR: {str(number) for number in framework.indicators.values_list("number", flat=True)},
        Score.Kind.ITEM: set(framework.items.values_list("code", flat=True)),
    }


class ScoreInlineFormSet(forms.BaseInlineFormSet):
    """The score rows of one assessment: codes its framework knows, each (kind, code) once.

    Nothing is saved by the formset itself: score_values() hands the rows to save_assessment.
    """

    def _kept(self):
        """(form, key) of every row that stays: changed or added rows with their new key, others as stored."""
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            if form.has_changed() and form.cleaned_data.get("kind") and form.cleaned_data.get("code"):
                yield form, (form.cleaned_data["kind"], form.cleaned_data["code"])
            elif form.instance.pk is not None and not form.has_changed():
                yield form, (form.initial.get("kind"), form.initial.get("code"))

    def clean(self) -> None:
        super().clean()
        known = _known_codes(self.instance.framework_id)
        for form in self.forms:
            if hasattr(form, "cleaned_data") and form.has_changed() and form.cleaned_data.get("code"):
                form.cleaned_data["code"] = _normal_code(form.cleaned_data.get("kind", ""), form.cleaned_data["code"])
        seen: set[tuple[str, str]] = set()
        for form, (kind, code) in self._kept():
            if form.has_changed() and code not in known.get(kind, set()):
                form.add_error("code", _("รหัส “%(code)s” ไม่มีในกรอบการประเมินของผลการประเมินนี้") % {"code": code})
            elif (kind, code) in seen:
                form.add_error("code", _("มีคะแนน “%(code)s” ชนิดนี้อยู่แล้วในรายการ") % {"code": code})
            seen.add((kind, code))

    def score_values(self) -> dict[tuple[str, str], Decimal | None]:
        """(kind, code) → value for save_assessment: None for a deleted row or one moved to another code."""
        values: dict[tuple[str, str], Decimal | None] = {}
        for form in self.initial_forms:
            if form.instance.pk is not None and (self._should_delete_form(form) or form.has_changed()):
                values[(form.initial["kind"], form.initial["code"])] = None
        for form, key in self._kept():
            if form.has_changed():
                # Two places, as the score form stores them, so the history reads 100.00 whichever page wrote it.
                values[key] = form.cleaned_data["value"].quantize(Decimal("0.01"))
        return values

    def note_for_log(self) -> None:
        """What the admin's own change log reads after a formset save (this formset never saves itself)."""
        self.new_objects = [f.instance for f in self.extra_forms if f.has_changed() and not self._should_delete_form(f)]
        self.changed_objects = [
            (f.instance, f.changed_data)
            for f in self.initial_forms
            if f.has_changed() and not self._should_delete_form(f)
        ]
        self.deleted_objects = [f.instance for f in self.initial_forms if self._should_delete_form(f)]


class ScoreInline(admin.TabularInline):
    model = Score
    formset = ScoreInlineFormSet
    extra = 0
    fields = ["kind", "code", "value", "source", "entered_by", "batch", "updated_at"]
    # The provenance of a value is written by the save: an admin's value is "ผู้ดูแลระบบ".
    readonly_fields = ["source", "entered_by", "batch", "updated_at"]


class AssessmentAdminForm(forms.ModelForm):
    """The assessment's own columns, with the version the page was opened with (the lost-update check)."""

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    class Meta:
        model = Assessment
        fields = ["organization", "framework", "fiscal_year", "official_overall", "official_level"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["opened_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None and cleaned.get("opened_version") is None:
            raise forms.ValidationError(_("หน้านี้ไม่ได้ระบุฉบับของข้อมูลที่เปิดไว้ โปรดเปิดหน้านี้ใหม่แล้วแก้ไขอีกครั้ง"))
        return cleaned


@admin.register(Assessment)
class AssessmentAdmin(ExportOnlyMixin, AuditedAdmin):
    form = AssessmentAdminForm
    # Results leave as a file here; they come in through the ITAS import (the button beside it).
    resource_classes = [ResultResource]
    change_list_template = IMPORT_CHANGE_LIST
    list_display = ["organization", "fiscal_year", "overall", "level", "official_overall", "official_level"]
    list_filter = ["fiscal_year", "level"]
    search_fields = ["organization__name", "organization__code"]
    list_select_related = ["organization"]
    raw_id_fields = ["organization"]
    readonly_fields = ["overall", "level", "provisional", "provisional_reason", "version", "updated_by"]
    inlines = [ScoreInline]

    def get_readonly_fields(self, request, obj=None):
        # Whose result and which year are what the record is: a correction there is a new assessment.
        fixed = ["organization", "fiscal_year"] if obj is not None else []
        return [*fixed, *super().get_readonly_fields(request, obj)]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            if request.method == "POST" and object_id is not None:
                self._check_version(request, object_id)
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleAssessmentError:
            # Nothing was written (a save that lost the race was rolled back): show the stored values to decide again.
            messages.error(request, STALE_MESSAGE)
            return redirect(request.get_full_path())

    def _check_version(self, request, object_id) -> None:
        """StaleAssessmentError before any validation when the page was opened from an older version.

        Checked first so that rows another save deleted meanwhile read as "changed since", not as
        invalid rows; save_assessment checks again inside the transaction (the actual lock).
        """
        opened = request.POST.get("opened_version", "")
        stored = self.get_object(request, unquote(object_id))
        if stored is not None and opened.isdigit() and int(opened) != stored.version:
            raise StaleAssessmentError

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            super().save_model(request, obj, form, change)  # created and audited; its scores follow in save_related
        # A change is written with its scores in save_related, through save_assessment.

    def save_related(self, request, form, formsets, change) -> None:
        form.save_m2m()
        scores: dict[tuple[str, str], Decimal | None] = {}
        for formset in formsets:
            scores |= formset.score_values()
            formset.note_for_log()
        if not change and not scores:
            return
        fields = {name: form.cleaned_data[name] for name in SAVED_FIELDS if change and name in form.cleaned_data}
        saved = save_assessment(
            assessment=form.instance,
            version=form.cleaned_data["opened_version"] if change else form.instance.version,
            fields=fields,
            scores=scores,
            user=request.user,
            source=ValueSource.ADMIN,
        )
        form.instance.version = saved.version


@admin.register(ImportBatch)
class ImportBatchAdmin(AuditedAdmin):
    change_list_template = IMPORT_CHANGE_LIST
    list_display = ["filename", "sha256", "created_by", "created_at"]
    readonly_fields = ["filename", "sha256", "created_by", "created_at"]


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    change_list_template = IMPORT_CHANGE_LIST
    list_display = ["filename", "kind", "status", "organization", "created_by", "created_at", "rows_total"]
    list_filter = ["status", "kind"]
    search_fields = ["filename", "sha256", "organization__name", "organization__code"]
    list_select_related = ["organization", "created_by"]
    # The stored upload (content) is never shown here: it can be a large file of another organisation.
    fields = [
        "job_page", "kind", "status", "message", "organization", "fiscal_year", "create_orgs", "filename", "sha256",
        "created_by", "created_at", "started_at", "finished_at", "rows_total", "rows_done", "batch",
    ]  # fmt: skip
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content")

    @admin.display(description=_("หน้างานนำเข้า"))
    def job_page(self, obj: ImportJob) -> str:
        return format_html('<a href="{}">{}</a>', reverse("importers:detail", args=[obj.pk]), _("เปิดหน้างานนำเข้า"))


@admin.register(ScoreRevision)
class ScoreRevisionAdmin(ReadOnlyAdmin):
    list_display = ["assessment", "kind", "code", "old_value", "new_value", "old_source", "new_source", "changed_by"]
    list_filter = ["kind", "new_source"]
    search_fields = ["assessment__organization__name", "assessment__organization__code", "code"]
    list_select_related = ["assessment__organization", "changed_by"]
    date_hierarchy = "changed_at"

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the history of a score is an audit record (SECURITY.md A6)


@admin.register(AuditorAssignment)
class AuditorAssignmentAdmin(AuditedAdmin):
    list_display = ["user", "organization", "assigned_at", "note"]
    search_fields = ["user__username", "organization__code", "organization__name"]
    list_select_related = ["user", "organization"]
    raw_id_fields = ["user", "organization"]
    readonly_fields = ["changes_seen_at"]  # the auditor's own reading position, moved from their home


class ActionFilter(admin.SimpleListFilter):
    title = _("การกระทำ")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return [(action, label) for action, label in audit.ACTION_LABELS.items()]

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


class ObjectTypeFilter(admin.SimpleListFilter):
    title = _("ชนิดข้อมูล")
    parameter_name = "object_type"

    def lookups(self, request, model_admin):
        # The models events can be about, named in Thai (no query: a scan of a long history would be slow).
        return [(label, audit.object_type_label(label)) for label in audit.object_types()]

    def queryset(self, request, queryset):
        return queryset.filter(object_type=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "user_name", "source", "action_shown", "object_shown", "object_id", "organization", "summary"]
    list_filter = ["source", ActionFilter, ObjectTypeFilter]
    search_fields = ["user_name", "summary", "organization__code", "organization__name"]
    list_select_related = ["organization"]
    date_hierarchy = "at"

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the audit history is kept (SECURITY.md A6)

    @admin.display(description=_("การกระทำ"), ordering="action")
    def action_shown(self, event: AuditEvent) -> str:
        return audit.action_label(event.action)

    @admin.display(description=_("ชนิดข้อมูล"), ordering="object_type")
    def object_shown(self, event: AuditEvent) -> str:
        return audit.object_type_label(event.object_type)


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    """The notification e-mails: what went to whom, what was skipped and why, and each failure's error."""

    list_display = ["created_at", "event_key", "recipient", "subject", "status", "email", "attempts", "sent_at"]
    list_filter = ["status"]
    search_fields = ["event_key", "subject", "recipient__username", "email"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    fields = [
        "event_key", "recipient", "subject", "body", "status", "email", "skip_reason", "attempts", "last_error",
        "created_at", "updated_at", "sent_at",
    ]  # fmt: skip
    readonly_fields = fields

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the record that a mail went (or why not) is kept


# Users and their passwords are administered here too: the user admin records its changes like the others.
admin.site.unregister(User)


@admin.register(User)
class AuditedUserAdmin(FileImportExportMixin, AuditedAdmin, UserAdmin):
    resource_classes = [UserResource]
