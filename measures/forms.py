"""Web forms of the measure-plan pages; every number and date accepts Thai, Arabic and full-width digits."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ita.forms import ScoreField
from ita.models import Assessment, Framework, Indicator, Item, Organization
from ita.thai import (
    BE_OFFSET,
    MONTH_ABBRS,
    ThaiValueError,
    format_number,
    normalize_item_code,
    parse_fiscal_year,
    parse_month,
    parse_score,
    to_arabic_digits,
)
from measures.library import QUERY_MAX
from measures.models import (
    ATTACHMENTS_PER_ENTRY,
    RETURN_REASON_MAX,
    RETURN_REASON_REQUIRED,
    Measure,
    MeasurePlan,
    OrgUnit,
    PeriodKind,
    Progress,
)
from measures.progress import EVIDENCE_SCHEMES, KNOWN_EXTENSIONS, AttachmentRefused, CheckedFile, check_upload

# Months in fiscal-year order (ต.ค. … ก.ย.), as staff think of a plan's year.
FISCAL_MONTHS = (10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9)
MONTH_CHOICES = [("", gettext_lazy("— เดือน —"))] + [(m, MONTH_ABBRS[m - 1]) for m in FISCAL_MONTHS]
_DATE_NUMERIC = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2,4})")
_DATE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DATE_WORDS = re.compile(r"(\d{1,2})\s+(\S+)\s+(?:พ\.?\s?ศ\.?\s*)?(\d{2,4})")


def parse_thai_date(text: str) -> datetime.date:
    """'๘/๖/๒๕๖๖', '8/6/2023', '2023-06-08' or '๘ มิถุนายน ๒๕๖๖' → date; ThaiValueError (Thai) otherwise."""
    cleaned = to_arabic_digits(text.strip())
    try:
        if match := _DATE_ISO.fullmatch(cleaned):
            year, month, day = match[1], int(match[2]), int(match[3])
        elif match := _DATE_NUMERIC.fullmatch(cleaned):
            day, month, year = int(match[1]), int(match[2]), match[3]
        elif match := _DATE_WORDS.fullmatch(cleaned):
            day, month, year = int(match[1]), parse_month(match[2]), match[3]
        else:
            raise ThaiValueError(_("'%(text)s' ไม่ใช่วันที่ (เช่น ๘/๖/๒๕๖๖)") % {"text": text[:40]}, text)
        # parse_fiscal_year reads พ.ศ., ค.ศ. and two-digit years; the calendar year is the same number here.
        return datetime.date(parse_fiscal_year(year) - BE_OFFSET, month, day)
    except ValueError as exc:
        if isinstance(exc, ThaiValueError):
            raise
        raise ThaiValueError(_("'%(text)s' ไม่ใช่วันที่ที่มีอยู่จริง") % {"text": text[:40]}, text) from exc


def show_date(value: datetime.date) -> str:
    """The date as staff type it: day/month/พ.ศ. in Thai digits."""
    return format_number(f"{value.day}/{value.month}/{value.year + BE_OFFSET}")


class ThaiDateField(forms.CharField):
    """A date typed day/month/year (พ.ศ. or ค.ศ.) in any digits, or with a Thai month name."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", 40)
        attrs = {"placeholder": _("เช่น ๘/๖/๒๕๖๖"), "autocomplete": "off", "class": "date-input"}
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return show_date(value) if isinstance(value, datetime.date) else value

    def clean(self, value) -> datetime.date | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            return parse_thai_date(text)
        except ThaiValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc


class PercentField(forms.CharField):
    """A whole percent 0–100 in any digits ('๕๐', '50', '50%')."""

    def prepare_value(self, value):
        return format_number(value) if isinstance(value, int) else value

    def clean(self, value) -> int:
        text = (super().clean(value) or "").strip().rstrip("%％").strip()
        try:
            number = parse_score(text or "0")
        except ThaiValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc
        if number != number.to_integral_value():
            raise forms.ValidationError(_("ร้อยละต้องเป็นจำนวนเต็ม ๐ ถึง ๑๐๐"), code="invalid")
        return int(number)


