"""`manage.py grade`: grade a stored assessment, or a JSON what-if document without the database.

    manage.py grade --org ORG00001 --year ๒๕๖๖ [--json] [--dry-run]
    manage.py grade --input scores.json [--json]

The document: {"fiscal_year": 2566, "tools": {"EIT1": "84.99"}, "indicators": {"1": "95.01"},
"items": {"o27": "๕๐"}, "official_overall": "91.47", "official_level": "ผ่าน"}; every key but
fiscal_year is optional and numbers may use Thai, Arabic or full-width digits.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ita.grading.assess import grade_assessment
from ita.grading.inputs import DEFAULT_FIXTURE_DIR, FrameworkNotFound, spec_from_fixture
from ita.grading.rules import TOOL_CODES, FrameworkSpec, GradeResult, Scores, grade
from ita.models import Assessment, Organization
from ita.thai import (
    ThaiValueError,
    format_number,
    format_score,
    normalize_item_code,
    parse_fiscal_year,
    parse_score,
    round_score,
    to_arabic_digits,
)

DOCUMENT_KEYS = ("fiscal_year", "tools", "indicators", "items", "official_overall", "official_level")


class Command(BaseCommand):
    # --input must not touch the database, so skip the system checks (some of them query it).
    requires_system_checks = []

    @property
    def help(self) -> str:
        # A property, not a lazy string: argparse needs a real str, translated when the parser is built.
        return _("คำนวณคะแนนรวมและระดับผล ITA ของผลการประเมินที่บันทึกไว้ หรือของไฟล์ JSON")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--org", help=_("รหัสหน่วยงาน"))
        parser.add_argument("--year", help=_("ปีงบประมาณ (พ.ศ.) เช่น 2566 หรือ ๒๕๖๖"))
        parser.add_argument("--input", help=_("ไฟล์ JSON ของคะแนนที่จะคำนวณ (ไม่ใช้ฐานข้อมูล)"))
        parser.add_argument("--json", action="store_true", help=_("แสดงผลเป็น JSON"))
        parser.add_argument("--dry-run", action="store_true", help=_("คำนวณโดยไม่บันทึกผลลงฐานข้อมูล"))

    def handle(self, *args, **options) -> None:
        if options["input"]:
            if options["org"] or options["year"]:
                raise CommandError(_("ใช้ --input พร้อมกับ --org หรือ --year ไม่ได้"))
            result, extra = self._grade_document(Path(options["input"]))
        elif options["org"] and options["year"]:
            result, extra = self._grade_stored(options["org"], options["year"], save=not options["dry_run"])
        else:
            raise CommandError(_("ต้องระบุ --org และ --year หรือระบุ --input"))
        if options["json"]:
            payload = {**extra, **result_payload(result)}
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        else:
            self.stdout.write("\n".join(summary_lines(result, extra)))

    def _grade_document(self, path: Path) -> tuple[GradeResult, dict]:
        document = read_document(path)
        year = _year(document.get("fiscal_year"))
        directory = getattr(settings, "ITA_FRAMEWORK_FIXTURES", DEFAULT_FIXTURE_DIR)
        try:
            spec = spec_from_fixture(year, directory=directory)
        except FrameworkNotFound as error:
            raise CommandError(str(error)) from error
        scores = scores_from_document(document, spec)
        return grade(spec, scores), official_fields(scores.official_overall, scores.official_level)

    def _grade_stored(self, code: str, year_text: str, *, save: bool) -> tuple[GradeResult, dict]:
        year = _year(year_text)
        organization = Organization.objects.filter(code=code.strip()).first()
        if organization is None:
            raise CommandError(_("ไม่พบหน่วยงานรหัส %(code)s") % {"code": code})
        assessment = (
            Assessment.objects.select_related("organization", "framework")
            .filter(organization=organization, fiscal_year=year)
            .first()
        )
        if assessment is None:
            raise CommandError(
                _("%(org)s ยังไม่มีผลการประเมินของปีงบประมาณ %(year)s")
                % {"org": organization.name, "year": format_number(year)}
            )
        result = grade_assessment(assessment=assessment, save=save)
        extra = {"organization": organization.code, "organization_name": organization.name, "fiscal_year": year}
        return result, extra | official_fields(assessment.official_overall, assessment.official_level)


def official_fields(overall: Decimal | None, level: str | None) -> dict:
    """The official result for the output, only what is known."""
    fields = {}
    if overall is not None:
        fields["official_overall"] = str(round_score(overall))
    if level:
        fields["official_level"] = level
    return fields


def _year(value) -> int:
    if value is None or value == "":
        raise CommandError(_("ไม่ได้ระบุปีงบประมาณ (fiscal_year)"))
    try:
        return parse_fiscal_year(value)
    except ThaiValueError as error:
        raise CommandError(str(error)) from error


def read_document(path: Path) -> dict:
    """The JSON document as a dict, numbers as Decimal (never float); CommandError in Thai otherwise."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as error:
        raise CommandError(_("ไม่พบไฟล์ %(path)s") % {"path": path}) from error
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(_("อ่านไฟล์ %(path)s ไม่ได้ (ต้องเป็นข้อความ UTF-8)") % {"path": path}) from error
    try:
        document = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as error:
        raise CommandError(
            _("ไฟล์ %(path)s ไม่ใช่ JSON ที่ถูกต้อง (บรรทัด %(line)s คอลัมน์ %(col)s)")
            % {"path": path.name, "line": error.lineno, "col": error.colno}
        ) from error
    if not isinstance(document, dict):
        raise CommandError(_('ไฟล์ %(path)s ต้องเป็นออบเจกต์ JSON เช่น {"fiscal_year": 2566}') % {"path": path.name})
    unknown = [key for key in document if key not in DOCUMENT_KEYS]
    if unknown:
        raise CommandError(
            _("ไม่รู้จักหัวข้อ %(keys)s (ใช้ได้: %(allowed)s)")
            % {"keys": ", ".join(map(str, unknown)), "allowed": ", ".join(DOCUMENT_KEYS)}
        )
    return document


