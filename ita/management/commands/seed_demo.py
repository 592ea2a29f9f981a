"""`manage.py seed_demo`: load the framework fixtures, the demo organisations and results, and demo users.

Safe to run again: a framework already in the database is never reloaded (an administrator's
corrections win), crosswalk rows are only added, demo data is keyed by natural keys, and
existing users keep their passwords.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from ita.grading.assess import grade_assessment
from ita.models import Assessment, Framework, Item, ItemCrosswalk, Membership, Organization

FIXTURE_DIR = Path(settings.BASE_DIR) / "fixtures"
FRAMEWORK_DIR = FIXTURE_DIR / "frameworks"
CROSSWALK_FILE = FRAMEWORK_DIR / "crosswalk.json"
ORGANIZATIONS_FILE = FIXTURE_DIR / "demo" / "organizations.json"
ASSESSMENTS_FILE = FIXTURE_DIR / "demo" / "assessments.json"

# Printed on purpose: these accounts exist only to try the app out (refused when DEBUG is off).
DEMO_PASSWORD = "ita-demo-2569"  # noqa: S105
ADMIN_USERNAME = "admin"
DEMO_ROLES = (("staff", Membership.Role.STAFF), ("exec", Membership.Role.EXECUTIVE))


@dataclass(frozen=True)
class Account:
    username: str
    created: bool
    role: str
    organization: str


def read_records(path: Path) -> list[dict]:
    """The records of a loaddata JSON file."""
    return json.loads(path.read_text(encoding="utf-8"))


def framework_files() -> list[Path]:
    return sorted(FRAMEWORK_DIR.glob("ita_*.json"))


def load_frameworks() -> tuple[list[int], list[int]]:
    """Load each framework file whose framework is not in the database yet; return (loaded, kept) years."""
    loaded, kept = [], []
    for path in framework_files():
        keys = [
            (r["fields"]["fiscal_year"], r["fields"]["source"])
            for r in read_records(path)
            if r["model"] == "ita.framework"
        ]
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
    return accounts


def grade_demo_assessments(codes: list[str]) -> list[Assessment]:
    assessments = list(
        Assessment.objects.filter(organization__code__in=codes)
        .select_related("organization", "framework")
        .order_by("fiscal_year", "organization__code")
    )
    for assessment in assessments:
        grade_assessment(assessment=assessment)
    return assessments


class Command(BaseCommand):
    help = _("โหลดกรอบการประเมิน ITA ข้อมูลหน่วยงานตัวอย่าง และบัญชีผู้ใช้ทดลอง (รันซ้ำได้โดยไม่เกิดข้อมูลซ้ำ)")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--no-users", action="store_true", help=_("ไม่สร้างบัญชีผู้ใช้ทดลอง"))
        parser.add_argument("--force", action="store_true", help=_("สร้างบัญชีผู้ใช้ทดลองแม้ DEBUG ปิดอยู่ (อย่าใช้กับระบบจริง)"))
        parser.add_argument("--no-catalogue", action="store_true", help=_("ไม่โหลดคลังข้อเสนอแนะและคลังมาตรการ"))

    def handle(self, *args, no_users: bool = False, force: bool = False, no_catalogue: bool = False, **options) -> None:
        make_users = not no_users
        if make_users and not settings.DEBUG and not force:
            raise CommandError(
                _(
                    "ไม่สร้างบัญชีผู้ใช้ทดลองเมื่อ DEBUG ปิดอยู่ เพราะรหัสผ่านทดลองเป็นที่รู้กันทั่วไป: "
                    "ใช้ --no-users เพื่อโหลดเฉพาะข้อมูล หรือ --force หากแน่ใจว่าไม่ใช่ระบบจริง"
                )
            )
        with transaction.atomic():
            loaded, kept = load_frameworks()
            crosswalk = load_crosswalk()
            codes = demo_organization_codes()
            call_command("loaddata", str(ORGANIZATIONS_FILE), str(ASSESSMENTS_FILE), verbosity=0)
            assessments = grade_demo_assessments(codes)
            accounts = ensure_demo_users(codes) if make_users else []
        self._report(loaded, kept, crosswalk, assessments)
        # The catalogue (recommendations, measure library) belongs to the measures app; its own
        # command loads it idempotently and never overwrites an administrator's edits.
        if not no_catalogue:
            call_command("load_catalogue", stdout=self.stdout)
        if accounts:
            self._report_accounts(accounts)

    def _report(self, loaded: list[int], kept: list[int], crosswalk: tuple, assessments: list[Assessment]) -> None:
        write = self.stdout.write
        write(_("กรอบการประเมินที่โหลดใหม่: %(years)s") % {"years": _years(loaded)})
        write(_("กรอบการประเมินที่มีอยู่แล้ว (ไม่เขียนทับ): %(years)s") % {"years": _years(kept)})
        added, existing, skipped = crosswalk
        write(
            _("การเทียบข้อข้ามปี: เพิ่ม %(added)d รายการ มีอยู่แล้ว %(existing)d รายการ ข้าม %(skipped)d รายการ (ไม่พบข้อ)")
            % {"added": added, "existing": existing, "skipped": skipped}
        )
        write(_("ผลการประเมินตัวอย่าง %(count)d รายการ:") % {"count": len(assessments)})
        for a in assessments:
            write(
                _("  %(org)s ปี %(year)s: ทางการ %(official)s %(official_level)s · คำนวณ %(overall)s %(level)s%(note)s")
                % {
                    "org": a.organization.name,
                    "year": a.fiscal_year,
                    "official": a.official_overall if a.official_overall is not None else "-",
                    "official_level": a.official_level or "-",
                    "overall": a.overall if a.overall is not None else "-",
                    "level": a.level or "-",
                    "note": _(" (ผลเบื้องต้น)") if a.provisional else "",
                }
            )

    def _report_accounts(self, accounts: list[Account]) -> None:
        self.stdout.write(_("บัญชีผู้ใช้ทดลอง (ใช้เพื่อทดลองเท่านั้น):"))
        rows = [(_("ชื่อผู้ใช้"), _("รหัสผ่าน"), _("บทบาท"), _("หน่วยงาน"))]
        rows += [
            (a.username, DEMO_PASSWORD if a.created else _("(เดิม ไม่เปลี่ยน)"), a.role, a.organization) for a in accounts
        ]
        widths = [max(_display_width(row[column]) for row in rows) + 2 for column in range(3)]
        for row in rows:
            cells = [cell + " " * (width - _display_width(cell)) for cell, width in zip(row, widths, strict=False)]
            self.stdout.write("  " + "".join(cells) + row[3])


def _display_width(text: str) -> int:
    # Thai vowel and tone marks above or below a consonant take no column of their own.
    return sum(1 for char in text if unicodedata.category(char) != "Mn")


def _years(years: list[int]) -> str:
    return ", ".join(str(year) for year in years) or "-"
