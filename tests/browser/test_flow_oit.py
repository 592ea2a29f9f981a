"""Flow 8 (issue 15): know your OIT before the assessor does.

Staff paste their evidence URLs (Thai digits, "ข้อ ๐๑", "o1"), confirm the preview, press "check all
links" and see, per item, what a loopback test site answered: a good page, a broken one, a redirected
one, last year's page, a file larger than the cap, a redirect into a private network, and an item
with no link. The estimated OIT and level follow through the grading engine, labelled an estimate.
"""

import threading

import pytest
from django.test import override_settings

from ita.models import EvidenceChecklist, LinkCheck, Membership
from tests.factory import make_assessment, make_framework, make_organization, make_user
from tests.ita.linkcheck.site import PAGES, Site, tiny_pdf

from .a11y import assert_accessible_basics

expect = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed").expect

YEAR = 2568  # the year the test site's pages are written for


@pytest.fixture
def site(monkeypatch):
    # A PDF of 3 MB whose year sits at its very start but whose text PDFium cannot get from a cut file.
    monkeypatch.setitem(
        PAGES, "/annual-report.pdf", (200, {"Content-Type": "application/pdf"}, tiny_pdf("2568") + b"%" * 3_000_000)
    )
    server = Site()
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def _item(page, code: str):
    return page.locator(f"#item-{code}")


