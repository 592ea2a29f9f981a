"""What `manage.py sync_frameworks` prints: one Thai line per finding, the same words for a dry run and an apply."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ita import audit
from ita.frameworks.diff import Differences
from ita.frameworks.rows import INDICATOR, KINDS, MODELS, SUB_INDICATOR
from ita.frameworks.sync import FrameworkSync, SyncReport
from ita.thai import format_number


def row_label(kind: str, key) -> str:
    """ "ตัวชี้วัดที่ ๙", "ตัวชี้วัดย่อย ๙.๑", "ข้อ O12": how a row is named in the report."""
    if kind == INDICATOR:
        return _("ตัวชี้วัดที่ %(number)s") % {"number": format_number(key)}
    if kind == SUB_INDICATOR:
        return _("ตัวชี้วัดย่อย %(code)s") % {"code": format_number(key)}
    return _("ข้อ %(code)s") % {"code": str(key).upper()}


def _fields(kind: str, names) -> str:
    return ", ".join(audit.field_label(MODELS[kind], name) for name in names)


def _verbs(applied: bool) -> dict[str, str]:
    if applied:
        return {
            "added": _("เพิ่มแล้ว"),
            "updated": _("ปรับตามไฟล์แล้ว"),
            "loaded": _("ยังไม่มีในฐานข้อมูล: โหลดทั้งกรอบจากไฟล์แล้ว"),
            "regraded": _("คำนวณคะแนนใหม่แล้ว %(count)s ผลการประเมิน"),
            "crosswalk": _("การเทียบข้อข้ามปี: เพิ่มแล้ว %(added)s รายการ มีอยู่แล้ว %(existing)s รายการ"),
        }
    return {
        "added": _("จะเพิ่ม"),
        "updated": _("จะปรับตามไฟล์"),
        "loaded": _("ยังไม่มีในฐานข้อมูล: จะโหลดทั้งกรอบจากไฟล์"),
        "regraded": _("จะคำนวณคะแนนใหม่ %(count)s ผลการประเมิน"),
        "crosswalk": _("การเทียบข้อข้ามปี: จะเพิ่ม %(added)s รายการ มีอยู่แล้ว %(existing)s รายการ"),
    }


def _grouped(kind: str, changed) -> list[tuple[str, str]]:
    """(field labels, row labels) with the rows that differ in the same fields on one line, in file order."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for key, names in changed.items():
        groups.setdefault(tuple(names), []).append(row_label(kind, key))
    return [(_fields(kind, names), ", ".join(rows)) for names, rows in groups.items()]


def _part_lines(kind: str, part: Differences, verbs: dict[str, str]) -> list[str]:
    lines = []
    if part.added:
        lines.append(f"  {verbs['added']}: " + ", ".join(row_label(kind, key) for key in part.added))
    for fields, rows in _grouped(kind, part.updated):
        lines.append(f"  {verbs['updated']} ({fields}): {rows}")
    for fields, rows in _grouped(kind, part.edited):
        lines.append(_("  คงไว้ตามที่ผู้ดูแลระบบแก้ไข แม้ต่างจากไฟล์ (%(fields)s): %(rows)s") % {"fields": fields, "rows": rows})
    if part.deleted:
        rows = ", ".join(row_label(kind, key) for key in part.deleted)
        lines.append(_("  ผู้ดูแลระบบลบไว้ จึงไม่เพิ่มกลับ: %(rows)s") % {"rows": rows})
    if part.extra:
        rows = ", ".join(row_label(kind, key) for key in part.extra)
        lines.append(_("  มีในฐานข้อมูลแต่ไม่มีในไฟล์ (ไม่ลบ): %(rows)s") % {"rows": rows})
    return lines


def framework_lines(result: FrameworkSync, *, applied: bool) -> list[str]:
    """The lines of one framework: a heading, then what was (or would be) done and what was left alone."""
    verbs = _verbs(applied)
    heading = _("กรอบการประเมินปี พ.ศ. %(year)s (%(file)s):") % {
        "year": format_number(result.fiscal_year),
        "file": result.file,
    }
    if result.missing:
        return [heading, f"  {verbs['loaded']}"]
    lines = [line for kind in KINDS for line in _part_lines(kind, result.parts[kind], verbs)]
    for kind, key, parent_kind, parent_key in result.skipped:
        labels = {"parent": row_label(parent_kind, parent_key), "row": row_label(kind, key)}
        lines.append(_("  ข้ามเพราะไม่มี %(parent)s ในฐานข้อมูล: %(row)s") % labels)
    if result.regraded:
        lines.append("  " + verbs["regraded"] % {"count": format_number(result.regraded)})
    return [heading, *(lines or [_("  ตรงกับไฟล์แล้ว")])]


def report_lines(report: SyncReport) -> list[str]:
    """Everything one run found or did, starting with whether anything was written."""
    if report.applied:
        lines = [_("ปรับฐานข้อมูลตามไฟล์กรอบการประเมินแล้ว (แต่ละกรอบบันทึกในธุรกรรมของตนเอง)")]
    else:
        lines = [_("ตรวจอย่างเดียว ยังไม่ได้เขียนฐานข้อมูล: ใช้ --apply เพื่อปรับตามรายการด้านล่าง")]
    for result in report.frameworks:
        lines += framework_lines(result, applied=report.applied)
    added, existing, skipped = report.crosswalk
    counts = {"added": format_number(added), "existing": format_number(existing)}
    line = _verbs(report.applied)["crosswalk"] % counts
    if skipped:
        line += _(" ข้าม %(skipped)s รายการ (ไม่พบข้อในฐานข้อมูล)") % {"skipped": format_number(skipped)}
    return [*lines, line]
