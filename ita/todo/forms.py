"""The auditor's "seen" form: the moment the home page was drawn, so only what was shown is marked."""

from django import forms
from django.utils.translation import gettext_lazy as _


class SeenForm(forms.Form):
    until = forms.DateTimeField(label=_("แสดงการเปลี่ยนแปลงถึงเมื่อ"), widget=forms.HiddenInput)
