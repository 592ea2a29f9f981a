"""What-if grading: a JSON document of scores graded against a framework fixture, without the database.

The document: {"fiscal_year": 2566, "tools": {"EIT1": "84.99"}, "indicators": {"1": "95.01"},
"items": {"o27": "๕๐"}, "official_overall": "91.47", "official_level": "ผ่าน"}; every key but
fiscal_year is optional and numbers may use Thai, Arabic or full-width digits.

Also builds the output of `manage.py grade` for a document or a stored assessment: the JSON
payload and the Thai summary lines. No ORM here; a stored assessment is only read by attribute.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from django.utils.translation import gettext as _

from ita.grading.inputs import FrameworkNotFound, spec_from_fixture
from ita.grading.rules import (
    TOOL_CODES,
    FrameworkSpec,
    GradeResult,
    Scores,
    grade,
    match_level,
    unknown_level_message,
)
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


class WhatIfError(ValueError):
    """A document or fiscal year that cannot be graded; str() is one line of Thai naming what is wrong."""


# -- reading and validating the document ----------------------------------------------------------


def fiscal_year(value: object) -> int:
    """The Buddhist-era fiscal year from a document value or a --year argument."""
    if value is None or value == "":
        raise WhatIfError(_("ไม่ได้ระบุปีงบประมาณ (fiscal_year)"))
    try:
        return parse_fiscal_year(value)
    except ThaiValueError as error:
        raise WhatIfError(str(error)) from error


def read_document(path: Path) -> dict:
    """The JSON document as a dict, numbers as Decimal (never float); WhatIfError in Thai otherwise."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as error:
        raise WhatIfError(_("ไม่พบไฟล์ %(path)s") % {"path": path}) from error
    except (OSError, UnicodeDecodeError) as error:
        raise WhatIfError(_("อ่านไฟล์ %(path)s ไม่ได้ (ต้องเป็นข้อความ UTF-8)") % {"path": path}) from error
    try:
        document = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as error:
        raise WhatIfError(
            _("ไฟล์ %(path)s ไม่ใช่ JSON ที่ถูกต้อง (บรรทัด %(line)s คอลัมน์ %(col)s)")
            % {"path": path.name, "line": error.lineno, "col": error.colno}
        ) from error
    if not isinstance(document, dict):
        raise WhatIfError(_('ไฟล์ %(path)s ต้องเป็นออบเจกต์ JSON เช่น {"fiscal_year": 2566}') % {"path": path.name})
    unknown = [key for key in document if key not in DOCUMENT_KEYS]
    if unknown:
        raise WhatIfError(
            _("ไม่รู้จักหัวข้อ %(keys)s (ใช้ได้: %(allowed)s)")
            % {"keys": ", ".join(map(str, unknown)), "allowed": ", ".join(DOCUMENT_KEYS)}
        )
    return document


def _section(document: dict, name: str) -> dict:
    section = document.get(name) or {}
    if not isinstance(section, dict):
        raise WhatIfError(_("หัวข้อ %(name)s ต้องเป็นออบเจกต์ JSON (รหัส: คะแนน)") % {"name": name})
    return section


def _score(value: object, where: str) -> Decimal:
    try:
        return parse_score(value)
    except ThaiValueError as error:
        raise WhatIfError(f"{where}: {error}") from error


def _tool_code(key: str) -> str:
    code = "".join(to_arabic_digits(str(key)).split()).upper()
    if code not in TOOL_CODES:
        raise WhatIfError(_("ไม่รู้จักเครื่องมือ '%(key)s' (ใช้ได้: %(codes)s)") % {"key": key, "codes": ", ".join(TOOL_CODES)})
    return code


def _indicator_number(key: str, spec: FrameworkSpec) -> int:
    text = to_arabic_digits(str(key)).strip()
    number = int(text) if text.isascii() and text.isdigit() else None
    if number not in spec.indicator_tools:
        raise WhatIfError(
            _("ไม่มีตัวชี้วัดที่ '%(key)s' ในกรอบการประเมินปี %(year)s") % {"key": key, "year": format_number(spec.fiscal_year)}
        )
    return number


def _item_code(key: str, spec: FrameworkSpec) -> str:
    try:
        code = normalize_item_code(str(key))
    except ThaiValueError as error:
        raise WhatIfError(str(error)) from error
    if code not in spec.items:
        raise WhatIfError(
            _("ไม่มีข้อ %(code)s ในกรอบการประเมินปี %(year)s") % {"code": code, "year": format_number(spec.fiscal_year)}
        )
    return code


