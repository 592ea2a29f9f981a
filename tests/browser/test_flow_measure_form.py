"""A measure saved with mistakes: the page opens on the error summary, whose links lead to each field."""

import pytest

from measures.models import Measure
from measures.plans import create_plan

from .plan_data import office_with_last_years_scores

expect = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed").expect

ITEM_CODES = "ข้อคำถามที่ตอบ (คั่นด้วยจุลภาคหรือเว้นวรรค เช่น i7, e4, o27)"


@pytest.mark.parametrize("width", [390, 1280])
def test_an_invalid_measure_opens_on_the_summary_and_leads_to_its_fields(login_as, width):
    office = office_with_last_years_scores()
    plan = create_plan(organization=office.organization, fiscal_year=2565, by=office.staff)
    before = Measure.objects.filter(plan=plan).count()  # the plan starts with the library's suggestion
    page = login_as(office.staff)
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(f"/plans/{plan.pk}/measures/add/")
    page.get_by_label(ITEM_CODES).fill("i7, e๙๙")
    page.get_by_role("button", name="บันทึกมาตรการ").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("ยังไม่ได้บันทึก")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    # Both mistakes are listed: the empty title first, as on the page, then the unknown item.
    links = summary.get_by_role("link")
    expect(links).to_have_count(2)
    expect(links.nth(0)).to_contain_text("มาตรการ/แนวทาง")
    expect(links.nth(1)).to_contain_text("ไม่มีข้อ E99")

    links.nth(1).click()
    field = page.get_by_label(ITEM_CODES)
    expect(field).to_be_focused()
    expect(field).to_be_in_viewport()
    expect(field).to_have_value("i7, e๙๙")
    assert Measure.objects.filter(plan=plan).count() == before