def _section(document: dict, name: str) -> dict:
    section = document.get(name) or {}
    if not isinstance(section, dict):
        raise CommandError(_("หัวข้อ %(name)s ต้องเป็นออบเจกต์ JSON (รหัส: คะแนน)") % {"name": name})
    return section


def _score(value, where: str) -> Decimal:
    try:
        return parse_score(value)
    except ThaiValueError as error:
        raise CommandError(f"{where}: {error}") from error


def _tool_code(key: str) -> str:
    code = "".join(to_arabic_digits(str(key)).split()).upper()
    if code not in TOOL_CODES:
        raise CommandError(_("ไม่รู้จักเครื่องมือ '%(key)s' (ใช้ได้: %(codes)s)") % {"key": key, "codes": ", ".join(TOOL_CODES)})
    return code


def _indicator_number(key: str, spec: FrameworkSpec) -> int:
    text = to_arabic_digits(str(key)).strip()
    number = int(text) if text.isascii() and text.isdigit() else None
    if number not in spec.indicator_tools:
        raise CommandError(
            _("ไม่มีตัวชี้วัดที่ '%(key)s' ในกรอบการประเมินปี %(year)s") % {"key": key, "year": format_number(spec.fiscal_year)}
        )
    return number


def _item_code(key: str, spec: FrameworkSpec) -> str:
    try:
        code = normalize_item_code(str(key))
    except ThaiValueError as error:
        raise CommandError(str(error)) from error
    if code not in spec.items:
        raise CommandError(
            _("ไม่มีข้อ %(code)s ในกรอบการประเมินปี %(year)s") % {"code": code, "year": format_number(spec.fiscal_year)}
        )
    return code


def _collect(section: dict, normalise, label: str) -> dict:
    values: dict = {}
    for key, value in section.items():
        code = normalise(key)
        if code in values:
            raise CommandError(_("%(label)s '%(key)s' ซ้ำกัน") % {"label": label, "key": key})
        values[code] = _score(value, f"{label} '{key}'")
    return values


def scores_from_document(document: dict, spec: FrameworkSpec) -> Scores:
    """Validated grading input from a what-if document; every error names the key it is about."""
    official_level = document.get("official_level")
    if official_level is not None and not isinstance(official_level, str):
        raise CommandError(_('official_level ต้องเป็นข้อความ เช่น "ผ่าน"'))
    official_overall = document.get("official_overall")
    return Scores(
        tools=_collect(_section(document, "tools"), _tool_code, _("เครื่องมือ")),
        indicators=_collect(_section(document, "indicators"), lambda k: _indicator_number(k, spec), _("ตัวชี้วัด")),
        items=_collect(_section(document, "items"), lambda k: _item_code(k, spec), _("ข้อ")),
        official_overall=None if official_overall is None else _score(official_overall, "official_overall"),
        official_level=(official_level or "").strip() or None,
    )


def _text(value: Decimal) -> str:
    return f"{value:.2f}"


def result_payload(result: GradeResult) -> dict:
    """The --json output: every known or derived value as a 2-decimal string."""
    return {
        "overall": None if result.overall is None else _text(result.overall),
        "level": result.level,
        "provisional": result.provisional,
        "provisional_reason": result.provisional_reason,
        "tools": {code: _text(value) for code, value in result.tools.items()},
        "indicators": {str(number): _text(value) for number, value in result.indicators.items()},
        "items": {code: _text(value) for code, value in result.items.items()},
        "derived": sorted(result.derived),
        "warnings": list(result.warnings),
        "explanation": list(result.explanation),
    }


def _joined(pairs: list[tuple[str, Decimal, bool]]) -> str:
    marker = _(" (คำนวณ)")
    return " · ".join(f"{key} {format_score(value)}{marker if derived else ''}" for key, value, derived in pairs) or "–"


def summary_lines(result: GradeResult, extra: dict) -> list[str]:
    """A readable Thai summary for the terminal; "(คำนวณ)" marks values derived rather than given."""
    lines = []
    if "organization" in extra:
        year = format_number(extra["fiscal_year"])
        lines.append(f"{extra['organization_name']} ({extra['organization']}) ปีงบประมาณ {year}")
    level = result.level or "–"
    lines.append(
        _("คะแนนรวม: %(overall)s  ระดับ: %(level)s") % {"overall": format_score(result.overall), "level": level}
    )
    if result.provisional:
        lines.append(_("ผลเบื้องต้น: %(reason)s") % {"reason": result.provisional_reason})
    if "official_overall" in extra or "official_level" in extra:
        official = extra.get("official_overall")
        lines.append(
            _("ผลทางการ: %(overall)s  ระดับ: %(level)s")
            % {
                "overall": format_score(Decimal(official) if official else None),
                "level": extra.get("official_level") or "–",
            }
        )
    tools = [(code, value, f"tool:{code}" in result.derived) for code, value in result.tools.items()]
    indicators = [(format_number(n), v, f"indicator:{n}" in result.derived) for n, v in result.indicators.items()]
    lines.append(_("เครื่องมือ: ") + _joined(tools))
    lines.append(_("ตัวชี้วัด: ") + _joined(indicators))
    lines += [_("คำอธิบาย:")] + [f"  - {line}" for line in result.explanation]
    if result.warnings:
        lines += [_("ข้อสังเกต:")] + [f"  ! {line}" for line in result.warnings]
    return lines
