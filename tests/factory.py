"""Hand-written factories: make_<thing>(**overrides) returns a saved object with sensible defaults."""

from decimal import Decimal
from itertools import count

from django.contrib.auth.models import User
from django.utils import timezone

from ita.models import (
    Assessment,
    EvidenceChecklist,
    EvidenceEntry,
    Framework,
    GradeLevel,
    Indicator,
    Item,
    LinkCheck,
    Membership,
    Organization,
    SubIndicator,
)

_seq = count(1)

INDICATOR_NAMES = {
    1: ("IIT", "การปฏิบัติหน้าที่"),
    2: ("IIT", "การใช้งบประมาณ"),
    3: ("IIT", "การใช้อำนาจ"),
    4: ("IIT", "การใช้ทรัพย์สินของราชการ"),
    5: ("IIT", "การแก้ไขปัญหาการทุจริต"),
    6: ("EIT", "คุณภาพการดำเนินงาน"),
    7: ("EIT", "ประสิทธิภาพการสื่อสาร"),
    8: ("EIT", "การปรับปรุงการทำงาน"),
    9: ("OIT", "การเปิดเผยข้อมูล"),
    10: ("OIT", "การป้องกันการทุจริต"),
}

LETTER_LEVELS = [("AA", "95"), ("A", "85"), ("B", "75"), ("C", "65"), ("D", "55"), ("E", "50"), ("F", "0")]
PASS_LEVELS = [
    ("ผ่านดีเยี่ยม", "95", "95"),
    ("ผ่านดี", "85", "85"),
    ("ผ่าน", "85", None),
    ("ต้องปรับปรุง", "70", None),
    ("ต้องปรับปรุงโดยด่วน", "0", None),
]


def make_organization(**overrides) -> Organization:
    n = next(_seq)
    fields = {
        "code": f"ORG{n:05d}",
        "name": f"เทศบาลตำบลทดสอบ{n}",
        "org_type": Organization.Type.SUBDISTRICT_MUNICIPALITY,
        "district": "เมือง",
        "province": "บึงกาฬ",
    }
    fields.update(overrides)
    return Organization.objects.create(**fields)


# 2563–2565 OIT sub-indicators: (code, indicator, last item number).
OIT_GROUPS = [
    ("9.1", 9, 9),
    ("9.2", 9, 17),
    ("9.3", 9, 24),
    ("9.4", 9, 28),
    ("9.5", 9, 33),
    ("10.1", 10, 41),
    ("10.2", 10, 43),
]


def make_user(username: str | None = None, *, organization=None, role=Membership.Role.STAFF, **overrides) -> User:
    username = username or f"user{next(_seq)}"
    user = User.objects.create_user(username=username, password="password", **overrides)
    if organization is not None or role != Membership.Role.STAFF:
        Membership.objects.create(user=user, organization=organization, role=role)
    return user


def make_framework(
    fiscal_year: int = 2564,
    *,
    iit_per_indicator: int = 6,
    eit_per_indicator: int = 5,
    oit_items: int = 43,
    sub_indicators: bool = True,
) -> Framework:
    """A framework shaped like FRAMEWORK.md §4 (2563–2565 layout by default), with its levels."""
    framework = Framework.objects.create(fiscal_year=fiscal_year, name=f"ITA {fiscal_year}")
    levels = LETTER_LEVELS if fiscal_year <= 2565 else PASS_LEVELS
    for order, level in enumerate(levels):
        label, min_overall, *rest = level
        min_tool = rest[0] if rest and rest[0] else None
        GradeLevel.objects.create(
            framework=framework,
            label=label,
            min_overall=Decimal(min_overall),
            min_tool=Decimal(min_tool) if min_tool else None,
            order=order,
        )
    indicators = {
        number: Indicator.objects.create(framework=framework, number=number, tool=tool, name=name)
        for number, (tool, name) in INDICATOR_NAMES.items()
    }
    order = 0
    for prefix, numbers, per in (("i", range(1, 6), iit_per_indicator), ("e", range(6, 9), eit_per_indicator)):
        k = 0
        for number in numbers:
            for _ in range(per):
                k += 1
                order += 1
                Item.objects.create(
                    framework=framework,
                    code=f"{prefix}{k}",
                    indicator=indicators[number],
                    text=f"ข้อ {prefix}{k}",
                    order=order,
                )
    _make_oit_items(framework, indicators, oit_items, sub_indicators, order)
    return framework


def _make_oit_items(framework, indicators, oit_items, sub_indicators, order):
    subs = {}
    if sub_indicators and oit_items == 43:
        subs = {
            code: SubIndicator.objects.create(indicator=indicators[number], code=code) for code, number, _ in OIT_GROUPS
        }
    for k in range(1, oit_items + 1):
        code, number = (
            next((c, n) for c, n, last in OIT_GROUPS if k <= last)
            if oit_items == 43
            else (None, 9 if k <= oit_items // 2 else 10)
        )
        Item.objects.create(
            framework=framework,
            code=f"o{k}",
            indicator=indicators[number],
            sub_indicator=subs.get(code),
            text=f"ข้อ o{k}",
            order=order + k,
            is_measures_item=(k == oit_items - 1),
            is_followup_item=(k == oit_items),
        )


def make_assessment(organization=None, framework=None, **overrides) -> Assessment:
    organization = organization or make_organization()
    framework = (
        framework
        or Framework.objects.filter(fiscal_year=overrides.get("fiscal_year", 2564)).first()
        or make_framework(overrides.get("fiscal_year", 2564))
    )
    overrides.setdefault("fiscal_year", framework.fiscal_year)
    return Assessment.objects.create(organization=organization, framework=framework, **overrides)


def make_evidence(organization, framework, item, urls, checks=()) -> EvidenceChecklist:
    """The entry of `item` in the organisation's checklist of that framework's year, with `urls`.

    `checks` are stored link checks of it: (url, verdict, reason) or (url, verdict, reason, reason text);
    the text defaults to "เหตุผล <reason>".
    """
    checklist, _new = EvidenceChecklist.objects.get_or_create(
        organization=organization, fiscal_year=framework.fiscal_year, defaults={"framework": framework}
    )
    EvidenceEntry.objects.create(checklist=checklist, item=item, urls=list(urls))
    for url, verdict, reason, *text in checks:
        LinkCheck.objects.create(
            checklist=checklist,
            item=item,
            url=url,
            checked_at=timezone.now(),
            verdict=verdict,
            reason=reason,
            reason_text=text[0] if text else f"เหตุผล {reason}",
        )
    return checklist
