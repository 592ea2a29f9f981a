"""The checklist's forms: every item's URLs and note in one version-guarded form, and the paste box."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ita.forms import item_label
from ita.models import Item
from ita.models.oit import NOTE_MAX_CHARS, URL_MAX_CHARS, URLS_MAX, validate_evidence_url, validate_evidence_urls
from ita.oit.paste import PASTE_MAX_CHARS

STALE_MESSAGE = _(
    "ไม่ได้บันทึก: มีผู้อื่นแก้ไขรายการหลักฐานนี้หลังจากที่คุณเปิดหน้านี้ หน้านี้แสดงค่าล่าสุดที่บันทึกไว้แล้ว"
    ' ส่วนข้อความที่คุณพิมพ์ไว้แสดงอยู่ในกรอบ "ข้อความที่ยังไม่ได้บันทึก" ให้คัดลอกไปใช้ได้'
)


class UrlListField(forms.CharField):
    """One URL a line (blank lines ignored) → a list of at most URLS_MAX http/https URLs."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", URLS_MAX * (URL_MAX_CHARS + 2) + 200)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2, "spellcheck": "false", "inputmode": "url"}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def clean(self, value) -> list[str]:
        text = super().clean(value) or ""
        urls = list(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))
        for url in urls:
            validate_evidence_url(url)
        validate_evidence_urls(urls)
        return urls


def urls_name(item: Item) -> str:
    return f"urls_{item.code}"


def note_name(item: Item) -> str:
    return f"note_{item.code}"


class ChecklistForm(forms.Form):
    """The URLs and note of every OIT item of the year, saved together against the version shown."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, items: list[Item], values: dict, version: int, read_only: bool = False, **kwargs):
        initial = {"version": version}
        for item in items:
            urls, note = values.get(item.pk, ([], ""))
            initial[urls_name(item)], initial[note_name(item)] = urls, note
        super().__init__(*args, initial=initial, **kwargs)
        self.items = items
        for item in items:
            label = item_label(item)
            self.fields[urls_name(item)] = UrlListField(label=_("ลิงก์หลักฐาน (บรรทัดละหนึ่งลิงก์)"))
            self.fields[urls_name(item)].item_label = label
            self.fields[note_name(item)] = forms.CharField(
                label=_("หมายเหตุ"),
                required=False,
                max_length=NOTE_MAX_CHARS,
                widget=forms.Textarea(attrs={"rows": 1}),
            )
        if read_only:
            for field in self.fields.values():
                field.disabled = True

    def rows(self) -> list[tuple[Item, forms.BoundField, forms.BoundField]]:
        return [(item, self[urls_name(item)], self[note_name(item)]) for item in self.items]

    def wanted(self) -> dict[Item, tuple[list[str], str]]:
        return {
            item: (self.cleaned_data[urls_name(item)], self.cleaned_data[note_name(item)].strip())
            for item in self.items
        }

    def typed(self, stored: dict) -> list[dict]:
        """What the user typed for items whose typed text differs from `stored` (offered back after a 409)."""
        drafts = []
        for item in self.items:
            urls_text = (self.data.get(urls_name(item)) or "")[: URLS_MAX * (URL_MAX_CHARS + 2)]
            note = (self.data.get(note_name(item)) or "")[:NOTE_MAX_CHARS]
            old_urls, old_note = stored.get(item.pk, ([], ""))
            typed_urls = [line.strip() for line in urls_text.splitlines() if line.strip()]
            if typed_urls != old_urls or note.strip() != old_note:
                drafts.append({"code": item.code.upper(), "urls": urls_text, "note": note})
        return drafts


class PasteForm(forms.Form):
    text = forms.CharField(
        label=_("วางรายการลิงก์ บรรทัดละหนึ่งข้อ"),
        max_length=PASTE_MAX_CHARS,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=_('เช่น "O1 https://…", "o2: https://… https://…" หรือ "ข้อ ๐๓ https://…" เลขไทยหรือเลขอารบิกก็ได้'),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


def model_url_problem(url: str) -> str | None:
    """The model's own URL check as the paste parser's stricter check: a Thai reason or None."""
    try:
        validate_evidence_url(url)
    except ValidationError as error:
        return " ".join(error.messages)
    return None
