"""Build grading inputs (ita.grading.rules dataclasses) from the database or from framework fixture files."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ita.grading import rules as grading
from ita.models import GradeLevel, Indicator, Item, Score
from ita.thai import to_thai_digits

DEFAULT_FIXTURE_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "frameworks"
DEFAULT_SOURCE = "nacc_itas"


class FrameworkNotFound(LookupError):
    """No framework for the asked year and source; str() is a Thai message for the user."""


def spec_from_framework(framework) -> grading.FrameworkSpec:
    """The grading spec of a stored Framework, in three queries (levels, indicators, items)."""
    return specs_from_frameworks([framework])[framework.pk]


def specs_from_frameworks(frameworks: Iterable) -> dict[int, grading.FrameworkSpec]:
    """Framework id → grading spec, in three queries whatever the number of frameworks."""
    frameworks = {framework.pk: framework for framework in frameworks}
    levels: dict[int, list[grading.Level]] = defaultdict(list)
    for level in GradeLevel.objects.filter(framework_id__in=frameworks).order_by("framework_id", "order", "pk"):
        levels[level.framework_id].append(grading.Level(level.label, level.min_overall, level.min_tool))
    indicators: dict[int, dict[int, tuple[str, str]]] = defaultdict(dict)
    # order_by() everywhere: the models' default orderings would join the framework table for nothing.
    rows = (
        Indicator.objects.filter(framework_id__in=frameworks)
        .order_by()
        .values_list("framework_id", "number", "tool", "name")
    )
    for framework_id, number, tool, name in rows:
        indicators[framework_id][number] = (tool, name)
    items: dict[int, dict[str, grading.ItemInfo]] = defaultdict(dict)
    # A sub-indicator matters to grading only through its items, so its weight comes with them.
    sub_weights: dict[int, dict[str, Decimal]] = defaultdict(dict)
    rows = (
        Item.objects.filter(framework_id__in=frameworks)
        .order_by()
        .values_list(
            "framework_id", "code", "indicator__number", "sub_indicator__code", "weight", "sub_indicator__weight"
        )
    )
    for framework_id, code, number, sub_code, weight, sub_weight in rows:
        items[framework_id][code] = grading.ItemInfo(code, number, sub_code, weight)
        if sub_code is not None:
            sub_weights[framework_id][sub_code] = sub_weight
    return {
        pk: grading.FrameworkSpec(
            fiscal_year=framework.fiscal_year,
            weights={"IIT": framework.weight_iit, "EIT": framework.weight_eit, "OIT": framework.weight_oit},
            levels=tuple(levels[pk]),
            indicator_tools={number: tool for number, (tool, _name) in indicators[pk].items()},
            indicator_names={number: name for number, (_tool, name) in indicators[pk].items()},
            items=items[pk],
            sub_indicator_weights=sub_weights[pk],
        )
        for pk, framework in frameworks.items()
    }


def _load_records(path: Path, fiscal_year: int) -> list[dict]:
    year = to_thai_digits(str(fiscal_year))
    if not path.is_file():
        raise FrameworkNotFound(f"ไม่มีกรอบการประเมินของปีงบประมาณ {year} (ไม่พบไฟล์ {path.name})")
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FrameworkNotFound(f"อ่านไฟล์กรอบการประเมิน {path.name} ไม่ได้: {error}") from error
    if not isinstance(records, list):
        raise FrameworkNotFound(f"ไฟล์กรอบการประเมิน {path.name} ไม่ใช่รายการข้อมูลแบบ loaddata")
    return [record for record in records if isinstance(record, dict)]


def _decimal(value, path: Path) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation as error:
        raise FrameworkNotFound(f"ไฟล์กรอบการประเมิน {path.name} มีตัวเลขไม่ถูกต้อง: {value!r}") from error


def _spec_from_records(records: list[dict], key: list, path: Path) -> grading.FrameworkSpec:
    def of(model: str, owner_field: str, owner_key: list) -> list[dict]:
        found = [r.get("fields", {}) for r in records if r.get("model") == model]
        return [fields for fields in found if list(fields.get(owner_field) or [])[: len(owner_key)] == owner_key]

    framework = next(
        (r["fields"] for r in records if r.get("model") == "ita.framework" and _framework_key(r) == key), None
    )
    if framework is None:
        year = to_thai_digits(str(key[0]))
        raise FrameworkNotFound(f"ไฟล์ {path.name} ไม่มีกรอบการประเมินของปีงบประมาณ {year} แหล่ง {key[1]}")
    levels = sorted(of("ita.gradelevel", "framework", key), key=lambda fields: fields.get("order", 0))
    indicators = of("ita.indicator", "framework", key)
    items = of("ita.item", "framework", key)
    subs = [r.get("fields", {}) for r in records if r.get("model") == "ita.subindicator"]
    sub_weights = {
        f["code"]: _decimal(f.get("weight", 1), path) for f in subs if list(f.get("indicator") or [])[:2] == key
    }
    return grading.FrameworkSpec(
        fiscal_year=key[0],
        weights={tool: _decimal(framework.get(f"weight_{tool.lower()}"), path) for tool in grading.TOOLS},
        levels=tuple(
            grading.Level(f["label"], _decimal(f["min_overall"], path), _decimal(f.get("min_tool"), path))
            for f in levels
        ),
        indicator_tools={int(f["number"]): f["tool"] for f in indicators},
        indicator_names={int(f["number"]): f.get("name", "") for f in indicators},
        items={
            f["code"]: grading.ItemInfo(
                f["code"],
                int(f["indicator"][2]),
                (f.get("sub_indicator") or [None] * 3)[2],
                _decimal(f.get("weight", 1), path),
            )
            for f in items
        },
        sub_indicator_weights=sub_weights,
    )


def _framework_key(record: dict) -> list:
    fields = record.get("fields", {})
    return [fields.get("fiscal_year"), fields.get("source", DEFAULT_SOURCE)]


def spec_from_fixture(
    fiscal_year: int, source: str = DEFAULT_SOURCE, directory: Path | str | None = None
) -> grading.FrameworkSpec:
    """The grading spec of `<directory>/ita_<year>.json`, read without touching the database."""
    path = Path(directory or DEFAULT_FIXTURE_DIR) / f"ita_{fiscal_year}.json"
    records = _load_records(path, fiscal_year)
    try:
        return _spec_from_records(records, [fiscal_year, source], path)
    except (KeyError, IndexError, TypeError, ValueError) as error:
        raise FrameworkNotFound(f"ไฟล์กรอบการประเมิน {path.name} มีข้อมูลไม่ครบหรือผิดรูปแบบ: {error}") from error


def scores_from_assessment(assessment) -> grading.Scores:
    """The assessment's stored scores as grading input, in one query."""
    tools: dict[str, Decimal] = {}
    indicators: dict[int, Decimal] = {}
    items: dict[str, Decimal] = {}
    for kind, code, value in assessment.scores.values_list("kind", "code", "value"):
        if kind == "tool":
            tools[code] = value
        elif kind == "indicator":
            indicators[int(code)] = value
        elif kind == "item":
            items[code] = value
    return grading.Scores(
        tools=tools,
        indicators=indicators,
        items=items,
        official_overall=assessment.official_overall,
        official_level=assessment.official_level or None,
    )


def scores_of(assessments: Sequence, rows=None) -> dict[int, grading.Scores]:
    """Assessment id → its stored scores as grading input, in one query.

    `rows` is the Score queryset to read when the caller has a narrower filter than the ids (a whole
    framework's assessments); it must hold only these assessments' scores.
    """
    values: dict[int, dict[str, dict]] = {a.pk: {"tool": {}, "indicator": {}, "item": {}} for a in assessments}
    if rows is None:
        rows = Score.objects.filter(assessment__in=[a.pk for a in assessments])
    for assessment_id, kind, code, value in rows.order_by().values_list("assessment_id", "kind", "code", "value"):
        values[assessment_id][kind][int(code) if kind == Score.Kind.INDICATOR else code] = value
    return {
        a.pk: grading.Scores(
            tools=values[a.pk]["tool"],
            indicators=values[a.pk]["indicator"],
            items=values[a.pk]["item"],
            official_overall=a.official_overall,
            official_level=a.official_level or None,
        )
        for a in assessments
    }