def _textarea(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class CreatePlanForm(forms.Form):
    """Start the organisation's plan for a fiscal year from the previous year's assessment."""

    fiscal_year = forms.CharField(label=gettext_lazy("ปีงบประมาณของมาตรการ (พ.ศ.)"), max_length=20)

    def __init__(self, *args, organization: Organization, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization
        # Set by clean() when the refusal is a missing or empty assessment, so the page can link to it.
        self.missing_year: int | None = None
        self.empty_assessment: Assessment | None = None

    def clean_fiscal_year(self) -> int:
        try:
            year = parse_fiscal_year(self.cleaned_data["fiscal_year"])
        except ThaiValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc
        if MeasurePlan.objects.filter(organization=self.organization, fiscal_year=year).exists():
            raise forms.ValidationError(
                _("มีมาตรการปีงบประมาณ %(year)s อยู่แล้ว") % {"year": format_number(year)}, code="exists"
            )
        previous = Assessment.objects.filter(organization=self.organization, fiscal_year=year - 1).first()
        if previous is None:
            self.missing_year = year - 1
            raise forms.ValidationError(
                _("ยังไม่มีผลการประเมินปีงบประมาณ %(previous)s จึงจัดทำมาตรการปี %(year)s ไม่ได้")
                % {"previous": format_number(year - 1), "year": format_number(year)},
                code="no_assessment",
            )
        if not previous.scores.exists():
            self.empty_assessment = previous
            raise forms.ValidationError(
                _("ผลการประเมินปีงบประมาณ %(previous)s ยังไม่มีคะแนน กรุณากรอกคะแนนก่อน")
                % {"previous": format_number(year - 1)},
                code="no_scores",
            )
        return year


class PlanDetailsForm(forms.Form):
    """The plan's header: meeting, responsible office, approver, threshold and grouping."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    meeting_date = ThaiDateField(label=gettext_lazy("วันที่ประชุม"), required=False)
    meeting_body = forms.CharField(label=gettext_lazy("ที่ประชุม"), max_length=255, required=False)
    meeting_place = forms.CharField(label=gettext_lazy("สถานที่ประชุม"), max_length=255, required=False)
    office = forms.CharField(label=gettext_lazy("ส่วนราชการผู้รับผิดชอบ"), max_length=255, required=False)
    office_phone = forms.CharField(label=gettext_lazy("โทรศัพท์"), max_length=64, required=False)
    approver_name = forms.CharField(label=gettext_lazy("ชื่อผู้อนุมัติ"), max_length=255, required=False)
    approver_position = forms.CharField(label=gettext_lazy("ตำแหน่งผู้อนุมัติ"), max_length=255, required=False)
    threshold = ScoreField(label=gettext_lazy("เกณฑ์จุดแข็ง/จุดอ่อน (คะแนน)"), required=True)
    grouping = forms.ChoiceField(
        label=gettext_lazy("จัดกลุ่มข้อที่ต้องพัฒนา"), choices=MeasurePlan.Grouping.choices, widget=forms.RadioSelect
    )

    FIELDS = (
        "meeting_date",
        "meeting_body",
        "meeting_place",
        "office",
        "office_phone",
        "approver_name",
        "approver_position",
        "threshold",
        "grouping",
    )

    def __init__(self, *args, plan: MeasurePlan, **kwargs) -> None:
        initial = {name: getattr(plan, name) for name in self.FIELDS}
        initial["lock_version"] = plan.lock_version
        super().__init__(*args, initial=initial, **kwargs)

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class FindingForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("ข้อความ"), widget=_textarea(4), max_length=5000)
    # The stored text the user started from (Finding.fingerprint): a save from an older text is refused.
    fingerprint = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


class RegenerateForm(forms.Form):
    KEEP, DISCARD = "keep", "discard"
    mode = forms.ChoiceField(
        label=gettext_lazy("ข้อความที่แก้ไขไว้"),
        choices=[
            (KEEP, gettext_lazy("คงข้อความที่แก้ไขไว้ (แนะนำ)")),
            (DISCARD, gettext_lazy("ทิ้งข้อความที่แก้ไข ใช้ข้อความที่ระบบสร้างใหม่ทั้งหมด")),
        ],
        initial=KEEP,
        widget=forms.RadioSelect,
    )


class MeasureForm(forms.ModelForm):
    """The five columns of one measure and the indicators and items it answers."""

    steps = forms.CharField(label=gettext_lazy("ขั้นตอนหรือวิธีการ (บรรทัดละหนึ่งขั้นตอน)"), widget=_textarea(5), required=False)
    responsible = forms.ChoiceField(label=gettext_lazy("ผู้รับผิดชอบ"), required=False)
    start_month = forms.TypedChoiceField(
        label=gettext_lazy("ตั้งแต่เดือน"), choices=MONTH_CHOICES, coerce=int, empty_value=None, required=False
    )
    end_month = forms.TypedChoiceField(
        label=gettext_lazy("ถึงเดือน"), choices=MONTH_CHOICES, coerce=int, empty_value=None, required=False
    )
    indicators = forms.TypedMultipleChoiceField(
        label=gettext_lazy("ตัวชี้วัดที่ตอบ"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    item_codes = forms.CharField(
        label=gettext_lazy("ข้อคำถามที่ตอบ (คั่นด้วยจุลภาคหรือเว้นวรรค เช่น i7, e4, o27)"),
        max_length=500,
        required=False,
    )
    # The stored values the user started from (Measure.fingerprint): a save from older values is refused.
    fingerprint = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    class Meta:
        model = Measure
        fields = ["title", "steps", "responsible", "period_kind", "start_month", "end_month", "monitoring"]
        fields += ["indicators", "item_codes"]
        widgets = {
            "title": _textarea(2),
            "monitoring": _textarea(3),
            "period_kind": forms.RadioSelect,
        }

    def __init__(self, *args, plan: MeasurePlan, units: list[str], indicators: dict[int, str], codes: set[str], **kw):
        super().__init__(*args, **kw)
        self.instance.plan = plan
        self.codes = codes
        current = self.instance.responsible
        names = list(units) + ([current] if current and current not in units else [])
        self.fields["responsible"].choices = [("", _("— เลือกส่วนราชการ —"))] + [(n, n) for n in names]
        self.fields["indicators"].choices = [
            (n, _("ตัวชี้วัดที่ %(n)s %(name)s") % {"n": format_number(n), "name": name})
            for n, name in sorted(indicators.items())
        ]
        self.initial["steps"] = "\n".join(self.instance.steps or [])
        self.initial["item_codes"] = ", ".join(code.upper() for code in self.instance.item_codes or [])
        if self.instance.pk is not None:
            self.initial["fingerprint"] = self.instance.fingerprint()

    def clean_steps(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["steps"].splitlines() if line.strip()]

    def clean_item_codes(self) -> list[str]:
        codes = []
        # "ข้อ o5" is one code: drop the word before splitting on commas and spaces.
        text = re.sub(r"ข้อ(?:ที่)?\s*", "", self.cleaned_data["item_codes"])
        for part in re.split(r"[,\s;]+", text.strip()):
            if not part:
                continue
            try:
                code = normalize_item_code(part)
            except ThaiValueError as exc:
                raise forms.ValidationError(str(exc), code="invalid") from exc
            if code not in self.codes:
                raise forms.ValidationError(
                    _("ไม่มีข้อ %(code)s ในกรอบการประเมินที่มาตรการนี้ใช้") % {"code": code.upper()}, code="unknown"
                )
            if code not in codes:
                codes.append(code)
        return codes

    def clean(self) -> dict:
        data = super().clean()
        # A whole-year measure keeps no months, whatever the month selects still hold.
        if data.get("period_kind") == PeriodKind.WHOLE_YEAR:
            data["start_month"] = data["end_month"] = None
        return data


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files in one field, each checked by measures.progress.check_upload; cleans to a list of CheckedFile."""

    default_error_messages = {
        "invalid": gettext_lazy("ไม่พบไฟล์ที่อัปโหลด กรุณาตรวจสอบว่าแบบฟอร์มส่งไฟล์มาด้วย"),
        "missing": gettext_lazy("ไม่พบไฟล์ที่อัปโหลด"),
        "empty": gettext_lazy("ไฟล์ที่เลือกว่างเปล่า"),
        "max_length": gettext_lazy("ชื่อไฟล์ยาวเกินไป"),
    }

    def __init__(self, **kwargs) -> None:
        accept = ",".join([*KNOWN_EXTENSIONS, *sorted(set(KNOWN_EXTENSIONS.values()))])
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True, "accept": accept}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None) -> list[CheckedFile]:
        uploads = [upload for upload in (data if isinstance(data, list | tuple) else [data]) if upload]
        if len(uploads) > ATTACHMENTS_PER_ENTRY:
            raise forms.ValidationError(
                _("เลือกไฟล์ได้ไม่เกิน %(limit)s ไฟล์ต่อหนึ่งบันทึก") % {"limit": format_number(ATTACHMENTS_PER_ENTRY)},
                code="too_many",
            )
        checked, errors = [], []
        for upload in uploads:
            try:
                checked.append(check_upload(super().clean(upload, initial)))
            except AttachmentRefused as error:
                errors.append(forms.ValidationError(str(error), code="refused"))
            except forms.ValidationError as error:
                errors.append(error)
        if errors:
            raise forms.ValidationError(errors)
        return checked


