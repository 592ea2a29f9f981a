"""Demo data for `manage.py seed_demo`: framework fixtures, the crosswalk, demo organisations, results and users.

Safe to run again: a framework already in the database is never reloaded (an administrator's
corrections win; one that differs from its file is named, and `manage.py sync_frameworks` brings it
up to date), crosswalk rows are only added, demo data is keyed by natural keys, and existing users
keep their passwords.
"""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from ita.frameworks.files import load_crosswalk, load_frameworks, read_records
from ita.frameworks.sync import check_frameworks
from ita.grading.assess import grade_assessment
from ita.models import (
    Assessment,
    AuditorAssignment,
    Framework,
    Indicator,
    Item,
    Membership,
    Organization,
    ValueSource,
)
from ita.thai import fiscal_year_of

FIXTURE_DIR = Path(settings.BASE_DIR) / "fixtures"
ORGANIZATIONS_FILE = FIXTURE_DIR / "demo" / "organizations.json"
ASSESSMENTS_FILE = FIXTURE_DIR / "demo" / "assessments.json"

# Printed on purpose: these accounts exist only to try the app out (the command refuses them when DEBUG is off).
DEMO_PASSWORD = "ita-demo-2569"  # noqa: S105
ADMIN_USERNAME = "admin"
DEMO_ROLES = (("staff", Membership.Role.STAFF), ("exec", Membership.Role.EXECUTIVE))
AUDITOR_USERNAME = "auditor"
AUDITED_ORGANIZATION = "DEMO-MAESAIMITTRAPHAP"  # the demo auditor reviews this one seed organisation


# Sent by `seed_demo` once the demo data, catalogue and accounts are in: the apps above ita (measures)
# place the demo organisations' plans in the current cycle. Arguments: codes, fiscal_year, today.
# Each receiver returns the Thai lines it wants printed.
demo_cycle_ready = Signal()


@dataclass(frozen=True)
class Account:
    username: str
    created: bool
    role: str
    organization: str


@dataclass
class SeedReport:
    """What one run loaded or found, for the command to print."""

    loaded: list[int]
    kept: list[int]
    crosswalk: tuple[int, int, int]
    assessments: list[Assessment]
    accounts: list[Account] = field(default_factory=list)
    carried: list[tuple[Assessment, Assessment]] = field(default_factory=list)  # (copy, copied from)
    stale: list[int] = field(default_factory=list)  # kept frameworks that differ from their files


def demo_organization_codes() -> list[str]:
    return [r["fields"]["code"] for r in read_records(ORGANIZATIONS_FILE) if r["model"] == "ita.organization"]


def ensure_user(username: str, *, superuser: bool = False) -> tuple[User, bool]:
    """The user with this name, created with the demo password if missing (an existing password is kept)."""
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user, False
    if superuser:
        return User.objects.create_superuser(username, "", DEMO_PASSWORD), True
    return User.objects.create_user(username, password=DEMO_PASSWORD), True


def ensure_demo_users(codes: list[str]) -> list[Account]:
    """An administrator plus a staff and an executive account for each demo organisation."""
    _admin, created = ensure_user(ADMIN_USERNAME, superuser=True)
    accounts = [Account(ADMIN_USERNAME, created, _("ผู้ดูแลระบบ"), "-")]
    for organization in Organization.objects.filter(code__in=codes).order_by("code"):
        slug = organization.code.removeprefix("DEMO-").lower()
        for suffix, role in DEMO_ROLES:
            user, created = ensure_user(f"{slug}-{suffix}")
            Membership.objects.get_or_create(user=user, defaults={"organization": organization, "role": role})
            accounts.append(Account(user.username, created, role.label, organization.name))
    audited = Organization.objects.filter(code=AUDITED_ORGANIZATION, code__in=codes).first()
    if audited is not None:
        accounts.append(ensure_demo_auditor(audited))
    return accounts


