"""ita.demo called directly: the crosswalk loader, demo users, one seeding run and the lines the command prints."""

from __future__ import annotations

import datetime
import json
import unicodedata
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User

from ita import demo
from ita.models import Assessment, ItemCrosswalk, Score
from tests.factory import make_framework


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The demo accounts are hashed on creation: the production hasher would dominate the test time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def columns(text: str) -> int:
    """The terminal columns a text takes."""
    return sum(1 for char in text if unicodedata.category(char) != "Mn")


def crosswalk_row(from_code: str, to_code: str) -> dict:
    fields = {"from_item": [2564, "nacc_itas", from_code], "to_item": [2565, "nacc_itas", to_code], "verified": True}
    return {"model": "ita.itemcrosswalk", "fields": fields}


@pytest.mark.django_db
def test_load_crosswalk_adds_only_missing_rows_and_skips_unknown_items(tmp_path):
    make_framework(2564)
    make_framework(2565)
    path = tmp_path / "crosswalk.json"
    rows = [crosswalk_row("i1", "i1"), crosswalk_row("i2", "i2"), crosswalk_row("i1", "x99")]
    path.write_text(json.dumps(rows), encoding="utf-8")
    assert demo.load_crosswalk(path) == (2, 0, 1)
    ItemCrosswalk.objects.filter(from_item__code="i2").update(note="แก้โดยผู้ดูแลระบบ")
    assert demo.load_crosswalk(path) == (0, 2, 1)
    assert ItemCrosswalk.objects.get(from_item__code="i2").note == "แก้โดยผู้ดูแลระบบ"


@pytest.mark.django_db
def test_ensure_user_creates_with_the_demo_password_and_keeps_an_existing_one():
    user, created = demo.ensure_user("someone")
    assert created and user.check_password(demo.DEMO_PASSWORD) and not user.is_superuser
    User.objects.filter(pk=user.pk).update(password="")
    again, created = demo.ensure_user("someone", superuser=True)
    assert (again.pk, created, again.is_superuser) == (user.pk, False, False)


@pytest.mark.django_db
def test_seed_demo_without_users_grades_the_demo_results():
    report = demo.seed_demo(make_users=False)
    assert report.loaded == [2563, 2564, 2565, 2566, 2567, 2568, 2569] and report.kept == []
    assert report.accounts == [] and not User.objects.exists()
    assert [a.organization.code for a in report.assessments] == [
        "DEMO-NONGLAENG",
        "DEMO-LOHJUD",
        "DEMO-MAESAIMITTRAPHAP",
        "DEMO-KHUANSAOTHONG",
    ]
    assert Assessment.objects.get(organization__code="DEMO-NONGLAENG").level == "B"
    assert demo.seed_demo(make_users=False).kept == report.loaded
    assert report.carried == [] and not Assessment.objects.filter(fiscal_year=2569).exists()


@pytest.mark.parametrize(
    ("today", "year"),
    [
        (datetime.date(2026, 9, 30), 2569),
        (datetime.date(2026, 10, 1), 2570),
        (datetime.date(2026, 12, 5), 2570),
        (datetime.date(2027, 1, 1), 2570),
    ],
)
def test_the_cycle_is_the_fiscal_year_today_falls_in(today, year):
    assert demo.cycle_year(today) == year


@pytest.mark.django_db
def test_results_of_the_year_before_the_cycle_are_carried_forward_once():
    demo.seed_demo(make_users=False)
    carried = demo.carry_results_forward(demo.demo_organization_codes(), 2569)
    pairs = {copy.organization.code: (copy, source) for copy, source in carried}
    assert set(pairs) == {"DEMO-NONGLAENG", "DEMO-LOHJUD", "DEMO-MAESAIMITTRAPHAP", "DEMO-KHUANSAOTHONG"}
    copy, source = pairs["DEMO-KHUANSAOTHONG"]
    assert (source.fiscal_year, copy.fiscal_year, copy.framework.fiscal_year) == (2568, 2569, 2569)
    # No official result was announced for a copy; the computed one is graded on the year's framework.
    assert copy.official_overall is None and copy.official_level == ""
    assert copy.overall is not None and copy.level
    assert copy.score_values() == {
        key: value for key, value in source.score_values().items() if key in demo.known_codes(copy.framework)
    }
    assert copy.scores.count() > 50
    assert pairs["DEMO-NONGLAENG"][1].fiscal_year == 2564
    before = Score.objects.count()
    assert demo.carry_results_forward(demo.demo_organization_codes(), 2569) == []
    assert Score.objects.count() == before


@pytest.mark.django_db
def test_a_year_without_its_own_framework_uses_the_newest_earlier_one():
    demo.seed_demo(make_users=False)
    carried = demo.carry_results_forward(["DEMO-LOHJUD"], 2571)
    assert [(copy.fiscal_year, copy.framework.fiscal_year) for copy, _source in carried] == [(2571, 2569)]


@pytest.mark.django_db
def test_seeding_with_users_carries_the_results_of_the_year_before_today():
    report = demo.seed_demo(make_users=True, today=datetime.date(2026, 12, 5))
    assert sorted({copy.fiscal_year for copy, _source in report.carried}) == [2569]
    assert Assessment.objects.filter(fiscal_year=2569).count() == 4
    lines = demo.report_lines(report)
    assert any("ผลสมมติ" in line and "คัดลอกคะแนนจากผลปี 2568" in line for line in lines)


def test_report_lines_show_years_crosswalk_and_each_result():
    organization = SimpleNamespace(name="เทศบาลตำบลหนองเล็ง")
    assessment = SimpleNamespace(
        organization=organization,
        fiscal_year=2564,
        official_overall=Decimal("82.76"),
        official_level="B",
        overall=None,
        level="",
        provisional=True,
    )
    report = demo.SeedReport(loaded=[2564, 2565], kept=[], crosswalk=(3, 2, 1), assessments=[assessment])
    assert demo.report_lines(report) == [
        "กรอบการประเมินที่โหลดใหม่: 2564, 2565",
        "กรอบการประเมินที่มีอยู่แล้ว (ไม่เขียนทับ): -",
        "การเทียบข้อข้ามปี: เพิ่ม 3 รายการ มีอยู่แล้ว 2 รายการ ข้าม 1 รายการ (ไม่พบข้อ)",
        "ผลการประเมินตัวอย่าง 1 รายการ:",
        "  เทศบาลตำบลหนองเล็ง ปี 2564: ทางการ 82.76 B · คำนวณ - - (ผลเบื้องต้น)",
    ]


def test_account_lines_align_columns_by_what_a_terminal_shows():
    accounts = [
        demo.Account("admin", True, "ผู้ดูแลระบบ", "-"),
        demo.Account("nonglaeng-staff", False, "เจ้าหน้าที่", "เทศบาลตำบลหนองเล็ง"),
    ]
    lines = demo.account_lines(accounts)
    assert lines[0] == "บัญชีผู้ใช้ทดลอง (ใช้เพื่อทดลองเท่านั้น):"
    assert demo.DEMO_PASSWORD in lines[2] and demo.DEMO_PASSWORD not in lines[3]
    assert "(เดิม ไม่เปลี่ยน)" in lines[3]
    # Thai vowel and tone marks take no column of their own, so the role column starts at the same
    # terminal column on every row even though the usernames and passwords differ in length.
    rows = zip(lines[1:], ("บทบาท", "ผู้ดูแล", "เจ้า"), strict=True)
    role_starts = {columns(line[: line.index(role)]) for line, role in rows}
    assert len(role_starts) == 1
    assert lines[3].endswith("เทศบาลตำบลหนองเล็ง")