class ProgressForm(forms.ModelForm):
    """A dated follow-up entry of a measure, with files as its evidence."""

    date = ThaiDateField(label=gettext_lazy("วันที่"))
    percent = PercentField(label=gettext_lazy("ร้อยละความก้าวหน้า"), max_length=10, required=False)
    evidence_url = forms.URLField(
        label=gettext_lazy("ลิงก์หลักฐาน (http หรือ https)"),
        required=False,
        assume_scheme="https",
        validators=[URLValidator(schemes=EVIDENCE_SCHEMES)],
        max_length=200,
    )
    files = AttachmentsField(
        label=gettext_lazy("ไฟล์หลักฐาน"),
        help_text=gettext_lazy("PDF, PNG หรือ JPEG ไม่เกิน ๑๐ เมกะไบต์ต่อไฟล์ แนบได้ไม่เกิน ๕ ไฟล์ต่อหนึ่งบันทึก"),
    )

    class Meta:
        model = Progress
        fields = ["date", "status", "percent", "note", "evidence_url"]
        widgets = {"note": _textarea(3), "status": forms.RadioSelect}

    def clean(self) -> dict:
        data = super().clean()
        if data.get("status") == Progress.Status.DONE and data.get("percent") == 0:
            data["percent"] = 100  # "done" with the percent left blank means all of it
        return data

    def entry_fields(self) -> dict:
        """The cleaned values of the entry itself (no files, no fingerprint)."""
        return {name: self.cleaned_data[name] for name in Progress.EDITABLE_FIELDS}


