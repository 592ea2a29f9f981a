"""The recommendation catalogue, the indicator texts and the measure library: lookup and loading.

`analyse()` turns a stored assessment into its Analysis with these texts.

The three JSON files under fixtures/catalogue/ are the project's own texts. Loading is
idempotent and never overwrites an entry an administrator edited (edited=True).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from ita.grading.assess import grade_assessment
from ita.models import Framework, Item, ItemCrosswalk
from ita.thai import ThaiValueError, normalize_item_code, normalize_text, round_score, to_thai_digits
from measures.analysis import Analysis, ItemInfo, Template, build_analysis, recommendation_text, select_items
from measures.models import IndicatorText, LibraryMeasure, PeriodKind, Recommendation, check_period

CATALOGUE_DIR = Path(settings.BASE_DIR) / "fixtures" / "catalogue"
RECOMMENDATIONS_FILE = "recommendations.json"
MEASURES_FILE = "measures.json"
INDICATOR_TEXTS_FILE = "indicator_texts.json"
SUPPORTED_VERSION = 1
# Library measures whose key starts with this keep a level already reached (รักษาระดับ): they are
# proposed to a plan with no weakness, and never to a plan that has something to fix.
KEEP_LEVEL_PREFIX = "keep-"
__all__ = [
    "KEEP_LEVEL_PREFIX",
    "analyse",
    "is_keep_level",
    "load_catalogue",
    "recommendation_for",
    "recommendation_text",
    "recommendations_for",
]
TEXT_KEYS = ("measures", "strength", "weakness")


def is_keep_level(key: str) -> bool:
    """True for a library measure that keeps a level (its key starts with KEEP_LEVEL_PREFIX)."""
    return key.startswith(KEEP_LEVEL_PREFIX)


class CatalogueError(ValueError):
    """A catalogue file that cannot be loaded; str() is a Thai message naming the file and the entry."""


# ---------------------------------------------------------------------------------------------
# Lookup through the crosswalk


def recommendations_for(items: Iterable[Item]) -> dict[int, Recommendation]:
    """Item id → its recommendation, or the one of the nearest-year item linked through the crosswalk.

    Ties between a previous and a following year go to the following year (newer wording). Items
    with no recommendation anywhere are left out. Three queries whatever the number of items.
    """
    items = list(items)
    found = {rec.item_id: rec for rec in Recommendation.objects.filter(item__in=items).select_related("item")}
    missing = [item for item in items if item.pk not in found]
    if not missing:
        return found
    links = ItemCrosswalk.objects.links()
    years = links.years
    candidates = links.linked(item.pk for item in missing)
    wanted = set().union(*candidates.values())
    linked = {rec.item_id: rec for rec in Recommendation.objects.filter(item_id__in=wanted).select_related("item")}
    for item in missing:
        options = [pk for pk in candidates[item.pk] if pk in linked]
        if options:
            own_year = years.get(item.pk, 0)
            best = min(options, key=lambda pk: (abs(years[pk] - own_year), -years[pk], pk))
            found[item.pk] = linked[best]
    return found


def recommendation_for(item: Item) -> Recommendation | None:
    """The item's recommendation, or the nearest-year one found through the crosswalk (both directions)."""
    return recommendations_for([item]).get(item.pk)


# ---------------------------------------------------------------------------------------------
# Loading


@dataclass
class LoadReport:
    """What one load did, per catalogue: created / updated / kept because edited / unchanged, and notes."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def count(self, bucket: str, name: str) -> None:
        counts = getattr(self, bucket)
        counts[name] = counts.get(name, 0) + 1


def read_catalogue(path: Path) -> dict:
    """The parsed file, after checking that it is a JSON object of a supported version."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise CatalogueError(f"ไม่พบไฟล์ {path.name}") from error
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CatalogueError(f"อ่านไฟล์ {path.name} ไม่ได้: {error}") from error
    if not isinstance(data, dict) or data.get("version") != SUPPORTED_VERSION:
        raise CatalogueError(f"ไฟล์ {path.name} ไม่ใช่รูปแบบรุ่นที่ {to_thai_digits(str(SUPPORTED_VERSION))}")
    return data