def ensure_demo_auditor(organization: Organization) -> Account:
    """An auditor (a member of no organisation) assigned to review `organization`.

    An existing account keeps its password and its other assignments; it is never turned into an
    auditor if an administrator gave it another role.
    """
    user, created = ensure_user(AUDITOR_USERNAME)
    membership, _made = Membership.objects.get_or_create(
        user=user, defaults={"organization": None, "role": Membership.Role.AUDITOR}
    )
    if membership.role == Membership.Role.AUDITOR:
        AuditorAssignment.objects.get_or_create(user=user, organization=organization)
    return Account(user.username, created, Membership.Role.AUDITOR.label, organization.name)


def grade_demo_assessments(codes: list[str]) -> list[Assessment]:
    assessments = list(
        Assessment.objects.filter(organization__code__in=codes)
        .select_related("organization", "framework")
        .order_by("fiscal_year", "organization__code")
    )
    for assessment in assessments:
        grade_assessment(assessment=assessment)
    return assessments


def cycle_year(today: datetime.date) -> int:
    """The fiscal year whose plan is being made and followed today: the fiscal year `today` falls in."""
    return fiscal_year_of(today)


def framework_for(year: int) -> Framework | None:
    """The framework of `year`, or the newest earlier one while the year's own is not loaded yet."""
    return Framework.objects.filter(fiscal_year__lte=year).order_by("-fiscal_year", "pk").first()


def known_codes(framework: Framework) -> set[tuple[str, str]]:
    indicators = Indicator.objects.filter(framework=framework).values_list("number", flat=True)
    items = Item.objects.filter(framework=framework).values_list("code", flat=True)
    return {("indicator", str(number)) for number in indicators} | {("item", code) for code in items}


def carry_results_forward(codes: list[str], year: int) -> list[tuple[Assessment, Assessment]]:
    """Give each demo organisation results for `year` when it has none: a copy of its newest earlier results.

    A plan for the current fiscal year is drafted from the year before's results, which the seeds do
    not have. The copy keeps the scores whose indicator or item exists in the year's framework, has
    no official result (none was announced) and is graded like any other. The command says which
    results are copies. Returns (copy, original) pairs made by this run; an existing year is kept.
    """
    framework = framework_for(year)
    if framework is None:
        return []
    known = known_codes(framework)
    carried = []
    for organization in Organization.objects.filter(code__in=codes).order_by("code"):
        if Assessment.objects.filter(organization=organization, fiscal_year=year).exists():
            continue
        source = (
            Assessment.objects.filter(organization=organization, fiscal_year__lt=year).order_by("-fiscal_year").first()
        )
        if source is None:
            continue
        copy = Assessment.objects.create(organization=organization, framework=framework, fiscal_year=year)
        values = {key: value for key, value in source.score_values().items() if key in known}
        copy.set_scores(values, user=None, source=ValueSource.COMMAND)
        grade_assessment(assessment=copy)
        carried.append((copy, source))
    return carried


def seed_demo(*, make_users: bool, today: datetime.date | None = None) -> SeedReport:
    """Frameworks, crosswalk, demo organisations and graded results, and (if asked) demo users, in one transaction.

    With the demo users, each demo organisation also gets results for the year before the current
    fiscal year (see carry_results_forward), so that its plan of the current year can be drafted.
    """
    with transaction.atomic():
        loaded, kept = load_frameworks()
        # A kept framework is never rewritten here (the sync knows whose corrections to keep): only named.
        stale = [result.fiscal_year for result in check_frameworks() if result.writes]
        crosswalk = load_crosswalk()
        codes = demo_organization_codes()
        call_command("loaddata", str(ORGANIZATIONS_FILE), str(ASSESSMENTS_FILE), verbosity=0)
        assessments = grade_demo_assessments(codes)
        accounts = ensure_demo_users(codes) if make_users else []
        carried = []
        if make_users:
            year = cycle_year(today or timezone.localdate())
            carried = carry_results_forward(codes, year - 1)
    return SeedReport(loaded, kept, crosswalk, assessments, accounts, carried, stale)


