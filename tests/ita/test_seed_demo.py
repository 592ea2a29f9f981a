"""`manage.py seed_demo`: idempotent loading, demo results and their grades, demo accounts and their guard."""

import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from ita.demo import DEMO_PASSWORD
from ita.models import (
    Assessment,
    AuditorAssignment,
    Framework,
    GradeLevel,
    Indicator,
    Item,
    ItemCrosswalk,
    Membership,
    Organization,
    Score,
    SubIndicator,
)

COUNTED = (Framework, GradeLevel, Indicator, SubIndicator, Item, ItemCrosswalk, Organization, Assessment, Score,
           User, Membership)  # fmt: skip

# (code, year, official overall, official level, number of scores the seed quotes)
DEMO_RESULTS = [
    ("DEMO-NONGLAENG", 2564, "82.76", "B", 10),
    ("DEMO-MAESAIMITTRAPHAP", 2566, "91.47", "ผ่าน", 10),
    ("DEMO-LOHJUD", 2566, "99.50", "ผ่านดีเยี่ยม", 25),
    ("DEMO-KHUANSAOTHONG", 2568, "94.90", "ผ่าน", 61),
]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Nine demo accounts per run: the production hasher would dominate the test time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> list[int]:
    return [model.objects.count() for model in COUNTED]


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_running_twice_leaves_identical_row_counts():
    seed()
    first = counts()
    output = seed()
    assert counts() == first
    assert first[0] == 7
    assert "ไม่เขียนทับ" in output
    assert "ต่างจากไฟล์" not in output  # the loaded frameworks are their files


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_demo_organisations_carry_their_official_results():
    seed()
    for code, year, overall, level, n_scores in DEMO_RESULTS:
        assessment = Assessment.objects.get(organization__code=code, fiscal_year=year)
        assert assessment.framework.fiscal_year == year
        assert (assessment.official_overall, assessment.official_level) == (Decimal(overall), level)
        assert assessment.scores.count() == n_scores
        assert assessment.scores.filter(kind="indicator").count() == 10
        assert not assessment.scores.exclude(source="command").exists()
    khuan = Organization.objects.get(code="DEMO-KHUANSAOTHONG")
    assert (khuan.name, khuan.district, khuan.province) == ("เทศบาลตำบลควนเสาธง", "ตะโหมด", "พัทลุง")
    assert Organization.objects.get(code="DEMO-NONGLAENG").phone == "042-490770"
    assert Score.objects.get(assessment__organization__code="DEMO-KHUANSAOTHONG", code="o27").value == Decimal("50")


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_demo_assessments_are_graded():
    seed("--no-users")
    graded = {a.organization.code: a for a in Assessment.objects.select_related("organization")}
    nong_laeng = graded["DEMO-NONGLAENG"]
    assert (nong_laeng.overall, nong_laeng.level, nong_laeng.provisional) == (Decimal("82.76"), "B", False)
    mae_sai = graded["DEMO-MAESAIMITTRAPHAP"]
    assert (mae_sai.overall, mae_sai.level, mae_sai.provisional) == (Decimal("91.47"), "ผ่าน", False)
    loh_jud = graded["DEMO-LOHJUD"]
    assert abs(loh_jud.overall - Decimal("99.50")) <= Decimal("0.01")
    # No seed prints EIT part scores; the official level settles the provisional best case.
    assert (loh_jud.level, loh_jud.provisional) == ("ผ่านดีเยี่ยม", False)
    khuan = graded["DEMO-KHUANSAOTHONG"]
    assert (khuan.overall, khuan.level, khuan.provisional) == (Decimal("94.90"), "ผ่าน", False)


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_demo_accounts_belong_to_the_right_organisation():
    output = seed()
    staff = User.objects.get(username="nonglaeng-staff")
    assert staff.membership.organization.code == "DEMO-NONGLAENG"
    assert staff.membership.role == Membership.Role.STAFF
    assert staff.check_password(DEMO_PASSWORD)
    executive = User.objects.get(username="lohjud-exec")
    assert (executive.membership.organization.code, executive.membership.role) == ("DEMO-LOHJUD", "executive")
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.filter(membership__organization__code__startswith="DEMO-").count() == 8
    assert "nonglaeng-staff" in output and DEMO_PASSWORD in output


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_the_demo_auditor_reviews_one_seed_organisation():
    output = seed()
    auditor = User.objects.get(username="auditor")
    assert auditor.check_password(DEMO_PASSWORD)
    assert (auditor.membership.role, auditor.membership.organization) == (Membership.Role.AUDITOR, None)
    assigned = AuditorAssignment.objects.filter(user=auditor).values_list("organization__code", flat=True)
    assert list(assigned) == ["DEMO-MAESAIMITTRAPHAP"]
    assert "ผู้ตรวจสอบ" in output
    seed()
    assert AuditorAssignment.objects.count() == 1


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_an_existing_users_password_is_never_reset():
    User.objects.create_user("nonglaeng-staff", password="chosen-by-the-user")
    seed()
    assert User.objects.get(username="nonglaeng-staff").check_password("chosen-by-the-user")


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_refuses_demo_users_when_debug_is_off():
    with pytest.raises(CommandError, match="--force"):
        seed()
    assert not User.objects.exists()
    assert not Framework.objects.exists()


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_no_users_or_force_when_debug_is_off():
    seed("--no-users")
    assert Assessment.objects.count() == 4
    assert not User.objects.exists()
    seed("--force")
    assert User.objects.filter(username="admin", is_superuser=True).exists()


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_an_administrators_framework_corrections_are_not_overwritten():
    seed("--no-users")
    item = Item.objects.get(framework__fiscal_year=2568, code="o8")
    item.text = "แก้โดยผู้ดูแลระบบ"
    item.save()
    Item.objects.filter(framework__fiscal_year=2569, code="o3").delete()
    output = seed("--no-users")
    assert Item.objects.get(framework__fiscal_year=2568, code="o8").text == "แก้โดยผู้ดูแลระบบ"
    assert not Item.objects.filter(framework__fiscal_year=2569, code="o3").exists()
    # Named, so that whoever seeds an old database learns that sync_frameworks can bring it up to date.
    assert "กรอบการประเมินที่ต่างจากไฟล์: 2568, 2569 (ดูและปรับด้วย python manage.py sync_frameworks)" in output
