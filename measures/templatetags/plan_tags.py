"""Template filters of the plan pages: Thai digits, scores, dates and what a measure answers."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from ita.thai import format_number, format_score, format_size, thai_date, to_arabic_digits

register = template.Library()


@register.filter
def thai(value) -> str:
    """An integer or numeric text in Thai digits; empty stays empty."""
    return "" if value is None or value == "" else format_number(value)


@register.filter
def thai_size(value: int | None) -> str:
    """A size in bytes in Thai units: '๑.๕ เมกะไบต์'."""
    return "" if value is None else format_size(value)


@register.filter
def score(value: Decimal | None) -> str:
    return format_score(value)


@register.filter
def thai_day(value: datetime.date | None) -> str:
    return thai_date(value) if value else ""


@register.filter
def thai_datetime(value: datetime.datetime | None) -> str:
    """'๘ มิถุนายน ๒๕๖๖ เวลา ๑๔.๐๕ น.' in the site's time zone."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    clock = format_number(f"{local.hour:02d}.{local.minute:02d}")
    return _("%(day)s เวลา %(clock)s น.") % {"day": thai_date(local.date()), "clock": clock}


@register.filter
def answers(measure) -> list[str]:
    """What a measure answers, as shown in the table: 'I7', 'E4', 'ตัวชี้วัดที่ ๔'."""
    labels = [code.upper() for code in measure.item_codes or []]
    labels += [_("ตัวชี้วัดที่ %(n)s") % {"n": format_number(n)} for n in measure.indicators or []]
    return labels


@register.filter
def who(user) -> str:
    """A user's full name, or the username when no name is set."""
    if user is None:
        return _("ไม่ทราบผู้ใช้")
    return user.get_full_name() or user.get_username()


@register.filter
def change(value: Decimal | None) -> str:
    """A score difference with its sign: '+๑๔.๘๕', '−๑.๐๐', '๐.๐๐'; '–' when unknown."""
    if value is None:
        return format_score(None)
    sign = "+" if value > 0 else "−" if value < 0 else ""
    return sign + format_score(abs(value))


@register.filter
def in_digits(value: str, digits: str) -> str:
    """A fixed text (a section number "๓.๑") in the document's digit system: Arabic when `digits` is "arabic"."""
    return to_arabic_digits(str(value)) if digits == "arabic" else str(value)