def place_demo_plans(*, today: datetime.date | None = None) -> list[str]:
    """Ask the apps above ita to put the demo organisations' plans in the current cycle; their lines to print."""
    today = today or timezone.localdate()
    lines = []
    with transaction.atomic():
        for _receiver, answer in demo_cycle_ready.send(
            sender=SeedReport, codes=demo_organization_codes(), fiscal_year=cycle_year(today), today=today
        ):
            lines.extend(answer or [])
    return lines


# -- what the command prints ---------------------------------------------------------------------


def _years(years: list[int]) -> str:
    return ", ".join(str(year) for year in years) or "-"


def _assessment_line(a: Assessment) -> str:
    return _("  %(org)s ปี %(year)s: ทางการ %(official)s %(official_level)s · คำนวณ %(overall)s %(level)s%(note)s") % {
        "org": a.organization.name,
        "year": a.fiscal_year,
        "official": a.official_overall if a.official_overall is not None else "-",
        "official_level": a.official_level or "-",
        "overall": a.overall if a.overall is not None else "-",
        "level": a.level or "-",
        "note": _(" (ผลเบื้องต้น)") if a.provisional else "",
    }


def report_lines(report: SeedReport) -> list[str]:
    """The frameworks, crosswalk and demo results of one run, one Thai line each."""
    added, existing, skipped = report.crosswalk
    lines = [
        _("กรอบการประเมินที่โหลดใหม่: %(years)s") % {"years": _years(report.loaded)},
        _("กรอบการประเมินที่มีอยู่แล้ว (ไม่เขียนทับ): %(years)s") % {"years": _years(report.kept)},
    ]
    if report.stale:
        lines.append(
            _("กรอบการประเมินที่ต่างจากไฟล์: %(years)s (ดูและปรับด้วย python manage.py sync_frameworks)")
            % {"years": _years(report.stale)}
        )
    lines += [
        _("การเทียบข้อข้ามปี: เพิ่ม %(added)d รายการ มีอยู่แล้ว %(existing)d รายการ ข้าม %(skipped)d รายการ (ไม่พบข้อ)")
        % {"added": added, "existing": existing, "skipped": skipped},
        _("ผลการประเมินตัวอย่าง %(count)d รายการ:") % {"count": len(report.assessments)},
    ]
    lines += [_assessment_line(a) for a in report.assessments]
    for copy, source in report.carried:
        lines.append(
            _(
                "  %(org)s ปี %(year)s: ผลสมมติเพื่อทดลองใช้ คัดลอกคะแนนจากผลปี %(source)s "
                "(ไม่ใช่ผลที่ประกาศจริง) · คำนวณ %(overall)s %(level)s"
            )
            % {
                "org": copy.organization.name,
                "year": copy.fiscal_year,
                "source": source.fiscal_year,
                "overall": copy.overall if copy.overall is not None else "-",
                "level": copy.level or "-",
            }
        )
    return lines


def _display_width(text: str) -> int:
    # Thai vowel and tone marks above or below a consonant take no column of their own.
    return sum(1 for char in text if unicodedata.category(char) != "Mn")


def account_lines(accounts: list[Account]) -> list[str]:
    """The demo accounts as a table aligned for a terminal; a password is shown only for a new account."""
    rows = [(_("ชื่อผู้ใช้"), _("รหัสผ่าน"), _("บทบาท"), _("หน่วยงาน"))]
    rows += [(a.username, DEMO_PASSWORD if a.created else _("(เดิม ไม่เปลี่ยน)"), a.role, a.organization) for a in accounts]
    widths = [max(_display_width(row[column]) for row in rows) + 2 for column in range(3)]
    lines = [_("บัญชีผู้ใช้ทดลอง (ใช้เพื่อทดลองเท่านั้น):")]
    for row in rows:
        cells = [cell + " " * (width - _display_width(cell)) for cell, width in zip(row, widths, strict=False)]
        lines.append("  " + "".join(cells) + row[3])
    return lines
