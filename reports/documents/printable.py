"""Text a document would print as empty boxes, found before rendering: which field, which character.

The document font (the bundled Sarabun) has Thai, Latin and common punctuation, not emoji or
most other scripts. ``unprintable_fields(context)`` walks a document's plain-data context and
names every field holding a character the font cannot draw, so the person who typed it can fix
it instead of publishing a page with boxes.
"""

from __future__ import annotations

from collections.abc import Iterator

from ita.thai import format_number
from reports.pdf.coverage import unprintable

# How a context key reads in a message; keys not listed read as "ข้อความในเอกสาร".
FIELD_LABELS = {
    "cover": "ปก",
    "organization": "ชื่อหน่วยงาน",
    "district": "อำเภอ",
    "province": "จังหวัด",
    "analysis": "การวิเคราะห์",
    "summary": "สรุปผลการประเมิน",
    "strengths": "จุดแข็ง",
    "weaknesses": "จุดที่ต้องพัฒนา",
    "groups": "ประเด็นที่ต้องพัฒนา",
    "items": "ข้อ",
    "recommendation": "แนวทางการปรับปรุง",
    "question": "ข้อคำถาม",
    "measures": "มาตรการ",
    "rows": "มาตรการ",
    "title": "ชื่อมาตรการ",
    "steps": "ขั้นตอนหรือวิธีการ",
    "responsible": "ผู้รับผิดชอบ",
    "monitoring": "การกำกับติดตาม",
    "note": "ผลการดำเนินงาน",
    "evidence_url": "หลักฐาน",
    "approval": "การอนุมัติ",
    "meeting_body": "ที่ประชุม",
    "meeting_place": "สถานที่ประชุม",
    "approver_name": "ชื่อผู้อนุมัติ",
    "approver_position": "ตำแหน่งผู้อนุมัติ",
    "office": "หน่วยงานที่รับผิดชอบ",
    "office_phone": "โทรศัพท์",
    "text": "ข้อความ",
}
# Generated or binary values: never typed by a person, or not text at all.
SKIPPED_KEYS = {"emblem", "qr", "meta", "colour", "digits"}
GENERIC_LABEL = "ข้อความในเอกสาร"


def _strings(value: object, path: tuple) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in SKIPPED_KEYS:
                yield from _strings(item, (*path, key))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def _label(path: tuple) -> str:
    parts = []
    for part in path:
        if isinstance(part, int):
            if parts:
                parts[-1] = f"{parts[-1]} ที่ {format_number(part + 1)}"
        else:
            label = FIELD_LABELS.get(part, GENERIC_LABEL)
            if not parts or parts[-1] != label:
                parts.append(label)
    return " › ".join(parts) or GENERIC_LABEL


def unprintable_fields(context: dict) -> list[tuple[str, str]]:
    """(field label, character) for every character the document font cannot draw, first occurrence only."""
    found: dict[str, str] = {}
    for path, text in _strings(context, ()):
        for character in unprintable(text):
            found.setdefault(character, _label(path))
    return [(label, character) for character, label in found.items()]


def describe(problems: list[tuple[str, str]]) -> list[str]:
    """One Thai sentence per problem: '"😀" (U+1F600) ใน มาตรการ ที่ ๒ › ชื่อมาตรการ'."""
    return [f'"{character}" (U+{ord(character):04X}) ใน {label}' for label, character in problems]
