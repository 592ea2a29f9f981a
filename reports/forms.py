"""The options of a document download, read from the query string."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from reports.models import Digits, DocumentKind


class DocumentOptionsForm(forms.Form):
    kind = forms.ChoiceField(label=_("เอกสาร"), choices=DocumentKind.choices, required=False)
    digits = forms.ChoiceField(label=_("ตัวเลข"), choices=Digits.choices, required=False)
    round = forms.TypedChoiceField(
        label=_("รอบรายงาน"),
        choices=[("6", _("รอบ ๖ เดือน")), ("12", _("รอบ ๑๒ เดือน"))],
        coerce=int,
        required=False,
        empty_value=None,
    )
    answers = forms.BooleanField(label=_("แสดงข้อ/ตัวชี้วัดที่มาตรการตอบ"), required=False)

    def clean_kind(self) -> str:
        return self.cleaned_data["kind"] or DocumentKind.MEASURES

    def clean_digits(self) -> str:
        return self.cleaned_data["digits"] or Digits.THAI


class NewsOptionsForm(forms.Form):
    """The news page's one option: Thai (default) or Arabic digits."""

    digits = forms.ChoiceField(label=_("ตัวเลข"), choices=Digits.choices, required=False)

    def clean_digits(self) -> str:
        return self.cleaned_data["digits"] or Digits.THAI
