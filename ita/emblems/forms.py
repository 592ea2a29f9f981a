"""The emblem upload: a file field that runs the upload through ita.emblems.image, for the page and the admin."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ita.emblems.image import MAX_UPLOAD_BYTES, MESSAGE_EMPTY, MESSAGE_TOO_LARGE, Emblem, EmblemRefused, prepare_emblem


class EmblemFileField(forms.FileField):
    """Cleans to the re-encoded Emblem (or None when no file was chosen); every refusal is a Thai form error."""

    default_error_messages = {
        "invalid": _("ไม่พบไฟล์ที่อัปโหลด กรุณาตรวจสอบว่าแบบฟอร์มส่งไฟล์มาด้วย"),
        "missing": _("ไม่พบไฟล์ที่อัปโหลด"),
        "empty": MESSAGE_EMPTY,
        "max_length": _("ชื่อไฟล์ยาวเกินไป"),
        "required": _("กรุณาเลือกไฟล์ภาพตราสัญลักษณ์ (PNG หรือ JPEG)"),
    }

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("ไฟล์ภาพตราสัญลักษณ์ (PNG หรือ JPEG ไม่เกิน ๒ เมกะไบต์)"))
        kwargs.setdefault("max_length", 255)
        kwargs.setdefault("widget", forms.FileInput(attrs={"accept": "image/png,image/jpeg"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None) -> Emblem | None:
        upload = super().clean(data, initial)
        if not upload:
            return None
        # The size the upload handler counted, checked before a byte is decoded.
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(MESSAGE_TOO_LARGE, code="too_large")
        upload.seek(0)
        content = upload.read(MAX_UPLOAD_BYTES + 1)
        try:
            return prepare_emblem(content)
        except EmblemRefused as error:
            raise forms.ValidationError(str(error), code="refused") from error


class EmblemForm(forms.Form):
    """The organisation page's upload form."""

    emblem = EmblemFileField(required=True)
