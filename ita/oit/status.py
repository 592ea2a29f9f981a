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
from dataclasses import dataclass, field, replace

from django.utils import timezone
from django.utils.translation import gettext as _

from ita.history import when
from ita.models import EvidenceChecklist, Item, LinkCheck
from ita.thai import format_number, format_size, thai_date

MISSING, UNCHECKED = "missing", "unchecked"
GREEN, AMBER, RED = LinkCheck.Verdict.GREEN.value, LinkCheck.Verdict.AMBER.value, LinkCheck.Verdict.RED.value
STATES = (MISSING, RED, UNCHECKED, AMBER, GREEN)  # worst first
# A state in a word and a symbol, so that a badge reads without its colour (and in the command's text).
SYMBOLS = {GREEN: "✓", AMBER: "!", RED: "✗", UNCHECKED: "?", MISSING: "–"}


def state_label(state: str) -> str:
    """The state in Thai: the verdicts' own labels, and words for an item without a URL or a check."""
    if state == MISSING:
        return _("ยังไม่มีลิงก์")
    if state == UNCHECKED:
        return _("ยังไม่ได้ตรวจ")
    return str(LinkCheck.Verdict(state).label)


@dataclass(frozen=True)
class ShownLink:
    """One URL and its last check in words and Thai digits ('' where there is nothing to say)."""

    url: str
    state: str
    label: str
    symbol: str
    reason_text: str = ""
    status: str = ""
    final_url: str = ""  # only when a redirect led elsewhere
    checked: str = ""
    last_modified: str = ""
    size: str = ""


def shown_link(url: str, result: LinkCheck | None) -> ShownLink:
    state = result.verdict if result else UNCHECKED
    base = ShownLink(url=url, state=state, label=state_label(state), symbol=SYMBOLS[state])
    if result is None:
        return base
    return replace(
        base,
        reason_text=result.reason_text,
        status=format_number(result.status) if result.status is not None else "",
        final_url=result.final_url if result.final_url and result.final_url != url else "",
        checked=when(result.checked_at),
        last_modified=thai_date(timezone.localtime(result.last_modified).date()) if result.last_modified else "",
        size=format_size(result.size) if result.size is not None else "",
    )


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
    def label(self) -> str:
        return state_label(self.state)

    @property
    def symbol(self) -> str:
        return SYMBOLS[self.state]

    @property
    def shown(self) -> list[ShownLink]:
        """Each URL with its last check as the page shows it."""
        return [shown_link(url, result) for url, result in self.links]

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


def counts_text(tally: Mapping[str, int]) -> str:
    """The summary line: "ใช้ได้ ๓ ข้อ, ควรตรวจดู ๑ ข้อ, …", best first."""
    return ", ".join(
        _("%(label)s %(count)s ข้อ") % {"label": state_label(state), "count": format_number(tally.get(state, 0))}
        for state in (GREEN, AMBER, RED, MISSING, UNCHECKED)
    )


# The keys of each URL in report(): an unchecked URL has them all, None but the URL.
LINK_KEYS = ("url", "verdict", "reason", "reason_text", "status", "final_url", "content_type", "size",
             "last_modified", "mentions_year", "redirects")  # fmt: skip


def report(checklist: EvidenceChecklist, items: list[Item], values: Mapping[int, tuple[list[str], str]]) -> dict:
    """The checklist's health as plain data (`manage.py oit_check --json`); the keys are a stable interface."""
    health = item_health(checklist, items, values)
    return {
        "org": checklist.organization.code,
        "year": checklist.fiscal_year,
        "checked_at": _iso(checklist.links_checked_at),
        "items": [
            {
                "code": item.code.upper(),
                "state": health[item.pk].state,
                "links": [_link_data(url, result) for url, result in health[item.pk].links],
            }
            for item in items
        ],
    }


def _link_data(url: str, result: LinkCheck | None) -> dict:
    data = dict.fromkeys(LINK_KEYS)
    data["url"] = url
    if result is not None:
        data.update({key: getattr(result, key) for key in LINK_KEYS[1:]})
        data["last_modified"] = _iso(result.last_modified)
    return data


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def report_lines(
    checklist: EvidenceChecklist, items: list[Item], values: Mapping[int, tuple[list[str], str]]
) -> list[str]:
    """The same in Thai text: a heading, then each item's code, state and every URL's reason, then the counts."""
    health = item_health(checklist, items, values)
    checked = when(checklist.links_checked_at) if checklist.links_checked_at else _("ยังไม่เคยตรวจ")
    lines = [
        _("%(name)s (%(code)s) หลักฐาน OIT ปีงบประมาณ พ.ศ. %(year)s ตรวจลิงก์เมื่อ %(checked)s")
        % {
            "name": checklist.organization.name,
            "code": checklist.organization.code,
            "year": format_number(checklist.fiscal_year),
            "checked": checked,
        }
    ]
    for item in items:
        entry = health[item.pk]
        lines.append(f"{item.code.upper()} {entry.symbol} {entry.label}")
        for link in entry.shown:
            why = link.reason_text or link.label
            lines.append(f"    {link.symbol} {link.url} : {why}")
            if link.final_url:
                lines.append("      " + _("ไปจบที่ %(url)s") % {"url": link.final_url})
    lines.append(counts_text(counts(health)))
    return lines
