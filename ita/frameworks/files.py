"""The framework fixture files: read them, load the frameworks a database lacks, add the crosswalk rows it lacks."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from ita.models import Framework, Item, ItemCrosswalk

FRAMEWORK_DIR = Path(settings.BASE_DIR) / "fixtures" / "frameworks"
CROSSWALK_FILE = FRAMEWORK_DIR / "crosswalk.json"


def read_records(path: Path) -> list[dict]:
    """The records of a loaddata JSON file."""
    return json.loads(path.read_text(encoding="utf-8"))


def framework_files(directory: Path = FRAMEWORK_DIR) -> list[Path]:
    return sorted(directory.glob("ita_*.json"))


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


def load_crosswalk(path: Path = CROSSWALK_FILE) -> tuple[int, int, int]:
    """Add the crosswalk rows that are missing; never change existing ones. Returns (added, existing, skipped).

    A row is skipped when an endpoint item is not in the database, e.g. after an administrator
    renumbered a framework: loaddata would abort the whole file instead.
    """
    added = existing = skipped = 0
    for record in read_records(path):
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
