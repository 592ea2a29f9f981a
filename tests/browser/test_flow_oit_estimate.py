"""The checklist's estimated OIT on a 390 px phone: labelled as an estimate, and no sideways scrolling of the page."""

from decimal import Decimal

import pytest

from ita.models import Membership
from ita.oit.checklist import oit_items
from tests.factory import make_assessment, make_evidence, make_framework, make_organization, make_user

expect = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed").expect

WIDTH = 390


def _office_with_checked_links():
    """A 2569 checklist of 4 items (o1 green, o2 red, o3 amber, o4 empty), official item scores, last year's IIT/EIT."""
    organization = make_organization(code="NONGLAENG", name="เทศบาลตำบลหนองแหลง")
    staff = make_user("somchai", organization=organization, role=Membership.Role.STAFF)
    frameworks = {year: make_framework(year, oit_items=4, sub_indicators=False) for year in (2568, 2569)}
    make_assessment(organization, frameworks[2568]).set_scores(
        {("tool", "IIT"): Decimal(90), ("tool", "EIT"): Decimal(80)}, user=staff, source="form"
    )
    make_assessment(organization, frameworks[2569]).set_scores(
        {("item", "o1"): Decimal(100), ("item", "o2"): Decimal(100), ("item", "o3"): Decimal(50)},
        user=staff,
        source="form",
    )
    for item, verdict in zip(oit_items(frameworks[2569])[:3], ("green", "red", "amber"), strict=True):
        url = f"https://nonglaeng.go.th/oit/{item.code}-เอกสารเผยแพร่ข้อมูลประจำปีงบประมาณ-2569.pdf"
        make_evidence(organization, frameworks[2569], item, [url], [(url, verdict, "test", "ทดสอบ")])
    return staff, organization


def test_the_estimate_reads_on_a_phone(login_as):
    staff, organization = _office_with_checked_links()
    page = login_as(staff)
    page.set_viewport_size({"width": WIDTH, "height": 844})
    page.goto(f"/organizations/{organization.code}/oit/2569/")
    heading = page.get_by_role("heading", name="คะแนน OIT โดยประมาณจากรายการหลักฐาน — ไม่ใช่ผลทางการ")
    expect(heading).to_be_visible()
    section = page.locator("section", has=heading)
    # OIT: low (o3 fail) = mean(50, 0) = 25, high (o3 pass) = mean(50, 50) = 50.
    expect(section.get_by_role("row", name="OIT")).to_contain_text("๒๕.๐๐–๕๐.๐๐")
    expect(section.get_by_role("table", name="ผลโดยประมาณเทียบกับคะแนนทางการรายข้อ")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
