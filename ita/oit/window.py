"""When ITAS takes a year's OIT evidence URLs: the dates an administrator entered on the framework, else
settings.OIT_COLLECTION_DEFAULT (January to June of the fiscal year, FRAMEWORK.md section 1).

A framework's own dates count only when both are entered (the admin form refuses one without the
other); a half-entered pair falls back to the default rather than mixing the two.
"""

from __future__ import annotations

import calendar
import datetime
from typing import NamedTuple

from django.conf import settings
from django.db.models import Q

from ita.models import Framework
from ita.thai import BE_OFFSET


class Window(NamedTuple):
    """The first and last day evidence is taken (both included), and whether the framework set them."""

    opens: datetime.date
    closes: datetime.date
    from_framework: bool

    def is_open(self, today: datetime.date) -> bool:
        return self.opens <= today <= self.closes

    def days_left(self, today: datetime.date) -> int:
        """Days from today to the last day: 0 on the last day itself."""
        return (self.closes - today).days


def _day_of_fiscal_year(fiscal_year: int, month: int, day: int) -> datetime.date:
    """(month, day) inside fiscal year N (พ.ศ.), which runs from October of ค.ศ. N - 544 to September of N - 543.

    A day past the month's end (29 February in a common year) is the month's last day.
    """
    year = fiscal_year - BE_OFFSET - (1 if month >= 10 else 0)
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def default_window(fiscal_year: int) -> Window:
    (open_month, open_day), (close_month, close_day) = settings.OIT_COLLECTION_DEFAULT
    return Window(
        opens=_day_of_fiscal_year(fiscal_year, open_month, open_day),
        closes=_day_of_fiscal_year(fiscal_year, close_month, close_day),
        from_framework=False,
    )


def collection_window(framework: Framework) -> Window:
    """The framework's own dates when both are set, else the default window of its fiscal year."""
    if framework.oit_opens is not None and framework.oit_closes is not None:
        return Window(opens=framework.oit_opens, closes=framework.oit_closes, from_framework=True)
    return default_window(framework.fiscal_year)


def frameworks_collecting(today: datetime.date, *, lead_days: int = 0) -> list[tuple[Framework, Window]]:
    """ITAS frameworks whose window is open today, or opens within `lead_days` and has not closed; one query.

    Oldest year first. Only frameworks that may still be collecting are read: those whose own last
    day is not past, and those young enough for the default window to be (its last day falls in
    ค.ศ. N - 543 at the latest).
    """
    candidates = Framework.objects.filter(source=Framework.Source.NACC_ITAS).filter(
        Q(oit_closes__gte=today) | Q(fiscal_year__gte=today.year + BE_OFFSET)
    )
    horizon = today + datetime.timedelta(days=lead_days)
    found = []
    for framework in candidates.order_by("fiscal_year"):
        window = collection_window(framework)
        if window.opens <= horizon and today <= window.closes:
            found.append((framework, window))
    return found