def _text(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise CatalogueError(f"{where}: ต้องเป็นข้อความที่ไม่ว่าง")
    return normalize_text(value)


def _apply(obj, values: dict, report: LoadReport, name: str) -> None:
    """Save `values` onto an existing catalogue row unless an administrator edited it."""
    if obj.edited:
        report.count("kept", name)
        return
    if all(getattr(obj, key) == value for key, value in values.items()):
        report.count("unchanged", name)
        return
    for key, value in values.items():
        setattr(obj, key, value)
    obj.save()
    report.count("updated", name)


def load_recommendations(data: dict, report: LoadReport) -> None:
    years = data.get("years")
    if not isinstance(years, dict):
        raise CatalogueError(f"{RECOMMENDATIONS_FILE}: ไม่มี 'years'")
    frameworks = {fw.fiscal_year: fw for fw in Framework.objects.filter(source=Framework.Source.NACC_ITAS)}
    existing = {rec.item_id: rec for rec in Recommendation.objects.all()}
    for year_text, entries in years.items():
        framework = frameworks.get(int(year_text)) if str(year_text).isdigit() else None
        if framework is None:
            report.notes.append(f"ข้ามข้อเสนอแนะปี {year_text}: ไม่มีกรอบการประเมินปีนี้ในระบบ")
            continue
        if not isinstance(entries, dict):
            raise CatalogueError(f"{RECOMMENDATIONS_FILE} ปี {year_text}: ต้องเป็นรายการตามรหัสข้อ")
        items = {item.code: item for item in framework.items.all()}
        for raw_code, entry in entries.items():
            _load_recommendation(year_text, raw_code, entry, items, existing, report)


def _load_recommendation(year_text, raw_code, entry, items, existing, report: LoadReport) -> None:
    where = f"{RECOMMENDATIONS_FILE} ปี {year_text} ข้อ {raw_code}"
    try:
        code = normalize_item_code(raw_code)
    except ThaiValueError as error:
        raise CatalogueError(f"{where}: {error}") from error
    if code not in items:
        report.notes.append(f"ข้าม {where}: ไม่มีข้อนี้ในกรอบการประเมิน")
        return
    if not isinstance(entry, dict):
        raise CatalogueError(f"{where}: ต้องมี issue และ action")
    values = {"issue": _text(entry.get("issue"), where), "action": _text(entry.get("action"), where)}
    item = items[code]
    if item.pk in existing:
        _apply(existing[item.pk], values, report, "recommendations")
    else:
        existing[item.pk] = Recommendation.objects.create(item=item, **values)
        report.count("created", "recommendations")


def load_indicator_texts(data: dict, report: LoadReport) -> None:
    """Every framework in the database gets the same texts; an edited framework's text is kept."""
    indicators = data.get("indicators")
    if not isinstance(indicators, dict):
        raise CatalogueError(f"{INDICATOR_TEXTS_FILE}: ไม่มี 'indicators'")
    parsed = {}
    for number_text, entry in indicators.items():
        where = f"{INDICATOR_TEXTS_FILE} ตัวชี้วัด {number_text}"
        if not str(number_text).isdigit() or not 1 <= int(number_text) <= 10 or not isinstance(entry, dict):
            raise CatalogueError(f"{where}: ต้องเป็นตัวชี้วัดที่ ๑–๑๐ พร้อม measures, strength, weakness")
        parsed[int(number_text)] = {key: _text(entry.get(key), f"{where} {key}") for key in TEXT_KEYS}
    existing = {(text.framework_id, text.number): text for text in IndicatorText.objects.all()}
    for framework in Framework.objects.all():
        for number, values in parsed.items():
            row = existing.get((framework.pk, number))
            if row is None:
                IndicatorText.objects.create(framework=framework, number=number, **values)
                report.count("created", "indicator_texts")
            else:
                _apply(row, values, report, "indicator_texts")


def _period(entry: dict, where: str) -> tuple[str, int | None, int | None]:
    period = entry.get("period") or {"kind": PeriodKind.WHOLE_YEAR}
    kind = period.get("kind") if isinstance(period, dict) else None
    if kind not in PeriodKind.values:
        raise CatalogueError(f"{where}: period.kind ต้องเป็น whole_year หรือ months")
    start, end = period.get("start"), period.get("end")
    try:
        check_period(kind, start, end)
    except Exception as error:  # ValidationError carries a list of messages
        raise CatalogueError(f"{where}: {'; '.join(getattr(error, 'messages', [str(error)]))}") from error
    return kind, start, end


def _library_values(entry: dict, where: str) -> dict:
    steps = entry.get("steps", [])
    indicators = entry.get("indicators", [])
    if not isinstance(steps, list) or not all(isinstance(step, str) for step in steps):
        raise CatalogueError(f"{where}: steps ต้องเป็นรายการข้อความ")
    if not isinstance(indicators, list) or not all(isinstance(n, int) and 1 <= n <= 10 for n in indicators):
        raise CatalogueError(f"{where}: indicators ต้องเป็นรายการเลข ๑–๑๐")
    kind, start, end = _period(entry, where)
    return {
        "title": _text(entry.get("title"), f"{where} title"),
        "steps": [normalize_text(step) for step in steps if step.strip()],
        "responsible": normalize_text(entry.get("responsible") or ""),
        "period_kind": kind,
        "start_month": start,
        "end_month": end,
        "monitoring": normalize_text(entry.get("monitoring") or ""),
        "indicators": indicators,
    }


def _library_items(entry: dict, where: str, report: LoadReport) -> list[Item]:
    wanted = entry.get("items") or {}
    if not isinstance(wanted, dict):
        raise CatalogueError(f"{where}: items ต้องเป็นรายการตามปี")
    found = []
    for year_text, codes in wanted.items():
        try:
            normalized = [normalize_item_code(code) for code in codes]
        except (ThaiValueError, TypeError) as error:
            raise CatalogueError(f"{where} ปี {year_text}: {error}") from error
        items = list(Item.objects.filter(framework__fiscal_year=year_text, code__in=normalized))
        missing = sorted(set(normalized) - {item.code for item in items})
        if missing:
            report.notes.append(f"{where} ปี {year_text}: ไม่พบข้อ {', '.join(missing)} ในระบบ")
        found += items
    return found


def load_library(data: dict, report: LoadReport) -> None:
    measures = data.get("measures")
    if not isinstance(measures, list):
        raise CatalogueError(f"{MEASURES_FILE}: ไม่มี 'measures'")
    existing = {measure.key: measure for measure in LibraryMeasure.objects.all()}
    for order, entry in enumerate(measures):
        key = entry.get("key") if isinstance(entry, dict) else None
        if not isinstance(key, str) or not key:
            raise CatalogueError(f"{MEASURES_FILE} รายการที่ {to_thai_digits(str(order + 1))}: ไม่มี key")
        where = f"{MEASURES_FILE} '{key}'"
        values = {**_library_values(entry, where), "order": order}
        items = _library_items(entry, where, report)
        row = existing.get(key)
        if row is None:
            row = LibraryMeasure.objects.create(key=key, **values)
            report.count("created", "measures")
        elif row.edited:
            report.count("kept", "measures")
            continue
        else:
            _apply(row, values, report, "measures")
        if {item.pk for item in row.items.all()} != {item.pk for item in items}:
            row.items.set(items)


LOADERS = (
    (RECOMMENDATIONS_FILE, load_recommendations),
    (INDICATOR_TEXTS_FILE, load_indicator_texts),
    (MEASURES_FILE, load_library),
)


def load_catalogue(directory: Path | str | None = None, *, only: Iterable[str] | None = None) -> LoadReport:
    """Load the catalogue files found in `directory` in one transaction; a bad file changes nothing."""
    directory = Path(directory or CATALOGUE_DIR)
    report = LoadReport()
    wanted = set(only) if only is not None else None
    with transaction.atomic():
        for filename, loader in LOADERS:
            if wanted is not None and filename not in wanted:
                continue
            path = directory / filename
            if not path.is_file():
                report.notes.append(f"ไม่พบไฟล์ {filename} ข้ามไป")
                continue
            loader(read_catalogue(path), report)
    return report


# ---------------------------------------------------------------------------------------------
# A stored assessment analysed with the catalogue's texts


def analyse(assessment, *, threshold: Decimal = Decimal("85.00"), grouping: str = "indicator") -> Analysis:
    """Analyse a stored assessment: grade it without saving, then build the analysis from the catalogue."""
    framework = assessment.framework
    result = grade_assessment(assessment=assessment, save=False)
    names = dict(framework.indicators.values_list("number", "name"))
    templates = {
        text.number: Template(text.measures, text.strength, text.weakness)
        for text in IndicatorText.objects.filter(framework=framework)
    }
    items = list(framework.items.select_related("indicator", "sub_indicator"))
    infos = {
        item.code: ItemInfo(
            item.code,
            item.indicator.tool,
            item.indicator.number,
            item.order,
            item.text,
            item.sub_indicator.code if item.sub_indicator else None,
        )
        for item in items
    }
    chosen = {info.code for info, _score in select_items(result.items, infos, round_score(threshold))}
    found = recommendations_for(item for item in items if item.code in chosen)
    by_code = {item.code: found[item.pk] for item in items if item.pk in found}
    return build_analysis(
        result,
        fiscal_year=framework.fiscal_year,
        threshold=threshold,
        names=names,
        templates=templates,
        infos=infos,
        recommendations={code: (rec.issue, rec.action) for code, rec in by_code.items()},
        grouping=grouping,
    )