def _collect(section: dict, normalise: Callable[[str], object], label: str) -> dict:
    values: dict = {}
    for key, value in section.items():
        code = normalise(key)
        if code in values:
            raise WhatIfError(_("%(label)s '%(key)s' ซ้ำกัน") % {"label": label, "key": key})
        values[code] = _score(value, f"{label} '{key}'")
    return values


def _official_level(value: object, spec: FrameworkSpec) -> str | None:
    """The stated level as the year's scheme spells it; a label from another scheme ("AA" for 2567) is an error."""
    if value is not None and not isinstance(value, str):
        raise WhatIfError(_('official_level ต้องเป็นข้อความ เช่น "ผ่าน"'))
    text = " ".join((value or "").split())
    if not text:
        return None
    label = match_level(text, spec.level_labels())
    if label is None:
        raise WhatIfError(f"official_level: {unknown_level_message(text, spec.fiscal_year, spec.level_labels())}")
    return label


def scores_from_document(document: dict, spec: FrameworkSpec) -> Scores:
    """Validated grading input from a what-if document; every error names the key it is about."""
    official_level = _official_level(document.get("official_level"), spec)
    official_overall = document.get("official_overall")
    return Scores(
        tools=_collect(_section(document, "tools"), _tool_code, _("เครื่องมือ")),
        indicators=_collect(_section(document, "indicators"), lambda k: _indicator_number(k, spec), _("ตัวชี้วัด")),
        items=_collect(_section(document, "items"), lambda k: _item_code(k, spec), _("ข้อ")),
        official_overall=None if official_overall is None else _score(official_overall, "official_overall"),
        official_level=official_level,
    )


# -- grading -------------------------------------------------------------------------------------


def spec_for_document(document: dict, directory: Path | str | None = None) -> FrameworkSpec:
    """The framework of the document's fiscal year, from the fixture files in `directory`."""
    year = fiscal_year(document.get("fiscal_year"))
    try:
        return spec_from_fixture(year, directory=directory)
    except FrameworkNotFound as error:
        raise WhatIfError(str(error)) from error


def grade_document(document: dict, spec: FrameworkSpec) -> tuple[GradeResult, dict]:
    """The grade of a document, with the official result it states (the `extra` of the output)."""
    scores = scores_from_document(document, spec)
    return grade(spec, scores), official_fields(scores.official_overall, scores.official_level)


def grade_file(path: Path, directory: Path | str | None = None) -> tuple[GradeResult, dict]:
    """Read, validate and grade the document at `path` against the fixtures in `directory`."""
    document = read_document(path)
    return grade_document(document, spec_for_document(document, directory))


# -- output --------------------------------------------------------------------------------------


def official_fields(overall: Decimal | None, level: str | None) -> dict:
    """The official result for the output, only what is known."""
    fields = {}
    if overall is not None:
        fields["official_overall"] = str(round_score(overall))
    if level:
        fields["official_level"] = level
    return fields


def assessment_fields(assessment) -> dict:
    """The `extra` of the output for a stored assessment: whose result it is, and its official result."""
    organization = assessment.organization
    extra = {
        "organization": organization.code,
        "organization_name": organization.name,
        "fiscal_year": assessment.fiscal_year,
    }
    return extra | official_fields(assessment.official_overall, assessment.official_level)


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


def _official_line(extra: dict) -> str:
    official = extra.get("official_overall")
    return _("ผลทางการ: %(overall)s  ระดับ: %(level)s") % {
        "overall": format_score(Decimal(official) if official else None),
        "level": extra.get("official_level") or "–",
    }


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
        lines.append(_official_line(extra))
    tools = [(code, value, f"tool:{code}" in result.derived) for code, value in result.tools.items()]
    indicators = [(format_number(n), v, f"indicator:{n}" in result.derived) for n, v in result.indicators.items()]
    lines.append(_("เครื่องมือ: ") + _joined(tools))
    lines.append(_("ตัวชี้วัด: ") + _joined(indicators))
    lines += [_("คำอธิบาย:")] + [f"  - {line}" for line in result.explanation]
    if result.warnings:
        lines += [_("ข้อสังเกต:")] + [f"  ! {line}" for line in result.warnings]
    return lines