class ProgressEditForm(ProgressForm):
    """Correct an entry: the stored values the user started from travel with it (Progress.fingerprint)."""

    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["files"].label = _("แนบไฟล์เพิ่ม")
        self.initial["fingerprint"] = self.instance.fingerprint()


class ProgressDeleteForm(forms.Form):
    """The confirmation of a deletion names the version of the entry the user saw."""

    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)


class UnitForm(forms.ModelForm):
    """Add or rename one of the organisation's units."""

    class Meta:
        model = OrgUnit
        fields = ["name"]

    def __init__(self, *args, organization: Organization, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.organization = organization

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        clash = OrgUnit.objects.filter(organization=self.instance.organization, name=name).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("มีส่วนราชการชื่อนี้อยู่แล้ว"), code="exists")
        return name


class PlanFilterForm(forms.Form):
    """Filters of the administrators' list of every organisation's plans."""

    province = forms.ChoiceField(label=gettext_lazy("จังหวัด"), required=False)
    year = forms.TypedChoiceField(label=gettext_lazy("ปีงบประมาณ"), coerce=int, empty_value=None, required=False)
    status = forms.ChoiceField(label=gettext_lazy("สถานะ"), required=False)

    def __init__(self, *args, provinces: list[str], years: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        everything = ("", _("ทั้งหมด"))
        self.fields["province"].choices = [everything] + [(p, p) for p in provinces]
        self.fields["year"].choices = [everything] + [(y, format_number(y)) for y in years]
        self.fields["status"].choices = [everything, *MeasurePlan.Status.choices]


class LibrarySearchForm(forms.Form):
    """The measure library's filters, a GET form: words, the framework year, an indicator, an item code.

    The year names the framework whose indicator names label the choices and in which the item code
    is looked up; it defaults to the year of the plan the library was opened from.
    """

    q = forms.CharField(
        label=gettext_lazy("ค้นหาจากชื่อ ขั้นตอน หรือการกำกับติดตาม"),
        max_length=QUERY_MAX,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
        error_messages={"max_length": gettext_lazy("คำค้นยาวได้ไม่เกิน ๑๐๐ ตัวอักษร")},
    )
    year = forms.TypedChoiceField(label=gettext_lazy("ตามกรอบการประเมินปี"), coerce=int)
    indicator = forms.TypedChoiceField(label=gettext_lazy("ตัวชี้วัด"), coerce=int, empty_value=None, required=False)
    item = forms.CharField(
        label=gettext_lazy("รหัสข้อ (เช่น i7, O12)"),
        max_length=20,
        required=False,
        error_messages={"max_length": gettext_lazy("รหัสข้อยาวได้ไม่เกิน ๒๐ ตัวอักษร")},
    )

    def __init__(self, data, *, default_year: int) -> None:
        years = list(
            Framework.objects.filter(source=Framework.Source.NACC_ITAS)
            .order_by("-fiscal_year")
            .values_list("fiscal_year", flat=True)
        )
        data = data.copy()
        if not data.get("year"):
            data["year"] = str(default_year)
        super().__init__(data)
        self.fields["year"].choices = [(y, format_number(y)) for y in years]
        chosen = data.get("year")
        self.chosen_year = (
            int(chosen) if chosen.isascii() and chosen.isdigit() and int(chosen) in years else default_year
        )
        names = Indicator.objects.filter(
            framework__fiscal_year=self.chosen_year, framework__source=Framework.Source.NACC_ITAS
        ).values_list("number", "name")
        self.fields["indicator"].choices = [("", _("ทุกตัวชี้วัด"))] + [
            (n, _("ตัวชี้วัดที่ %(n)s %(name)s") % {"n": format_number(n), "name": name}) for n, name in sorted(names)
        ]

    def clean_item(self) -> Item | None:
        """The item of the chosen year's framework with this code (Thai digits and any case accepted)."""
        text = self.cleaned_data["item"].strip()
        if not text:
            return None
        try:
            code = normalize_item_code(text)
        except ThaiValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc
        item = Item.objects.filter(
            framework__fiscal_year=self.chosen_year, framework__source=Framework.Source.NACC_ITAS, code=code
        ).first()
        if item is None:
            raise forms.ValidationError(
                _("ไม่มีข้อ %(code)s ในกรอบการประเมินปี พ.ศ. %(year)s")
                % {"code": code.upper(), "year": format_number(self.chosen_year)},
                code="unknown",
            )
        return item


class ReturnForm(forms.Form):
    """Why the executive sends a submitted plan back: required, so staff know what to change."""

    reason = forms.CharField(
        label=gettext_lazy("เหตุผลที่ส่งกลับไปแก้ไข"),
        max_length=RETURN_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": RETURN_REASON_REQUIRED,
            "max_length": gettext_lazy("เหตุผลยาวไม่เกิน ๒,๐๐๐ ตัวอักษร"),
        },
    )


class ApprovalForm(forms.Form):
    """The plan's lock_version the executive read on the confirmation page; approving another version is refused."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)
