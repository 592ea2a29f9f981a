"""The public list's filter form (GET): a value that is not a valid choice is ignored, not an error."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ita.models import Organization
from ita.thai import ThaiValueError, format_number, parse_fiscal_year
from reports.portal.documents import DocumentFilters

ANY = ("", _("ทั้งหมด"))


class DocumentFilterForm(forms.Form):
    """Search text, fiscal year, province, organisation type and level; choices come from the database."""

    q = forms.CharField(
        label=_("ชื่อหรือรหัสหน่วยงาน"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("เช่น หนองเล็ง")}),
    )
    year = forms.ChoiceField(label=_("ปีงบประมาณ"), required=False)
    province = forms.ChoiceField(label=_("จังหวัด"), required=False)
    org_type = forms.ChoiceField(label=_("ประเภทหน่วยงาน"), required=False)
    level = forms.ChoiceField(label=_("ระดับผลการประเมิน"), required=False, help_text=_("ของผลการประเมินที่ใช้จัดทำเอกสาร"))

    def __init__(self, data, *, years: list[int], provinces: list[str], levels: list[str]) -> None:
        data = data.copy()
        # Years may arrive in Thai digits or as ค.ศ. from a hand-typed URL; the choice values are พ.ศ.
        if data.get("year"):
            try:
                data["year"] = str(parse_fiscal_year(data["year"]))
            except ThaiValueError:
                data["year"] = ""
        super().__init__(data)
        self.fields["year"].choices = [ANY, *((str(year), format_number(year)) for year in years)]
        self.fields["province"].choices = [ANY, *((name, name) for name in provinces)]
        self.fields["org_type"].choices = [ANY, *Organization.Type.choices]
        self.fields["level"].choices = [ANY, *((label, label) for label in levels)]

    def filters(self) -> DocumentFilters:
        """The valid filters; each invalid field is dropped on its own so the others still apply."""
        self.is_valid()
        clean = self.cleaned_data
        year = clean.get("year")
        return DocumentFilters(
            fiscal_year=int(year) if year else None,
            province=clean.get("province") or "",
            org_type=clean.get("org_type") or "",
            level=clean.get("level") or "",
        )

    @property
    def query_text(self) -> str:
        self.is_valid()
        return (self.cleaned_data.get("q") or "").strip()
