"""The notification settings form."""

from django import forms
from django.utils.translation import gettext_lazy as _


class PreferenceForm(forms.Form):
    email_enabled = forms.BooleanField(
        label=_("รับอีเมลแจ้งเตือนเรื่องมาตรการของหน่วยงาน"),
        required=False,
        widget=forms.CheckboxInput(attrs={"aria-describedby": "id_email_enabled-help"}),
        help_text=_("เมื่อมีการเสนอ ส่งกลับแก้ไข อนุมัติ หรือเผยแพร่มาตรการ และก่อนครบรอบรายงานผล ๖ และ ๑๒ เดือน ๑๔ วัน"),
    )
