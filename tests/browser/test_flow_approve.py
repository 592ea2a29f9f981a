"""Flow 3: staff draft the year's plan and submit it; the executive logs in, approves, publishes, downloads the PDF."""

from urllib.parse import quote

import pytest

from measures.models import MeasurePlan
from measures.plans import create_plan
from reports.models import PublishedVersion

from .a11y import assert_accessible_basics
from .plan_data import office_with_last_years_scores

expect = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed").expect

PDF_NAME = "มาตรการ-เทศบาลตำบลหนองแหลง-2565.pdf"


def _log_in_with_the_form(page, user) -> None:
    page.goto("/accounts/login/")
    assert_accessible_basics(page)
    page.get_by_label("ชื่อผู้ใช้").fill(user.username)
    page.get_by_label("รหัสผ่าน").fill("password")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page.get_by_role("button", name="ออกจากระบบ")).to_be_visible()


def _message(page, text: str):
    return page.get_by_role("status").filter(has_text=text)


def _open_plans_from_the_menu(page) -> None:
    page.get_by_role("navigation", name="เมนูหลัก").get_by_role("link", name="มาตรการ", exact=True).click()


def _staff_drafts_and_submits(page) -> None:
    _open_plans_from_the_menu(page)
    create = page.get_by_role("region", name="จัดทำมาตรการปีใหม่")
    expect(create).to_be_visible()
    assert_accessible_basics(page)
    create.get_by_label("ปีงบประมาณของมาตรการ (พ.ศ.)").fill("๒๕๖๕")
    create.get_by_role("button", name="สร้างร่างมาตรการ").click()
    expect(_message(page, "สร้างร่างมาตรการปีงบประมาณ ๒๕๖๕ จากผลการประเมินปี ๒๕๖๔ แล้ว")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. ๒๕๖๕"
    )
    # The weak indicator 4 brought the library's measure into the draft.
    expect(page.get_by_text("จัดทำคู่มือการยืมและใช้ทรัพย์สินของราชการ").first).to_be_visible()
    assert_accessible_basics(page)
    page.get_by_role("button", name="เสนอผู้บริหารพิจารณา").click()
    expect(_message(page, "เสนอมาตรการต่อผู้บริหารแล้ว")).to_be_visible()
    expect(page.get_by_text("รอผู้บริหารของหน่วยงานพิจารณาอนุมัติ")).to_be_visible()
    page.get_by_role("button", name="ออกจากระบบ").click()


def test_executive_approves_publishes_and_downloads_the_pdf(page):
    office = office_with_last_years_scores()
    _log_in_with_the_form(page, office.staff)
    _staff_drafts_and_submits(page)
    plan = MeasurePlan.objects.get(organization=office.organization)
    assert (plan.status, plan.submitted_by) == (MeasurePlan.Status.SUBMITTED, office.staff)

    _log_in_with_the_form(page, office.executive)
    _open_plans_from_the_menu(page)
    page.get_by_role("link", name="มาตรการปี ๒๕๖๕").click()
    # Each step goes through its confirmation page (no JavaScript needed) and its POST button.
    page.get_by_role("link", name="อนุมัติมาตรการ…").click()
    page.get_by_role("button", name="ยืนยันอนุมัติมาตรการฉบับนี้").click()
    expect(_message(page, "อนุมัติมาตรการแล้ว")).to_be_visible()
    page.get_by_role("link", name="เผยแพร่มาตรการ…").click()
    page.get_by_role("button", name="ยืนยันเผยแพร่มาตรการฉบับนี้ต่อสาธารณะ").click()
    expect(_message(page, "เผยแพร่มาตรการแล้ว")).to_be_visible()
    timeline = page.get_by_role("region", name="ขั้นตอนการอนุมัติ").get_by_role("listitem")
    expect(timeline).to_have_count(4)
    expect(timeline.nth(1)).to_contain_text("เสนอผู้บริหาร โดย สมชาย รักงาน")
    expect(timeline.nth(3)).to_contain_text("เผยแพร่ โดย ประสิทธิ์ มั่นคง")
    # A published plan cannot be edited any more: the page says so and offers no edit form.
    expect(page.get_by_role("button", name="บันทึกรายละเอียด")).to_have_count(0)
    assert_accessible_basics(page)

    link = page.get_by_role("link", name="ดาวน์โหลดเอกสาร PDF")
    with page.expect_download() as started:
        link.click()
    download = started.value
    assert download.suggested_filename == PDF_NAME
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    # The header itself: an ASCII fallback and the Thai name as RFC 5987 says (UTF-8, percent-encoded).
    response = page.request.get(link.get_attribute("href"))
    assert response.ok
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="measures-2565.pdf"; ')
    assert disposition.endswith("filename*=UTF-8''" + quote(PDF_NAME, safe=""))

    plan.refresh_from_db()
    assert (plan.status, plan.approved_by, plan.published_by) == (
        MeasurePlan.Status.PUBLISHED,
        office.executive,
        office.executive,
    )


def test_a_plan_published_on_its_page_reaches_the_portal_with_its_pdf(login_as):
    office = office_with_last_years_scores()
    plan = create_plan(organization=office.organization, fiscal_year=2565, by=office.staff)
    plan.submit(by=office.staff)
    plan.approve(by=office.executive)

    page = login_as(office.executive)
    page.goto(f"/plans/{plan.pk}/")
    page.get_by_role("link", name="เผยแพร่มาตรการ…").click()
    page.get_by_role("button", name="ยืนยันเผยแพร่มาตรการฉบับนี้ต่อสาธารณะ").click()
    expect(_message(page, "เผยแพร่มาตรการแล้ว")).to_be_visible()
    assert PublishedVersion.objects.filter(plan=plan).exists(), "publishing made no public copy"

    page.goto("/public/")
    row = page.get_by_role("row", name="เทศบาลตำบลหนองแหลง")
    expect(row.get_by_role("link", name="PDF")).to_be_visible(timeout=2_000)
