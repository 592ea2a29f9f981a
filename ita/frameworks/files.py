"""The framework fixture files: read them, load the frameworks a database lacks, add the crosswalk rows it lacks."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.utils.translation import gettext as _

from ita.models import Framework, Item, ItemCrosswalk

CROSSWALK_NAME = "crosswalk.json"


class FixtureError(ValueError):
    """A framework file that cannot be used; str() is a Thai message naming the file and the record."""


def fixture_dir() -> Path:
    """Where the framework files are: settings.ITA_FRAMEWORK_FIXTURES (fixtures/frameworks/)."""
    return Path(settings.ITA_FRAMEWORK_FIXTURES)


def read_records(path: Path) -> list[dict]:
    """The records of a loaddata JSON file."""
    return json.loads(path.read_text(encoding="utf-8"))


def framework_files(directory: Path | None = None) -> list[Path]:
    return sorted((directory or fixture_dir()).glob("ita_*.json"))


def framework_keys(records: list[dict]) -> list[tuple[int, str]]:
    """(fiscal year, source) of each framework record of a file."""
    return [(r["fields"]["fiscal_year"], r["fields"]["source"]) for r in records if r["model"] == "ita.framework"]


def load_frameworks() -> tuple[list[int], list[int]]:
    """Load each framework file whose framework is not in the database yet; return (loaded, kept) years."""
    loaded, kept = [], []
    for path in framework_files():
        keys = framework_keys(read_records(path))
        missing = [key for key in keys if not Framework.objects.filter(fiscal_year=key[0], source=key[1]).exists()]
        if missing:
            call_command("loaddata", str(path), verbosity=0)
            loaded.extend(year for year, _source in keys)
        else:
            kept.extend(year for year, _source in keys)
    return loaded, kept


def load_crosswalk(path: Path | None = None) -> tuple[int, int, int]:
    """Add the crosswalk rows that are missing; never change existing ones. Returns (added, existing, skipped).

    A row is skipped when an endpoint item is not in the database, e.g. after an administrator
    renumbered a framework: loaddata would abort the whole file instead.
    """
    added = existing = skipped = 0
    for record in read_records(path or fixture_dir() / CROSSWALK_NAME):
        fields = record["fields"]
        try:
            from_item = Item.objects.get_by_natural_key(*fields["from_item"])
            to_item = Item.objects.get_by_natural_key(*fields["to_item"])
        except Item.DoesNotExist:
            skipped += 1
            continue
        _row, created = ItemCrosswalk.objects.get_or_create(
            from_item=from_item,
            to_item=to_item,
            defaults={"verified": fields.get("verified", False), "note": fields.get("note", "")},
        )
        if created:
            added += 1
        else:
            existing += 1
    return added, existing, skipped


def _is_link(record) -> bool:
    fields = record.get("fields") if isinstance(record, dict) else None
    ends = [fields.get(name) for name in ("from_item", "to_item")] if isinstance(fields, dict) else []
    return len(ends) == 2 and all(isinstance(end, list) and len(end) == 3 for end in ends)


def check_crosswalk(path: Path) -> None:
    """FixtureError naming the first record of the crosswalk file that is not a link between two items."""
    try:
        records = read_records(path)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FixtureError(_("อ่านไฟล์ %(file)s ไม่ได้: %(error)s") % {"file": path.name, "error": error}) from error
    if not isinstance(records, list):
        raise FixtureError(_("ไฟล์ %(file)s ไม่ใช่รายการข้อมูลแบบ loaddata") % {"file": path.name})
    for number, record in enumerate(records, start=1):
        if not _is_link(record):
            raise FixtureError(
                _("ไฟล์ %(file)s รายการที่ %(number)s: ต้องมี from_item และ to_item เป็น [ปี, แหล่ง, รหัสข้อ]")
                % {"file": path.name, "number": number}
            )


def _natural(value) -> tuple:
    return tuple(value) if isinstance(value, list) else ()


def plan_crosswalk(path: Path, coming: set[tuple]) -> tuple[int, int, int]:
    """(added, existing, skipped) that load_crosswalk would answer once the items in `coming` are added."""
    present = set(Item.objects.order_by().values_list("framework__fiscal_year", "framework__source", "code"))
    present |= coming
    pairs = set(
        ItemCrosswalk.objects.order_by().values_list(
            "from_item__framework__fiscal_year",
            "from_item__framework__source",
            "from_item__code",
            "to_item__framework__fiscal_year",
            "to_item__framework__source",
            "to_item__code",
        )
    )
    added = existing = skipped = 0
    for record in read_records(path):
        fields = record.get("fields", {})
        first, second = _natural(fields.get("from_item")), _natural(fields.get("to_item"))
        if first not in present or second not in present:
            skipped += 1
        elif (*first, *second) in pairs:
            existing += 1
        else:
            added += 1
    return added, existing, skipped
