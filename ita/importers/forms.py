"""Forms of the import pages: upload a file, or paste text copied from the ITAS page or an old document.

Neither form names an organisation for staff: their imports always go to their own organisation
(the view passes it), so nothing in a POST can point an import elsewhere.
"""

from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ita.importers.parse import DEFAULT_LIMITS
from ita.importers.paste import MAX_LINES, split_lines
from ita.models import Framework, Organization
from ita.thai import ThaiValueError, format_number, parse_fiscal_year, to_arabic_digits

# .xls is let through on purpose: the parser answers it with a clear "save as .xlsx" message.
ACCEPTED_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".txt", ".tsv", ".xls")
MAX_PASTE_CHARS = 200_000


class UploadForm(forms.Form):
    """An .xlsx or delimited text file of ITAS results; administrators may let it create organisations."""

    file = forms.FileField(
        label=gettext_lazy("ไฟล์ผลการประเมิน"),
        help_text=gettext_lazy("ไฟล์ .xlsx หรือ .csv / .txt (UTF-8, UTF-16 หรือ CSV จาก Excel ภาษาไทย)"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_SUFFIXES)}),
    )
    create_orgs = forms.BooleanField(
        label=gettext_lazy("สร้างหน่วยงานที่ยังไม่มีในระบบ (ต้องมีชื่อหน่วยงานและจังหวัดในไฟล์)"), required=False
    )

    def __init__(self, *args, is_admin: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not is_admin:
            del self.fields["create_orgs"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if PurePath(upload.name).suffix.lower() not in ACCEPTED_SUFFIXES:
            raise forms.ValidationError(_("รับเฉพาะไฟล์ .xlsx, .csv หรือ .txt"), code="suffix")
        if upload.size > DEFAULT_LIMITS.max_bytes:
            limit = format_number(DEFAULT_LIMITS.max_bytes // (1024 * 1024))
            raise forms.ValidationError(_("ไฟล์ใหญ่เกินที่รับได้ (%(mb)s MB)") % {"mb": limit}, code="size")
        if upload.size == 0:
            raise forms.ValidationError(_("ไฟล์ว่างเปล่า"), code="empty")
        return upload

    def content(self) -> bytes:
        """The uploaded bytes (read once, after validation)."""
        upload = self.cleaned_data["file"]
        upload.seek(0)
        return upload.read()

    def filename(self) -> str:
        # Only the base name is kept: it is a label for people, never a path the server opens.
        return PurePath(self.cleaned_data["file"].name.replace("\\", "/")).name[:255]


class PasteForm(forms.Form):
    """Text copied from the ITAS result page or an old PDF/Word file, for one fiscal year."""

    fiscal_year = forms.CharField(
        label=gettext_lazy("ปีงบประมาณ (พ.ศ.)"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": "๒๕๖๗"}),
    )
    # Administrators only: a code rather than a list, since a national install has thousands of organisations.
    organization = forms.CharField(
        label=gettext_lazy("รหัสหน่วยงาน"), max_length=32, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    text = forms.CharField(
        label=gettext_lazy("ข้อความที่คัดลอกมา"),
        max_length=MAX_PASTE_CHARS,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
        help_text=gettext_lazy(
            'วางตารางคะแนนรายตัวชี้วัดหรือรายข้อ เช่น "๑ การปฏิบัติหน้าที่ ๘๘.๙๕" หรือ "ข้อ i๑ ๙๘.๓๓" ระบบจะแสดงสิ่งที่อ่านได้ให้ตรวจก่อนบันทึก'
        ),
    )

    # The order the page shows them in, which the error summary follows.
    field_order = ["organization", "fiscal_year", "text"]

    def __init__(self, *args, is_admin: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not is_admin:
            # Staff paste into their own organisation, which the view supplies; no field to tamper with.
            del self.fields["organization"]

    def clean_organization(self) -> Organization:
        code = " ".join(to_arabic_digits(self.cleaned_data["organization"]).split())
        organization = Organization.objects.filter(code=code).first()
        if organization is None:
            raise forms.ValidationError(_("ไม่พบหน่วยงานรหัส %(code)s") % {"code": code}, code="unknown")
        return organization

    def clean_fiscal_year(self) -> int:
        try:
            year = parse_fiscal_year(self.cleaned_data["fiscal_year"])
        except ThaiValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc
        if not Framework.objects.filter(fiscal_year=year, source=Framework.Source.NACC_ITAS).exists():
            message = _("ยังไม่มีกรอบการประเมินของปีงบประมาณ %(year)s ในระบบ") % {"year": format_number(year)}
            raise forms.ValidationError(message, code="no_framework")
        return year

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        if not text.strip():
            raise forms.ValidationError(_("กรุณาวางข้อความ"), code="required")
        if "\x00" in text:
            raise forms.ValidationError(_("ข้อความมีอักขระที่ไม่อนุญาต"), code="control")
        lines = len(split_lines(text))
        if lines > MAX_LINES:
            message = _("ข้อความที่วางมี %(lines)s บรรทัด เกินที่รับได้ (%(limit)s บรรทัด) กรุณาวางเฉพาะตารางคะแนน หรือแบ่งวางทีละส่วน")
            raise forms.ValidationError(
                message % {"lines": format_number(lines), "limit": format_number(MAX_LINES)}, code="lines"
            )
        return text
