"""What the stored link checks say about each OIT item of a checklist: its colour and why.

An item's state, from its current URLs (a stored result counts only while its URL is still in the
entry: a changed link is unchecked until the next check):
- "missing": no URL at all;
- "red": at least one URL's last check was red;
- "unchecked": a URL has no result yet (and none is red);
- "amber": every URL checked, at least one amber;
- "green": every URL checked and green.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ita.models import EvidenceChecklist, Item, LinkCheck

MISSING, UNCHECKED = "missing", "unchecked"
GREEN, AMBER, RED = LinkCheck.Verdict.GREEN.value, LinkCheck.Verdict.AMBER.value, LinkCheck.Verdict.RED.value
STATES = (MISSING, RED, UNCHECKED, AMBER, GREEN)  # worst first


@dataclass(frozen=True)
class ItemHealth:
    """One item's URLs, each with its last stored check (None: not checked since it was entered)."""

    item: Item
    links: tuple[tuple[str, LinkCheck | None], ...] = field(default_factory=tuple)

    @property
    def state(self) -> str:
        if not self.links:
            return MISSING
        verdicts = {result.verdict if result else UNCHECKED for _url, result in self.links}
        return next(state for state in (RED, UNCHECKED, AMBER, GREEN) if state in verdicts)

    @property
    def verdicts(self) -> tuple[str | None, ...]:
        """Each URL's verdict, None where it has not been checked."""
        return tuple(result.verdict if result else None for _url, result in self.links)

    @property
    def year_missing(self) -> bool:
        """A URL answered but the page or file does not mention the fiscal year."""
        return any(result and result.reason == "year_missing" for _url, result in self.links)


def item_health(
    checklist: EvidenceChecklist, items: list[Item], values: Mapping[int, tuple[list[str], str]]
) -> dict[int, ItemHealth]:
    """Item id → ItemHealth for every item, in one query; `values` are ita.oit.checklist.stored_values()."""
    results: dict[tuple[int, str], LinkCheck] = {}
    if checklist.pk is not None:
        for result in LinkCheck.objects.filter(checklist=checklist).order_by("pk"):
            results[(result.item_id, result.url)] = result
    return health_of(items, values, results)


def health_of(
    items: list[Item], values: Mapping[int, tuple[list[str], str]], results: Mapping[tuple[int, str], LinkCheck]
) -> dict[int, ItemHealth]:
    """Item id → ItemHealth from results already read, by (item id, URL); no query."""
    return {
        item.pk: ItemHealth(
            item=item,
            links=tuple((url, results.get((item.pk, url))) for url in values.get(item.pk, ([], ""))[0]),
        )
        for item in items
    }


def counts(health: Mapping[int, ItemHealth]) -> dict[str, int]:
    """How many items are in each state, plus "year_missing" (items with a page lacking the year)."""
    tally = dict.fromkeys(STATES, 0)
    for entry in health.values():
        tally[entry.state] += 1
    tally["year_missing"] = sum(1 for entry in health.values() if entry.year_missing)
    return tally