@override_settings(LINKCHECK_ALLOW_LOOPBACK=True, OIT_CHECK_COOLDOWN_SECONDS=600)
def test_paste_check_links_and_read_the_estimated_oit(login_as, site):
    organization = make_organization(code="NONGLAENG", name="เทศบาลตำบลหนองแหลง")
    staff = make_user("somchai", organization=organization, role=Membership.Role.STAFF)
    framework = make_framework(YEAR, oit_items=8, sub_indicators=False)  # o1–o4 indicator 9, o5–o8 indicator 10
    make_assessment(organization, framework).set_scores(
        {("tool", "IIT"): 95, ("tool", "EIT"): 92}, user=staff, source="form"
    )
    root = site.root

    page = login_as(staff)
    page.goto(f"/organizations/{organization.code}/oit/{YEAR}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("๒๕๖๘")

    # Paste seven lines in the shapes people copy; the preview shows what will change before anything is saved.
    pasted = "\n".join(
        [
            f"O1 {root}/year-thai",
            f"ข้อ ๐๒ {root}/gone",
            f"o3\t{root}/hop/2",
            f"O๔ {root}/last-year",
            f"O5 {root}/annual-report.pdf",
            f"O6 {root}/report.pdf",
            f"O7 {root}/to-private",
        ]
    )
    page.get_by_label("วางรายการลิงก์ บรรทัดละหนึ่งข้อ").fill(pasted)
    page.get_by_role("button", name="ตรวจดูก่อนบันทึก").click()
    expect(page.locator(".oit-preview li")).to_have_count(7)
    assert not EvidenceChecklist.objects.filter(organization=organization).exists()
    page.get_by_role("button", name="ยืนยันบันทึกตามรายการนี้").click()
    expect(page.get_by_role("status").filter(has_text="วางรายการลิงก์ OIT: เปลี่ยน ๗ ข้อ")).to_be_visible()
    expect(page.locator(".oit-summary")).to_contain_text("ยังไม่ได้ตรวจ ๗ ข้อ")

    # One press checks every link (Celery runs in-process in tests); the page shows each item's colour and why.
    page.get_by_role("button", name="ตรวจลิงก์ทั้งหมดตอนนี้").click()
    expect(page.locator(".messages")).to_contain_text("สั่งตรวจลิงก์แล้ว")
    expect(page.locator(".oit-summary")).to_contain_text("ใช้ได้ ๓ ข้อ")
    assert LinkCheck.objects.filter(checklist__organization=organization).count() == 7

    expected = {
        "o1": ("ใช้ได้", "เปิดได้ และพบปีงบประมาณ ๒๕๖๘ ในเนื้อหา"),
        "o2": ("ใช้ไม่ได้", "ไม่พบหน้านี้บนเว็บ (รหัส ๔๐๔)"),
        "o3": ("ใช้ได้", f"ไปจบที่ {root}/year-thai"),
        "o4": ("ควรตรวจดู", "ไม่พบปี ๒๕๖๘ ในเนื้อหา อาจเป็นข้อมูลของปีก่อน"),
        "o5": ("ควรตรวจดู", "เนื้อหาใหญ่เกิน ๒.๐ เมกะไบต์"),
        "o6": ("ใช้ได้", "เปิดได้ และพบปีงบประมาณ ๒๕๖๘ ในเนื้อหา"),
        "o7": ("ใช้ไม่ได้", "ลิงก์ชี้ไปที่เครือข่ายภายใน"),
        "o8": ("ยังไม่มีลิงก์", ""),
    }
    for code, (badge, why) in expected.items():
        item = _item(page, code)
        expect(item.locator(".oit-badge")).to_contain_text(badge)
        if why:
            expect(item.locator(".oit-health")).to_contain_text(why)
    # The colour is never the only signal: each state has its own class and a word.
    assert _item(page, "o2").locator(".oit-badge.oit-red").count() == 1
    assert _item(page, "o4").locator(".oit-badge.oit-amber").count() == 1
    # The redirect into 10.0.0.1 was refused: the test site saw the first hop only, nothing reached further.
    assert [path for path, _headers in site.requests].count("/to-private") == 1

    # The estimate, by hand: pass 100, fail 0; o4 and o5 are unknown (amber), so the result is a range.
    # Indicator 9 = mean(o1 100, o2 0, o3 100, o4 0|100) = 50.00–75.00;
    # indicator 10 = mean(o5 0|100, o6 100, o7 0, o8 0) = 25.00–50.00; OIT = mean(9, 10) = 37.50–62.50.
    # Overall = 0.30 × IIT 95 + 0.30 × EIT 92 + 0.40 × OIT = 71.10–81.10: ต้องปรับปรุง (70 up to 85) either way.
    heading = page.get_by_role("heading", name="คะแนน OIT โดยประมาณจากรายการหลักฐาน — ไม่ใช่ผลทางการ")
    estimate = page.locator("section", has=heading)
    expect(estimate).to_contain_text("ผ่าน ๓ ข้อ · ไม่ผ่าน ๓ ข้อ · ยังไม่แน่ชัด ๒ ข้อ")
    expect(estimate.get_by_role("row", name="OIT")).to_contain_text("๓๗.๕๐–๖๒.๕๐")
    expect(estimate.get_by_role("row", name="คะแนนรวม")).to_contain_text("๗๑.๑๐–๘๑.๑๐")
    expect(estimate.get_by_role("row", name="ระดับ")).to_contain_text("ต้องปรับปรุง")
    assert_accessible_basics(page)

    # A second press at once is refused (the cool-down bounds what one person can make the server fetch).
    page.get_by_role("button", name="ตรวจลิงก์ทั้งหมดตอนนี้").click()
    expect(page.locator(".messages")).to_contain_text("เพิ่งสั่งตรวจลิงก์ไปเมื่อไม่นานนี้ สั่งตรวจอีกครั้งได้ตั้งแต่")
    assert LinkCheck.objects.filter(checklist__organization=organization).count() == 7

    # The whole list copies out in the shape ITAS asks for, the item without a link keeping its line.
    copy = page.get_by_label("รายการสำหรับระบบ ITAS")
    assert copy.input_value().splitlines()[-1] == "O8\t"


@override_settings(LINKCHECK_ALLOW_LOOPBACK=True)
def test_the_checklist_reads_on_a_phone(login_as, site):
    organization = make_organization(code="NONGLAENG", name="เทศบาลตำบลหนองแหลง")
    staff = make_user("somchai", organization=organization, role=Membership.Role.STAFF)
    make_framework(YEAR, oit_items=8, sub_indicators=False)
    page = login_as(staff)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/organizations/{organization.code}/oit/{YEAR}/")
    page.get_by_label("วางรายการลิงก์ บรรทัดละหนึ่งข้อ").fill(f"O1 {site.root}/gone\nO2 {site.root}/year-thai")
    page.get_by_role("button", name="ตรวจดูก่อนบันทึก").click()
    page.get_by_role("button", name="ยืนยันบันทึกตามรายการนี้").click()
    page.get_by_role("button", name="ตรวจลิงก์ทั้งหมดตอนนี้").click()
    expect(_item(page, "o1").locator(".oit-badge")).to_contain_text("ใช้ไม่ได้")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
