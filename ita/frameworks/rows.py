"""A framework fixture file read as plain rows of each kind, every value checked against its model field.

Rows are keyed by what names them inside their framework (an indicator's number, a sub-indicator's
or an item's code); a foreign key becomes the number or code it points at, a weight a Decimal.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from ita.frameworks.files import FixtureError, read_records
from ita.models import Framework, Indicator, Item, SubIndicator

INDICATOR, SUB_INDICATOR, ITEM = "indicator", "subindicator", "item"
KINDS = (INDICATOR, SUB_INDICATOR, ITEM)  # the order rows are added in: a row's parents come first
MODELS: dict[str, type[models.Model]] = {INDICATOR: Indicator, SUB_INDICATOR: SubIndicator, ITEM: Item}
KEY_FIELDS = {INDICATOR: "number", SUB_INDICATOR: "code", ITEM: "code"}
# Every field of a fixture record but the ones that name the row.
FIELDS = {
    INDICATOR: ("tool", "name", "description"),
    SUB_INDICATOR: ("indicator", "name", "weight", "note"),
    ITEM: (
        "indicator",
        "sub_indicator",
        "text",
        "reverse_scored",
        "is_measures_item",
        "is_followup_item",
        "evidence",
        "weight",
        "order",
        "verified",
        "note",
    ),
}


@dataclass(frozen=True)
class Wanted:
    """One framework of a file as plain rows: indicator number, sub-indicator code, item code → fields."""

    fiscal_year: int
    source: str
    path: Path
    rows: Mapping[str, Mapping[object, Mapping[str, object]]]  # kind → key → fields


def _reference(value, key: tuple[int, str]) -> object:
    """The last part of a natural key of the same framework ([2568, "nacc_itas", 9] → 9)."""
    if not isinstance(value, list) or len(value) != 3 or tuple(value[:2]) != key:
        raise ValueError(_("อ้างถึงกรอบการประเมินอื่น: %(value)r") % {"value": value})
    return value[2]


def _plain(kind: str, name: str, value, key: tuple[int, str]) -> object:
    """A fixture value as the sync compares it, checked against the model field's own rules."""
    if name == "indicator":
        return int(_reference(value, key))
    if name == "sub_indicator":
        return None if value is None else str(_reference(value, key))
    model_field = MODELS[kind]._meta.get_field(name)
    if isinstance(model_field, models.BooleanField) and not isinstance(value, bool):
        raise ValueError(_("ต้องเป็น true หรือ false"))
    if isinstance(model_field, models.DecimalField):
        value = Decimal(str(value))
    if isinstance(model_field, models.TextField | models.CharField) and not isinstance(value, str):
        raise ValueError(_("ต้องเป็นข้อความ"))
    return model_field.clean(value, None)


def _row(kind: str, fields: Mapping, key: tuple[int, str]) -> tuple[object, dict[str, object]]:
    name = KEY_FIELDS[kind]
    row_key = int(fields[name]) if kind == INDICATOR else str(fields[name])
    return row_key, {f: _plain(kind, f, fields[f], key) for f in FIELDS[kind] if f in fields}


def _wanted(path: Path, records: list, key: tuple[int, str]) -> Wanted:
    owners = {INDICATOR: "framework", SUB_INDICATOR: "indicator", ITEM: "framework"}
    rows: dict[str, dict] = {kind: {} for kind in KINDS}
    for number, record in enumerate(records, start=1):
        kind = str(record.get("model", "")).removeprefix("ita.")
        if kind not in rows:
            continue
        try:
            fields = record["fields"]
            if tuple(fields[owners[kind]][:2]) != key:
                continue
            row_key, values = _row(kind, fields, key)
            if kind != INDICATOR and "indicator" not in values:
                raise KeyError("indicator")
        except (KeyError, TypeError, ValueError, IndexError, InvalidOperation, ValidationError) as error:
            message = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            raise FixtureError(
                _("ไฟล์ %(file)s รายการที่ %(number)s: อ่านไม่ได้ (%(error)s)")
                % {"file": path.name, "number": number, "error": message}
            ) from error
        rows[kind][row_key] = values
    return Wanted(key[0], key[1], path, rows)


def read_wanted(path: Path) -> Wanted:
    """The one framework of a fixture file as plain rows; FixtureError when the file cannot be used."""
    try:
        records = read_records(path)
        keys = [
            (int(r["fields"]["fiscal_year"]), str(r["fields"].get("source", Framework.Source.NACC_ITAS)))
            for r in records
            if r.get("model") == "ita.framework"
        ]
    except (
        OSError,
        UnicodeDecodeError,
        json.JSONDecodeError,
        KeyError,
        TypeError,
        ValueError,
        AttributeError,
    ) as error:
        raise FixtureError(_("อ่านไฟล์ %(file)s ไม่ได้: %(error)s") % {"file": path.name, "error": error}) from error
    if len(keys) != 1:
        raise FixtureError(_("ไฟล์ %(file)s ต้องมีกรอบการประเมินหนึ่งกรอบพอดี") % {"file": path.name})
    return _wanted(path, records, keys[0])
