"""Flow 1: a staff member logs in, types scores in Thai digits, saves, and sees the computed level."""

from decimal import Decimal

import pytest

from ita.models import Assessment, Membership
from ita.thai import to_thai_digits
from tests.factory import make_assessment, make_framework, make_organization, make_user

expect = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed").expect

# หนองแหลง 2564, the ten indicator scores as ITAS published them (overall 82.76, level B).
NONG_LAENG_2564 = ["88.95", "78.28", "84.01", "81.40", "78.82", "84.95", "86.63", "83.53", "69.07", "93.75"]
INDICATORS = ["การปฏิบัติหน้าที่", "การใช้งบประมาณ", "การใช้อำนาจ", "การใช้ทรัพย์สินของราชการ",
              "การแก้ไขปัญหาการทุจริต", "คุณภาพการดำเนินงาน", "ประสิทธิภาพการสื่อสาร",
              "การปรับปรุงการทำงาน", "การเปิดเผยข้อมูล", "การป้องกันการทุจริต"]  # fmt: skip


def _alpha_with_staff():
    framework = make_framework(2564)
    organization = make_organization(code="NONGLAENG", name="เทศบาลตำบลหนองแหลง")
    staff = make_user("somchai", organization=organization, role=Membership.Role.STAFF)
    return staff, make_assessment(organization, framework)


def test_staff_enters_thai_digits_and_sees_the_level(page):
    staff, assessment = _alpha_with_staff()

    page.goto("/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill(staff.username)
    page.get_by_label("รหัสผ่าน").fill("password")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page.get_by_text(staff.username)).to_be_visible()

    page.goto(f"/assessments/{assessment.pk}/")
    for number, (name, value) in enumerate(zip(INDICATORS, NONG_LAENG_2564, strict=True), start=1):
        field = page.get_by_label(f"ตัวชี้วัดที่ {to_thai_digits(str(number))} {name}", exact=True)
        # Typed key by key, as a person with a Thai keyboard layout would.
        field.press_sequentially(to_thai_digits(value))
    page.get_by_role("button", name="บันทึกคะแนน").click()

    expect(page.get_by_role("status")).to_have_text("บันทึกคะแนนแล้ว")
    results = page.locator("#results-heading + .results-grid .figure").first
    expect(results.locator(".figure-value")).to_have_text("๘๒.๗๖")
    expect(results.locator(".level")).to_have_text("B")
    expect(page.get_by_label("ตัวชี้วัดที่ ๙ การเปิดเผยข้อมูล", exact=True)).to_have_value("๖๙.๐๗")
    saved = Assessment.objects.get(pk=assessment.pk)
    assert (saved.overall, saved.level) == (Decimal("82.76"), "B")


def test_a_wrong_digit_is_shown_next_to_its_field_and_nothing_is_saved(login_as):
    staff, assessment = _alpha_with_staff()
    page = login_as(staff)
    page.goto(f"/assessments/{assessment.pk}/")
    page.get_by_label("ตัวชี้วัดที่ ๑ การปฏิบัติหน้าที่", exact=True).fill("๑๐๕")
    page.get_by_role("button", name="บันทึกคะแนน").click()

    expect(page.get_by_role("alert")).to_contain_text("ยังไม่ได้บันทึก")
    field = page.get_by_label("ตัวชี้วัดที่ ๑ การปฏิบัติหน้าที่", exact=True)
    expect(field).to_have_attribute("aria-describedby", "id_indicator_1-error")
    assert Assessment.objects.get(pk=assessment.pk).overall is None


@pytest.mark.parametrize("width", [390, 1280])
def test_a_score_error_is_seen_without_scrolling_and_leads_to_its_field(login_as, width):
    staff, assessment = _alpha_with_staff()
    page = login_as(staff)
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(f"/assessments/{assessment.pk}/")
    page.get_by_label("ตัวชี้วัดที่ ๙ การเปิดเผยข้อมูล", exact=True).fill("๑๐๕")
    page.get_by_role("button", name="บันทึกคะแนน").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("ยังไม่ได้บันทึก")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    assert page.evaluate("window.scrollY") < 844  # the summary is near the top, not 1,400 px down
    summary.get_by_role("link", name="ตัวชี้วัดที่ ๙ การเปิดเผยข้อมูล").click()
    field = page.get_by_label("ตัวชี้วัดที่ ๙ การเปิดเผยข้อมูล", exact=True)
    expect(field).to_be_focused()
    expect(field).to_be_in_viewport()
    expect(field).to_have_value("๑๐๕")


def test_keyboard_focus_is_visible(login_as):
    staff, _assessment = _alpha_with_staff()
    page = login_as(staff)
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="ข้ามไปยังเนื้อหาหลัก")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle + ' ' + getComputedStyle(el).outlineWidth")
    assert outline == "solid 3px"
